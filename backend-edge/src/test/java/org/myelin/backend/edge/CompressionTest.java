package org.myelin.backend.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.core.random.CounterRandom;
import org.myelin.learning.lmu.L2mu;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.neuron.LeakyNeuron;
import org.myelin.learning.tensor.Tensor;

/** Compression of a spiking MLP, the fixed-point reference it gives, and the model image. */
class CompressionTest {

    static SpikingMlp model(float beta, boolean gridWeights) {
        return model(beta, gridWeights, Float.NaN, false);
    }

    /** With {@code alpha} not NaN synaptic (CuBa) layers; with {@code recurrent} the hidden layer recurrent. */
    static SpikingMlp model(float beta, boolean gridWeights, float alpha, boolean recurrent) {
        SpikingMlp m = new SpikingMlp(20, new int[] {16, 4}, (name, n) -> {
            LeakyNeuron.Builder b = LeakyNeuron.builder(n).name(name).beta(beta, false).threshold(1f, false)
                    .resetDelay(false).reset(LeakyNeuron.Reset.SUBTRACT).recurrent(recurrent && name.equals("layer0"));
            if (!Float.isNaN(alpha)) {
                b.synaptic(alpha, false);
            }
            return b.build();
        }, SpikingMlp.Readout.SPIKE_COUNT, 3);
        if (recurrent) {
            float[] r = ((LeakyNeuron) m.layers().get(0)).recurrent().data();
            for (int i = 0; i < r.length; i++) {
                double v = (CounterRandom.uniform(7, 7, i, 0) - 0.6) * 1.0;
                r[i] = gridWeights ? (float) (Math.round(v * 32) / 32.0) : (float) v;
            }
        }
        for (int l = 0; l < 2; l++) {
            Tensor w = m.weights().get(l);
            for (int i = 0; i < w.size(); i++) {
                double v = (CounterRandom.uniform(5, l, i, 0) - 0.35) * 1.2;
                // on the grid: multiples of 1/32, the largest magnitude 127/32 set below, so int8 holds them exactly
                w.data()[i] = gridWeights ? (float) (Math.round(v * 32) / 32.0) : (float) v;
            }
            if (gridWeights) {
                w.data()[0] = 127f / 32;
            }
            Tensor b = m.biases().get(l);
            for (int j = 0; j < b.size(); j++) {
                b.data()[j] = gridWeights ? 1f / 32 : (float) (CounterRandom.uniform(6, l, j, 0) - 0.5) * 0.1f;
            }
        }
        return m;
    }

