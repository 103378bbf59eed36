package org.myelin.nir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.model.ResetMode;
import org.myelin.core.monitor.Recording;

/**
 * The general importer on graphs written by the test (project-made fixtures, in the layouts of the published files):
 * a recurrent CuBa-LIF network as snnTorch writes it, flat and with the recurrent layer nested (with the published
 * files' naming slip), and a small convolutional network as Sinabs writes it; each against an independent step-by-step
 * computation of the discrete convention.
 */
class NirNetworkTest {
    static final double DT_S = 1e-4;

    static NirArray arr(double[] v, int... shape) {
        return new NirArray(shape, v, "float", null);
    }

    static NirArray full(double v, int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return arr(a, n);
    }

    static NirNode node(String name, String type, Object... fields) {
        Map<String, NirArray> f = new LinkedHashMap<>();
        for (int k = 0; k < fields.length; k += 2) {
            f.put((String) fields[k], (NirArray) fields[k + 1]);
        }
        f.put("type", NirArray.ofText(type));
        return new NirNode(name, type, f, null, Map.of());
    }

    static NirNode io(String name, String type, int n) {
        return node(name, type, "shape", new NirArray(new int[] {1}, new double[] {n}, "long", null));
    }

    static double[] random(Random r, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return v;
    }

    /** snnTorch's CubaLIF export for beta, alpha at dt = 1e-4 s. */
    static NirNode cuba(String name, int n, double beta, double alpha) {
        double tauMem = DT_S / (1 - beta);
        double tauSyn = DT_S / (1 - alpha);
        return node(name, "CubaLIF", "tau_mem", full(tauMem, n), "tau_syn", full(tauSyn, n), "r", full(tauMem / DT_S, n),
                "v_leak", full(0, n), "v_threshold", full(1, n), "w_in", full(tauSyn / DT_S, n));
    }

    static final int IN = 5;
    static final int HID = 8;
    static final int OUT = 3;

    record Weights(double[] w1, double[] b1, double[] wr, double[] w2) {
    }

    static Weights weights() {
        Random r = new Random(7);
        return new Weights(random(r, HID * IN, -0.4, 1.2), random(r, HID, -0.05, 0.1), random(r, HID * HID, -0.6, 0.3),
                random(r, OUT * HID, -0.5, 1.0));
    }

    /** Input -> fc1 (Affine) -> lif1 (CubaLIF, recurrent through w_rec) -> fc2 (Linear) -> lif2 (CubaLIF) -> Output. */
    static NirGraph recurrent(Weights w, boolean nested) {
        Map<String, NirNode> nodes = new LinkedHashMap<>();
        List<String[]> edges = new ArrayList<>();
        nodes.put("input", io("input", "Input", IN));
        nodes.put("fc1", node("fc1", "Affine", "weight", arr(w.w1(), HID, IN), "bias", arr(w.b1(), HID)));
        nodes.put("fc2", node("fc2", "Linear", "weight", arr(w.w2(), OUT, HID)));
        nodes.put("lif2", cuba("lif2", OUT, 0.8, 0.5));
        nodes.put("output", io("output", "Output", OUT));
        NirNode lin = node("w_rec", "Linear", "weight", arr(w.wr(), HID, HID));
        if (nested) {
            Map<String, NirNode> inner = new LinkedHashMap<>();
            inner.put("input", io("input", "Input", HID));
            inner.put("lif1", cuba("lif1", HID, 0.9, 0.6));
            inner.put("w_rec", lin);
            inner.put("output", io("output", "Output", HID));
            // the published files' slip: edges say 'lif', the node is 'lif1'
            List<String[]> ie = List.of(new String[] {"input", "lif"}, new String[] {"lif", "w_rec"},
                    new String[] {"w_rec", "lif"}, new String[] {"lif", "output"});
            nodes.put("lif1", new NirNode("lif1", "NIRGraph", Map.of(), new NirGraph(inner, ie), Map.of()));
            edges.add(new String[] {"fc1", "lif1"});
            edges.add(new String[] {"lif1", "fc2"});
        } else {
            nodes.put("lif1", cuba("lif1", HID, 0.9, 0.6));
            nodes.put("w_rec", lin);
            edges.add(new String[] {"fc1", "lif1"});
            edges.add(new String[] {"lif1", "w_rec"});
            edges.add(new String[] {"w_rec", "lif1"});
            edges.add(new String[] {"lif1", "fc2"});
        }
        edges.add(new String[] {"input", "fc1"});
        edges.add(new String[] {"fc2", "lif2"});
        edges.add(new String[] {"lif2", "output"});
        return new NirGraph(nodes, edges);
    }

