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
    /** The largest drift exponent. */
    private final double maxNu;

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
        double most = 0;
        for (double v : nu) {
            most = Math.max(most, v);
        }
        maxNu = most;
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
        return driftedAt(i, logTime(tSeconds));
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
        return at(0, tSeconds);
    }

    /**
     * Reads at {@code tSeconds} after programming, in a run that started at {@code startSeconds}: every device's
     * drifted conductance (and 1/f noise level) is computed once at the start of the run, and a read at t scales it by
     * exp(-nu (L(t) - L(start))), L(t) = ln((t + t0) / t0), by its second-order Taylor polynomial while
     * nu (L(t) - L(start)) stays below 1e-2 (an error below 2e-7 relative; a run of seconds after programming at
     * t = 0 has 1e-3) and exactly beyond. A read then costs a few multiplications instead of a power and an exponential.
     */
    public Reads at(double startSeconds, double tSeconds) {
        Anchor a = anchor;
        if (a == null || a.seconds != startSeconds) {
            a = new Anchor(startSeconds);
            anchor = a;
        }
        return new Reads(a, tSeconds);
    }

    private double logTime(double tSeconds) {
        return tSeconds <= 0 ? 0 : Math.log((tSeconds + model.t0Seconds()) / model.t0Seconds());
    }

    /** The devices at the start of a run (shared by every read of runs that start then; immutable). */
    private volatile Anchor anchor;

    private final class Anchor {
        final double seconds;
        final double logTime;
        final double[] conductance;
        /** (G / gMax)^0.65 at the start, for the 1/f read noise (null without it). */
        final double[] level;

        Anchor(double seconds) {
            this.seconds = seconds;
            logTime = logTime(seconds);
            int n = programmed.length;
            conductance = new double[n];
            level = model.readScale() > 0 ? new double[n] : null;
            for (int i = 0; i < n; i++) {
                conductance[i] = driftedAt(i, logTime);
                if (level != null) {
                    level[i] = Math.pow(Math.abs(conductance[i]) / model.gMaxUs(), 0.65);
                }
            }
        }
    }

    /**
     * The devices read at one time after programming. The noise of a read is a standard normal from
     * {@link NoiseTable}, keyed by (seed, device name, run, device, read number): devices 4j to 4j + 3 (two
     * differential pairs) share one counter-based word, 16 bits each.
     */
    public final class Reads {
        private final Anchor anchor;
        /** L(t) - L(start). */
        private final double since;
        private final boolean exact;
        private final double oneOverF;

        private Reads(Anchor anchor, double tSeconds) {
            this.anchor = anchor;
            since = logTime(tSeconds) - anchor.logTime;
            exact = Math.abs(since) * maxNu > 1e-2;
            oneOverF = model.readScale() > 0 ? model.readScale() * model.readTimeFactor(tSeconds) : 0;
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
            double g = anchor.conductance[i];
            double x = fault[i] == 0 ? nu[i] * since : 0;
            if (x != 0) {
                g *= exact ? Math.exp(-x) : 1 - x + 0.5 * x * x;
            }
            double s = model.readSigma();
            if (oneOverF > 0) {
                double y = 0.65 * x;
                double p = anchor.level[i] * (y == 0 ? 1 : exact ? Math.exp(-y) : 1 - y + 0.5 * y * y);
                s += oneOverF * DeviceModel.readLevelOfPower(p);
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