    static boolean[][] window(int steps, int in, long seed) {
        boolean[][] s = new boolean[steps][in];
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < in; i++) {
                s[t][i] = CounterRandom.uniform(seed, 1, i, t) < 0.3;
            }
        }
        return s;
    }

    @Test
    void shiftsApproximateBeta() {
        assertArrayEquals(new int[] {3, 0, 1}, Compression.shifts(0.875));
        int[] s = Compression.shifts(0.9);
        double beta = 1 - Math.pow(2, -s[0]) + (s[1] == 0 ? 0 : s[2] * Math.pow(2, -s[1]));
        assertTrue(Math.abs(beta - 0.9) < 0.007, java.util.Arrays.toString(s) + " gives " + beta);
        assertThrows(MyelinException.class, () -> Compression.shifts(1.0));
    }

    @Test
    void aModelOnTheGridRunsInFixedPointExactlyAsInFloat() {
        SpikingMlp m = model(0.875f, true);
        FixedPointNet q = Compression.compress(m, 8, 0);
        assertEquals(1.0 / 32, q.layers().get(0).scale(), 1e-12, "scale: 127/32 over 127");
        long spikes = 0;
        for (int k = 0; k < 30; k++) {
            boolean[][] w = window(25, 20, k);
            int[] f = Compression.floatCounts(m, w);
            assertArrayEquals(f, q.run(w, null), "window " + k);
            for (int c : f) {
                spikes += c;
            }
        }
        assertTrue(spikes > 100, "the output layer spikes: " + spikes);
    }

    @Test
    void recurrentCubaModelsOnTheGridRunInFixedPointAsInFloat() {
        SpikingMlp m = model(0.875f, true, 0.5f, true);
        FixedPointNet q = Compression.compress(m, 8, 0);
        assertEquals(0.5, q.layers().get(0).alpha(), 0, "alpha 0.5 is one shift");
        assertTrue(q.layers().get(0).links().size() == 2 && q.layers().get(0).links().get(1).previous()
                && q.layers().get(0).links().get(1).source() == 0, "recurrent weights kept: the layer reads itself");
        long spikes = 0;
        int same = 0;
        for (int k = 0; k < 30; k++) {
            boolean[][] w = window(25, 20, k);
            int[] f = Compression.floatCounts(m, w);
            same += java.util.Arrays.equals(f, q.run(w, null)) ? 1 : 0;
            for (int c : f) {
                spikes += c;
            }
        }
        assertTrue(spikes > 100, "the output layer spikes: " + spikes);
        // the shifts floor where float rounds, so a count may differ where a membrane sits on the threshold
        assertTrue(same >= 27, "identical counts in " + same + " of 30 windows");
    }

    @Test
    void int8AgreesWithFloatAndInt4AndPruningAreSmallerAndCheaper() {
        SpikingMlp m = model(0.9f, false);
        FixedPointNet q8 = Compression.compress(m, 8, 0);
        FixedPointNet q4 = Compression.compress(m, 4, 0);
        FixedPointNet p8 = Compression.compress(m, 8, 0.5);
        int same = 0;
        long[] ops8 = new long[FixedPointNet.OPS];
        long[] opsP = new long[FixedPointNet.OPS];
        for (int k = 0; k < 100; k++) {
            boolean[][] w = window(25, 20, 100 + k);
            same += FixedPointNet.argmax(Compression.floatCounts(m, w)) == FixedPointNet.argmax(q8.run(w, ops8)) ? 1 : 0;
            p8.run(w, opsP);
        }
        assertTrue(same >= 90, "int8 and float agree on " + same + " of 100 windows");
        assertTrue(q4.parameterBytes() < q8.parameterBytes(), q4.parameterBytes() + " vs " + q8.parameterBytes());
        long nz = p8.layers().get(0).nonZero();
        assertTrue(nz <= 20 * 16 / 2 && nz >= 20 * 16 / 2 - 5, "half the weights pruned: " + nz);
        assertTrue(ops8[0] > 0 && ops8[1] == 100L * 25 * (16 + 4), "accumulates and neuron updates counted");
    }

    @Test
    void modelsThatTheRuntimeCannotRunAreRefusedWithTheReason() {
        SpikingMlp delayed = new SpikingMlp(4, new int[] {3}, (name, n) -> LeakyNeuron.builder(n).name(name).build(),
                SpikingMlp.Readout.SPIKE_COUNT, 1);
        MyelinException e = assertThrows(MyelinException.class, () -> Compression.compress(delayed, 8, 0));
        assertTrue(e.getMessage().contains("--immediate-reset"), e.getMessage());
        e = assertThrows(MyelinException.class, () -> Compression.compress(model(0.9f, false), 6, 0));
        assertTrue(e.getMessage().contains("8 or 4 bits"), e.getMessage());
    }

    @Test
    void theImageRoundTripsAndEveryDamageIsCaughtAndNamed() {
        for (int bits : new int[] {8, 4}) {
            FixedPointNet q = Compression.compress(model(0.9f, false, bits == 4 ? 0.7f : Float.NaN, bits == 4), bits,
                    0.25);
            byte[] img = ModelImage.write(q);
            assertEquals(q, ModelImage.read(img), bits + "-bit image");
            List<ModelImage.Section> secs = ModelImage.check(img);
            assertEquals(List.of("META", "LAYR", "LINK", "BIAS", "WGHT"),
                    secs.stream().map(ModelImage.Section::id).toList());
            byte[] flipped = img.clone();
            ModelImage.Section w = secs.get(4);
            flipped[w.offset() + 5] ^= 0x10;
            MyelinException e = assertThrows(MyelinException.class, () -> ModelImage.read(flipped));
            assertTrue(e.getMessage().contains("section WGHT fails its CRC-32"), e.getMessage());
            byte[] other = img.clone();
            other[4] = 1;
            e = assertThrows(MyelinException.class, () -> ModelImage.read(other));
            assertTrue(e.getMessage().contains("format version 1; this Myelin reads version 2"), e.getMessage());
            byte[] cut = java.util.Arrays.copyOf(img, img.length - 10);
            e = assertThrows(MyelinException.class, () -> ModelImage.read(cut));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            byte[] hash = img.clone();
            hash[hash.length - 1] ^= 1;
            e = assertThrows(MyelinException.class, () -> ModelImage.read(hash));
            assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
            assertTrue(ModelImage.describe(img).contains("WGHT"), ModelImage.describe(img));
        }
    }

    /** A small spiking L2MU (3 channels, 4 classes) with immediate reset, lively enough to compare spikes. */
    static L2mu l2mu(L2mu.Neuron neuron, L2mu.Encoder encoder, long seed) {
        L2mu.Spec s = L2mu.Spec.reference(3, 4, neuron, encoder, seed).withSizes(3, 5, 16, 6).withImmediateReset(true);
        L2mu m = new L2mu(s);
        float[] em = m.tensor("e_m").data();
        for (int i = 0; i < em.length; i++) {
            em[i] = (float) (CounterRandom.uniform(seed, 3, i, 0) - 0.5);
        }
        for (float[] w : new float[][] {m.tensor("out.weight").data(), m.tensor("e_x").data(), m.tensor("W_x").data()}) {
            for (int i = 0; i < w.length; i++) {
                w[i] *= 3f;
            }
        }
        return m;
    }

    /** A standardised-looking window (steps x channels), values in about [-2, 2]. */
    static float[] values(int steps, int channels, long seed) {
        float[] v = new float[steps * channels];
        for (int t = 0; t < steps; t++) {
            for (int c = 0; c < channels; c++) {
                v[t * channels + c] = (float) (2 * Math.sin(0.4 * t * (c + 1) + seed)
                        + (CounterRandom.uniform(seed, 9, t, c) - 0.5));
            }
        }
        return v;
    }

    @Test
    void anL2muCompressesToLayersThatReadEachOtherAsTheCellDoes() {
        L2mu m = l2mu(L2mu.Neuron.LIF, L2mu.Encoder.SINGLE, 1);
        FixedPointNet q = Compression.compress(m, 8, 0);
        assertTrue(q.valueInput(), "the board takes the sensor values");
        assertEquals(5, q.layers().size(), "enc, u, m, h, out");
        FixedPointNet.Layer u = q.layers().get(1);
        assertEquals(List.of("2 previous", "0 same", "3 previous"), u.links().stream()
                .map(k -> k.source() + (k.previous() ? " previous" : " same")).toList(), "u reads m, enc, h");
        FixedPointNet.Layer mem = q.layers().get(2);
        assertEquals(6, mem.links().get(0).blocks(), "the memory matrix: one 3 x 3 block per memory dimension");
        assertEquals(9, mem.links().get(0).weights().length);
        assertEquals(q, ModelImage.read(ModelImage.write(q)), "the image round-trips");
        int same = 0;
        long spikes = 0;
        long[] ops = new long[FixedPointNet.OPS];
        for (int k = 0; k < 40; k++) {
            float[] x = values(30, 3, k);
            int[] f = Compression.floatCounts(m, x, 30);
            int[] c = q.run(Compression.quantiseInput(x, 30, 3), ops);
            same += FixedPointNet.argmax(f) == FixedPointNet.argmax(c) ? 1 : 0;
            for (int v : c) {
                spikes += v;
            }
        }
        assertTrue(spikes > 200, "the output spikes: " + spikes);
        assertTrue(same >= 32, "int8 and float agree on " + same + " of 40 windows");
        assertEquals(40L * 30 * 3 * 30, ops[3], "multiply-accumulates: 3 channels x the input module's 30 neurons");
        assertTrue(ops[0] > 0 && ops[4] <= ops[0], "accumulates counted, the sparse ones no more than the dense");
        L2mu delayed = new L2mu(L2mu.Spec.reference(3, 4, L2mu.Neuron.LIF, L2mu.Encoder.PLAIN, 1));
        MyelinException e = assertThrows(MyelinException.class, () -> Compression.compress(delayed, 8, 0));
        assertTrue(e.getMessage().contains("--immediate-reset"), e.getMessage());
    }

    @Test
    void quantisedInputIsQ8RoundedAndClampedToInt16() {
        int[][] q = Compression.quantiseInput(new float[] {1.5f, -0.00195f, 200f, -200f}, 2, 2);
        assertArrayEquals(new int[] {384, 0}, q[0]);
        assertArrayEquals(new int[] {Short.MAX_VALUE, Short.MIN_VALUE}, q[1]);
    }
}
