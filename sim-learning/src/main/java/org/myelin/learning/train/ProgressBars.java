package org.myelin.learning.train;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The one progress bar of Myelin's long work (training epochs, simulations, downloads, uploads to a board): a line on
 * standard error, redrawn at most twice a second, ASCII only, with the rate and the remaining time. Whether to draw
 * one is the caller's choice (the command line's {@code --progress}, by default only in a terminal).
 */
public final class ProgressBars {
    private ProgressBars() {
    }

    /**
     * A bar for {@code max} units ({@code max < 0}: a total not known in advance), of which {@code unitSize} make
     * one displayed {@code unit} (e.g. " MB" and 1,000,000 for bytes shown in MB). Close it when the work ends.
     */
    public static ProgressBar open(String task, long max, String unit, long unitSize) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500).setConsumer(new ConsoleProgressBarConsumer(System.err)).showSpeed()
                .setUnit(unit, unitSize).build();
    }
}
