package org.myelin.backend.memristor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myelin.backend.cpu.ExternalSynapses;
import org.myelin.backend.memristor.device.DeviceModel;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.model.DiscreteLifModel;
import org.myelin.core.model.ResetMode;
import org.myelin.core.connect.Distribution;
import org.myelin.core.monitor.Recording;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

/**
 * The crossbar in the loop, effect by effect against its formula: read noise drawn at every read, drift during the
 * run, IR drop along the wire path, the ADC on summed column currents, tiles, and the counts and energy of a run.
 */
class CrossbarTest {

    /** One source row of {@code n} synapses with the given weights onto targets 0..n-1, one worker. */
    private static ExternalSynapses.Layout row(float[] w, int sources) {
        int n = w.length;
        int[] pre = new int[n];
        int[] post = new int[n];
        double[] wd = new double[n];
        for (int k = 0; k < n; k++) {
            post[k] = k;
            wd[k] = w[k];
        }
        Projection p = Projection.between("in", "out").named("probe" + n + "x" + sources).delaySteps(1)
                .connect(Connectivity.explicit(pre, post, wd, null)).build();
        int[] rowStart = new int[sources + 1];
        java.util.Arrays.fill(rowStart, 1, sources + 1, n);
        int[] target = new int[n];
        for (int k = 0; k < n; k++) {
            target[k] = k;
        }
        int[] delay = new int[n];
        java.util.Arrays.fill(delay, 1);
        return new ExternalSynapses.Layout(p, sources, 0, n, rowStart, target, w, delay, new int[] {0, n}, 1.0);
    }

    private static Crossbar crossbar(ExternalSynapses.Layout l, DeviceModel m, CrossbarSpec s, long run, double t) {
        return new Crossbar(Crossbar.Program.of(l, m, s, 7, t), l, run, t);
    }

    @Test
    void readNoiseIsDrawnAtEveryReadWithItsSpread() {
        float[] w = {2f, -1f, 0.5f};
        ExternalSynapses.Layout l = row(w, 1);
        double sigma = 0.03;
        DeviceModel m = DeviceModel.ideal(25).withReadNoise(0, sigma);
        Crossbar c = crossbar(l, m, CrossbarSpec.defaults(), 1, 0);
        int reads = 40_000;
        double[] sum = new double[3];
        double[] sq = new double[3];
        double lag = 0;
        float[] v = new float[3];
        float previous = Float.NaN;
        for (int s = 0; s < reads; s++) {
            assertTrue(c.row(0, s, 0, 0, 3, v));
            for (int k = 0; k < 3; k++) {
                sum[k] += v[k];
                sq[k] += v[k] * v[k];
            }
            if (s > 0) {
                lag += (v[0] - 2) * (previous - 2);
            }
            previous = v[0];
        }
        // w > 0: G+ = gMax w / wMax, G- = 0 (gMin 0): var(w read) = (G+ sigma)^2 (wMax / gMax)^2 = (w sigma)^2
        for (int k = 0; k < 3; k++) {
            double mean = sum[k] / reads;
            double sd = Math.sqrt(sq[k] / reads - mean * mean);
            assertEquals(w[k], mean, 4 * Math.abs(w[k]) * sigma / Math.sqrt(reads), "mean of synapse " + k);
            assertEquals(Math.abs(w[k]) * sigma, sd, 0.02 * Math.abs(w[k]) * sigma, "spread of synapse " + k);
        }
        double corr = lag / (reads - 1) / (4 * sigma * sigma);
        assertEquals(0, corr, 0.03, "consecutive reads are independent");
        float[] again = new float[3];
        crossbar(l, m, CrossbarSpec.defaults(), 1, 0).row(0, 5, 0, 0, 3, again);
        float[] otherRun = new float[3];
        crossbar(l, m, CrossbarSpec.defaults(), 2, 0).row(0, 5, 0, 0, 3, otherRun);
        float[] first = new float[3];
        c.row(0, 5, 0, 0, 3, first);
        assertEquals(first[0], again[0], 0f, "the same run and read reproduce bit for bit");
        assertNotEquals(first[0], otherRun[0], "another run draws other noise");
    }

