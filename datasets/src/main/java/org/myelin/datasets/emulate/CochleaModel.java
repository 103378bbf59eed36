package org.myelin.datasets.emulate;

import org.myelin.core.MyelinException;
import org.myelin.datasets.event.EventStream;

/**
 * A silicon-cochlea-like front end that turns sound into a 64-channel spike stream like N-TIDIGITS's: the
 * signal is normalised to a fixed RMS, filtered by {@code channels} band-pass filters (each two cascaded RBJ
 * biquads, quality {@code q}) with centre frequencies spaced logarithmically from {@code lowHz} to
 * {@code highHz}, half-wave rectified, and fed to one leaky integrate-and-fire neuron per channel
 * ({@code tauMs}, threshold {@code threshold}, reset to 0, {@code refractoryMs} dead time). Channel 0 is the
 * highest frequency, as the cochlea's base.
 */
public record CochleaModel(int channels, double lowHz, double highHz, double q, double tauMs, double threshold,
                           double refractoryMs, double targetRms) {

    public static CochleaModel defaults() {
        return new CochleaModel(64, 100, 8000, 4, 5, 0.006, 1, 0.1);
    }

    public CochleaModel {
        if (channels < 1 || !(lowHz > 0) || !(highHz > lowHz) || !(q > 0) || !(tauMs > 0) || !(threshold > 0)
                || refractoryMs < 0 || !(targetRms > 0)) {
            throw new MyelinException("cochlea model: needs channels >= 1, 0 < lowHz < highHz, q, tauMs, threshold,"
                    + " targetRms > 0 and refractoryMs >= 0");
        }
    }

    /** Centre frequency of channel c, Hz (channel 0 highest). */
    public double centreHz(int c) {
        double f = channels == 1 ? 0 : (double) (channels - 1 - c) / (channels - 1);
        return lowHz * Math.pow(highHz / lowHz, f);
    }

    public EventStream spikes(double[] samples, int sampleRate) {
        if (sampleRate <= 0) {
            throw new MyelinException("cochlea model: sample rate must be > 0, was " + sampleRate);
        }
        double rms = 0;
        for (double s : samples) {
            rms += s * s;
        }
        rms = Math.sqrt(rms / Math.max(1, samples.length));
        double gain = rms > 0 ? targetRms / rms : 0;
        double dt = 1.0 / sampleRate;
        double decay = Math.exp(-dt * 1000 / tauMs);
        int dead = (int) Math.round(refractoryMs * 1e-3 * sampleRate);
        EventStream out = new EventStream(channels, 1, 1024);
        double[][] coef = new double[channels][];
        for (int c = 0; c < channels; c++) {
            coef[c] = bandPass(Math.min(centreHz(c), 0.45 * sampleRate), q, sampleRate);
        }
        double[][] state = new double[channels][8];
        double[] v = new double[channels];
        int[] silent = new int[channels];
        for (int n = 0; n < samples.length; n++) {
            double x = samples[n] * gain;
            long tUs = Math.round(n * 1e6 / sampleRate);
            for (int c = 0; c < channels; c++) {
                double y = biquad(coef[c], state[c], 0, x);
                y = biquad(coef[c], state[c], 4, y);
                double drive = y > 0 ? y : 0;
                if (silent[c] > 0) {
                    silent[c]--;
                    continue;
                }
                v[c] = v[c] * decay + drive * dt * 1000 / tauMs;
                if (v[c] > threshold) {
                    out.add(tUs, c, 0, 1);
                    v[c] = 0;
                    silent[c] = dead;
                }
            }
        }
        return out;
    }

    /** RBJ band-pass, 0 dB peak: {b0, b1, b2, a1, a2} normalised by a0. */
    private static double[] bandPass(double f0, double q, int rate) {
        double w = 2 * Math.PI * f0 / rate;
        double alpha = Math.sin(w) / (2 * q);
        double a0 = 1 + alpha;
        return new double[] {alpha / a0, 0, -alpha / a0, -2 * Math.cos(w) / a0, (1 - alpha) / a0};
    }

    /** Direct form I; state[off..off+3] = x1, x2, y1, y2. */
    private static double biquad(double[] k, double[] s, int off, double x) {
        double y = k[0] * x + k[1] * s[off] + k[2] * s[off + 1] - k[3] * s[off + 2] - k[4] * s[off + 3];
        s[off + 1] = s[off];
        s[off] = x;
        s[off + 3] = s[off + 2];
        s[off + 2] = y;
        return y;
    }
}
