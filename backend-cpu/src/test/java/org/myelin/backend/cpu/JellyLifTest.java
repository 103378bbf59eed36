package org.myelin.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.model.DiscreteLifModel;
import org.myelin.core.model.ResetMode;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.StateTrace;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;
import org.myelin.core.random.CounterRandom;

/**
 * SpikingJelly's LIF forms ({@link DiscreteLifModel#decayInput}, {@link DiscreteLifModel#leakThenInput}): the clock
 * engine computes H = V + (X - V) / tau and V - V / tau + X in SpikingJelly's float order, so its potentials equal a
 * float transcription bit for bit in every step (the linear form with the same factors rounds differently); the event
 * grid, the reference engine and fixed-point accumulation give the same spikes (OpenCL, which has the linear step
 * only, refuses the forms by name).
 */
class JellyLifTest {
    private static final int STEPS = 300;
    private static final int INPUTS = 12;

    private static float weight(int i) {
        return (float) (0.15 + 0.3 * CounterRandom.uniform(4, 1, i, 0));
    }

    private static boolean fires(int i, int t) {
        return CounterRandom.uniform(4, 2, (long) t * INPUTS + i, 0) < 0.25;
    }

    private static Network network(boolean decayInput, boolean soft) {
        int count = 0;
        for (int t = 0; t < STEPS; t++) {
            for (int i = 0; i < INPUTS; i++) {
                count += fires(i, t) ? 1 : 0;
            }
        }
        int[] neurons = new int[count];
        long[] steps = new long[count];
        int k = 0;
        for (int t = 0; t < STEPS; t++) {
            for (int i = 0; i < INPUTS; i++) {
                if (fires(i, t)) {
                    neurons[k] = i;
                    steps[k++] = t;
                }
            }
        }
        int[] pre = new int[INPUTS];
        int[] post = new int[INPUTS];
        double[] w = new double[INPUTS];
        for (int i = 0; i < INPUTS; i++) {
            pre[i] = i;
            w[i] = weight(i);
        }
        ResetMode mode = soft ? ResetMode.SUBTRACT : ResetMode.TO_VALUE;
        DiscreteLifModel m = decayInput ? DiscreteLifModel.decayInput(2.5f, 1.0, mode)
                : DiscreteLifModel.leakThenInput(1f / (1f - 0.875f), 1.0, mode);
        return Network.builder().dtMs(1).spikeTrain("in", INPUTS, neurons, steps)
                .population("lif", 1, m)
                .projection(Projection.between("in", "lif").delaySteps(1)
                        .connect(Connectivity.explicit(pre, post, w, null)))
                .monitorSpikes("lif").monitorState("lif.v", "lif", "v", 1, new int[] {0})
                .build();
    }

    /** The step written in float as SpikingJelly's forward writes it; the input of step t + 1 summed in source order. */
    private static float[] transcription(boolean decayInput, boolean soft, long[] spikesOut) {
        float inv = 1f / (decayInput ? 2.5f : 1f / (1f - 0.875f));
        float[] trace = new float[STEPS];
        float v = 0f;
        int c = 0;
        for (int n = 0; n < STEPS; n++) {
            float in = 0f;
            for (int i = 0; n > 0 && i < INPUTS; i++) {
                if (fires(i, n - 1)) {
                    in += weight(i);
                }
            }
            float h = decayInput ? v + (in - v) * inv : v - v * inv + in;
            if (h > 1f) {
                spikesOut[c++] = n;
                h = soft ? h - 1f : 0f;
            }
            v = h;
            trace[n] = v;
        }
        spikesOut[STEPS] = c;
        return trace;
    }

    private static double[] run(Network net, EngineMode mode, String backend, long[] steps) {
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find(backend).compile(net, new SimulationConfig(1).withMode(mode))) {
            c.run(STEPS, rec);
        }
        long[] s = rec.memory().spikes("lif").steps();
        System.arraycopy(s, 0, steps, 0, s.length);
        steps[STEPS] = s.length;
        StateTrace t = rec.memory().state("lif.v");
        double[] v = new double[t.samples()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.value(i, 0);
        }
        return v;
    }

    @ParameterizedTest(name = "decay input {0}, soft reset {1}")
    @CsvSource({"true, false", "true, true", "false, true", "false, false"})
    void theClockEngineTakesSpikingJellysStepBitForBit(boolean decayInput, boolean soft) {
        long[] want = new long[STEPS + 1];
        float[] expected = transcription(decayInput, soft, want);
        assertTrue(want[STEPS] > 10, "the neuron must fire: " + want[STEPS]);
        long[] got = new long[STEPS + 1];
        double[] v = run(network(decayInput, soft), EngineMode.CLOCK, "cpu", got);
        double[] e = new double[STEPS];
        for (int n = 0; n < STEPS; n++) {
            e[n] = expected[n];
        }
        assertArrayEquals(e, v, 0.0, "potentials");
        assertArrayEquals(want, got, "spikes");
        for (String other : new String[] {"EVENT_GRID", "reference"}) {
            long[] s = new long[STEPS + 1];
            run(network(decayInput, soft), other.equals("reference") ? EngineMode.CLOCK : EngineMode.EVENT_GRID,
                    other.equals("reference") ? "reference" : "cpu", s);
            assertEquals(want[STEPS], s[STEPS], other + ": spike count");
            assertArrayEquals(want, s, other + ": spikes");
        }
    }

    /** Fixed-point accumulation takes the same float order on its fixed-point sums: the same spikes here. */
    @ParameterizedTest(name = "decay input {0}, soft reset {1}")
    @CsvSource({"true, false", "false, true"})
    void fixedPointTakesTheFormToo(boolean decayInput, boolean soft) {
        long[] want = new long[STEPS + 1];
        transcription(decayInput, soft, want);
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(network(decayInput, soft), new SimulationConfig(2)
                .withAccumulation(SimulationConfig.Accumulation.FIXED_POINT))) {
            c.run(STEPS, rec);
        }
        long[] s = rec.memory().spikes("lif").steps();
        assertEquals(want[STEPS], s.length, "spike count");
        assertArrayEquals(java.util.Arrays.copyOf(want, (int) want[STEPS]), s, "spikes");
    }
}
