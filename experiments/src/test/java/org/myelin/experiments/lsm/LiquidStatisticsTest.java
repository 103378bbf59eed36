package org.myelin.experiments.lsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myelin.backend.memristor.lsm.Reservoir;

/** The liquid statistics on hand-computed matrices and counts, and the two liquid kinds' weights side by side. */
class LiquidStatisticsTest {
    @Test
    void weightStatisticsOfA3x3Matrix() {
        // values 0, 1, -1 / 2, 0, 0 / 0, -2, 0: mean 0, variance 10/9, fourth moment 34/9 (kurtosis 3.06), 5 zeros,
        // 2 negatives, 4 of magnitude >= 0.25 sd; column sums 2, -1, -1 (mean 0, sd sqrt 3); characteristic
        // polynomial -(l^3 - 2 l - 4) = -(l - 2)(l^2 + 2 l + 2): eigenvalues 2 and -1 +- i, spectral radius 2
        LiquidStatistics.Weights w = LiquidStatistics.weights(new double[][] {{0, 1, -1}, {2, 0, 0}, {0, -2, 0}});
        assertEquals(0, w.mean(), 1e-12);
        assertEquals(Math.sqrt(10.0 / 9), w.sd(), 1e-12);
        assertEquals(0.06, w.excessKurtosis(), 1e-9);
        assertEquals(5.0 / 9, w.exactZero(), 1e-12);
        assertEquals(2.0 / 9, w.negative(), 1e-12);
        assertEquals(4.0 / 9, w.nonzero(), 1e-12);
        assertEquals(0, w.columnSumMean(), 1e-12);
        assertEquals(Math.sqrt(3), w.columnSumSd(), 1e-12);
        assertEquals(2, w.spectralRadius(), 1e-3);
    }

    @Test
    void spectralRadiusOfAComplexPairAndOfARectangularMatrix() {
        // [[0, -2], [2, 0]]: eigenvalues +-2i, where the plain power ratio never settles
        assertEquals(2, LiquidStatistics.spectralRadius(new double[][] {{0, -2}, {2, 0}}), 1e-9);
        assertEquals(3, LiquidStatistics.spectralRadius(new double[][] {{3, 0}, {0, -1}}), 1e-6);
        assertTrue(Double.isNaN(LiquidStatistics.weights(new double[][] {{1, 2, 3}}).spectralRadius()));
    }

    @Test
    void activityStatisticsOfHandCounts() {
        // 3 samples x 3 neurons, 6 steps: neuron 0 silent, neuron 2 fires every step (saturated, constant), only
        // neuron 1 varies: rate 30 / 54, covariance and correlation of rank 1
        LiquidStatistics.Activity a = LiquidStatistics.activity(new double[][] {{0, 2, 6}, {0, 4, 6}, {0, 6, 6}}, 6);
        assertEquals(30.0 / 54, a.rate(), 1e-12);
        assertEquals(1.0 / 3, a.silent(), 1e-12);
        assertEquals(1.0 / 3, a.saturated(), 1e-12);
        assertEquals(2.0 / 3, a.constant(), 1e-12);
        assertEquals(1, a.effectiveRank(), 1e-12);
        assertEquals(1, a.correlationRank(), 1e-12);
        // two uncorrelated neurons of equal variance span two dimensions; two copies span one
        assertEquals(2, LiquidStatistics.activity(new double[][] {{1, 0}, {0, 1}, {1, 1}, {0, 0}}, 1)
                .effectiveRank(), 1e-12);
        assertEquals(1, LiquidStatistics.activity(new double[][] {{1, 1}, {0, 0}, {3, 3}}, 3).effectiveRank(), 1e-12);
    }

    /**
     * The diagnostic behind docs/results/lsm.md: the switching-drawn liquid's weights have the Gaussian liquid's
     * mean, spread, sign balance, column-sum spread and spectral radius (about sigma sqrt(N), the circular law); they
     * differ in shape only (about half the pairs give a weight near zero: kurtosis about -0.9 instead of 0).
     */
    @Test
    void switchingAndGaussianLiquidsHaveTheSameGain() {
        Reservoir g = new Reservoir(64, 200, 0.97, 5.3, 3.0, 1.0, 10);
        Reservoir s = g.withSwitching(Reservoir.defaultSwitching());
        for (boolean rec : new boolean[] {false, true}) {
            LiquidStatistics.Weights wg = LiquidStatistics.weights(g.weightMatrix(rec));
            LiquidStatistics.Weights ws = LiquidStatistics.weights(s.weightMatrix(rec));
            double sigma = rec ? 1.0 : 3.0;
            String what = (rec ? "recurrent" : "input") + ": gaussian " + wg.describe() + " / switching "
                    + ws.describe();
            assertEquals(sigma, wg.sd(), 0.05 * sigma, what);
            assertEquals(sigma, ws.sd(), 0.05 * sigma, what);
            assertEquals(0, wg.mean(), 0.05 * sigma, what);
            assertEquals(0, ws.mean(), 0.05 * sigma, what);
            assertEquals(0.5, wg.negative(), 0.03, what);
            assertEquals(0.5, ws.negative(), 0.03, what);
            assertEquals(0, wg.excessKurtosis(), 0.2, what);
            assertTrue(ws.excessKurtosis() < -0.7, what);
            assertEquals(0.8, wg.nonzero(), 0.03, what);
            assertEquals(0.55, ws.nonzero(), 0.05, what);
            int pre = rec ? 200 : 64;
            assertEquals(sigma * Math.sqrt(pre), wg.columnSumSd(), 0.15 * sigma * Math.sqrt(pre), what);
            assertEquals(sigma * Math.sqrt(pre), ws.columnSumSd(), 0.15 * sigma * Math.sqrt(pre), what);
            if (rec) {
                assertEquals(Math.sqrt(200), wg.spectralRadius(), 0.1 * Math.sqrt(200), what);
                assertEquals(Math.sqrt(200), ws.spectralRadius(), 0.1 * Math.sqrt(200), what);
            }
        }
    }

    @Test
    void theZeroShotAudioLiquidIsDrawnApartFromTheImageLiquid() {
        LsmConfig c = LsmConfig.image(java.nio.file.Path.of("d"));
        LsmConfig a = LsmZeroShot.audioLiquid(c);
        assertTrue(a.seed() != c.seed());
        assertEquals(a.seed(), LsmZeroShot.audioLiquid(c).seed(), "reproducible");
        Reservoir ri = new Reservoir(256, 20, 0.9, 5, 3, 1, c.seed());
        Reservoir ra = new Reservoir(64, 20, 0.97, 5.3, 3, 1, a.seed());
        // same seed, same recurrent size: the very same matrix; the audio liquid's own seed: another one
        assertEquals(ri.weightMatrix(true)[0][1], new Reservoir(64, 20, 0.97, 5.3, 3, 1, c.seed())
                .weightMatrix(true)[0][1]);
        assertTrue(ri.weightMatrix(true)[0][1] != ra.weightMatrix(true)[0][1]);
        assertTrue(ri.weightMatrix(false)[0][0] != ra.weightMatrix(false)[0][0]);
    }
}
