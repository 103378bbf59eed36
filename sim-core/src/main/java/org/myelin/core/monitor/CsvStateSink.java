package org.myelin.core.monitor;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.myelin.core.MyelinException;

/** Writes state samples as CSV: {@code step,monitor,n<i>,...}, one column per monitored neuron. */
public final class CsvStateSink implements RecordingSink {
    private final Path path;
    private final BufferedWriter out;
    private boolean header;

    public CsvStateSink(Path path) {
        this.path = path;
        try {
            out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MyelinException("cannot write state CSV " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void state(StateMonitor monitor, long step, double[] values) {
        try {
            if (!header) {
                out.write("step,monitor");
                for (int n : monitor.neurons()) {
                    out.write(",n" + n);
                }
                out.write('\n');
                header = true;
            }
            out.write(step + "," + monitor.name());
            for (double v : values) {
                out.write(',');
                out.write(Double.toString(v));
            }
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + path, e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing " + path, e);
        }
    }
}
