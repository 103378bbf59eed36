package org.myelin.core.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.myelin.core.monitor.SpikeRecord;

class ActivityTest {
    @Test
    void regularNeuronsHaveNoIsiVarianceAndTheirRate() {
        // 10 neurons, each spiking every 100 steps (10 Hz at dt 0.1 ms), phases spread: CV 0
        SpikeRecord r = new SpikeRecord();
        for (long s = 0; s < 20_000; s++) {
            for (int n = 0; n < 10; n++) {
                if ((s + 10 * n) % 100 == 0) {
                    r.add(s, n);
                }
            }
        }
        SpikeStatistics.Activity a = SpikeStatistics.activity(r, 10, 1000, 20_000, 0.1, 3);
        assertEquals(100.0, a.rateHz(), 1e-9);
        assertEquals(0.0, a.cvIsi(), 1e-12);
    }

    @Test
    void poissonNeuronsHaveCvAndSynchronyNearOneAndSynchronousOnesHaveMore() {
        SplittableRandom g = new SplittableRandom(4);
        SpikeRecord poisson = new SpikeRecord();
        SpikeRecord together = new SpikeRecord();
        int neurons = 200;
        double p = 5 * 0.1 / 1000; // 5 Hz per step of 0.1 ms
        for (long s = 0; s < 200_000; s++) {
            boolean pulse = g.nextDouble() < p;
            for (int n = 0; n < neurons; n++) {
                if (g.nextDouble() < p) {
                    poisson.add(s, n);
                }
                if (pulse && g.nextDouble() < 0.5) {
                    together.add(s, n);
                }
            }
        }
        SpikeStatistics.Activity a = SpikeStatistics.activity(poisson, neurons, 1000, 200_000, 0.1, 3);
        assertEquals(5.0, a.rateHz(), 0.2);
        assertEquals(1.0, a.cvIsi(), 0.05);
        assertEquals(1.0, a.synchrony(), 0.1);
        SpikeStatistics.Activity b = SpikeStatistics.activity(together, neurons, 1000, 200_000, 0.1, 3);
        assertTrue(b.synchrony() > 20, "neurons firing in common pulses: " + b.synchrony());
    }

    @Test
    void spikesBeforeTheWindowAreLeftOut() {
        SpikeRecord r = new SpikeRecord();
        r.add(10, 0);
        r.add(5000, 0);
        SpikeStatistics.Activity a = SpikeStatistics.activity(r, 1, 1000, 11_000, 0.1, 3);
        assertEquals(1.0, a.rateHz(), 1e-9, "one spike in one second");
        assertTrue(Double.isNaN(a.cvIsi()));
    }
}
