package org.myelin.learning.lmu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.myelin.core.random.CounterRandom;
import org.myelin.learning.neuron.Surrogate;
import org.myelin.learning.ops.Losses;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * The L2MU cell: its spiking forward pass against an independent step-by-step computation, the ANN variant's
 * gradients against finite differences (which checks the wiring through time), and that it learns.
 */
class L2muTest {

    static L2mu.Spec small(L2mu.Neuron neuron, L2mu.Encoder encoder) {
        L2mu.Pop p = new L2mu.Pop(0.8f, 0.3f, 0.6f);
        return new L2mu.Spec(3, 4, 3, 5, 6, 4, neuron, encoder, 2, p, new L2mu.Pop(0.5f, 0.2f, 0.5f),
                new L2mu.Pop(0.6f, 0.25f, 0.4f), new L2mu.Pop(0.7f, 0.2f, 0.3f), new L2mu.Pop(0.9f, 0.4f, 0.5f),
                LegendreMemory.Convention.RELEASED, Surrogate.atan(2f), 5, false);
    }

    static Tensor input(int steps, int batch, int in, long seed) {
        float[] x = new float[steps * batch * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (CounterRandom.uniform(seed, 7, i, 0) * 2 - 0.6);
        }
        return Tensor.of(x, steps, batch, in);
    }

