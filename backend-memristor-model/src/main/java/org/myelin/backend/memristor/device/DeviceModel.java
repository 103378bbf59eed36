package org.myelin.backend.memristor.device;

import org.myelin.core.MyelinException;

/**
 * The parameters of a resistive-memory device population, each effect switchable (a zero turns it off).
 *
 * <p>Programming a target conductance g (uS) gives, in this order: the nearest of {@code levels} equally spaced
 * values in [gMin, gMax] (0 levels: continuous); additive Gaussian programming noise with standard deviation
 * {@code progScale * (c0 + c1 (g/gMax) + c2 (g/gMax)^2) * gMax / progReference} (the polynomial of aihwkit's
 * PCMLikeNoiseModel, Nandakumar et al. ICECS 2019); a multiplicative device-to-device gain N(1, d2dSigma) fixed per
 * device; clipping to [0, gMax]; and stuck faults: with probability {@code stuckLow} the device stays at gMin, with
 * {@code stuckHigh} at gMax.
 *
 * <p>Drift: each device draws nu = |N(mu(g), sigma(g))| once (mu, sigma from the PCM fits, clamped as aihwkit does:
 * mu = clamp(-0.0155 ln(g/gMax) + 0.0244, 0.049, 0.1), sigma = clamp(-0.0125 ln(g/gMax) - 0.0059, 0.008, 0.045),
 * times {@code driftScale}); after a time t since programming G(t) = G0 ((t + t0) / t0)^-nu.
 *
 * <p>Read noise, drawn anew at every read: the accumulated 1/f noise of the PCM model,
 * relative sigma = readScale * min(0.0088 / max((G/gMax)^0.65, 1e-3), 0.2) * sqrt(ln((t + t0 + tRead) / (2 tRead))),
 * plus a plain relative Gaussian {@code readSigma} for simpler devices.
 *
 * <p>ADC: column currents are rounded to the nearest of 2^adcBits signed levels k adcRange / 2^(adcBits-1), zero
 * among them, clipped to [-adcRange, adcRange - step] (0 bits: ideal).
 *
 * @param gMinUs        lowest conductance, uS
 * @param gMaxUs        highest conductance, uS
 * @param levels        programmable levels (0: continuous)
 * @param progCoeff     programming-noise polynomial c0, c1, c2 in uS at gMax = progReference (null: none)
 * @param progReference the gMax the polynomial was fitted at, uS
 * @param progScale     multiplies the programming noise
 * @param d2dSigma      relative device-to-device gain spread
 * @param stuckLow      probability of a device stuck at gMin
 * @param stuckHigh     probability of a device stuck at gMax
 * @param driftScale    multiplies the drift exponents (0: no drift)
 * @param t0Seconds     the drift model's first reading time
 * @param readScale     multiplies the PCM read noise (0: none)
 * @param tReadSeconds  the 1/f noise fit's read time
 * @param readSigma     plain relative read noise
 * @param adcBits       ADC resolution (0: ideal)
 * @param adcRange      the ADC's full scale (current units of the caller)
 */
