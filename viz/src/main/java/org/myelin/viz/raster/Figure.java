package org.myelin.viz.raster;

import java.nio.file.Path;

/** A figure of steps {@code [fromStep, toStep)} that writes itself as PNG or SVG. */
public interface Figure {
    void writePng(Path file, long fromStep, long toStep, double dtMs);

    void writeSvg(Path file, long fromStep, long toStep, double dtMs);

    /** PNG or SVG, chosen by the file name's extension (anything else is refused with a message). */
    default void write(Path file, long fromStep, long toStep, double dtMs) {
        if (Figures.isSvg(file)) {
            writeSvg(file, fromStep, toStep, dtMs);
        } else {
            writePng(file, fromStep, toStep, dtMs);
        }
    }
}
