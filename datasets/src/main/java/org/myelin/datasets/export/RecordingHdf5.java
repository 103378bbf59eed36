package org.myelin.datasets.export;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.myelin.core.MyelinException;
import org.myelin.core.io.AtomicFile;
import org.myelin.core.monitor.MemorySink;
import org.myelin.core.monitor.RecordingArrays;
import org.myelin.core.network.Network;

/**
 * Writes what a run recorded as HDF5, in the layout of {@link RecordingArrays}: a group per kind ({@code /spikes},
 * {@code /state}, {@code /rate}; a kind that no monitor recorded has no group), in it a group per monitor holding its
 * arrays (2-D state samples as a 2-D dataset) and its attributes (node, variable, ...); the root's attributes are
 * {@code dt_ms} and {@code writer}. Where it fits, the layout follows NWB's conventions: each spike monitor also has
 * the ragged per-neuron columns of an NWB units table, {@code spike_times} (seconds, neuron by neuron, in time order)
 * and {@code spike_times_index} (the end of each neuron's spikes in it, int64), so that neuron i's spikes are
 * {@code spike_times[index[i-1]:index[i]]}. It is not a complete NWB file (no session metadata); readers that know
 * the units-table convention read those columns. An array with no elements (a monitor that saw no spike, a trace
 * with no sample) has no dataset: the jhdf writer cannot write zero-length ones; its name is listed instead in the
 * monitor group's attribute {@code empty} (comma-separated).
 */
public final class RecordingHdf5 {
    private RecordingHdf5() {
    }

    /** Writes the recording to {@code file} (atomically: a temporary file in the same folder, then renamed). */
    public static void write(Path file, Network net, MemorySink memory) {
        Path target = file.toAbsolutePath();
        Path tmp;
        try {
            tmp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
        } catch (IOException e) {
            throw new MyelinException("cannot write " + file + ": " + e.getMessage(), e);
        }
        try {
            try (WritableHdfFile f = HdfFile.write(tmp)) {
                f.putAttribute("dt_ms", net.dtMs());
                f.putAttribute("writer", "myelin");
                // a kind's group only where it has monitors: jhdf 0.13.0 writes an empty group with an object
                // header that HDF5's own library (h5py) refuses ("bad object header version number")
                Map<String, WritableGroup> kinds = new LinkedHashMap<>();
                for (RecordingArrays.Entry e : RecordingArrays.of(net, memory)) {
                    WritableGroup kind = kinds.computeIfAbsent(e.kind(), f::putGroup);
                    WritableGroup g = kind.putGroup(e.monitor());
                    g.putAttribute("node", e.node());
                    for (Map.Entry<String, Object> a : e.attributes().entrySet()) {
                        g.putAttribute(a.getKey(), a.getValue());
                    }
                    List<String> empty = new ArrayList<>();
                    for (Map.Entry<String, Object> a : e.arrays().entrySet()) {
                        put(g, a.getKey(), a.getValue() instanceof RecordingArrays.Shaped s ? rows(s)
                                : a.getValue(), empty);
                    }
                    if (e.kind().equals("spikes")) {
                        unitsColumns(g, (double[]) e.arrays().get("t_ms"), (int[]) e.arrays().get("neuron"),
                                (Integer) e.attributes().get("node_size"), empty);
                    }
                    if (!empty.isEmpty()) {
                        g.putAttribute("empty", String.join(",", empty));
                    }
                }
            }
            AtomicFile.replace(tmp, target);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the failure below says what went wrong
            }
            throw new MyelinException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** NWB's ragged units-table columns: every neuron's spike times in seconds, and where each neuron's end. */
    private static void unitsColumns(WritableGroup g, double[] tMs, int[] neuron, int nodeSize, List<String> empty) {
        long[] index = new long[nodeSize];
        for (int n : neuron) {
            index[n]++;
        }
        long at = 0;
        long[] start = new long[nodeSize];
        for (int i = 0; i < nodeSize; i++) {
            start[i] = at;
            at += index[i];
            index[i] = at;
        }
        double[] seconds = new double[tMs.length];
        for (int k = 0; k < tMs.length; k++) { // spikes come in time order, so each neuron's stay in time order
            seconds[(int) start[neuron[k]]++] = tMs[k] / 1000.0;
        }
        put(g, "spike_times", seconds, empty);
        put(g, "spike_times_index", index, empty);
    }

    /**
     * Writes one array as a dataset, or, where it has no elements, notes its name in {@code empty}: jhdf 0.13.0
     * cannot write a zero-length dataset (it takes the element type from the first element).
     */
    private static void put(WritableGroup g, String name, Object array, List<String> empty) {
        if (java.lang.reflect.Array.getLength(array) == 0) {
            empty.add(name);
        } else {
            g.putDataset(name, array);
        }
    }

    private static double[][] rows(RecordingArrays.Shaped s) {
        int r = s.shape()[0];
        int c = s.shape()[1];
        double[][] out = new double[r][c];
        for (int i = 0; i < r; i++) {
            System.arraycopy(s.values(), i * c, out[i], 0, c);
        }
        return out;
    }
}
