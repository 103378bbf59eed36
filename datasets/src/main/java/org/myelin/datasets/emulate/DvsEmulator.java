package org.myelin.datasets.emulate;

import org.myelin.core.MyelinException;
import org.myelin.core.random.CounterRandom;
import org.myelin.datasets.event.EventStream;

/**
 * A dynamic vision sensor looking at a still image moved by three saccades, as N-MNIST was recorded (Orchard
 * et al. 2015: an ATIS camera on a pan-tilt unit, three saccades of about 100 ms in a triangle, 34 x 34 pixels
 * for 28 x 28 digits).
 *
 * <p>The image (intensities in [0, 1]) is placed on the sensor at an offset that moves along the triangle
 * (0, 0) -> (6, 3) -> (3, 6) -> (0, 0), one side per saccade, and is sampled with bilinear interpolation every
 * {@code frameUs}. Each pixel compares its log intensity {@code ln(I + 0.1)} with a reference: every time the
 * difference passes its contrast threshold (per pixel, normal around {@code contrast} with spread
 * {@code contrastSpread}, fixed by the seed) it emits an ON or OFF event, at a time interpolated inside the
 * frame, and moves its reference by one threshold; a pixel stays silent for {@code refractoryUs} after an event.
 * Background activity adds ON/OFF noise events at {@code noiseHz} per pixel.
 *
 * <table>
 * <caption>Parameters</caption>
 * <tr><th>parameter</th><th>unit</th><th>default</th></tr>
 * <tr><td>saccadeUs</td><td>us</td><td>100000</td></tr>
 * <tr><td>frameUs</td><td>us</td><td>500</td></tr>
 * <tr><td>contrast</td><td>ln units</td><td>0.25</td></tr>
 * <tr><td>contrastSpread</td><td>ln units</td><td>0.03</td></tr>
 * <tr><td>refractoryUs</td><td>us</td><td>1000</td></tr>
 * <tr><td>noiseHz</td><td>Hz per pixel</td><td>0.5</td></tr>
 * </table>
 */
