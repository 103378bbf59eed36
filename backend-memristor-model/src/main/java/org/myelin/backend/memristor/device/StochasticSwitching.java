package org.myelin.backend.memristor.device;

import org.myelin.core.MyelinException;
import org.myelin.core.random.CounterRandom;

/**
 * Random weights drawn from the stochastic switching of resistive memory, as reservoirs built on it use them: every
 * device of a differential pair starts in its high-resistance state and receives one SET pulse near the switching
 * threshold, which switches it to the low-resistance state with probability {@code pSet}; each state's conductance
 * varies from device to device (lognormal: median and log-sigma). A weight is (G+ - G-) / (gLrs - gHrs), so a pair
 * with one switched device gives about +1 or -1 and pairs with both or neither about 0.
 *
 * <p>Moments, for the tests and for choosing parameters: with m_X = median_X exp(s_X^2 / 2) and
 * v_X = (exp(s_X^2) - 1) median_X^2 exp(s_X^2), one device has E[G] = p m_L + (1 - p) m_H and
 * Var[G] = p v_L + (1 - p) v_H + p (1 - p) (m_L - m_H)^2; a weight has mean 0 and variance
 * 2 Var[G] / (gLrs - gHrs)^2.
 *
 * @param pSet      probability that the SET pulse switches a device
 * @param gHrsUs    median conductance of the high-resistance state, uS
 * @param sigmaHrs  log-sigma of the high-resistance state
 * @param gLrsUs    median conductance of the low-resistance state, uS
 * @param sigmaLrs  log-sigma of the low-resistance state
 */
public record StochasticSwitching(double pSet, double gHrsUs, double sigmaHrs, double gLrsUs, double sigmaLrs) {

    public StochasticSwitching {
        if (!(pSet >= 0 && pSet <= 1)) {
            throw new MyelinException("stochastic switching: pSet must be in [0, 1], was " + pSet);
        }
        if (!(gHrsUs > 0) || !(gLrsUs > gHrsUs)) {
            throw new MyelinException("stochastic switching: needs 0 < gHrsUs < gLrsUs, was " + gHrsUs + " and "
                    + gLrsUs);
        }
        if (!(sigmaHrs >= 0) || !(sigmaLrs >= 0)) {
            throw new MyelinException("stochastic switching: log-sigmas must be >= 0");
        }
    }

    /** Whether device i switched, and its conductance (uS), from counter-based draws. */
    public double conductance(long seed, int stream, long i) {
        boolean set = CounterRandom.uniform(seed, stream, i, 0) < pSet;
        double z = CounterRandom.normal(seed, stream, i, 1);
        return set ? gLrsUs * Math.exp(sigmaLrs * z) : gHrsUs * Math.exp(sigmaHrs * z);
    }

    /** {@code n} weights, pair k made of devices 2k (G+) and 2k + 1 (G-), keyed by (seed, name). */
    public double[] weights(int n, long seed, String name) {
        int stream = CounterRandom.streamOf(name + "/switching");
        double span = gLrsUs - gHrsUs;
        double[] w = new double[n];
        for (int k = 0; k < n; k++) {
            w[k] = (conductance(seed, stream, 2L * k) - conductance(seed, stream, 2L * k + 1)) / span;
        }
        return w;
    }

    /** Mean conductance of one device. */
    public double deviceMean() {
        return pSet * lognormalMean(gLrsUs, sigmaLrs) + (1 - pSet) * lognormalMean(gHrsUs, sigmaHrs);
    }

    /** Variance of one device's conductance. */
    public double deviceVariance() {
        double mL = lognormalMean(gLrsUs, sigmaLrs);
        double mH = lognormalMean(gHrsUs, sigmaHrs);
        return pSet * lognormalVariance(gLrsUs, sigmaLrs) + (1 - pSet) * lognormalVariance(gHrsUs, sigmaHrs)
                + pSet * (1 - pSet) * (mL - mH) * (mL - mH);
    }

    /** Variance of a weight. */
    public double weightVariance() {
        double span = gLrsUs - gHrsUs;
        return 2 * deviceVariance() / (span * span);
    }

    private static double lognormalMean(double median, double s) {
        return median * Math.exp(s * s / 2);
    }

    private static double lognormalVariance(double median, double s) {
        return (Math.exp(s * s) - 1) * median * median * Math.exp(s * s);
    }
}
