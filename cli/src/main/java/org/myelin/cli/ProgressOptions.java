package org.myelin.cli;

import picocli.CommandLine.Option;

/**
 * {@code --progress} / {@code --no-progress}, the same on every long command: a progress bar on stderr. By default
 * it is drawn only when the process runs in a terminal, so a redirected stderr (a log file, CI) gets no
 * carriage-return frames.
 */
final class ProgressOptions {
    @Option(names = "--progress", negatable = true, fallbackValue = "true",
            description = "draw a progress bar on stderr (default: only when running in a terminal)")
    Boolean progress;

    /** Whether to draw: as asked, else when there is a terminal. */
    boolean enabled() {
        return progress != null ? progress : System.console() != null;
    }
}
