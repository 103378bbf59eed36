package org.myelin.cli;

import me.tongfei.progressbar.ProgressBar;
import org.myelin.datasets.fetch.Downloader;
import org.myelin.learning.train.ProgressBars;

/**
 * A download's progress through Myelin's one progress bar ({@link ProgressBars}), in MB: opened at the first update,
 * when the size is known (or known to be unknown), and closed with {@link #close()}, which ends its line.
 */
final class DownloadBar implements Downloader.Progress, AutoCloseable {
    private final String task;
    private ProgressBar bar;

    DownloadBar(String task) {
        this.task = task;
    }

    @Override
    public void update(long bytes, long totalBytes, double bytesPerSecond) {
        if (bar == null) {
            bar = ProgressBars.open(task, totalBytes, " MB", 1_000_000);
        } else if (totalBytes >= 0 && totalBytes != bar.getMax()) {
            bar.maxHint(totalBytes);
        }
        bar.stepTo(bytes);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