    static double[][] spikes(int steps, int n, double p, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[steps][n];
        for (double[] row : x) {
            for (int k = 0; k < n; k++) {
                row[k] = r.nextDouble() < p ? 1 : 0;
            }
        }
        return x;
    }

    /**
     * The discrete convention step by step, with the core's timing (every synapse one step): core step n sees the
     * input of step n - 1 and the spikes of step n - 1. Returns spikes[layer][n][i].
     */
    static boolean[][][] reference(Weights w, double[][] x, int steps, boolean subtract) {
        double b1 = 0.9;
        double a1 = 0.6;
        double b2 = 0.8;
        double a2 = 0.5;
        double[] syn1 = new double[HID];
        double[] v1 = new double[HID];
        double[] syn2 = new double[OUT];
        double[] v2 = new double[OUT];
        boolean[][][] s = new boolean[2][steps][];
        boolean[] last1 = new boolean[HID];
        for (int n = 0; n < steps; n++) {
            boolean[] s1 = new boolean[HID];
            for (int i = 0; i < HID; i++) {
                double in = 0;
                if (n >= 1 && n - 1 < x.length) {
                    for (int k = 0; k < IN; k++) {
                        in += w.w1()[i * IN + k] * x[n - 1][k];
                    }
                    in += w.b1()[i];
                }
                for (int j = 0; j < HID; j++) {
                    in += last1[j] ? w.wr()[i * HID + j] : 0;
                }
                syn1[i] = a1 * syn1[i] + in;
                v1[i] = b1 * v1[i] + syn1[i];
                if (v1[i] > 1) {
                    s1[i] = true;
                    v1[i] = subtract ? v1[i] - 1 : 0;
                }
            }
            boolean[] s2 = new boolean[OUT];
            for (int i = 0; i < OUT; i++) {
                double in = 0;
                for (int j = 0; j < HID; j++) {
                    in += last1[j] ? w.w2()[i * HID + j] : 0;
                }
                syn2[i] = a2 * syn2[i] + in;
                v2[i] = b2 * v2[i] + syn2[i];
                if (v2[i] > 1) {
                    s2[i] = true;
                    v2[i] = subtract ? v2[i] - 1 : 0;
                }
            }
            s[0][n] = s1;
            s[1][n] = s2;
            last1 = s1;
        }
        return s;
    }

    static List<long[]> asList(boolean[][] s) {
        List<long[]> l = new ArrayList<>();
        for (int n = 0; n < s.length; n++) {
            for (int i = 0; i < s[n].length; i++) {
                if (s[n][i]) {
                    l.add(new long[] {n, i});
                }
            }
        }
        return l;
    }

    static void assertSame(List<long[]> expected, List<long[]> got, String what) {
        assertEquals(expected.size(), got.size(), what + ": spike count");
        for (int k = 0; k < expected.size(); k++) {
            assertEquals(expected.get(k)[0], got.get(k)[0], what + ": step of spike " + k);
            assertEquals(expected.get(k)[1], got.get(k)[1], what + ": neuron of spike " + k);
        }
    }

