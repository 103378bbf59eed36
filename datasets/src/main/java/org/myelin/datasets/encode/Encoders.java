package org.myelin.datasets.encode;

import org.myelin.core.MyelinException;
import org.myelin.core.random.CounterRandom;
import org.myelin.datasets.event.EventStream;

/** Rate, latency and event encoders. Values are intensities in [0, 1] (pixels: byte / 255). */
public final class Encoders {
    private Encoders() {
    }

    /**
     * Poisson rate coding: generator i spikes in step n with probability {@code values[i] * maxRateHz * dt},
     * drawn as {@code CounterRandom.uniform(seed, stream, i, n)}, for {@code steps} steps. Spikes come out in step
     * order, generators ascending within a step.
     */
    public static SpikeTrain poisson(double[] values, double maxRateHz, double dtMs, int steps, long seed, int stream) {
        check(values);
        double pMax = maxRateHz * dtMs / 1000.0;
        if (!(pMax >= 0 && pMax <= 1)) {
            throw new MyelinException("poisson encoder: maxRateHz * dt must be in [0, 1] (one spike per step at most), was "
                    + pMax);
        }
        int cap = 1024;
        int[] n = new int[cap];
        long[] s = new long[cap];
        int c = 0;
        for (int step = 0; step < steps; step++) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] > 0 && CounterRandom.uniform(seed, stream, i, step) < values[i] * pMax) {
                    if (c == n.length) {
                        n = java.util.Arrays.copyOf(n, c * 2);
                        s = java.util.Arrays.copyOf(s, c * 2);
                    }
                    n[c] = i;
                    s[c] = step;
                    c++;
                }
            }
        }
        return SpikeTrain.of(values.length, n, s, c);
    }

    /**
     * Latency (time-to-first-spike) coding: each value above {@code threshold} gives one spike at step
     * {@code round((1 - value) * (steps - 1))}: the brightest inputs fire first.
     */
    public static SpikeTrain latency(double[] values, int steps, double threshold) {
        check(values);
        if (steps < 1) {
            throw new MyelinException("latency encoder: steps must be >= 1, was " + steps);
        }
        int[] n = new int[values.length];
        long[] s = new long[values.length];
        int c = 0;
        for (int i = 0; i < values.length; i++) {
            if (values[i] > threshold) {
                n[c] = i;
                s[c] = Math.round((1 - values[i]) * (steps - 1));
                c++;
            }
        }
        return SpikeTrain.of(values.length, n, s, c);
    }

    /**
     * Address events onto the time grid: generator {@code p * width * height + y * width + x}, step
     * {@code floor((t - t0) / dt)}; several events of one generator in one step count once.
     */
    public static SpikeTrain events(EventStream e, double dtMs) {
        if (!(dtMs > 0)) {
            throw new MyelinException("event binning: dtMs must be > 0, was " + dtMs);
        }
        int size = 2 * e.width() * e.height();
        int[] n = new int[e.size()];
        long[] s = new long[e.size()];
        java.util.HashSet<Long> seen = new java.util.HashSet<>();
        int c = 0;
        long t0 = e.size() == 0 ? 0 : e.timeUs(0);
        double dtUs = dtMs * 1000.0;
        for (int i = 0; i < e.size(); i++) {
            int g = e.polarity(i) * e.width() * e.height() + e.y(i) * e.width() + e.x(i);
            long step = (long) Math.floor((e.timeUs(i) - t0) / dtUs);
            if (seen.add(step * size + g)) {
                n[c] = g;
                s[c] = step;
                c++;
            }
        }
        return SpikeTrain.of(size, n, s, c);
    }

    /**
     * Send-on-delta coding of sampled signals ({@code signals[channel][sample]}, one sample per step): a channel
     * emits an UP spike (generator {@code 2 * channel}) each time its value has risen by {@code delta} since its
     * last spike, and a DOWN spike (generator {@code 2 * channel + 1}) each time it has fallen by {@code delta};
     * several thresholds crossed in one sample give one spike and move the reference by all of them.
     */
    public static SpikeTrain sendOnDelta(float[][] signals, double delta) {
        if (!(delta > 0)) {
            throw new MyelinException("send-on-delta: delta must be > 0, was " + delta);
        }
        int channels = signals.length;
        int[] n = new int[1024];
        long[] s = new long[1024];
        int c = 0;
        double[] ref = new double[channels];
        int length = 0;
        for (int ch = 0; ch < channels; ch++) {
            ref[ch] = signals[ch].length > 0 ? signals[ch][0] : 0;
            length = Math.max(length, signals[ch].length);
        }
        for (int step = 1; step < length; step++) {
            for (int ch = 0; ch < channels; ch++) {
                if (step >= signals[ch].length) {
                    continue;
                }
                double d = signals[ch][step] - ref[ch];
                int k = (int) (Math.abs(d) / delta);
                if (k > 0) {
                    if (c == n.length) {
                        n = java.util.Arrays.copyOf(n, c * 2);
                        s = java.util.Arrays.copyOf(s, c * 2);
                    }
                    n[c] = 2 * ch + (d > 0 ? 0 : 1);
                    s[c] = step;
                    c++;
                    ref[ch] += Math.signum(d) * k * delta;
                }
            }
        }
        return SpikeTrain.of(2 * channels, n, s, c);
    }

    /**
     * Direct-current coding: the value of each input as a constant current in nA ({@code value * scaleNa}), for
     * {@code org.myelin.core.network.CurrentInput} inputs or a population's first layer.
     */
    public static double[] directCurrentNa(double[] values, double scaleNa) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] * scaleNa;
        }
        return out;
    }

    /** Pixels (0..255) to intensities in [0, 1]. */
    public static double[] intensities(byte[] pixels, int count) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = (pixels[i] & 0xFF) / 255.0;
        }
        return v;
    }

    private static void check(double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] >= 0 && values[i] <= 1)) {
                throw new MyelinException("encoder: value " + i + " must be in [0, 1], was " + values[i]);
            }
        }
    }
}
