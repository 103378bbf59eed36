package org.myelin.backend.memristor.device;

import org.myelin.core.MyelinException;
import org.myelin.core.random.CounterRandom;

/**
 * A population of devices (one per conductance) under a {@link DeviceModel}: programmed once, then drifting and
 * read with fresh noise at each read. Device i's draws are keyed by (seed, stream of the name, i, purpose), so they
 * do not depend on the order of computation or the thread count.
 */
public final class DeviceArray {
    private static final long PROGRAM = 0;
    private static final long D2D = 1;
    private static final long FAULT = 2;
    private static final long NU = 3;
    /** Reads use counters from here on: counter READ + k is the k-th read. */
    private static final long READ = 16;

    private final DeviceModel model;
    private final long seed;
    private final int stream;
    private final double[] programmed;
    private final double[] nu;
    private final byte[] fault;

    /** Programs {@code targetsUs} (uS, within [gMin, gMax]) under the model. */
    public DeviceArray(DeviceModel model, double[] targetsUs, long seed, String name) {
        this.model = model;
        this.seed = seed;
        this.stream = CounterRandom.streamOf(name + "/device");
        int n = targetsUs.length;
        programmed = new double[n];
        nu = new double[n];
        fault = new byte[n];
        double lo = model.gMinUs();
        double hi = model.gMaxUs();
        for (int i = 0; i < n; i++) {
            double t = targetsUs[i];
            if (!(t >= lo - 1e-12 && t <= hi + 1e-12)) {
                throw new MyelinException("device array '" + name + "': target " + i + " is " + t + " uS, outside ["
                        + lo + ", " + hi + "] uS");
            }
            double g = quantise(t);
            g += model.programmingSigma(g) * CounterRandom.normal(seed, stream, i, PROGRAM);
            if (model.d2dSigma() > 0) {
                g *= 1 + model.d2dSigma() * CounterRandom.normal(seed, stream, i, D2D);
            }
            g = Math.min(hi, Math.max(0, g));
            double u = CounterRandom.uniform(seed, stream, i, FAULT);
            if (u < model.stuckLow()) {
                g = lo;
                fault[i] = -1;
            } else if (u < model.stuckLow() + model.stuckHigh()) {
                g = hi;
                fault[i] = 1;
            }
            programmed[i] = g;
            if (model.driftScale() > 0) {
                double[] m = model.driftMoments(quantise(t));
                nu[i] = Math.abs(m[0] + m[1] * CounterRandom.normal(seed, stream, i, NU)) * model.driftScale();
            }
        }
    }

    /** The nearest programmable level (the target itself with continuous levels). */
    double quantise(double g) {
        int levels = model.levels();
        if (levels == 0) {
            return g;
        }
        double lo = model.gMinUs();
        double step = (model.gMaxUs() - lo) / (levels - 1);
        return lo + Math.rint((g - lo) / step) * step;
    }

    public int size() {
        return programmed.length;
    }

    /** The conductance right after programming. */
    public double programmed(int i) {
        return programmed[i];
    }

    /** The drift exponent of device i. */
    public double nu(int i) {
        return nu[i];
    }

    /** -1 stuck low, +1 stuck high, 0 healthy. */
    public int fault(int i) {
        return fault[i];
    }

    /** The drifted conductance, t seconds after programming (no read noise). */
    public double drifted(int i, double tSeconds) {
        return driftedAt(i, tSeconds <= 0 ? 0 : Math.log((tSeconds + model.t0Seconds()) / model.t0Seconds()));
    }

    /** G0 ((t + t0) / t0)^-nu written as G0 exp(-nu L), L = ln((t + t0) / t0) shared by every device at time t. */
    private double driftedAt(int i, double logTime) {
        double g = programmed[i];
        if (nu[i] == 0 || logTime == 0 || fault[i] != 0) {
            return g;
        }
        return g * Math.exp(-nu[i] * logTime);
    }

    /** One read of device i (the k-th read of the run: its noise is drawn from counter k). */
    public double read(int i, double tSeconds, long k) {
        return read(i, tSeconds, 0, k);
    }

    /**
     * One read of device i, the k-th read of run {@code run} (runs with different keys draw independent noise; run
     * 0 is {@link #read(int, double, long)}).
     */
    public double read(int i, double tSeconds, long run, long k) {
        return at(tSeconds).read(i, run, k);
    }

    /** Reads at {@code tSeconds} after programming: what every read at that time shares is computed once. */
    public Reads at(double tSeconds) {
        return new Reads(tSeconds);
    }

    /**
     * The devices read at one time after programming. The noise of a read is a standard normal from
     * {@link NoiseTable}, keyed by (seed, device name, run, device, read number): devices 4j to 4j + 3 (two
     * differential pairs) share one counter-based word, 16 bits each.
     */
    public final class Reads {
        private final double logTime;
        private final double oneOverF;

        private Reads(double tSeconds) {
            logTime = tSeconds <= 0 ? 0 : Math.log((tSeconds + model.t0Seconds()) / model.t0Seconds());
            oneOverF = model.readScale() > 0 ? model.readScale() * model.readTimeFactor(tSeconds) : 0;
        }

        /** Device i's drifted conductance without read noise. */
        public double mean(int i) {
            return driftedAt(i, logTime);
        }

        /** Device i read as the k-th read of run {@code run}. */
        public double read(int i, long run, long k) {
            return read(i, word(i >>> 2, run, k));
        }

        /**
         * The random word that devices 4j to 4j + 3 (two differential pairs) share for read k of run {@code run}:
         * 16 bits each.
         */
        public long word(int j, long run, long k) {
            return CounterRandom.bits(seed ^ (run * 0x9E3779B97F4A7C15L), stream, j, READ + k);
        }

        /** Device i read with the word of its group of four ({@link #word}(i / 4, ...)). */
        public double read(int i, long word) {
            double g = driftedAt(i, logTime);
            double s = model.readSigma();
            if (oneOverF > 0) {
                s += oneOverF * model.readLevelFactor(g);
            }
            if (s > 0) {
                g += Math.abs(g) * s * NoiseTable.normal(word >>> (16 * (i & 3)));
            }
            return Math.max(0, g);
        }
    }

    /** Whether reads change from read to read or with time: read noise, or drift that has not been switched off. */
    public boolean readsVary() {
        return model.readScale() > 0 || model.readSigma() > 0 || model.driftScale() > 0;
    }

    /**
     * The ADC's reading of a column current: a signed converter of 2^bits levels k * step, k from -2^(bits-1) to
     * 2^(bits-1) - 1, step = range / 2^(bits-1) (zero is a level, so a silent column reads 0); the current is rounded
     * to the nearest level and clipped to the extreme ones.
     */
    public static double adc(DeviceModel m, double current) {
        if (m.adcBits() == 0) {
            return current;
        }
        double half = 1L << (m.adcBits() - 1);
        double step = m.adcRange() / half;
        double k = Math.rint(current / step);
        return Math.max(-half, Math.min(half - 1, k)) * step + 0.0; // + 0.0: no negative zero
    }
}