public record DeviceModel(double gMinUs, double gMaxUs, int levels, double[] progCoeff, double progReference,
                          double progScale, double d2dSigma, double stuckLow, double stuckHigh, double driftScale,
                          double t0Seconds, double readScale, double tReadSeconds, double readSigma, int adcBits,
                          double adcRange) {

    public DeviceModel {
        if (!(gMaxUs > 0) || !(gMinUs >= 0) || !(gMinUs < gMaxUs)) {
            throw new MyelinException("device model: needs 0 <= gMinUs < gMaxUs, was " + gMinUs + " and " + gMaxUs);
        }
        if (levels < 0 || levels == 1) {
            throw new MyelinException("device model: levels must be 0 (continuous) or at least 2, was " + levels);
        }
        if (!(stuckLow >= 0 && stuckHigh >= 0 && stuckLow + stuckHigh <= 1)) {
            throw new MyelinException("device model: stuck-at probabilities must be >= 0 and sum to at most 1, were "
                    + stuckLow + " and " + stuckHigh);
        }
        if (adcBits < 0 || adcBits > 24 || (adcBits > 0 && !(adcRange > 0))) {
            throw new MyelinException("device model: adcBits must be in [0, 24] with a positive range, were "
                    + adcBits + " and " + adcRange);
        }
        for (double v : new double[] {progScale, d2dSigma, driftScale, readScale, readSigma}) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new MyelinException("device model: noise scales must be >= 0 and finite");
            }
        }
        progCoeff = progCoeff == null ? null : progCoeff.clone();
    }

    /** No effect at all: programmed, drifted and read conductances equal their targets. */
    public static DeviceModel ideal(double gMaxUs) {
        return new DeviceModel(0, gMaxUs, 0, null, gMaxUs, 0, 0, 0, 0, 0, 20, 0, 250e-9, 0, 0, 0);
    }

    /**
     * aihwkit's PCMLikeNoiseModel (Nandakumar et al. ICECS 2019): gMax 25 uS, programming polynomial
     * 0.26348 + 1.9650 x - 1.1731 x^2 uS, drift with t0 = 20 s, 1/f read noise with tRead = 250 ns; continuous
     * levels, no device-to-device spread, no faults, ideal ADC.
     */
    public static DeviceModel pcmLike() {
        return new DeviceModel(0, 25, 0, new double[] {0.26348, 1.9650, -1.1731}, 25, 1, 0, 0, 0, 1, 20, 1, 250e-9,
                0, 0, 0);
    }

    /**
     * A resistive-memory (RRAM) population for the crossbar's {@code rram} preset. What the LSM paper (Lin et al.,
     * Nat. Comput. Sci. 2025) states of its 40 nm 256 Kb macro is used (the array size, in the crossbar preset; the
     * reservoir's weights from stochastic switching, in {@link StochasticSwitching}); the paper's device statistics are
     * not public, so the figures here are assumptions of the usual order for TaOx-type RRAM, stated so that they can
     * be changed: conductances 1 to 40 uS (high- and low-resistance states), programming (write-verify) noise of 1 %
     * of gMax, no drift (RRAM retention loss is slow and is not modelled), 2 % relative read noise drawn at every
     * read, 0.1 % of devices stuck low and 0.1 % stuck high, an 8-bit ADC with full scale 8 rows at gMax - gMin and
     * a 0.2 V read.
     */
    public static DeviceModel rram() {
        return new DeviceModel(1, 40, 0, new double[] {0.4}, 40, 1, 0, 0.001, 0.001, 0, 20, 0, 250e-9, 0.02, 8,
                8 * 39 * 0.2);
    }

    public DeviceModel withProgrammingScale(double x) {
        return new DeviceModel(gMinUs, gMaxUs, levels, progCoeff, progReference, x, d2dSigma, stuckLow, stuckHigh,
                driftScale, t0Seconds, readScale, tReadSeconds, readSigma, adcBits, adcRange);
    }

    public DeviceModel withDriftScale(double x) {
        return new DeviceModel(gMinUs, gMaxUs, levels, progCoeff, progReference, progScale, d2dSigma, stuckLow,
                stuckHigh, x, t0Seconds, readScale, tReadSeconds, readSigma, adcBits, adcRange);
    }

    /** The PCM 1/f read noise times {@code scale}, plus a plain relative read noise {@code sigma}. */
    public DeviceModel withReadNoise(double scale, double sigma) {
        return new DeviceModel(gMinUs, gMaxUs, levels, progCoeff, progReference, progScale, d2dSigma, stuckLow,
                stuckHigh, driftScale, t0Seconds, scale, tReadSeconds, sigma, adcBits, adcRange);
    }

    public DeviceModel withLevels(int n) {
        return new DeviceModel(gMinUs, gMaxUs, n, progCoeff, progReference, progScale, d2dSigma, stuckLow, stuckHigh,
                driftScale, t0Seconds, readScale, tReadSeconds, readSigma, adcBits, adcRange);
    }

    public DeviceModel withFaults(double low, double high) {
        return new DeviceModel(gMinUs, gMaxUs, levels, progCoeff, progReference, progScale, d2dSigma, low, high,
                driftScale, t0Seconds, readScale, tReadSeconds, readSigma, adcBits, adcRange);
    }

    public DeviceModel withDeviceToDevice(double sigma) {
        return new DeviceModel(gMinUs, gMaxUs, levels, progCoeff, progReference, progScale, sigma, stuckLow,
                stuckHigh, driftScale, t0Seconds, readScale, tReadSeconds, readSigma, adcBits, adcRange);
    }

    public DeviceModel withAdc(int bits, double range) {
        return new DeviceModel(gMinUs, gMaxUs, levels, progCoeff, progReference, progScale, d2dSigma, stuckLow,
                stuckHigh, driftScale, t0Seconds, readScale, tReadSeconds, readSigma, bits, range);
    }

    /** Standard deviation of the programming noise at target g, uS (0 without a polynomial). */
    public double programmingSigma(double gUs) {
        if (progCoeff == null || progScale == 0) {
            return 0;
        }
        double x = gUs / gMaxUs;
        double s = 0;
        double p = 1;
        for (double c : progCoeff) {
            s += c * p;
            p *= x;
        }
        return Math.max(0, progScale * s * gMaxUs / progReference);
    }

    /** Mean and standard deviation of the drift exponent nu at conductance g (before |.| and driftScale). */
    public double[] driftMoments(double gUs) {
        double rel = Math.max(Math.abs(gUs / gMaxUs), 1e-7);
        double mu = Math.min(0.1, Math.max(0.049, -0.0155 * Math.log(rel) + 0.0244));
        double sigma = Math.min(0.045, Math.max(0.008, -0.0125 * Math.log(rel) - 0.0059));
        return new double[] {mu, sigma};
    }

    /** Relative standard deviation of one read at conductance g, t seconds after programming. */
    public double readRelativeSigma(double gUs, double tSeconds) {
        return readSigma + (readScale > 0 ? readScale * readTimeFactor(tSeconds) * readLevelFactor(gUs) : 0);
    }

    /** The 1/f read noise's growth with time: sqrt(ln((t + t0 + tRead) / (2 tRead))). */
    public double readTimeFactor(double tSeconds) {
        double t = tSeconds + t0Seconds;
        return Math.sqrt(Math.log((t + tReadSeconds) / (2 * tReadSeconds)));
    }

    /** The 1/f read noise's dependence on the conductance: min(0.0088 / max((G/gMax)^0.65, 1e-3), 0.2). */
    public double readLevelFactor(double gUs) {
        return readLevelOfPower(Math.pow(Math.abs(gUs) / gMaxUs, 0.65));
    }

    /** {@link #readLevelFactor} from (G/gMax)^0.65. */
    static double readLevelOfPower(double p) {
        return Math.min(0.0088 / Math.max(p, 1e-3), 0.2);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceModel d && d.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "DeviceModel[g " + gMinUs + ".." + gMaxUs + " uS, levels " + levels + ", prog "
                + java.util.Arrays.toString(progCoeff) + " @" + progReference + " x" + progScale + ", d2d " + d2dSigma
                + ", stuck " + stuckLow + "/" + stuckHigh + ", drift x" + driftScale + " t0 " + t0Seconds + ", read x"
                + readScale + " + " + readSigma + ", adc " + adcBits + " bits / " + adcRange + "]";
    }
}
