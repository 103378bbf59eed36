package org.myelin.backend.edge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.myelin.core.MyelinException;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.neuron.LeakyNeuron;
import org.myelin.learning.neuron.SpikingLayer;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * Post-training compression of a trained spiking MLP for small boards: magnitude pruning (the smallest weights of
 * each layer set to zero), symmetric per-layer quantisation of the weights to int8 or int4 (scale = largest magnitude /
 * 127 or / 7), the membrane, biases and threshold in fixed point {@value #FRAC} bits finer than a weight, and beta
 * replaced by shifts (the closest 1 - 2^-a +- 2^-b). The result is a {@link FixedPointMlp}.
 *
 * <p>Takes models of snnTorch {@code Leaky} or {@code Synaptic} layers, recurrent or not (one beta, alpha and threshold
 * per layer; the synaptic decay also as shifts; recurrent weights quantised with the layer's scale) with the reset in
 * the spike's step and a spike-count readout: {@code train mlp --immediate-reset --readout count}.
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
    public static FixedPointMlp compress(SpikingMlp model, int bits, double prune) {
        if (bits != 8 && bits != 4) {
            throw new MyelinException("compression: weights are quantised to 8 or 4 bits, not " + bits);
        }
        if (!(prune >= 0 && prune < 1)) {
            throw new MyelinException("compression: the pruned fraction must be in [0, 1), was " + prune);
        }
        if (model.readout() != SpikingMlp.Readout.SPIKE_COUNT) {
            throw new MyelinException("compression: the board reads classes by output spike counts; train with"
                    + " --readout count (this model reads " + model.readout() + ")");
        }
        List<FixedPointMlp.Layer> out = new ArrayList<>();
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
            float[] wd = pruned(w.data(), prune);
            float[] rd = n.recurrent() == null ? null : pruned(n.recurrent().data(), prune);
            double max = 0;
            for (float v : wd) {
                max = Math.max(max, Math.abs(v));
            }
            for (int i = 0; rd != null && i < rd.length; i++) {
                max = Math.max(max, Math.abs(rd[i]));
            }
            int lim = (1 << (bits - 1)) - 1;
            double scale = max == 0 ? 1 : max / lim;
            int[] q = quantise(wd, scale, lim);
            int[] rq = rd == null ? null : quantise(rd, scale, lim);
            double unit = scale / (1 << FRAC);
            float[] bd = model.biases().get(l).data();
            int[] b = new int[outN];
            for (int j = 0; j < outN; j++) {
                b[j] = (int) Math.round(bd[j] / unit);
            }
            int th = (int) Math.max(1, Math.round(n.threshold().data()[0] / unit));
            int[] sh = shifts(Math.max(1e-6, Math.min(1 - 1e-6, n.beta().data()[0])));
            int[] sa = n.alpha() == null ? new int[] {0, 0, 1}
                    : shifts(Math.max(1e-6, Math.min(1 - 1e-6, n.alpha().data()[0])));
            out.add(new FixedPointMlp.Layer(in, outN, bits, q, FRAC, b, th, sh[0], sh[1], sh[2],
                    n.reset() == LeakyNeuron.Reset.SUBTRACT, scale, sa[0], sa[1], sa[2], rq));
            in = outN;
        }
        return new FixedPointMlp(model.inputs(), out);
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
}
