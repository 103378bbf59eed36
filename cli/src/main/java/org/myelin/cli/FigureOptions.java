package org.myelin.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.myelin.core.monitor.MemorySink;
import org.myelin.core.network.Network;
import org.myelin.viz.raster.Figures;
import picocli.CommandLine.Option;

/** {@code --raster FILE} and {@code --rates FILE}: the run's figures, headless, PNG or SVG by extension. */
final class FigureOptions {
    @Option(names = "--raster", paramLabel = "FILE",
            description = "write the spike raster (with a rate histogram) to FILE, .png or .svg")
    Path raster;

    @Option(names = "--rates", paramLabel = "FILE", description = "write the population rates to FILE, .png or .svg")
    Path rates;

    /** Checks the names before the run, so a typo does not cost the run. */
    void check() {
        if (raster != null) {
            Figures.isSvg(raster);
        }
        if (rates != null) {
            Figures.isSvg(rates);
        }
    }

    boolean any() {
        return raster != null || rates != null;
    }

    /** Writes what was asked for, steps {@code [0, steps)}, and says where. */
    void write(Network net, MemorySink memory, long steps, String title, PrintWriter out) {
        if (raster != null) {
            Figures.raster(net, memory).title(title).write(raster, 0, steps, net.dtMs());
            out.println("  raster            " + raster.toAbsolutePath());
        }
        if (rates != null) {
            Figures.rates(net, memory).title(title).write(rates, 0, steps, net.dtMs());
            out.println("  rates             " + rates.toAbsolutePath());
        }
    }
}
