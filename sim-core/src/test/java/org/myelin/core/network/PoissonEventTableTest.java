package org.myelin.core.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.myelin.core.random.CounterRandom;

/** The precomputed table gives the same event count as the per-draw sum, for every draw. */
class PoissonEventTableTest {
    @Test
    void tableAndSumAgreeOnEveryDraw() {
        double[] lambdas = {1e-6, 0.01, 0.3, 1.0, 1.28, 2.5, 7.0, 40.0};
        for (double lambda : lambdas) {
            double[] cdf = PoissonSource.eventTable(lambda);
            assertEquals(PoissonSource.maxEvents(lambda) + 1, cdf.length);
            for (int i = 0; i < 200_000; i++) {
                double u = CounterRandom.uniform(7, 3, i, 11);
                assertEquals(PoissonSource.events(u, lambda), PoissonSource.events(u, cdf), "lambda " + lambda
                        + ", u " + u);
            }
            // the edges: u = 0, just below 1, and each table entry itself (u >= cdf[k] moves on)
            for (double u : new double[] {0.0, Math.nextDown(1.0), cdf[0], Math.nextDown(cdf[0])}) {
                assertEquals(PoissonSource.events(u, lambda), PoissonSource.events(u, cdf), "lambda " + lambda
                        + ", u " + u);
            }
            for (int k = 0; k < cdf.length; k++) {
                if (cdf[k] < 1) {
                    assertEquals(PoissonSource.events(cdf[k], lambda), PoissonSource.events(cdf[k], cdf));
                }
            }
        }
    }
}
