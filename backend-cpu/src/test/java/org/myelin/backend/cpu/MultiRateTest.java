package org.myelin.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.model.DiscreteLifModel;
import org.myelin.core.model.ResetMode;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.monitor.StateTrace;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

/**
 * Multi-rate populations ({@link DiscreteLifModel#every}): a population that updates every K-th step at its phase
 * holds still in between and keeps the input that arrives meanwhile. Every engine that runs such a network gives the
 * spikes and potentials of a direct transcription of that rule; the others refuse it. Weights and factors are exact
 * binary fractions, so float, fixed point and double agree exactly.
 */
class MultiRateTest {
    private static final int STEPS = 60;
    private static final int[] IN_NEURON = {0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0};
    private static final long[] IN_STEP = {0, 1, 2, 4, 5, 7, 9, 10, 13, 16, 17, 22, 30};
    private static final double W_IN = 0.75;
    private static final double W_IN_FAR = 0.625;
    private static final double W_AB = 0.875;

    /** in -> a (delay 1 from input 0, delay 2 from input 1), a -> b (delay 1); a every 3 at 1, b CuBa every 4 at 2. */
    private static Network network() {
        int[] neurons = IN_NEURON;
        return Network.builder().dtMs(1)
                .spikeTrain("in", 2, neurons, IN_STEP)
                .population("a", 1, new DiscreteLifModel(0.5, Double.NaN, 1.0, ResetMode.SUBTRACT).every(3, 1))
                .population("b", 1, new DiscreteLifModel(0.5, 0.5, 1.0, ResetMode.TO_VALUE).every(4, 2))
                .projection(Projection.between("in", "a").named("near").delaySteps(1)
                        .connect(Connectivity.explicit(new int[] {0}, new int[] {0}, new double[] {W_IN}, null)).build())
                .projection(Projection.between("in", "a").named("far").delaySteps(2)
                        .connect(Connectivity.explicit(new int[] {1}, new int[] {0}, new double[] {W_IN_FAR}, null))
                        .build())
                .projection(Projection.between("a", "b").named("ab").delaySteps(1)
                        .connect(Connectivity.explicit(new int[] {0}, new int[] {0}, new double[] {W_AB}, null)).build())
                .monitorSpikes("a").monitorSpikes("b")
                .monitorState("a.v", "a", "v", 1, new int[] {0}).monitorState("b.v", "b", "v", 1, new int[] {0})
                .build();
    }

    /** The rule written out: per step, arriving input waits; at an update, syn/v step and may fire. */
    private static final class Expected {
        final List<Long> aSpikes = new ArrayList<>();
        final List<Long> bSpikes = new ArrayList<>();
        final double[] aV = new double[STEPS];
        final double[] bV = new double[STEPS];

        Expected() {
            double[] arriveA = new double[STEPS + 4];
            double[] arriveB = new double[STEPS + 4];
            for (int k = 0; k < IN_STEP.length; k++) {
                int s = (int) IN_STEP[k];
                if (IN_NEURON[k] == 0) {
                    arriveA[s + 1] += W_IN;
                } else {
                    arriveA[s + 2] += W_IN_FAR;
                }
            }
            double waitA = 0;
            double va = 0;
            double waitB = 0;
            double synB = 0;
            double vb = 0;
            for (int n = 0; n < STEPS; n++) {
                waitA += arriveA[n];
                waitB += arriveB[n];
                if (n % 3 == 1) {
                    va = 0.5 * va + waitA;
                    waitA = 0;
                    if (va > 1.0) {
                        va -= 1.0;
                        aSpikes.add((long) n);
                        arriveB[n + 1] += W_AB;
                    }
                }
                if (n % 4 == 2) {
                    synB = 0.5 * synB + waitB;
                    waitB = 0;
                    vb = 0.5 * vb + synB;
                    if (vb > 1.0) {
                        vb = 0;
                        bSpikes.add((long) n);
                    }
                }
                aV[n] = va;
                bV[n] = vb;
            }
        }
    }

    private static long[] steps(SpikeRecord r) {
        long[] s = new long[r.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = r.step(i);
        }
        return s;
    }

    private static double[] trace(StateTrace t) {
        double[] v = new double[t.samples()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.value(i, 0);
        }
        return v;
    }

    @ParameterizedTest(name = "{0} {1} {2} thread(s), {3}")
    @CsvSource({"cpu, CLOCK, 1, FLOAT", "cpu, CLOCK, 2, FLOAT", "cpu, CLOCK, 1, FIXED_POINT", "cpu, AUTO, 1, FLOAT",
        "cpu, EVENT_GRID, 1, FLOAT",
        "reference, CLOCK, 1, FLOAT"})
    void populationsUpdateOnlyAtTheirPhaseAndKeepWaitingInput(String backend, EngineMode mode, int threads,
                                                              SimulationConfig.Accumulation acc) {
        Expected e = new Expected();
        assertTrue(e.aSpikes.size() >= 3 && e.bSpikes.size() >= 2, "the example must fire: " + e.aSpikes + " "
                + e.bSpikes);
        Recording rec = Recording.inMemory();
        SimulationConfig cfg = new SimulationConfig(threads).withMode(mode).withAccumulation(acc);
        try (CompiledNetwork c = Backends.find(backend).compile(network(), cfg)) {
            c.run(STEPS / 2, rec);
            c.run(STEPS - STEPS / 2, rec);
        }
        assertArrayEquals(e.aSpikes.stream().mapToLong(Long::longValue).toArray(), steps(rec.memory().spikes("a")));
        assertArrayEquals(e.bSpikes.stream().mapToLong(Long::longValue).toArray(), steps(rec.memory().spikes("b")));
        assertArrayEquals(e.aV, trace(rec.memory().state("a.v")), 0.0);
        assertArrayEquals(e.bV, trace(rec.memory().state("b.v")), 0.0);
    }

    @Test
    void badPhasesAreRefusedByName() {
        DiscreteLifModel m = new DiscreteLifModel(0.5, Double.NaN, 1.0, ResetMode.SUBTRACT).every(3, 3);
        MyelinException ex = assertThrows(MyelinException.class, () -> m.validate("population 'x'"));
        assertTrue(ex.getMessage().contains("population 'x'") && ex.getMessage().contains("updatePhase"),
                ex.getMessage());
        assertEquals(1, new DiscreteLifModel(0.5, Double.NaN, 1.0, ResetMode.SUBTRACT).updateEvery());
    }
}
