package org.myelin.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.DiscreteLifModel;
import org.myelin.core.model.Receptor;
import org.myelin.core.model.ResetMode;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.monitor.StateTrace;
import org.myelin.core.network.CurrentInput;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

/**
 * The event-grid engine on multi-rate networks, as L2MU builds them (a chain of discrete-time populations that each
 * update every K steps, one step apart, with recurrent and per-synapse delays, excitatory and inhibitory input and a
 * stepped current): spikes and sampled potentials equal the clock engine's bit for bit, over many seeds, through a
 * checkpoint, and in the automatic mode.
 */
class MultiRateEventGridTest {
    private static final int STEPS = 400;

    private static Network network(long seed) {
        return Network.builder().dtMs(1).seed(seed)
                .poisson("in", 40, 120)
                .population("enc", 30, new DiscreteLifModel(0.75, Double.NaN, 1.0, ResetMode.SUBTRACT).every(3, 0))
                .population("mem", 25, new DiscreteLifModel(0.875, 0.5, 1.0, ResetMode.TO_VALUE).every(3, 1))
                .population("out", 10, new DiscreteLifModel(0.9, 0.8, 0.8, ResetMode.SUBTRACT).every(3, 2))
                .population("fast", 20, new DiscreteLifModel(0.8, 0.6, 1.0, ResetMode.SUBTRACT))
                .projection(Projection.between("in", "enc").connect(Connectivity.fixedProbability(0.3))
                        .weightMv(Distribution.normal(0.25, 0.2)).delaySteps(1))
                .projection(Projection.between("enc", "mem").connect(Connectivity.fixedProbability(0.4))
                        .weightMv(Distribution.normal(0.3, 0.3)).delaySteps(1))
                .projection(Projection.between("mem", "mem").named("rec").connect(Connectivity.fixedProbability(0.3))
                        .weightMv(Distribution.normal(0.05, 0.3)).delaySteps(3))
                .projection(Projection.between("mem", "out").connect(Connectivity.fixedProbability(0.5))
                        .weightMv(Distribution.normal(0.2, 0.25)).delaySteps(Distribution.uniformInt(1, 4)))
                .projection(Projection.between("out", "mem").named("inh").receptor(Receptor.INHIBITORY)
                        .connect(Connectivity.fixedProbability(0.3)).weightMv(Distribution.uniform(0.05, 0.3))
                        .delaySteps(2))
                .projection(Projection.between("in", "fast").connect(Connectivity.fixedProbability(0.2))
                        .weightMv(Distribution.normal(0.3, 0.2)).delaySteps(1))
                .projection(Projection.between("fast", "out").connect(Connectivity.fixedProbability(0.3))
                        .weightMv(Distribution.normal(0.1, 0.2)).delaySteps(1))
                .current(CurrentInput.stepped("drive", "mem", new long[] {0, 97, 251}, new double[] {0.05, 0.2, -0.05}))
                .monitorSpikes("enc").monitorSpikes("mem").monitorSpikes("out").monitorSpikes("fast")
                .monitorState("mem.v", "mem", "v", 1, new int[] {0, 3, 7, 11, 24})
                .monitorState("out.v", "out", "v", 1, new int[] {0, 5, 9})
                .build();
    }

    private record Run(long[][] steps, int[][] neurons, double[][] traces) {
    }

    private static Run run(long seed, EngineMode mode, boolean checkpointHalfway) {
        Recording rec = Recording.inMemory();
        SimulationConfig cfg = new SimulationConfig(1).withMode(mode);
        Network net = network(seed);
        try (CompiledNetwork c = Backends.find("cpu").compile(net, cfg)) {
            c.run(STEPS / 2, rec);
            if (checkpointHalfway) {
                Checkpoint k = c.snapshot();
                try (CompiledNetwork d = Backends.find("cpu").compile(network(seed), cfg)) {
                    d.restore(k);
                    d.run(STEPS - STEPS / 2, rec);
                }
            } else {
                c.run(STEPS - STEPS / 2, rec);
            }
        }
        String[] pops = {"enc", "mem", "out", "fast"};
        long[][] steps = new long[pops.length][];
        int[][] neurons = new int[pops.length][];
        for (int p = 0; p < pops.length; p++) {
            SpikeRecord r = rec.memory().spikes(pops[p]);
            steps[p] = r.steps();
            neurons[p] = new int[r.size()];
            for (int i = 0; i < r.size(); i++) {
                neurons[p][i] = r.neuron(i);
            }
        }
        String[] monitors = {"mem.v", "out.v"};
        int[] widths = {5, 3};
        double[][] traces = new double[monitors.length][];
        for (int m = 0; m < monitors.length; m++) {
            StateTrace t = rec.memory().state(monitors[m]);
            int w = widths[m];
            traces[m] = new double[t.samples() * w];
            for (int s = 0; s < t.samples(); s++) {
                for (int j = 0; j < w; j++) {
                    traces[m][s * w + j] = t.value(s, j);
                }
            }
        }
        return new Run(steps, neurons, traces);
    }

    private static void assertSame(Run expected, Run actual, String what) {
        for (int p = 0; p < expected.steps.length; p++) {
            assertArrayEquals(expected.steps[p], actual.steps[p], what + ": spike steps of population " + p);
            assertArrayEquals(expected.neurons[p], actual.neurons[p], what + ": spiking neurons of population " + p);
        }
        for (int m = 0; m < expected.traces.length; m++) {
            assertArrayEquals(expected.traces[m], actual.traces[m], 0.0, what + ": trace " + m);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void theEventGridGivesTheClocksSpikesAndPotentialsBitForBit(long seed) {
        Run clock = run(seed, EngineMode.CLOCK, false);
        int spikes = 0;
        for (long[] s : clock.steps) {
            spikes += s.length;
        }
        assertTrue(clock.steps[0].length > 20 && clock.steps[1].length > 20 && clock.steps[2].length > 5,
                "every multi-rate population must fire: " + spikes);
        for (long s : clock.steps[1]) {
            assertEquals(1, s % 3, "mem fires only at its phase");
        }
        assertSame(clock, run(seed, EngineMode.EVENT_GRID, false), "event grid, seed " + seed);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"EVENT_GRID", "AUTO"})
    void throughACheckpointAndInTheAutomaticMode(EngineMode mode) {
        Run clock = run(5, EngineMode.CLOCK, false);
        assertSame(clock, run(5, mode, true), mode + " through a checkpoint");
        assertSame(clock, run(5, mode, false), mode.toString());
    }
}
