package org.myelin.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.SynapseExpansion;
import org.myelin.core.model.DiscreteLifModel;
import org.myelin.core.model.ResetMode;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;
import org.myelin.core.random.CounterRandom;

/** Convolutions with a shared kernel: the synapses the geometry defines, and the same spikes kept compact or expanded. */
class ConvolutionProjectionTest {
    private static final int CIN = 4;
    private static final int H = 7;
    private static final int W = 6;
    private static final int COUT = 6;
    private static final int K = 3;
    private static final int STRIDE = 2;
    private static final int PAD = 1;
    private static final int GROUPS = 2;

    private static Connectivity.Convolution conv() {
        double[] kernel = new double[COUT * (CIN / GROUPS) * K * K];
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] = 1.2 * (CounterRandom.uniform(5, 1, i, 0) - 0.3);
        }
        return (Connectivity.Convolution) Connectivity.convolution(CIN, H, W, COUT, K, STRIDE, PAD, GROUPS, kernel);
    }

    /** The synapses by the definition: every output, kernel position and input channel of its group. */
    private static List<String> byDefinition(Connectivity.Convolution c) {
        List<String> out = new ArrayList<>();
        int ho = c.outHeight();
        int wo = c.outWidth();
        for (int o = 0; o < COUT; o++) {
            int g = o / (COUT / GROUPS);
            for (int oy = 0; oy < ho; oy++) {
                for (int ox = 0; ox < wo; ox++) {
                    for (int ci = 0; ci < CIN / GROUPS; ci++) {
                        for (int ky = 0; ky < K; ky++) {
                            for (int kx = 0; kx < K; kx++) {
                                int y = oy * STRIDE - PAD + ky;
                                int x = ox * STRIDE - PAD + kx;
                                if (y < 0 || y >= H || x < 0 || x >= W) {
                                    continue;
                                }
                                int c0 = g * (CIN / GROUPS) + ci;
                                out.add(((c0 * H + y) * W + x) + "->" + ((o * ho + oy) * wo + ox) + ":"
                                        + c.kernelMv()[((o * (CIN / GROUPS) + ci) * K + ky) * K + kx]);
                            }
                        }
                    }
                }
            }
        }
        java.util.Collections.sort(out);
        return out;
    }

    @Test
    void theRuleMakesTheSynapsesOfItsDefinitionWithTargetsAscendingPerSource() {
        Connectivity.Convolution c = conv();
        Network net = network(c, 1);
        Projection p = net.projections().get(0);
        List<String> expanded = new ArrayList<>();
        int[] last = {-1, -1};
        SynapseExpansion.expand(net, p, true, (a, b, w, d) -> {
            assertTrue(a > last[0] || b > last[1], "targets ascend within a row");
            last[0] = a;
            last[1] = b;
            expanded.add(a + "->" + b + ":" + w);
        });
        java.util.Collections.sort(expanded);
        assertEquals(byDefinition(c), expanded);
        assertEquals(COUT * c.outHeight() * c.outWidth(), c.targetSize());
    }

    private static Network network(Connectivity rule, int delay) {
        return Network.builder().dtMs(1.0).seed(3)
                .poisson("in", CIN * H * W, 150.0)
                .population("out", COUT * 4 * 3, new DiscreteLifModel(0.8, Double.NaN, 1.0, ResetMode.SUBTRACT))
                .projection(Projection.between("in", "out").connect(rule).delaySteps(delay))
                .projection(Projection.between("out", "out").named("recurrent")
                        .connect(Connectivity.fixedProbability(0.2)).weightMv(-0.3).delaySteps(2))
                .monitorSpikes("out")
                .build();
    }

    /** The same synapses as an explicit list. */
    private static Connectivity explicit(Connectivity.Convolution c) {
        Network net = network(c, 1);
        List<int[]> pairs = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        SynapseExpansion.expand(net, net.projections().get(0), true, (a, b, w, d) -> {
            pairs.add(new int[] {a, b});
            weights.add(w);
        });
        return Connectivity.explicit(pairs.stream().mapToInt(x -> x[0]).toArray(),
                pairs.stream().mapToInt(x -> x[1]).toArray(), weights.stream().mapToDouble(Double::doubleValue).toArray(),
                null);
    }

    private static SpikeRecord run(Network net, String backend, SimulationConfig cfg) {
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find(backend).compile(net, cfg)) {
            c.run(300, rec);
        }
        return rec.memory().spikes("out");
    }

    @ParameterizedTest(name = "{0} {1}, {2} thread(s), {3}, delay {4}")
    @CsvSource({"cpu, CLOCK, 1, FLOAT, 1", "cpu, CLOCK, 2, FLOAT, 1", "cpu, CLOCK, 2, FLOAT, 3",
        "cpu, CLOCK, 1, FIXED_POINT, 1", "cpu, CLOCK, 2, FIXED_POINT, 3", "cpu, EVENT_GRID, 1, FLOAT, 1",
        "cpu, AUTO, 2, FLOAT, 3"})
    void keptAsItsKernelItGivesTheSpikesOfItsSynapseList(String backend, EngineMode mode, int threads,
                                                         SimulationConfig.Accumulation acc, int delay) {
        Connectivity.Convolution c = conv();
        SimulationConfig cfg = new SimulationConfig(threads).withMode(mode).withAccumulation(acc);
        SpikeRecord compact = run(network(c, delay), backend, cfg);
        SpikeRecord listed = run(network(explicit(c), delay), backend, cfg);
        assertTrue(listed.size() > 100, "the example must fire, had " + listed.size());
        assertArrayEquals(listed.steps(), compact.steps());
        assertArrayEquals(listed.neurons(), compact.neurons());
    }

    @Test
    void theCpuEngineKeepsTheKernelNotTheSynapses() {
        Connectivity.Convolution c = conv();
        Network net = network(c, 1);
        ProjectionSynapses kept = new ProjectionSynapses(net, net.projections().get(0), new int[] {0, 72}, false, true);
        ProjectionSynapses listed = new ProjectionSynapses(net, net.projections().get(0), new int[] {0, 72}, false);
        assertEquals(SynapseExpansion.count(net, net.projections().get(0)), kept.synapseCount());
        assertEquals(listed.synapseCount(), kept.synapseCount());
        assertEquals(4L * c.kernelMv().length, kept.bytes());
        assertTrue(listed.bytes() > 4 * kept.bytes(), listed.bytes() + " vs " + kept.bytes());
    }

    @Test
    void aKernelThatDoesNotFitIsRefusedByName() {
        MyelinException size = assertThrows(MyelinException.class, () -> network(
                Connectivity.convolution(CIN, H, W, COUT, K, STRIDE, PAD, GROUPS, new double[5]), 1));
        assertTrue(size.getMessage().contains("kernel must have 108 weights"), size.getMessage());
        MyelinException target = assertThrows(MyelinException.class, () -> network(
                Connectivity.convolution(CIN, H, W, COUT, K, 1, PAD, GROUPS, new double[108]), 1));
        assertTrue(target.getMessage().contains("the target has 72"), target.getMessage());
        MyelinException groups = assertThrows(MyelinException.class, () -> network(
                Connectivity.convolution(CIN, H, W, COUT, K, STRIDE, PAD, 3, new double[72]), 1));
        assertTrue(groups.getMessage().contains("divisible by groups"), groups.getMessage());
    }
}