    private static NirNetwork.Imported run(NirGraph g, Path dir, ResetMode reset, double[][] x, int steps,
                                           Recording rec, String backend) {
        Path f = dir.resolve("g.nir");
        NirWriter.write(f, "0.2.0", g);
        NirNetwork.Imported imp = NirNetwork.build(NirReader.read(f),
                new NirNetwork.Options(0.1, NirNetwork.Convention.DISCRETE, reset), x);
        try (CompiledNetwork c = Backends.find(backend).compile(imp.network(), new SimulationConfig(1))) {
            c.run(steps, rec);
        }
        return imp;
    }

    @Test
    void aRecurrentCubaNetworkRunsAsTheDiscreteEquationsSayForBothResets(@TempDir Path dir) {
        Weights w = weights();
        double[][] x = spikes(200, IN, 0.3, 3);
        for (ResetMode reset : ResetMode.values()) {
            boolean[][][] ref = reference(w, x, 202, reset == ResetMode.SUBTRACT);
            for (String backend : new String[] {"reference", "cpu"}) {
                Recording rec = Recording.inMemory();
                NirNetwork.Imported imp = run(recurrent(w, false), dir, reset, x, 202, rec, backend);
                List<long[]> hid = imp.spikes(rec.memory(), "lif1");
                assertTrue(hid.size() > 100, "the hidden layer is active: " + hid.size());
                assertSame(asList(ref[0]), hid, reset + " " + backend + " lif1");
                assertSame(asList(ref[1]), imp.spikes(rec.memory(), "lif2"), reset + " " + backend + " lif2");
                assertEquals(List.of("lif2"), imp.outputs());
            }
        }
    }

    @Test
    void aNestedRecurrentLayerWithThePublishedNamingSlipImportsToTheSameNetwork(@TempDir Path dir) {
        Weights w = weights();
        double[][] x = spikes(150, IN, 0.3, 4);
        Recording flat = Recording.inMemory();
        NirNetwork.Imported a = run(recurrent(w, false), dir, ResetMode.TO_VALUE, x, 152, flat, "cpu");
        Recording nest = Recording.inMemory();
        NirNetwork.Imported b = run(recurrent(w, true), dir, ResetMode.TO_VALUE, x, 152, nest, "cpu");
        assertSame(a.spikes(flat.memory(), "lif1"), b.spikes(nest.memory(), "lif1.lif1"), "hidden");
        assertSame(a.spikes(flat.memory(), "lif2"), b.spikes(nest.memory(), "lif2"), "output");
        assertEquals(1, b.warnings().size(), b.warnings().toString());
        assertTrue(b.warnings().get(0).contains("'lif'") && b.warnings().get(0).contains("'lif1'"), b.warnings().get(0));
    }

