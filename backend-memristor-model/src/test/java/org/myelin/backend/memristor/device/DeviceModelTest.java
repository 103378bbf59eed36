package org.myelin.backend.memristor.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;

/** Each device effect measured on large samples against its formula. */
class DeviceModelTest {
    private static final int N = 200_000;

    private static double[] filled(double v) {
        double[] a = new double[N];
        Arrays.fill(a, v);
        return a;
    }

    private static double mean(double[] x) {
        return Arrays.stream(x).average().orElse(Double.NaN);
    }

    private static double sd(double[] x) {
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (x.length - 1));
    }

    @Test
    void theIdealModelProgramsDriftsAndReadsExactly() {
        DeviceModel m = DeviceModel.ideal(25);
        double[] t = {0, 3.5, 12.5, 25};
        DeviceArray a = new DeviceArray(m, t, 1, "ideal");
        for (int i = 0; i < t.length; i++) {
            assertEquals(t[i], a.programmed(i), 0);
            assertEquals(t[i], a.read(i, 1e6, 7), 0);
        }
        assertEquals(0.3, DeviceArray.adc(m, 0.3), 0);
    }

    @Test
    void programmedConductancesHaveThePcmPolynomialsSpread() {
        DeviceModel m = DeviceModel.pcmLike();
        for (double g : new double[] {5, 12.5, 20}) {
            DeviceArray a = new DeviceArray(m, filled(g), 3, "prog" + g);
            double[] p = new double[N];
            for (int i = 0; i < N; i++) {
                p[i] = a.programmed(i);
            }
            double x = g / 25;
            double sigma = 0.26348 + 1.9650 * x - 1.1731 * x * x;
            assertEquals(sigma, m.programmingSigma(g), 1e-12);
            assertEquals(g, mean(p), 4 * sigma / Math.sqrt(N), "mean at " + g + " uS");
            assertEquals(sigma, sd(p), 0.01 * sigma, "spread at " + g + " uS");
        }
    }

    @Test
    void driftFollowsItsPowerLawAndTheExponentsTheirFit() {
        DeviceModel m = DeviceModel.pcmLike();
        double g = 20;
        DeviceArray a = new DeviceArray(m, filled(g), 5, "drift");
        // the exponent recovered by a least-squares fit of log G against log((t + t0) / t0), for some devices
        double[] ts = {0, 20, 100, 1000, 10_000, 86_400};
        for (int i = 0; i < 50; i++) {
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double sxy = 0;
            for (double t : ts) {
                double lx = Math.log((t + 20) / 20);
                double ly = Math.log(a.drifted(i, t));
                sx += lx;
                sy += ly;
                sxx += lx * lx;
                sxy += lx * ly;
            }
            double slope = (ts.length * sxy - sx * sy) / (ts.length * sxx - sx * sx);
            assertEquals(a.nu(i), -slope, 1e-9, "device " + i);
        }
        double[] nus = new double[N];
        for (int i = 0; i < N; i++) {
            nus[i] = a.nu(i);
        }
        double[] moments = m.driftMoments(g);
        // at g/gMax = 0.8 the fits clamp: mu 0.049, sigma 0.008, far from 0 so |.| changes nothing
        assertEquals(0.049, moments[0], 1e-12);
        assertEquals(0.008, moments[1], 1e-12);
        assertEquals(moments[0], mean(nus), 4 * moments[1] / Math.sqrt(N));
        assertEquals(moments[1], sd(nus), 0.01 * moments[1]);
    }

    @Test
    void readsAreNoisyAfreshWithThe1OverFSpreadAndReproduciblePerRead() {
        DeviceModel m = DeviceModel.pcmLike();
        DeviceArray a = new DeviceArray(m, new double[] {12.5}, 9, "read");
        double t = 3600;
        double g = a.drifted(0, t);
        double[] reads = new double[N];
        for (int k = 0; k < N; k++) {
            reads[k] = a.read(0, t, k);
        }
        double rel = m.readRelativeSigma(g, t);
        double qs = Math.min(0.0088 / Math.pow(g / 25, 0.65), 0.2);
        assertEquals(qs * Math.sqrt(Math.log((t + 20 + 250e-9) / (2 * 250e-9))), rel, 1e-12);
        assertEquals(g, mean(reads), 4 * rel * g / Math.sqrt(N));
        assertEquals(rel * g, sd(reads), 0.01 * rel * g);
        assertEquals(reads[17], a.read(0, t, 17), 0, "the same read again");
    }

    @Test
    void finiteLevelsDeviceSpreadAndStuckFaultsOccurAsConfigured() {
        DeviceModel m = DeviceModel.ideal(25).withLevels(16).withDeviceToDevice(0.05).withFaults(0.01, 0.002);
        double[] targets = new double[N];
        for (int i = 0; i < N; i++) {
            targets[i] = 25.0 * i / N;
        }
        DeviceArray a = new DeviceArray(m, targets, 11, "faults");
        int low = 0;
        int high = 0;
        for (int i = 0; i < N; i++) {
            low += a.fault(i) < 0 ? 1 : 0;
            high += a.fault(i) > 0 ? 1 : 0;
        }
        assertEquals(0.01 * N, low, 4 * Math.sqrt(0.01 * N), "stuck-at-low count");
        assertEquals(0.002 * N, high, 4 * Math.sqrt(0.002 * N), "stuck-at-high count");
        // without the spread, the programmed values are exactly the 16 levels
        DeviceArray q = new DeviceArray(DeviceModel.ideal(25).withLevels(16), targets, 11, "levels");
        TreeSet<Double> values = new TreeSet<>();
        for (int i = 0; i < N; i++) {
            values.add(q.programmed(i));
            assertTrue(Math.abs(q.programmed(i) - targets[i]) <= 25.0 / 15 / 2 + 1e-12, "nearest level");
        }
        assertEquals(16, values.size());
        // the device-to-device gain: healthy devices at one level spread by 5 % of it
        DeviceArray d = new DeviceArray(DeviceModel.ideal(25).withDeviceToDevice(0.05), filled(10), 13, "d2d");
        double[] g = new double[N];
        for (int i = 0; i < N; i++) {
            g[i] = d.programmed(i);
        }
        assertEquals(0.5, sd(g), 0.01 * 0.5);
    }

    @Test
    void theAdcRoundsToItsLevelsWithinHalfAStep() {
        DeviceModel m = DeviceModel.ideal(25).withAdc(4, 1.0);
        TreeSet<Double> levels = new TreeSet<>();
        double step = 1.0 / 8;
        for (int k = 0; k <= 10_000; k++) {
            double c = -1.2 + 2.4 * k / 10_000;
            double out = DeviceArray.adc(m, c);
            levels.add(out);
            double clipped = Math.max(-1, Math.min(1 - step, c));
            assertTrue(Math.abs(out - clipped) <= step / 2 + 1e-12, c + " -> " + out);
            assertEquals(0, Math.IEEEremainder(out, step), 1e-12, "a multiple of the step");
        }
        assertEquals(16, levels.size());
        assertEquals(-1.0, levels.first(), 1e-12);
        assertEquals(1.0 - step, levels.last(), 1e-12);
        assertEquals(0.0, DeviceArray.adc(m, 0.0), 0.0, "a silent column reads zero");
        assertEquals(0.0, DeviceArray.adc(m, step * 0.49), 0.0);
    }

    @Test
    void badParametersAndTargetsAreRefused() {
        assertThrows(MyelinException.class, () -> DeviceModel.ideal(25).withLevels(1));
        assertThrows(MyelinException.class, () -> DeviceModel.ideal(25).withFaults(0.7, 0.5));
        MyelinException e = assertThrows(MyelinException.class,
                () -> new DeviceArray(DeviceModel.ideal(25), new double[] {30}, 1, "w"));
        assertTrue(e.getMessage().contains("outside [0.0, 25.0] uS"), e.getMessage());
    }

    @Test
    void stochasticSwitchingDrawsWeightsWithTheirPredictedMoments() {
        StochasticSwitching sw = new StochasticSwitching(0.5, 1.0, 0.3, 40.0, 0.1);
        double[] w = sw.weights(N, 17, "reservoir");
        assertEquals(0, mean(w), 4 * Math.sqrt(sw.weightVariance() / N), "weights are centred");
        assertEquals(Math.sqrt(sw.weightVariance()), sd(w), 0.01 * Math.sqrt(sw.weightVariance()), "weight spread");
        // the switched fraction: devices above the midpoint between the two states
        int stream = org.myelin.core.random.CounterRandom.streamOf("probe/switching");
        StochasticSwitching rare = new StochasticSwitching(0.1, 1.0, 0.3, 40.0, 0.1);
        int set = 0;
        double[] g = new double[N];
        for (int i = 0; i < N; i++) {
            g[i] = rare.conductance(17, stream, i);
            set += g[i] > 20 ? 1 : 0;
        }
        assertEquals(0.1 * N, set, 4 * Math.sqrt(0.1 * 0.9 * N), "switched devices");
        assertEquals(rare.deviceMean(), mean(g), 4 * Math.sqrt(rare.deviceVariance() / N));
        assertEquals(Math.sqrt(rare.deviceVariance()), sd(g), 0.01 * Math.sqrt(rare.deviceVariance()));
        assertTrue(Arrays.equals(w, sw.weights(N, 17, "reservoir")), "the same draw again");
        assertThrows(MyelinException.class, () -> new StochasticSwitching(1.5, 1, 0, 2, 0));
    }
}
