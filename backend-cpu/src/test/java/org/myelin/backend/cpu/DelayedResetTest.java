package org.myelin.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.model.DiscreteLifModel;
import org.myelin.core.model.ResetMode;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.monitor.StateTrace;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

/**
 * The delayed reset ({@link DiscreteLifModel#withDelayedReset}, snnTorch's reset_delay): a spike leaves v as it is and
 * the threshold comes off at the neuron's next update, after it integrates. Every engine that runs it gives the spikes
 * and potentials of the rule written out (potentials within float rounding), through a checkpoint taken right after
 * a spike, also in a multi-rate population and in fixed point (OpenCL's arithmetic; backend-opencl compares the two).
 */
class DelayedResetTest {
    private static final int STEPS = 40;
    private static final long[] IN_STEP = {0, 1, 2, 3, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 17, 20, 21, 22, 30};

    private static Network network(int every) {
        int[] neurons = new int[IN_STEP.length];
        return Network.builder().dtMs(1)
                .spikeTrain("in", 1, neurons, IN_STEP)
                .population("a", 1, new DiscreteLifModel(0.5, Double.NaN, 1.0, ResetMode.SUBTRACT)
                        .every(every, 0).withDelayedReset())
                .population("b", 1, new DiscreteLifModel(0.75, 0.5, 0.5, ResetMode.SUBTRACT).withDelayedReset())
                .projection(Projection.between("in", "a").delaySteps(1)
                        .connect(Connectivity.explicit(new int[] {0}, new int[] {0}, new double[] {0.625}, null)))
                .projection(Projection.between("a", "b").delaySteps(1)
                        .connect(Connectivity.explicit(new int[] {0}, new int[] {0}, new double[] {0.375}, null)))
                .monitorSpikes("a").monitorSpikes("b")
                .monitorState("a.v", "a", "v", 1, new int[] {0}).monitorState("b.v", "b", "v", 1, new int[] {0})
                .build();
    }

    /** The rule written out in double. */
    private static final class Expected {
        final List<Long> a = new ArrayList<>();
        final List<Long> b = new ArrayList<>();
        final double[] av = new double[STEPS];
        final double[] bv = new double[STEPS];

        Expected(int every) {
            double[] arriveA = new double[STEPS + 2];
            double[] arriveB = new double[STEPS + 2];
            for (long s : IN_STEP) {
                arriveA[(int) s + 1] += 0.625;
            }
            double va = 0;
            double waitA = 0;
            boolean pendA = false;
            double vb = 0;
            double synB = 0;
            boolean pendB = false;
            for (int n = 0; n < STEPS; n++) {
                waitA += arriveA[n];
                if (n % every == 0) {
                    va = 0.5 * va + waitA;
                    waitA = 0;
                    if (pendA) {
                        va -= 1.0;
                        pendA = false;
                    }
                    if (va > 1.0) {
                        pendA = true;
                        a.add((long) n);
                        arriveB[n + 1] += 0.375;
                    }
                }
                synB = 0.5 * synB + arriveB[n];
                vb = 0.75 * vb + synB;
                if (pendB) {
                    vb -= 0.5;
                    pendB = false;
                }
                if (vb > 0.5) {
                    pendB = true;
                    b.add((long) n);
                }
                av[n] = va;
                bv[n] = vb;
            }
        }
    }

    private static long[] steps(SpikeRecord r) {
        return r.steps();
    }

    private static double[] trace(StateTrace t) {
        double[] v = new double[t.samples()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.value(i, 0);
        }
        return v;
    }

    @ParameterizedTest(name = "{0} {1} {2} thread(s), every {3}, {4}")
    @CsvSource({"cpu, CLOCK, 1, 1, FLOAT", "cpu, CLOCK, 2, 1, FLOAT", "cpu, EVENT_GRID, 1, 1, FLOAT",
        "cpu, AUTO, 1, 1, FLOAT", "reference, CLOCK, 1, 1, FLOAT", "cpu, CLOCK, 1, 2, FLOAT",
        "cpu, EVENT_GRID, 1, 2, FLOAT", "reference, CLOCK, 1, 2, FLOAT", "cpu, CLOCK, 1, 1, FIXED_POINT",
        "cpu, CLOCK, 2, 2, FIXED_POINT"})
    void theResetComesOffAtTheNextUpdateAfterIntegrating(String backend, EngineMode mode, int threads, int every,
                                                         SimulationConfig.Accumulation acc) {
        Expected e = new Expected(every);
        assertTrue(e.a.size() >= 3 && e.b.size() >= 2, "the example must fire: " + e.a + " " + e.b);
        SimulationConfig cfg = new SimulationConfig(threads).withMode(mode).withAccumulation(acc);
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find(backend).compile(network(every), cfg)) {
            long first = e.a.get(0) + 1;
            c.run(first, rec);
            if (!backend.equals("reference")) {
                // right after a spike, with the reset still to come: a checkpoint must carry it
                Checkpoint k = c.snapshot();
                try (CompiledNetwork d = Backends.find(backend).compile(network(every), cfg)) {
                    d.restore(k);
                    d.run(STEPS - first, rec);
                }
            } else {
                c.run(STEPS - first, rec);
            }
        }
        assertArrayEquals(e.a.stream().mapToLong(Long::longValue).toArray(), steps(rec.memory().spikes("a")));
        assertArrayEquals(e.b.stream().mapToLong(Long::longValue).toArray(), steps(rec.memory().spikes("b")));
        // the potentials within float rounding (the double transcription keeps more bits after many steps)
        assertArrayEquals(e.av, trace(rec.memory().state("a.v")), 1e-6);
        assertArrayEquals(e.bv, trace(rec.memory().state("b.v")), 1e-6);
    }

    @Test
    void aDelayedResetToZeroIsRefusedByName() {
        MyelinException bad = assertThrows(MyelinException.class, () -> new DiscreteLifModel(0.5, Double.NaN, 1.0,
                ResetMode.TO_VALUE).withDelayedReset().validate("population 'x'"));
        assertTrue(bad.getMessage().contains("SUBTRACT"), bad.getMessage());
    }
}