    /** Input (1,6,6) -> Conv2d (2 out, 3x3, pad 1) -> IF -> SumPool2d 2 -> Flatten -> Affine (3 x 18) -> IF -> Output. */
    @Test
    void aConvolutionalNetworkMatchesDirectConvolutionAndPooling(@TempDir Path dir) {
        Random r = new Random(11);
        double[] k = random(r, 2 * 1 * 3 * 3, -0.3, 0.9);
        double[] cb = {0.02, -0.01};
        double[] fc = random(r, 3 * 18, -0.3, 0.8);
        Map<String, NirNode> nodes = new LinkedHashMap<>();
        nodes.put("input", node("input", "Input", "shape", new NirArray(new int[] {3}, new double[] {1, 6, 6}, "long",
                null)));
        nodes.put("conv", node("conv", "Conv2d", "weight", arr(k, 2, 1, 3, 3), "bias", arr(cb, 2),
                "stride", arr(new double[] {1, 1}, 2), "padding", arr(new double[] {1, 1}, 2),
                "dilation", arr(new double[] {1, 1}, 2), "groups", new NirArray(new int[0], new double[] {1}, "long", null),
                "input_shape", arr(new double[] {6, 6}, 2)));
        nodes.put("if1", node("if1", "IF", "r", arr(fill(72, 1), 2, 6, 6), "v_threshold", arr(fill(72, 1), 2, 6, 6)));
        nodes.put("pool", node("pool", "SumPool2d", "kernel_size", arr(new double[] {2, 2}, 2),
                "stride", arr(new double[] {2, 2}, 2), "padding", arr(new double[] {0, 0}, 2)));
        nodes.put("flat", node("flat", "Flatten", "start_dim", new NirArray(new int[0], new double[] {0}, "long", null),
                "end_dim", new NirArray(new int[0], new double[] {-1}, "long", null)));
        nodes.put("fc", node("fc", "Affine", "weight", arr(fc, 3, 18), "bias", arr(new double[3], 3)));
        nodes.put("if2", node("if2", "IF", "r", full(1, 3), "v_threshold", full(1, 3)));
        nodes.put("output", io("output", "Output", 3));
        List<String[]> edges = List.of(new String[] {"input", "conv"}, new String[] {"conv", "if1"},
                new String[] {"if1", "pool"}, new String[] {"pool", "flat"}, new String[] {"flat", "fc"},
                new String[] {"fc", "if2"}, new String[] {"if2", "output"});
        int steps = 60;
        double[][] x = spikes(steps, 36, 0.35, 5);
        Recording rec = Recording.inMemory();
        NirNetwork.Imported imp = run(new NirGraph(nodes, edges), dir, ResetMode.SUBTRACT, x, steps + 2, rec, "reference");
        // direct computation: Sinabs' IAF (v += input, subtract threshold) with the core's one-step hops
        double[] v1 = new double[72];
        double[] v2 = new double[3];
        boolean[] last1 = new boolean[72];
        List<long[]> e1 = new ArrayList<>();
        List<long[]> e2 = new ArrayList<>();
        for (int n = 0; n < steps + 2; n++) {
            boolean[] s1 = new boolean[72];
            for (int o = 0; o < 2; o++) {
                for (int y = 0; y < 6; y++) {
                    for (int xx = 0; xx < 6; xx++) {
                        double in = 0;
                        if (n >= 1 && n - 1 < steps) {
                            in = cb[o];
                            for (int a = 0; a < 3; a++) {
                                for (int b = 0; b < 3; b++) {
                                    int iy = y - 1 + a;
                                    int ix = xx - 1 + b;
                                    if (iy >= 0 && iy < 6 && ix >= 0 && ix < 6) {
                                        in += k[(o * 3 + a) * 3 + b] * x[n - 1][iy * 6 + ix];
                                    }
                                }
                            }
                        }
                        int i = (o * 6 + y) * 6 + xx;
                        v1[i] += in;
                        if (v1[i] > 1) {
                            s1[i] = true;
                            v1[i] -= 1;
                            e1.add(new long[] {n, i});
                        }
                    }
                }
            }
            for (int j = 0; j < 3; j++) {
                double in = 0;
                for (int f = 0; f < 18; f++) {
                    int o = f / 9;
                    int py = (f / 3) % 3;
                    int px = f % 3;
                    int cnt = 0;
                    for (int a = 0; a < 2; a++) {
                        for (int b = 0; b < 2; b++) {
                            cnt += last1[(o * 6 + 2 * py + a) * 6 + 2 * px + b] ? 1 : 0;
                        }
                    }
                    in += fc[j * 18 + f] * cnt;
                }
                v2[j] += in;
                if (v2[j] > 1) {
                    v2[j] -= 1;
                    e2.add(new long[] {n, j});
                }
            }
            last1 = s1;
        }
        assertTrue(e1.size() > 50 && e2.size() > 3, "active: " + e1.size() + ", " + e2.size());
        assertSame(e1, imp.spikes(rec.memory(), "if1"), "conv layer");
        assertSame(e2, imp.spikes(rec.memory(), "if2"), "dense layer");
    }

