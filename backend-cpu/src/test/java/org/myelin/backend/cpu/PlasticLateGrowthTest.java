package org.myelin.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.monitor.Recording;
import org.myelin.core.network.Network;
import org.myelin.core.plasticity.PairStdp;
import org.myelin.core.plasticity.PlasticityRule;
import org.myelin.core.plasticity.TripletStdp;

/**
 * Potentiation is applied late ({@link PlasticSynapses}): reading the weights applies what is pending, and must
 * change nothing that follows. Runs that read the weights (and take a checkpoint) every few steps end with the same
 * weights and spikes, bit for bit, as a run that reads them once at the end; the targets spike often enough to fill
 * their pending lists, so the column walk of a full list runs too.
 */
class PlasticLateGrowthTest {
    private static final long STEPS = 40_000;

    private static final PairStdp PAIR = new PairStdp(20, 20, 0.05, 0.055, 0.0, 4.0,
            PairStdp.WeightDependence.ADDITIVE, PlasticityRule.Pairing.ALL_TO_ALL);
    private static final TripletStdp TRIPLET = new TripletStdp(16.8, 101, 33.7, 125, 0.02, 0.03, 0.03, 0.002, 0.0,
            20.0, PlasticityRule.Pairing.ALL_TO_ALL);

    private record Result(double[] in, double[] ab, int[] spikesA, int[] spikesB, long[] stepsA) {
    }

    /** Runs in chunks of {@code every} steps, reading both plastic projections' weights after each when asked. */
    private static Result run(Network net, int threads, long every, boolean read) {
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(net, new SimulationConfig(threads))) {
            for (long done = 0; done < STEPS; done += every) {
                c.run(Math.min(every, STEPS - done), rec);
                if (read) {
                    c.weights("in->a");
                    c.snapshot();
                }
            }
            return new Result(c.weights("in->a").weightMv(), c.weights("a->b").weightMv(),
                    rec.memory().spikes("a").neurons(), rec.memory().spikes("b").neurons(),
                    rec.memory().spikes("a").steps());
        }
    }

    @Test
    void readingTheWeightsChangesNothingLater() {
        for (Network net : new Network[] {PlasticityTest.network(PAIR, TRIPLET),
                PlasticityTest.network(PAIR.with(PlasticityRule.Pairing.NEAREST), TRIPLET.with(
                        PlasticityRule.Pairing.NEAREST))}) {
            Result once = run(net, 1, STEPS, false);
            int most = 0;
            for (int j : once.spikesA()) {
                int n = 0;
                for (int k : once.spikesA()) {
                    n += k == j ? 1 : 0;
                }
                most = Math.max(most, n);
            }
            assertTrue(most > 15, "a target fills its pending list: at most " + most + " spikes");
            for (int threads : new int[] {1, 2}) {
                for (long every : new long[] {7, 37, 1000}) {
                    Result often = run(net, threads, every, true);
                    String what = threads + " threads, read every " + every + " steps: ";
                    assertArrayEquals(once.in(), often.in(), what + "in->a");
                    assertArrayEquals(once.ab(), often.ab(), what + "a->b");
                    assertArrayEquals(once.spikesA(), often.spikesA(), what + "spikes of a");
                    assertArrayEquals(once.spikesB(), often.spikesB(), what + "spikes of b");
                    assertArrayEquals(once.stepsA(), often.stepsA(), what + "spike steps of a");
                }
            }
            assertEquals(once.in().length, 40 * 7);
        }
    }
}
