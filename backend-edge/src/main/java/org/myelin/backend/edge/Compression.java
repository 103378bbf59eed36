package org.myelin.backend.edge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.myelin.core.MyelinException;
import org.myelin.learning.lmu.L2mu;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.neuron.LeakyNeuron;
import org.myelin.learning.neuron.SpikingLayer;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * Post-training compression of a trained spiking MLP for small boards: magnitude pruning (the smallest weights of
 * each layer set to zero), symmetric per-layer quantisation of the weights to int8 or int4 (scale = largest magnitude /
 * 127 or / 7), the membrane, biases and threshold in fixed point {@value #FRAC} bits finer than a weight, and beta
 * replaced by shifts (the closest 1 - 2^-a +- 2^-b). The result is a {@link FixedPointNet}.
 *
 * <p>Takes models of snnTorch {@code Leaky} or {@code Synaptic} layers, recurrent or not (one beta, alpha and threshold
 * per layer; the synaptic decay also as shifts; recurrent weights quantised with the layer's scale) with the reset in
 * the spike's step and a spike-count readout: {@code train mlp --immediate-reset --readout count}; and L2MUs
 * ({@code train l2mu --immediate-reset}), whose raw sensor values the board multiplies in (the only multiplications).
 */
public final class Compression {
    /** Fraction bits of the membrane below one weight unit. */
    public static final int FRAC = 8;

    private Compression() {
    }

    /** The closest shift form of {@code beta}: {a, b, sign} with beta ~ 1 - 2^-a + sign 2^-b (b = 0: no term). */
    public static int[] shifts(double beta) {
        if (!(beta > 0 && beta < 1)) {
            throw new MyelinException("compression: beta must be in (0, 1) for a shift decay, was " + beta);
        }
        int[] best = {1, 0, 1};
        double err = Math.abs(beta - 0.5);
        // one shift where it is as good: fewer operations on the board
        for (int a = 1; a <= 16; a++) {
            double one = 1 - Math.pow(2, -a);
            if (Math.abs(beta - one) < err) {
                err = Math.abs(beta - one);
                best = new int[] {a, 0, 1};
            }
        }
        for (int a = 1; a <= 16; a++) {
            double one = 1 - Math.pow(2, -a);
            for (int b = a + 1; b <= 16; b++) {
                for (int sign : new int[] {1, -1}) {
                    double v = one + sign * Math.pow(2, -b);
                    if (Math.abs(beta - v) < err - 1e-12) {
                        err = Math.abs(beta - v);
                        best = new int[] {a, b, sign};
                    }
                }
            }
        }
        return best;
    }

    /**
     * @param bits  8 or 4
     * @param prune fraction of each layer's weights set to zero first, smallest magnitude first (0 for none)
     */
    public static FixedPointNet compress(SpikingMlp model, int bits, double prune) {
        check(bits, prune);
        if (model.readout() != SpikingMlp.Readout.SPIKE_COUNT) {
            throw new MyelinException("compression: the board reads classes by output spike counts; train with"
                    + " --readout count (this model reads " + model.readout() + ")");
        }
        List<FixedPointNet.Layer> out = new ArrayList<>();
        int in = model.inputs();
        for (int l = 0; l < model.layers().size(); l++) {
            SpikingLayer sl = model.layers().get(l);
            if (!(sl instanceof LeakyNeuron n) || n.beta().size() != 1 || n.threshold().size() != 1
                    || (n.alpha() != null && n.alpha().size() != 1)) {
                throw new MyelinException("compression: layer " + l + " is " + sl.describe() + "; the edge runtime takes"
                        + " leaky or synaptic layers with one beta, alpha and threshold");
            }
            if (n.resetDelay() && n.reset() != LeakyNeuron.Reset.NONE) {
                throw new MyelinException("compression: layer " + l + " resets one step late (snnTorch's default); train"
                        + " with --immediate-reset");
            }
            if (n.reset() == LeakyNeuron.Reset.NONE) {
                throw new MyelinException("compression: layer " + l + " does not reset; train with --readout count");
            }
            Tensor w = model.weights().get(l);
            int outN = w.dim(1);
            List<Source> links = new ArrayList<>();
            links.add(new Source(l - 1, false, in, 1, pruned(w.data(), prune)));
            if (n.recurrent() != null) {
                links.add(new Source(l, true, outN, 1, pruned(n.recurrent().data(), prune)));
            }
            out.add(layer(outN, bits, links, model.biases().get(l).data(), n.threshold().data()[0],
                    n.beta().data()[0], n.alpha() == null ? Float.NaN : n.alpha().data()[0],
                    n.reset() == LeakyNeuron.Reset.SUBTRACT));
            in = outN;
        }
        return new FixedPointNet(model.inputs(), false, FRAC, out);
    }

    /** Fraction bits of input values (an L2MU's standardised sensor values on the board). */
    public static final int INPUT_FRAC = 8;

    /**
     * An L2MU (spiking, trained with immediate reset) as layers [enc,] u, m, h, out that read each other as the cell
     * does: u reads m and h of the previous step and the input (or the input module's spikes) of this one; m reads
     * itself (the fixed memory matrix, one shared order x order block per memory dimension) and u; h reads the input,
     * itself at the previous step and m; the output reads h. The board takes the standardised sensor values in
     * Q{@value #INPUT_FRAC}. The fixed Legendre matrices are quantised with the trained weights of their layer and are
     * not pruned.
     */
    public static FixedPointNet compress(L2mu model, int bits, double prune) {
        check(bits, prune);
        L2mu.Spec s = model.spec();
        if (s.neuron() == L2mu.Neuron.ANN) {
            throw new MyelinException("compression: the ANN LMU has no spiking populations; compress a lif or cuba L2MU");
        }
        if (!s.immediateReset()) {
            throw new MyelinException("compression: the L2MU resets one step late (snnTorch's default); train with"
                    + " --immediate-reset");
        }
        boolean single = s.encoder() == L2mu.Encoder.SINGLE;
        int e = single ? 1 : 0;
        int u = e;
        int m = e + 1;
        int h = e + 2;
        int in = s.inputs();
        int mem = s.memory();
        int d = s.order();
        int x = single ? s.cellInputs() : in;
        int xSource = single ? 0 : FixedPointNet.INPUT;
        boolean cuba = s.neuron() == L2mu.Neuron.CUBA;
        List<FixedPointNet.Layer> out = new ArrayList<>();
        if (single) {
            int pop = s.popSize();
            float[] w = new float[in * s.cellInputs()];
            float[] b = new float[s.cellInputs()];
            for (int c = 0; c < in; c++) {
                float[] wc = pruned(model.tensor("enc" + c + ".weight").data(), prune);
                System.arraycopy(wc, 0, w, c * s.cellInputs() + c * pop, pop);
                System.arraycopy(model.tensor("enc" + c + ".bias").data(), 0, b, c * pop, pop);
            }
            out.add(layer(s.cellInputs(), bits, List.of(new Source(FixedPointNet.INPUT, false, in, 1, w)), b,
                    s.enc(), cuba));
        }
        out.add(layer(mem, bits, List.of(new Source(m, true, mem * d, 1, trained(model, "e_m", prune)),
                new Source(xSource, false, x, 1, trained(model, "e_x", prune)),
                new Source(h, true, s.hidden(), 1, trained(model, "e_h", prune))), new float[mem], s.u(), cuba));
        out.add(layer(mem * d, bits, List.of(new Source(m, true, mem * d, mem, model.memoryMatrix().data().clone()),
                new Source(u, false, mem, mem, model.memoryInput().data().clone())), new float[mem * d], s.m(), cuba));
        out.add(layer(s.hidden(), bits, List.of(new Source(xSource, false, x, 1, trained(model, "W_x", prune)),
                new Source(h, true, s.hidden(), 1, trained(model, "W_h", prune)),
                new Source(m, false, mem * d, 1, trained(model, "W_m", prune))), new float[s.hidden()], s.h(), cuba));
        out.add(layer(s.classes(), bits, List.of(new Source(h, false, s.hidden(), 1,
                trained(model, "out.weight", prune))), model.tensor("out.bias").data(), s.out(), cuba));
        return new FixedPointNet(in, true, INPUT_FRAC, out);
    }

    private static float[] trained(L2mu model, String name, double prune) {
        return pruned(model.tensor(name).data(), prune);
    }

    private static FixedPointNet.Layer layer(int outN, int bits, List<Source> links, float[] bias, L2mu.Pop p,
                                             boolean cuba) {
        return layer(outN, bits, links, bias, p.threshold(), p.beta(), cuba ? p.alpha() : Float.NaN, true);
    }

    /** A layer's float input: a source, its timing, its size, blocks, and its (rows/blocks) x (cols/blocks) weights. */
    private record Source(int source, boolean previous, int rows, int blocks, float[] weights) {
    }

    /**
     * One layer, its links quantised with one symmetric scale (the largest magnitude over all of them / 127 or / 7),
     * bias and threshold in membrane units {@value #FRAC} bits finer, beta and alpha as shifts.
     */
    private static FixedPointNet.Layer layer(int outN, int bits, List<Source> links, float[] bias, float threshold,
                                             float beta, float alpha, boolean subtract) {
        double max = 0;
        for (Source k : links) {
            for (float v : k.weights()) {
                max = Math.max(max, Math.abs(v));
            }
        }
        int lim = (1 << (bits - 1)) - 1;
        double scale = max == 0 ? 1 : max / lim;
        List<FixedPointNet.Link> q = new ArrayList<>();
        for (Source k : links) {
            q.add(new FixedPointNet.Link(k.source(), k.previous(), k.rows(), outN, k.blocks(),
                    quantise(k.weights(), scale, lim)));
        }
        double unit = scale / (1 << FRAC);
        int[] b = new int[outN];
        for (int j = 0; j < outN; j++) {
            b[j] = (int) Math.round(bias[j] / unit);
        }
        int th = (int) Math.max(1, Math.round(threshold / unit));
        int[] sh = shifts(Math.max(1e-6, Math.min(1 - 1e-6, beta)));
        int[] sa = Float.isNaN(alpha) ? new int[] {0, 0, 1} : shifts(Math.max(1e-6, Math.min(1 - 1e-6, alpha)));
        return new FixedPointNet.Layer(outN, bits, FRAC, b, th, sh[0], sh[1], sh[2], subtract, scale, sa[0], sa[1],
                sa[2], q);
    }

    private static void check(int bits, double prune) {
        if (bits != 8 && bits != 4) {
            throw new MyelinException("compression: weights are quantised to 8 or 4 bits, not " + bits);
        }
        if (!(prune >= 0 && prune < 1)) {
            throw new MyelinException("compression: the pruned fraction must be in [0, 1), was " + prune);
        }
    }

    /** Standardised values as the board takes them: Q{@value #INPUT_FRAC}, rounded, clamped to int16. */
    public static int[][] quantiseInput(float[] values, int steps, int channels) {
        int[][] q = new int[steps][channels];
        for (int t = 0; t < steps; t++) {
            for (int c = 0; c < channels; c++) {
                long v = Math.round(values[t * channels + c] * (double) (1 << INPUT_FRAC));
                q[t][c] = (int) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
            }
        }
        return q;
    }

    private static int[] quantise(float[] w, double scale, int lim) {
        int[] q = new int[w.length];
        for (int i = 0; i < w.length; i++) {
            q[i] = (int) Math.max(-lim, Math.min(lim, Math.round(w[i] / scale)));
        }
        return q;
    }

    /** The weights with the smallest {@code fraction} by magnitude set to zero. */
    static float[] pruned(float[] w, double fraction) {
        float[] c = w.clone();
        int k = (int) Math.floor(fraction * w.length);
        if (k == 0) {
            return c;
        }
        float[] mag = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            mag[i] = Math.abs(w[i]);
        }
        float[] sorted = mag.clone();
        Arrays.sort(sorted);
        float cut = sorted[k - 1];
        int zeroed = 0;
        for (int i = 0; i < c.length && zeroed < k; i++) {
            if (mag[i] < cut) {
                c[i] = 0f;
                zeroed++;
            }
        }
        for (int i = 0; i < c.length && zeroed < k; i++) {
            if (mag[i] == cut && c[i] != 0f) {
                c[i] = 0f;
                zeroed++;
            }
        }
        return c;
    }

    /** The float model's output spike counts for one window ({@code spikes[t][i]}), as training computes them. */
    public static int[] floatCounts(SpikingMlp model, boolean[][] spikes) {
        int steps = spikes.length;
        int in = model.inputs();
        float[] x = new float[steps * in];
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < in; i++) {
                x[t * in + i] = spikes[t][i] ? 1f : 0f;
            }
        }
        var layers = model.forward(Tape.inference(), Tensor.of(x, steps, 1, in), steps).layers();
        float[] s = layers.get(layers.size() - 1).spikes().data();
        int c = model.layers().get(model.layers().size() - 1).features();
        int[] counts = new int[c];
        for (int t = 0; t < steps; t++) {
            for (int j = 0; j < c; j++) {
                counts[j] += s[t * c + j] == 1f ? 1 : 0;
            }
        }
        return counts;
    }

    /** The float L2MU's output spike counts for one standardised window (steps x channels), as training computes them. */
    public static int[] floatCounts(L2mu model, float[] window, int steps) {
        int in = model.spec().inputs();
        float[] scores = model.forward(Tape.inference(), Tensor.of(window.clone(), steps, 1, in), false).scores().data();
        int[] counts = new int[scores.length];
        for (int j = 0; j < counts.length; j++) {
            counts[j] = Math.round(scores[j]);
        }
        return counts;
    }
}
