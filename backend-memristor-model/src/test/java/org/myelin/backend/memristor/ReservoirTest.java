package org.myelin.backend.memristor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myelin.backend.memristor.lsm.Reservoir;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.random.CounterRandom;

/** The liquid runs the same on cpu and on the ideal crossbar, and device noise changes its spikes. */
class ReservoirTest {
    static boolean[][] frames(long seed) {
        boolean[][] f = new boolean[50][64];
        for (int t = 0; t < 50; t++) {
            for (int i = 0; i < 64; i++) {
                f[t][i] = CounterRandom.uniform(seed, 1, i, t) < 0.1;
            }
        }
        return f;
    }

    @Test
    void theIdealCrossbarGivesTheCpuSpikesAndPcmNoiseDoesNot() {
        Reservoir r = new Reservoir(64, 60, 0.9, 5.0, 2.0, 1.0, 3);
        boolean[][] f = frames(4);
        int[] cpu = r.counts(Backends.find("cpu"), new SimulationConfig(1), f);
        int total = 0;
        for (int c : cpu) {
            total += c;
        }
        assertTrue(total > 50, "the liquid spikes: " + total);
        assertArrayEquals(cpu, r.counts(Backends.find("memristor"), new SimulationConfig(1), f), "ideal devices");
        int[] pcm = r.counts(Backends.find("memristor"), new SimulationConfig(1, SimulationConfig.Accumulation.DEFAULT,
                "pcm-like", org.myelin.core.backend.EngineMode.CLOCK), f);
        assertTrue(!java.util.Arrays.equals(cpu, pcm), "programming noise changes the liquid");
    }

    @Test
    void switchingWeightsHaveTheReservoirsSpreadAndTheDevicesShape() {
        Reservoir r = new Reservoir(256, 200, 0.9, 5.0, 3.0, 1.0, 3).withSwitching(Reservoir.defaultSwitching());
        org.myelin.core.network.Network net = r.network(new boolean[][] {new boolean[256]});
        double[] sum = new double[2];
        double[] sq = new double[2];
        int[] n = new int[2];
        int[] nearZero = new int[1];
        for (int p = 0; p < 2; p++) {
            int q = p;
            org.myelin.core.connect.SynapseExpansion.expand(net, net.projections().get(p), true, (a, b, w, d) -> {
                sum[q] += w;
                sq[q] += w * w;
                n[q]++;
                if (q == 0 && Math.abs(w) < 1.0) {
                    nearZero[0]++;
                }
            });
        }
        double[] sigma = {3.0, 1.0};
        for (int p = 0; p < 2; p++) {
            double mean = sum[p] / n[p];
            double sd = Math.sqrt(sq[p] / n[p] - mean * mean);
            assertEquals(0, mean, 4 * sigma[p] / Math.sqrt(n[p]) * 1.5, "mean of projection " + p);
            assertEquals(sigma[p], sd, 0.02 * sigma[p], "spread of projection " + p);
        }
        // half the pairs have both devices or neither switched: near 0 (|w| < sigma / 3); Gaussian weights: 26 %
        double zeroShare = (double) nearZero[0] / n[0];
        assertTrue(zeroShare > 0.4 && zeroShare < 0.55, "pairs near zero: " + zeroShare);
    }
}