    @Test
    void conductancesDriftDuringTheRun() {
        float[] w = {1f};
        ExternalSynapses.Layout l = row(w, 1);
        DeviceModel m = DeviceModel.pcmLike().withProgrammingScale(0).withReadNoise(0, 0);
        double start = 100;
        Crossbar c = crossbar(l, m, CrossbarSpec.defaults(), 0, start);
        Crossbar.Program p = Crossbar.Program.of(l, m, CrossbarSpec.defaults(), 7, start);
        double nu = p.devices.nu(0);
        assertTrue(nu > 0.04, "drift exponent " + nu);
        float[] v = new float[1];
        for (long s : new long[] {0, 50, 1000, 100_000}) { // 50: the Taylor polynomial; 100,000: exact
            c.row(0, s, 0, 0, 1, v);
            double t = start + s * 1e-3;
            double g = 25 * Math.pow((t + 20) / 20, -nu);
            assertEquals(g / 25, v[0], 1e-7, "G(t) = G0 ((t + t0) / t0)^-nu at step " + s);
        }
    }

    @Test
    void irDropFollowsTheWirePathOfEachCell() {
        int n = 300;
        float[] w = new float[n];
        java.util.Arrays.fill(w, 1f);
        ExternalSynapses.Layout l = row(w, 200);
        double ohms = 5;
        CrossbarSpec spec = CrossbarSpec.defaults().withTile(128, 256).withWireOhms(ohms);
        Crossbar.Program p = Crossbar.Program.of(l, DeviceModel.ideal(25), spec, 7, 0);
        assertEquals(2 * 2, p.tiles, "200 rows x 300 columns on 128 x 256 tiles");
        Crossbar c = new Crossbar(p, l, 0, 0);
        float[] v = new float[n];
        // the synapses are row 0's (row 0 of its tile: the longest column path)
        c.row(0, 0, 0, 0, n, v);
        for (int j : new int[] {0, 7, 255, 256, 299}) {
            double path = ohms * ((j % 256 + 1) + (128 - 0));
            double g = 25 / (1 + 25e-6 * path);
            assertEquals(g / 25, v[j], 1e-6, "column " + j + ": G / (1 + G R_path)");
        }
        assertTrue(v[255] < v[256], "the far end of a tile's row loses more than the near end of the next tile");
    }

    @Test
    void theAdcConvertsEachTilesColumnSums() {
        int n = 4;
        float[] w = {1f, -1f, 0.3f, 0.01f};
        ExternalSynapses.Layout l = row(w, 6);
        int bits = 5;
        double rows = 2;
        // 5 bits over 2 rows at gMax: a step of 2 / 16 rows = 0.125 in weight units (wMax = 1)
        DeviceModel m = DeviceModel.ideal(25).withAdc(bits, rows * 25 * 0.2);
        Crossbar c = crossbar(l, m, CrossbarSpec.defaults().withTile(3, 256), 0, 0);
        assertTrue(c.sumsRows());
        float[] scratch = new float[n];
        for (int r = 0; r < 5; r++) {
            assertFalse(c.row(0, 0, r, 0, n, scratch), "kept for the column sums");
        }
        float[] dst = new float[n];
        c.endStep(0, 0, (target, delay, value) -> dst[target] += value);
        // tile row 0 holds rows 0-2, tile row 1 rows 3-4: each column converts 3 w and 2 w, each rounded to 0.25
        double step = 0.125;
        for (int j = 0; j < n; j++) {
            double expected = adc(3 * w[j], step, bits) + adc(2 * w[j], step, bits);
            assertEquals(expected, dst[j], 1e-6, "column " + j);
        }
        assertEquals(2 * 1.875, dst[0], 1e-6, "3 rows and 2 rows both clip at full scale (2 - one step)");
        assertEquals(-4, dst[1], 1e-6, "the negative end is -full scale");
        assertEquals(0.875 + 0.625, dst[2], 1e-6);
        assertEquals(0, dst[3], 0, "a small column sum reads zero");
        CrossbarReport r = c.report();
        assertEquals(2 * n * 5, r.cellReads(), "two devices per synapse read");
        assertEquals(2 * n, r.conversions(), "every column of both active tiles converts once");
        java.util.Arrays.fill(dst, 0f);
        c.endStep(0, 1, (target, delay, value) -> dst[target] += value);
        assertEquals(0, dst[0], 0, "sums are cleared after the step");
        assertEquals(2 * n, c.report().conversions(), "no row, no conversion");
    }