    static double[] fill(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void badGraphsAndInputsAreRefusedNamingWhatIsWrong(@TempDir Path dir) {
        Weights w = weights();
        NirGraph g = recurrent(w, false);
        Map<String, NirNode> nodes = new LinkedHashMap<>(g.nodes());
        nodes.put("input", io("input", "Input", IN + 1));
        MyelinException e = assertThrows(MyelinException.class, () -> run(new NirGraph(nodes, g.edges()), dir,
                ResetMode.TO_VALUE, spikes(10, IN + 1, 0.5, 1), 10, Recording.inMemory(), "cpu"));
        // the reader already refuses it, naming the edge, the nodes and the fields
        assertTrue(e.getMessage().contains("edge input -> fc1") && e.getMessage().contains("gives 6 values")
                && e.getMessage().contains("takes 5"), e.getMessage());
        e = assertThrows(MyelinException.class, () -> run(g, dir, ResetMode.TO_VALUE, new double[][] {{0, 0.5, 0, 0, 0}},
                1, Recording.inMemory(), "cpu"));
        assertTrue(e.getMessage().contains("must be spikes (0 or 1)"), e.getMessage());
        Map<String, NirNode> slow = new LinkedHashMap<>(g.nodes());
        slow.put("lif2", cuba("lif2", OUT, 0.8, 0.5));
        Path f = dir.resolve("g.nir");
        NirWriter.write(f, "0.2.0", new NirGraph(slow, g.edges()));
        e = assertThrows(MyelinException.class, () -> NirNetwork.build(NirReader.read(f),
                new NirNetwork.Options(1.0, NirNetwork.Convention.DISCRETE, null), spikes(5, IN, 0.5, 1)));
        assertTrue(e.getMessage().contains("NIR node 'lif") && e.getMessage().contains("shorter than the step"),
                e.getMessage());
    }

    @Test
    void theExactConventionMovesTheMembraneByTheChargeOfOneStepPulse(@TempDir Path dir) {
        double tau = 0.02;
        double r = 2;
        Map<String, NirNode> nodes = new LinkedHashMap<>();
        nodes.put("input", io("input", "Input", 1));
        nodes.put("w", node("w", "Linear", "weight", arr(new double[] {3}, 1, 1)));
        nodes.put("lif", node("lif", "LIF", "tau", full(tau, 1), "r", full(r, 1), "v_leak", full(0, 1),
                "v_threshold", full(10, 1)));
        nodes.put("output", io("output", "Output", 1));
        List<String[]> edges = List.of(new String[] {"input", "w"}, new String[] {"w", "lif"},
                new String[] {"lif", "output"});
        Path f = dir.resolve("lif.nir");
        NirWriter.write(f, "0.2.0", new NirGraph(nodes, edges));
        double[][] x = new double[40][1];
        x[0][0] = 1;
        NirNetwork.Imported imp = NirNetwork.build(NirReader.read(f),
                new NirNetwork.Options(0.1, NirNetwork.Convention.EXACT, null), x);
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("reference").compile(imp.network(), new SimulationConfig(1))) {
            c.run(40, rec);
        }
        double[] v = rec.memory().state("lif.v").series(0);
        double jump = r * 3 * 1e-4 / tau;
        double decay = Math.exp(-1e-4 / tau);
        assertEquals(0, v[0], 1e-12, "nothing before the spike arrives");
        for (int n = 2; n < 40; n++) {
            assertEquals(decay, v[n] / v[n - 1], 1e-9, "exact decay between steps " + (n - 1) + " and " + n);
        }
        // the jump arrives at the start of step 1 and decays over it (or within one decay factor of that)
        assertTrue(Math.abs(v[1] - jump * decay) < 1e-9 || Math.abs(v[1] - jump) < 1e-9, v[1] + " vs " + jump);
    }
}
