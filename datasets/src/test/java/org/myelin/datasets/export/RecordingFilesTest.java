package org.myelin.datasets.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.model.LifModel;
import org.myelin.core.monitor.MemorySink;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.CurrentInput;
import org.myelin.core.network.Network;
import org.myelin.core.reference.ReferenceBackend;

/**
 * The recording as .npz and HDF5, read back by NumPy and h5py (Debian's python3-numpy and python3-h5py, which
 * .ci/run installs): every array the layout names, with the values the run recorded.
 */
class RecordingFilesTest {
    private static Network network() {
        LifModel lif = LifModel.builder().tauMembraneMs(20).restingMv(-70).thresholdMv(-50).resetMv(-70)
                .refractoryMs(2).resistanceMOhm(100).build();
        return Network.builder().dtMs(0.1).population("n", 4, lif)
                .current(CurrentInput.constant("i0", "n", 0.3).onNeurons(0, 2))
                .current(CurrentInput.constant("i1", "n", 0.5).onNeurons(1))
                .monitorSpikes("n").monitorState("n", "v", 0, 1).monitorRate("n", 100).build();
    }

    private static MemorySink run(Network net) {
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = new ReferenceBackend().compile(net, new org.myelin.core.backend.SimulationConfig(1))) {
            c.run(2000, rec);
        }
        return rec.memory();
    }

    private static boolean python(String module) {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import " + module).redirectErrorStream(true)
                    .start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs a Python script and returns what it printed; fails the test on a non-zero exit. */
    private static String runPython(Path dir, String script) throws Exception {
        Path f = dir.resolve("check.py");
        Files.writeString(f, script);
        Process p = new ProcessBuilder("/usr/bin/python3", f.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python timed out");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out.strip();
    }

    private static String expected(Network net, MemorySink m) {
        SpikeRecord s = m.spikes("n");
        double sum = 0;
        for (int i = 0; i < s.size(); i++) {
            sum += s.step(i) * net.dtMs();
        }
        var v = m.state("n.v");
        return String.format(Locale.ROOT, "%d %.6f %d %.6f %.6f %d", s.size(), sum, v.samples(), v.value(0, 0),
                v.value(v.samples() - 1, 1), m.rate("n.rate").bins());
    }

    @Test
    void npzReadsBackWithNumpy(@TempDir Path dir) throws Exception {
        assumeTrue(python("numpy"), "python3-numpy is not installed here (.ci/run installs it)");
        Network net = network();
        MemorySink m = run(net);
        assertTrue(m.spikes("n").size() > 10, "the neurons fed with current spike");
        Path npz = dir.resolve("run.npz");
        org.myelin.core.monitor.RecordingArrays.writeNpz(npz, net, m);
        String out = runPython(dir, String.join("\n",
                "import numpy as np",
                "z = np.load(" + py(npz) + ")",
                "t = z['spikes.n.t_ms']; i = z['spikes.n.neuron']; s = z['spikes.n.step']",
                "assert t.dtype == np.float64 and i.dtype == np.int32 and s.dtype == np.int64, (t.dtype, i.dtype, s.dtype)",
                "assert np.allclose(t, s * float(z['dt_ms'])) and set(i.tolist()) <= {0, 1, 2, 3}",
                "v = z['state.n.v.values']",
                "assert v.shape == (len(z['state.n.v.t_ms']), 2) and list(z['state.n.v.neuron']) == [0, 1], v.shape",
                "r = z['rate.n.rate.rate_hz']",
                "assert len(r) == len(z['rate.n.rate.t_ms'])",
                "print('%d %.6f %d %.6f %.6f %d' % (len(t), t.sum(), v.shape[0], v[0, 0], v[-1, 1], len(r)))"));
        assertEquals(expected(net, m), out);
    }

    @Test
    void hdf5ReadsBackWithH5pyInTheDocumentedLayout(@TempDir Path dir) throws Exception {
        assumeTrue(python("h5py"), "python3-h5py is not installed here (.ci/run installs it)");
        Network net = network();
        MemorySink m = run(net);
        Path h5 = dir.resolve("run.h5");
        RecordingHdf5.write(h5, net, m);
        String out = runPython(dir, String.join("\n",
                "import h5py, numpy as np",
                "f = h5py.File(" + py(h5) + ", 'r')",
                "assert abs(f.attrs['dt_ms'] - 0.1) < 1e-12",
                "g = f['spikes/n']; t = g['t_ms'][()]; i = g['neuron'][()]",
                "assert g.attrs['node_size'] == 4",
                "st = g['spike_times'][()]; ix = g['spike_times_index'][()]",
                "assert len(ix) == 4 and ix[-1] == len(t)",
                "for n in range(4):",
                "    a = 0 if n == 0 else ix[n - 1]",
                "    assert np.allclose(st[a:ix[n]], np.sort(t[i == n]) / 1000.0), n",
                "v = f['state/n.v/values'][()]",
                "assert f['state/n.v'].attrs['variable'] in ('v', b'v')",
                "r = f['rate/n.rate/rate_hz'][()]",
                "print('%d %.6f %d %.6f %.6f %d' % (len(t), t.sum(), v.shape[0], v[0, 0], v[-1, 1], len(r)))"));
        assertEquals(expected(net, m), out);
        assertTrue(List.of(dir.toFile().list()).stream().noneMatch(n -> n.endsWith(".part")), "no temporary file");
    }

    @Test
    void aSilentMonitorAndTheKindsWithoutMonitorsStillGiveAFileH5pyWalks(@TempDir Path dir) throws Exception {
        assumeTrue(python("h5py"), "python3-h5py is not installed here (.ci/run installs it)");
        LifModel lif = LifModel.builder().tauMembraneMs(20).restingMv(-70).thresholdMv(-50).resetMv(-70)
                .refractoryMs(2).resistanceMOhm(100).build();
        Network net = Network.builder().dtMs(0.1).population("n", 2, lif).population("quiet", 3, lif)
                .current(CurrentInput.constant("i0", "n", 0.3)).monitorSpikes("n").monitorSpikes("quiet").build();
        MemorySink m = run(net);
        assertEquals(0, m.spikes("quiet").size());
        Path h5 = dir.resolve("run.h5");
        RecordingHdf5.write(h5, net, m);
        String out = runPython(dir, String.join("\n",
                "import h5py",
                "f = h5py.File(" + py(h5) + ", 'r')",
                "seen = []",
                "f.visititems(lambda name, obj: seen.append(name))",
                "assert 'state' not in f and 'rate' not in f, list(f)",
                "q = f['spikes/quiet']",
                "empty = q.attrs['empty']",
                "empty = empty.decode() if isinstance(empty, bytes) else empty",
                "assert sorted(empty.split(',')) == ['neuron', 'spike_times', 'step', 't_ms'], empty",
                "assert list(q['spike_times_index'][()]) == [0, 0, 0]",
                "print(len(f['spikes/n/t_ms']), len(seen))"));
        assertEquals(m.spikes("n").size() + " 9", out, "spikes, its two groups, n's five datasets, quiet's index");
    }

    private static String py(Path p) {
        return "'" + p.toAbsolutePath().toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