public record DvsEmulator(int saccadeUs, int frameUs, double contrast, double contrastSpread, int refractoryUs,
                          double noiseHz) {
    public static final int SENSOR = 34;
    private static final double[][] TRIANGLE = {{0, 0}, {6, 3}, {3, 6}, {0, 0}};
    private static final double EPS = 0.1;

    public static DvsEmulator defaults() {
        return new DvsEmulator(100_000, 500, 0.25, 0.03, 1000, 0.5);
    }

    public DvsEmulator {
        if (saccadeUs <= 0 || frameUs <= 0 || frameUs > saccadeUs) {
            throw new MyelinException("DVS emulator: saccadeUs and frameUs must be > 0 with frameUs <= saccadeUs, were "
                    + saccadeUs + " and " + frameUs);
        }
        if (!(contrast > 0) || !(contrastSpread >= 0) || refractoryUs < 0 || !(noiseHz >= 0)) {
            throw new MyelinException("DVS emulator: contrast must be > 0, spread, refractory and noise >= 0");
        }
    }

    /**
     * The events of one image ({@code width x height} intensities in [0, 1], at most 28 x 28), keyed by
     * {@code seed} and {@code sample} so every sample has its own noise and thresholds.
     */
    public EventStream emulate(double[] image, int width, int height, long seed, long sample) {
        if (width > SENSOR - 6 || height > SENSOR - 6 || image.length < width * height) {
            throw new MyelinException("DVS emulator: images up to 28 x 28 fit the 34 x 34 sensor with its saccades, got "
                    + width + " x " + height);
        }
        int n = SENSOR * SENSOR;
        double[] threshold = new double[n];
        double[] reference = new double[n];
        long[] silentUntil = new long[n];
        int streamT = (int) (sample * 7919 + 1);
        for (int i = 0; i < n; i++) {
            threshold[i] = Math.max(0.05, contrast + contrastSpread * CounterRandom.normal(seed, streamT, i, 0));
        }
        double[] frame = render(image, width, height, 0, 0);
        for (int i = 0; i < n; i++) {
            reference[i] = Math.log(frame[i] + EPS);
        }
        EventStream out = new EventStream(SENSOR, SENSOR, 4096);
        int total = 3 * saccadeUs;
        int frames = total / frameUs;
        double[] previous = new double[n];
        for (int i = 0; i < n; i++) {
            previous[i] = reference[i];
        }
        double pNoise = noiseHz * frameUs * 1e-6;
        int streamN = (int) (sample * 104729 + 3);
        long[] ts = new long[64];
        int[] te = new int[64];
        int[] tx = new int[64];
        for (int f = 1; f <= frames; f++) {
            long t = (long) f * frameUs;
            double[] pos = position(t);
            frame = render(image, width, height, pos[0], pos[1]);
            // events of this frame, collected then written in time order
            int count = 0;
            for (int i = 0; i < n; i++) {
                double l = Math.log(frame[i] + EPS);
                double d = l - reference[i];
                while (Math.abs(d) >= threshold[i]) {
                    int sign = d > 0 ? 1 : -1;
                    double crossing = reference[i] + sign * threshold[i];
                    double span = l - previous[i];
                    double frac = span == 0 ? 1 : Math.min(1, Math.max(0, (crossing - previous[i]) / span));
                    long at = t - frameUs + Math.round(frac * frameUs);
                    reference[i] = crossing;
                    d = l - reference[i];
                    if (at < silentUntil[i]) {
                        continue;
                    }
                    silentUntil[i] = at + refractoryUs;
                    if (count == ts.length) {
                        ts = java.util.Arrays.copyOf(ts, count * 2);
                        te = java.util.Arrays.copyOf(te, count * 2);
                        tx = java.util.Arrays.copyOf(tx, count * 2);
                    }
                    ts[count] = at;
                    tx[count] = i;
                    te[count] = sign > 0 ? 1 : 0;
                    count++;
                }
                previous[i] = l;
                if (pNoise > 0) {
                    double u = CounterRandom.uniform(seed, streamN, i, f);
                    if (u < pNoise) {
                        if (count == ts.length) {
                            ts = java.util.Arrays.copyOf(ts, count * 2);
                            te = java.util.Arrays.copyOf(te, count * 2);
                            tx = java.util.Arrays.copyOf(tx, count * 2);
                        }
                        ts[count] = t - frameUs + (long) (u / pNoise * frameUs);
                        tx[count] = i;
                        te[count] = u < pNoise / 2 ? 1 : 0;
                        count++;
                    }
                }
            }
            Integer[] order = new Integer[count];
            for (int k = 0; k < count; k++) {
                order[k] = k;
            }
            long[] tsf = ts;
            int[] txf = tx;
            java.util.Arrays.sort(order, (a, b) -> tsf[a] != tsf[b] ? Long.compare(tsf[a], tsf[b]) : Integer.compare(txf[a], txf[b]));
            for (int k : order) {
                out.add(ts[k], tx[k] % SENSOR, tx[k] / SENSOR, te[k]);
            }
        }
        return out;
    }

    /** Offset of the image at time t: along the triangle, one side per saccade. */
    double[] position(long t) {
        int side = (int) Math.min(2, t / saccadeUs);
        double f = (t - (long) side * saccadeUs) / (double) saccadeUs;
        double[] a = TRIANGLE[side];
        double[] b = TRIANGLE[side + 1];
        return new double[] {a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f};
    }

    /** The sensor's view: the image shifted by (dx, dy), bilinear, 0 outside. */
    static double[] render(double[] image, int width, int height, double dx, double dy) {
        double[] out = new double[SENSOR * SENSOR];
        for (int y = 0; y < SENSOR; y++) {
            for (int x = 0; x < SENSOR; x++) {
                double sx = x - dx;
                double sy = y - dy;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                double fx = sx - x0;
                double fy = sy - y0;
                out[y * SENSOR + x] = (1 - fx) * (1 - fy) * at(image, width, height, x0, y0)
                        + fx * (1 - fy) * at(image, width, height, x0 + 1, y0)
                        + (1 - fx) * fy * at(image, width, height, x0, y0 + 1)
                        + fx * fy * at(image, width, height, x0 + 1, y0 + 1);
            }
        }
        return out;
    }

    private static double at(double[] image, int w, int h, int x, int y) {
        return x < 0 || y < 0 || x >= w || y >= h ? 0 : image[y * w + x];
    }
}
