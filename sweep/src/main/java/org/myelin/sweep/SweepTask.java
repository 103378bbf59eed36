package org.myelin.sweep;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.myelin.backend.memristor.CrossbarNetwork;
import org.myelin.core.MyelinException;
import org.myelin.core.analysis.SpikeStatistics;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.catalog.CubaNetwork;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;

/**
 * One point of a sweep, run wherever it is sent (to a cluster member as plain data, see
 * {@link SweepMessageFactory}): builds the network, runs it on the point's backend and returns the row. Everything in the row but {@code wall_s} is a pure function of the
 * point, so a sweep's table is the same on a cluster as one by one.
 */
public record SweepTask(int index, Map<String, String> point) implements Callable<SweepTask.Row> {
    /** Crossbar keys of a point, passed to the memristor backend's device spec as {@code ,key=value}. */
    static final Set<String> CROSSBAR_KEYS = Set.of("levels", "stuck", "d2d", "prog", "drift", "read", "pcmread", "adc",
            "adcrows", "adcrange", "tile", "wire", "vread");

    /** A table row: the point's parameters and results in column order, and the wall time apart. */
    public record Row(int index, Map<String, String> columns, double wallSeconds) {
    }

    public SweepTask {
        point = new LinkedHashMap<>(point);
    }

    @Override
    public Row call() {
        long t0 = System.nanoTime();
        String experiment = point.getOrDefault("experiment", "cuba");
        if (!experiment.equals("cuba")) {
            throw new MyelinException("sweep: unknown experiment '" + experiment + "'; known: cuba");
        }
        int neurons = intValue("neurons", 2000);
        double duration = doubleValue("duration", 0.1);
        long seed = intValue("seed", 12345);
        String backend = point.getOrDefault("backend", "cpu");
        Network net = point.containsKey("p") ? CubaNetwork.build(neurons, doubleValue("p", 0.02), seed)
                : neurons == 4000 ? CubaNetwork.classic(seed) : CubaNetwork.scaled(neurons, seed);
        StringBuilder device = new StringBuilder(point.getOrDefault("device", ""));
        for (Map.Entry<String, String> e : point.entrySet()) {
            if (CROSSBAR_KEYS.contains(e.getKey())) {
                if (!backend.equals("memristor")) {
                    throw new MyelinException("sweep: '" + e.getKey() + "' is a crossbar key; it needs backend = memristor");
                }
                device.append(device.length() == 0 ? "ideal" : "").append(',').append(e.getKey()).append('=')
                        .append(e.getValue());
            }
        }
        SimulationConfig config = new SimulationConfig(intValue("threads", 1), SimulationConfig.Accumulation.DEFAULT,
                device.length() == 0 ? null : device.toString(), EngineMode.CLOCK);
        Recording rec = Recording.inMemory();
        Map<String, String> row = new LinkedHashMap<>(point);
        long steps = Math.round(duration * 1000.0 / net.dtMs());
        try (CompiledNetwork c = Backends.find(backend).compile(net, config)) {
            c.run(steps, rec);
            SpikeRecord all = SpikeStatistics.merged(net, rec.memory());
            row.put("spikes", Long.toString(all.size()));
            row.put("rate_hz", String.format(Locale.ROOT, "%.4f", all.size() / (net.neuronCount() * duration)));
            row.put("checksum", String.format("%016x", SpikeStatistics.checksum(all)));
            if (c instanceof CrossbarNetwork x) {
                row.put("energy_nj", String.format(Locale.ROOT, "%.3f", x.report().totalPj() / 1000.0));
            }
        }
        return new Row(index, row, (System.nanoTime() - t0) * 1e-9);
    }

    private int intValue(String key, int fallback) {
        String v = point.get(key);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new MyelinException("sweep: " + key + " must be an integer, was '" + v + "'");
        }
    }

    private double doubleValue(String key, double fallback) {
        String v = point.get(key);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new MyelinException("sweep: " + key + " must be a number, was '" + v + "'");
        }
    }
}
