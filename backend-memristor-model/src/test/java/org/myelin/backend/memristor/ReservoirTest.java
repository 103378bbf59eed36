package org.myelin.backend.memristor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
}