    private static double adc(double x, double step, int bits) {
        double half = 1 << (bits - 1);
        return Math.max(-half, Math.min(half - 1, Math.rint(x / step))) * step;
    }

    @Test
    void aRunCountsItsReadsConversionsAndEnergy() {
        // 3 input spikes at steps 0, 2 and 2 (neurons 0 and 1) into 4 neurons through all-to-all weights
        int[] pre = new int[8];
        int[] post = new int[8];
        double[] w = new double[8];
        for (int k = 0; k < 8; k++) {
            pre[k] = k / 4;
            post[k] = k % 4;
            w[k] = 0.5 + 0.1 * k;
        }
        Network net = Network.builder().dtMs(1).seed(1)
                .spikeTrain("in", 2, new int[] {0, 0, 1}, new long[] {0, 2, 2})
                .population("out", 4, new DiscreteLifModel(0.9, Double.NaN, 100, ResetMode.TO_VALUE),
                        Distribution.constant(0))
                .projection(Projection.between("in", "out").named("in->out").delaySteps(1)
                        .connect(Connectivity.explicit(pre, post, w, null)))
                .build();
        try (CompiledNetwork cn = Backends.find("memristor").compile(net, new SimulationConfig(1).withDevice("ideal"))) {
            cn.run(5, Recording.inMemory());
            CrossbarReport r = ((CrossbarNetwork) cn).report();
            assertEquals(3 * 4 * 2, r.cellReads(), "3 spikes x 4 synapses x 2 devices");
            assertEquals(2 * 4, r.conversions(), "2 steps with an active row x 4 columns");
            assertEquals(5 * 4, r.neuronUpdates());
            assertEquals(1, r.tiles());
            // G+ = 25 w / wMax (wMax 1.2), G- = 0: V^2 t sum G = 0.04 V^2 x 10 ns x sum G uS, in pJ (1e-3)
            double sumG = 0;
            for (int spikeRow : new int[] {0, 0, 1}) {
                for (int k = 4 * spikeRow; k < 4 * spikeRow + 4; k++) {
                    sumG += 25 * w[k] / 1.2;
                }
            }
            assertEquals(0.04 * 10 * sumG * 1e-3, r.cellPj(), 1e-6 * r.cellPj());
            assertEquals(8 * 2.0, r.adcPj(), 1e-12);
            assertEquals(20 * 50.0, r.neuronPj(), 1e-12);
            assertEquals(5 * (10 + 32 * 1.0 + 10), r.latencyNs(), 1e-9, "t_read + 256/8 conversions + neuron update");
            assertTrue(r.json().toString().contains("\"cell_reads\":24"), r.json().toString());
        }
    }

    @Test
    void refusesWhatTheCrossbarCannotRun() {
        MyelinException e = assertThrows(MyelinException.class, () -> Backends.find("memristor").compile(
                org.myelin.core.backend.TestNetworks.poissonDriven(1), new SimulationConfig(1)
                        .withMode(org.myelin.core.backend.EngineMode.EVENT_GRID)));
        assertTrue(e.getMessage().contains("clock"), e.getMessage());
    }
}
