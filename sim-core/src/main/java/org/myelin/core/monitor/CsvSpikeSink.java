package org.myelin.core.monitor;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.myelin.core.MyelinException;

/** Writes spikes as CSV lines {@code step,time_ms,monitor,neuron} with a header line. */
public final class CsvSpikeSink implements RecordingSink {
    private final Path path;
    private final double dtMs;
    private final BufferedWriter out;

    public CsvSpikeSink(Path path, double dtMs) {
        this.path = path;
        this.dtMs = dtMs;
        try {
            out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
            out.write("step,time_ms,monitor,neuron\n");
        } catch (IOException e) {
            throw new MyelinException("cannot write spike CSV " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void spikes(SpikeMonitor monitor, long step, int[] neurons, int count) {
        try {
            String prefix = step + "," + String.format(Locale.ROOT, "%.6f", step * dtMs) + "," + monitor.name() + ",";
            for (int i = 0; i < count; i++) {
                out.write(prefix);
                out.write(Integer.toString(neurons[i]));
                out.write('\n');
            }
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