    /** y = a w (+ bias): acc starts at the bias (or 0) and adds a[i] w[i][j] in ascending i, as the kernels do. */
    static float[] mm(float[] a, int rows, int inner, float[] w, int cols, float[] bias) {
        float[] y = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                float acc = bias == null ? 0f : bias[j];
                for (int i = 0; i < inner; i++) {
                    if (a[r * inner + i] != 0f) {
                        acc += a[r * inner + i] * w[i * cols + j];
                    }
                }
                y[r * cols + j] = acc;
            }
        }
        return y;
    }

    /** Per row, the concatenation of up to three row-major blocks (a null block is left out). */
    static float[] cat(int rows, float[] a, int wa, float[] b, int wb, float[] c, int wc) {
        int w = wa + wb + (c == null ? 0 : wc);
        float[] y = new float[rows * w];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(a, r * wa, y, r * w, wa);
            System.arraycopy(b, r * wb, y, r * w + wa, wb);
            if (c != null) {
                System.arraycopy(c, r * wc, y, r * w + wa + wb, wc);
            }
        }
        return y;
    }

    static float[] add(float[] a, float[] b) {
        float[] y = new float[a.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = a[i] + b[i];
        }
        return y;
    }

    /**
     * snnTorch's Leaky / Synaptic step on plain arrays; state {syn, u, s} (null before the first step); the reset at
     * the next step, or with {@code immediate} in the spike's step.
     */
    static float[] step(float[] in, float[][] st, L2mu.Pop p, boolean cuba, boolean immediate) {
        float[] x = in;
        if (cuba) {
            if (st[0] != null) {
                x = new float[in.length];
                for (int i = 0; i < in.length; i++) {
                    x[i] = st[0][i] * p.alpha() + in[i];
                }
            }
            st[0] = x;
        }
        float[] u = new float[in.length];
        for (int i = 0; i < u.length; i++) {
            u[i] = st[1] == null ? x[i] : st[1][i] * p.beta() + x[i];
            if (st[2] != null && !immediate) {
                u[i] = u[i] + st[2][i] * -p.threshold();
            }
        }
        float[] s = new float[u.length];
        for (int i = 0; i < u.length; i++) {
            s[i] = u[i] > p.threshold() ? 1f : 0f;
            if (immediate) {
                u[i] = u[i] + s[i] * -p.threshold();
            }
        }
        st[1] = u;
        st[2] = s;
        return s;
    }

    @ParameterizedTest
    @EnumSource(value = L2mu.Neuron.class, names = {"LIF", "CUBA"})
    void theSpikingCellComputesWhatTheEquationsSay(L2mu.Neuron neuron) {
        for (int variant = 0; variant < 4; variant++) {
            L2mu.Encoder enc = L2mu.Encoder.values()[variant % 2];
            boolean immediate = variant >= 2;
            L2mu.Spec s = small(neuron, enc).withImmediateReset(immediate);
            L2mu model = new L2mu(s);
            // no zero recurrent memory weights: make e_m matter
            float[] em = model.tensor("e_m").data();
            for (int i = 0; i < em.length; i++) {
                em[i] = (float) (CounterRandom.uniform(3, 3, i, 0) - 0.5);
            }
            int steps = 12;
            int batch = 2;
            Tensor x = input(steps, batch, 3, 9);
            L2mu.Forward f = model.forward(Tape.inference(), x, true);
            boolean cuba = neuron == L2mu.Neuron.CUBA;
            int mem = s.memory();
            int d = s.order();
            float[] h = new float[batch * s.hidden()];
            float[] m = new float[batch * mem * d];
            float[][] su = new float[3][];
            float[][] sm = new float[3][];
            float[][] sh = new float[3][];
            float[][] so = new float[3][];
            float[][][] se = new float[3][3][];
            float[] counts = new float[batch * s.classes()];
            long spikes = 0;
            for (int t = 0; t < steps; t++) {
                float[] xt = java.util.Arrays.copyOfRange(x.data(), t * batch * 3, (t + 1) * batch * 3);
                float[] xin = xt;
                int width = 3;
                if (enc == L2mu.Encoder.SINGLE) {
                    width = 3 * s.popSize();
                    xin = new float[batch * width];
                    for (int c = 0; c < 3; c++) {
                        float[] col = new float[batch];
                        for (int b = 0; b < batch; b++) {
                            col[b] = xt[b * 3 + c];
                        }
                        float[] cur = mm(col, batch, 1, model.tensor("enc" + c + ".weight").data(), s.popSize(),
                                model.tensor("enc" + c + ".bias").data());
                        float[] sp = step(cur, se[c], s.enc(), cuba, immediate);
                        for (int b = 0; b < batch; b++) {
                            System.arraycopy(sp, b * s.popSize(), xin, b * width + c * s.popSize(), s.popSize());
                        }
                    }
                }
                // one ascending sum over the concatenated spike inputs [m, enc, h]; a raw input's product last
                float[] ex = model.tensor("e_x").data();
                float[] eh = model.tensor("e_h").data();
                float[] iu = enc == L2mu.Encoder.SINGLE
                        ? mm(cat(batch, m, mem * d, xin, width, h, s.hidden()), batch, mem * d + width + s.hidden(),
                        cat(1, em, em.length, ex, ex.length, eh, eh.length), mem, null)
                        : add(mm(cat(batch, m, mem * d, h, s.hidden(), null, 0), batch, mem * d + s.hidden(),
                        cat(1, em, em.length, eh, eh.length, null, 0), mem, null), mm(xin, batch, width, ex, mem, null));
                float[] u = step(iu, su, s.u(), cuba, immediate);
                float[] im = add(mm(m, batch * mem, d, model.memoryMatrix().data(), d, null),
                        mm(u, batch * mem, 1, model.memoryInput().data(), d, null));
                m = step(im, sm, s.m(), cuba, immediate);
                // [enc, h_{t-1}, m_t]
                float[] wx = model.tensor("W_x").data();
                float[] wh = model.tensor("W_h").data();
                float[] wm = model.tensor("W_m").data();
                float[] ih = enc == L2mu.Encoder.SINGLE
                        ? mm(cat(batch, xin, width, h, s.hidden(), m, mem * d), batch, width + s.hidden() + mem * d,
                        cat(1, wx, wx.length, wh, wh.length, wm, wm.length), s.hidden(), null)
                        : add(mm(cat(batch, h, s.hidden(), m, mem * d, null, 0), batch, s.hidden() + mem * d,
                        cat(1, wh, wh.length, wm, wm.length, null, 0), s.hidden(), null),
                        mm(xin, batch, width, wx, s.hidden(), null));
                h = step(ih, sh, s.h(), cuba, immediate);
                float[] o = step(mm(h, batch, s.hidden(), model.tensor("out.weight").data(), s.classes(),
                        model.tensor("out.bias").data()), so, s.out(), cuba, immediate);
                counts = add(counts, o);
                assertArrayEquals(u, f.step(t)[0], neuron + " " + enc + " u at step " + t);
                assertArrayEquals(m, f.step(t)[1], neuron + " " + enc + " m at step " + t);
                assertArrayEquals(h, f.step(t)[2], neuron + " " + enc + " h at step " + t);
                assertArrayEquals(o, f.step(t)[3], neuron + " " + enc + " out at step " + t);
                for (float v : u) {
                    spikes += (long) v;
                }
                for (float v : m) {
                    spikes += (long) v;
                }
                for (float v : h) {
                    spikes += (long) v;
                }
            }
            assertArrayEquals(counts, f.scores().data(), "scores: summed output spikes");
            assertTrue(spikes > 20, neuron + " " + enc + ": the populations spike (" + spikes + ")");
        }
    }

    @Test
    void theAnnVariantsGradientsMatchFiniteDifferences() {
        for (L2mu.Encoder enc : L2mu.Encoder.values()) {
            L2mu model = new L2mu(small(L2mu.Neuron.ANN, enc));
            float[] em = model.tensor("e_m").data();
            for (int i = 0; i < em.length; i++) {
                em[i] = (float) (CounterRandom.uniform(4, 3, i, 0) - 0.5) * 0.5f;
            }
            Tensor x = input(6, 2, 3, 11);
            int[] y = {1, 3};
            Tape tape = new Tape();
            for (Tensor p : model.parameters()) {
                p.zeroGrad();
            }
            tape.backward(Losses.crossEntropy(tape, model.forward(tape, x, false).scores(), y));
            for (Tensor p : model.parameters()) {
                float[] g = p.grad().clone();
                for (int k = 0; k < Math.min(4, p.size()); k++) {
                    int i = (int) (CounterRandom.uniform(6, 1, k, p.size()) * p.size());
                    float keep = p.data()[i];
                    float eps = 1e-2f;
                    p.data()[i] = keep + eps;
                    double up = Losses.crossEntropy(Tape.inference(), model.forward(Tape.inference(), x, false)
                            .scores(), y).data()[0];
                    p.data()[i] = keep - eps;
                    double down = Losses.crossEntropy(Tape.inference(), model.forward(Tape.inference(), x, false)
                            .scores(), y).data()[0];
                    p.data()[i] = keep;
                    double numeric = (up - down) / (2 * eps);
                    assertEquals(numeric, g[i], 2e-3 + 0.03 * Math.abs(numeric), enc + " " + p.name() + "[" + i + "]");
                }
            }
        }
    }

    /** Three classes: a sine of period 4, 8 or 16 steps on channel 0 (random phase), noise on channels 1 and 2. */
    static L2muTraining.Windows rhythms(int n, int steps) {
        float[] v = new float[n * steps * 3];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            double period = 4 << labels[i];
            double phase = CounterRandom.uniform(8, 1, i, 0) * 2 * Math.PI;
            for (int t = 0; t < steps; t++) {
                v[(i * steps + t) * 3] = (float) Math.sin(2 * Math.PI * t / period + phase);
                v[(i * steps + t) * 3 + 1] = (float) (CounterRandom.uniform(8, 2, i, t) - 0.5);
                v[(i * steps + t) * 3 + 2] = (float) (CounterRandom.uniform(8, 3, i, t) - 0.5);
            }
        }
        return new L2muTraining.Windows(v, labels, steps, 3);
    }

    @Test
    void itLearnsToTellRhythmsApart() {
        L2muTraining.Windows all = rhythms(240, 24);
        L2mu.Spec s = L2mu.Spec.reference(3, 3, L2mu.Neuron.LIF, L2mu.Encoder.PLAIN, 2).withSizes(4, 8, 32, 8);
        L2mu model = new L2mu(s);
        L2muTraining tr = new L2muTraining(model, 5e-3, 24, 1);
        var epochs = tr.fit(all, null, 12, null);
        double acc = tr.evaluate(all);
        assertTrue(acc > 0.8, "accuracy " + acc + " (chance 0.33); losses " + epochs.stream().map(e -> e.loss()).toList());
    }

    @Test
    void aModelFileKeepsTheSpecTheParametersAndTheStandardisation(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        L2mu.Spec s = small(L2mu.Neuron.CUBA, L2mu.Encoder.SINGLE).withImmediateReset(true);
        assertEquals(s, L2mu.Spec.parse(s.toText()));
        L2mu model = new L2mu(s);
        java.nio.file.Path f = dir.resolve("l2mu.model");
        float[] mean = {0.5f, -1f, 2f};
        float[] std = {1f, 2f, 0.25f};
        org.myelin.learning.model.ModelFile.save(f, model, mean, std);
        assertTrue(org.myelin.learning.model.ModelFile.isL2mu(f));
        var loaded = org.myelin.learning.model.ModelFile.loadL2mu(f);
        assertEquals(s, loaded.model().spec());
        assertArrayEquals(mean, loaded.mean());
        assertArrayEquals(std, loaded.std());
        Tensor x = input(5, 2, 3, 4);
        assertArrayEquals(model.forward(Tape.inference(), x, false).scores().data(),
                loaded.model().forward(Tape.inference(), x, false).scores().data());
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.myelin.core.MyelinException.class,
                () -> org.myelin.learning.model.ModelFile.load(f));
        assertTrue(e.getMessage().contains("holds an L2MU"), e.getMessage());
    }
}
