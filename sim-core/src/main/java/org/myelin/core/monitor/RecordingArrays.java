package org.myelin.core.monitor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.myelin.core.io.Npz;
import org.myelin.core.network.Network;

/**
 * What a run recorded, as named arrays in one documented layout shared by every file format Myelin writes
 * ({@code .npz} here, HDF5 in the datasets module): per monitor of the network that the memory sink holds,
 *
 * <table>
 * <caption>Arrays per monitor (times in ms from the start of the run, neurons as indices within the node)</caption>
 * <tr><th>monitor</th><th>array</th><th>type, shape</th><th>meaning</th></tr>
 * <tr><td>spikes</td><td>t_ms</td><td>float64 [n]</td><td>spike times (the step's start, or the exact time in
 *     the precise mode)</td></tr>
 * <tr><td>spikes</td><td>neuron</td><td>int32 [n]</td><td>the neuron that spiked, in step then neuron order</td></tr>
 * <tr><td>spikes</td><td>step</td><td>int64 [n]</td><td>the step of each spike</td></tr>
 * <tr><td>state</td><td>t_ms</td><td>float64 [samples]</td><td>sample times</td></tr>
 * <tr><td>state</td><td>values</td><td>float64 [samples, neurons]</td><td>v in mV, or ge / gi in the model's
 *     units</td></tr>
 * <tr><td>state</td><td>neuron</td><td>int32 [neurons]</td><td>the monitored neurons, in column order</td></tr>
 * <tr><td>rate</td><td>t_ms</td><td>float64 [bins]</td><td>bin starts</td></tr>
 * <tr><td>rate</td><td>rate_hz</td><td>float64 [bins]</td><td>mean rate per neuron of the node in the bin</td></tr>
 * </table>
 *
 * <p>In an {@code .npz} archive the arrays are named {@code KIND.MONITOR.ARRAY} (e.g. {@code spikes.exc.t_ms}),
 * with {@code dt_ms} the time step.
 */
public final class RecordingArrays {
    /** One monitor's arrays and what they describe. */
    public record Entry(String kind, String monitor, String node, Map<String, Object> attributes,
                        Map<String, Object> arrays) {
    }

    private RecordingArrays() {
    }

    /** The arrays of every monitor of {@code net} that {@code memory} recorded, spikes, then states, then rates. */
    public static List<Entry> of(Network net, MemorySink memory) {
        double dt = net.dtMs();
        List<Entry> out = new ArrayList<>();
        for (SpikeMonitor m : net.spikeMonitors()) {
            if (!memory.contains(m.name())) {
                continue;
            }
            SpikeRecord r = memory.spikes(m.name());
            double[] t = new double[r.size()];
            for (int i = 0; i < t.length; i++) {
                t[i] = r.hasTimes() ? r.timeMs(i) : r.step(i) * dt;
            }
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("t_ms", t);
            a.put("neuron", r.neurons());
            a.put("step", r.steps());
            out.add(new Entry("spikes", m.name(), m.node(), Map.of("node_size", net.node(m.node()).size()), a));
        }
        for (StateMonitor m : net.stateMonitors()) {
            if (!memory.contains(m.name())) {
                continue;
            }
            StateTrace s = memory.state(m.name());
            int k = m.neurons().length;
            double[] t = new double[s.samples()];
            double[] values = new double[s.samples() * k];
            for (int i = 0; i < t.length; i++) {
                t[i] = s.step(i) * dt;
                for (int j = 0; j < k; j++) {
                    values[i * k + j] = s.value(i, j);
                }
            }
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("t_ms", t);
            a.put("values", new Shaped(values, new int[] {t.length, k}));
            a.put("neuron", m.neurons().clone());
            out.add(new Entry("state", m.name(), m.population(), Map.of("variable", m.variable(),
                    "interval_steps", m.intervalSteps()), a));
        }
        for (RateMonitor m : net.rateMonitors()) {
            if (!memory.contains(m.name())) {
                continue;
            }
            RateTrace r = memory.rate(m.name());
            double[] t = new double[r.bins()];
            double[] hz = new double[r.bins()];
            for (int i = 0; i < t.length; i++) {
                t[i] = r.binStart(i) * dt;
                hz[i] = r.rateHz(i);
            }
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("t_ms", t);
            a.put("rate_hz", hz);
            out.add(new Entry("rate", m.name(), m.node(), Map.of("bin_ms", m.binSteps() * dt), a));
        }
        return out;
    }

    /** A row-major array with its shape (the 2-D state samples). */
    public record Shaped(double[] values, int[] shape) {
    }

    /** Writes the recording as an {@code .npz} archive (see the class comment for the names), atomically. */
    public static void writeNpz(Path file, Network net, MemorySink memory) {
        Npz z = new Npz().scalar("dt_ms", net.dtMs());
        for (Entry e : of(net, memory)) {
            for (Map.Entry<String, Object> a : e.arrays().entrySet()) {
                String name = e.kind() + "." + e.monitor() + "." + a.getKey();
                Object v = a.getValue();
                if (v instanceof double[] d) {
                    z.put(name, d);
                } else if (v instanceof int[] i) {
                    z.put(name, i);
                } else if (v instanceof long[] l) {
                    z.put(name, l);
                } else if (v instanceof Shaped s) {
                    z.put(name, s.values(), s.shape());
                }
            }
        }
        z.write(file);
    }
}
