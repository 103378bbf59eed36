package org.myelin.backend.edge;

import java.util.Arrays;
import java.util.List;
import org.myelin.core.MyelinException;

/**
 * A spiking network in integers, as the edge runtime executes it: the Java reference that the C runtime
 * ({@code firmware/src/myelin_rt.c}) must match bit for bit. Layers are populations updated once per step in list
 * order; each reads its inputs through {@link Link links}: the window's input of the step, a layer earlier in the
 * list in the same step, or any layer's spikes of the previous step (recurrence). An MLP is the chain of layers, each
 * reading the one before (and, when recurrent, itself at the previous step); an L2MU's populations u, m, h and out
 * read each other both ways. Per step, per layer in order, with v the int32 membrane of each neuron:
 * <pre>
 *   I = bias[j] + sum over links of the link's input
 *         spike link:  sum over the source's spikes k of (w[k][j] &lt;&lt; frac)        (inputs in ascending order)
 *         value link:  sum over input channels i of shift(x[i] * w[i][j], frac - inputFrac)   (x in Q inputFrac)
 *   leaky:     v = D(v; a, b, sign) + I
 *   synaptic:  s = D(s; a2, b2, sign2) + I;  v = D(v; a, b, sign) + s
 *   D(x; a, b, sign) = x - (x &gt;&gt; a) + sign * (x &gt;&gt; b)     (b = 0: no second term; &gt;&gt; arithmetic)
 *   spike when v &gt; threshold; then v = v - threshold (SUBTRACT) or 0
 * </pre>
 * so that beta is approximated by 1 - 2^-a + sign 2^-b; the membrane counts in units 2^frac finer than a weight's, so
 * that thresholds, biases and the decay keep their precision when the weights have 4 bits. Arithmetic wraps in two's
 * complement. Class scores are the last layer's spike counts.
 *
 * @param inputs      input channels per step
 * @param valueInput  whether the input is values (Q{@code inputFrac} fixed point) rather than spikes (0 and 1)
 * @param inputFrac   fraction bits of input values
 * @param layers      the layers in update order; the last is the output
 */
public record FixedPointNet(int inputs, boolean valueInput, int inputFrac, List<Layer> layers) {
    /** The source index of the window's input. */
    public static final int INPUT = -1;

    public FixedPointNet {
        layers = List.copyOf(layers);
        if (inputs < 1 || layers.isEmpty()) {
            throw new MyelinException("fixed-point net: needs inputs and at least one layer");
        }
        if (inputFrac < 0 || inputFrac > 16) {
            throw new MyelinException("fixed-point net: input fraction bits must be in 0..16, was " + inputFrac);
        }
        for (int l = 0; l < layers.size(); l++) {
            for (Link k : layers.get(l).links()) {
                int rows = k.source() == INPUT ? inputs : k.source() >= 0 && k.source() < layers.size()
                        ? layers.get(k.source()).out() : -1;
                if (rows < 0 || (k.source() >= l && !k.previous()) || (k.source() == INPUT && k.previous())) {
                    throw new MyelinException("fixed-point net: layer " + l + " reads " + describe(k.source())
                            + (k.previous() ? " at the previous step" : " in the same step")
                            + "; a layer reads the input or an earlier layer in the same step, any layer at the previous");
                }
                if (k.rows() != rows || k.cols() != layers.get(l).out()) {
                    throw new MyelinException("fixed-point net: layer " + l + "'s link from " + describe(k.source())
                            + " is " + k.rows() + " x " + k.cols() + ", must be " + rows + " x " + layers.get(l).out());
                }
            }
        }
    }

    private static String describe(int source) {
        return source == INPUT ? "the input" : "layer " + source;
    }

    /**
     * One layer's input from one source: a dense rows x cols matrix, or with {@code blocks} B &gt; 1 one small
     * (rows/B) x (cols/B) matrix K shared by B blocks (source neuron b*(rows/B) + k reaches target b*(cols/B) + j with
     * K[k][j]: the LMU memory's per-dimension matrices without their zeros).
     *
     * @param source   {@link #INPUT} or a layer index
     * @param previous whether the source's spikes of the previous step are read (else this step's)
     * @param rows     the source's size
     * @param cols     the layer's size
     * @param blocks   1 for a dense matrix
     * @param weights  (rows/blocks) x (cols/blocks), row-major
     */
    public record Link(int source, boolean previous, int rows, int cols, int blocks, int[] weights) {
        public Link {
            if (blocks < 1 || rows % blocks != 0 || cols % blocks != 0
                    || weights.length != (long) (rows / blocks) * (cols / blocks)) {
                throw new MyelinException("fixed-point link: " + blocks + " blocks of a " + rows + " x " + cols
                        + " matrix need (rows/blocks) x (cols/blocks) = " + (long) (rows / Math.max(1, blocks))
                        * (cols / Math.max(1, blocks)) + " weights, have " + weights.length);
            }
        }

        /** A dense link. */
        public static Link dense(int source, boolean previous, int rows, int cols, int[] weights) {
            return new Link(source, previous, rows, cols, 1, weights);
        }

        int blockRows() {
            return rows / blocks;
        }

        int blockCols() {
            return cols / blocks;
        }

        /** Non-zero weights in each source row (a block link: the row's block's row of K). */
        int[] rowNonZero() {
            int kr = blockRows();
            int kc = blockCols();
            int[] c = new int[rows];
            for (int i = 0; i < rows; i++) {
                int r = i % kr;
                for (int j = 0; j < kc; j++) {
                    c[i] += weights[r * kc + j] != 0 ? 1 : 0;
                }
            }
            return c;
        }
    }

    /**
     * One layer.
     *
     * @param out       neurons
     * @param bits      weight width of its links (8 or 4; the values fit in it)
     * @param frac      fraction bits of the membrane: a weight of 1 adds 2^frac
     * @param bias      per neuron, in membrane units
     * @param threshold in membrane units
     * @param shiftA    first decay shift (1..30)
     * @param shiftB    second decay shift (0: none)
     * @param signB     +1 or -1: whether the second term adds or subtracts
     * @param subtract  reset by subtracting the threshold (else to zero)
     * @param scale     what one unit of the weights is worth in the trained model (for reports)
     * @param synA      synaptic decay's first shift (0: a leaky layer, no synaptic current)
     * @param synB      synaptic decay's second shift (0: none)
     * @param synSign   +1 or -1
     * @param links     what it reads, summed in this order
     */
    public record Layer(int out, int bits, int frac, int[] bias, int threshold, int shiftA, int shiftB, int signB,
                        boolean subtract, double scale, int synA, int synB, int synSign, List<Link> links) {

        public Layer {
            links = List.copyOf(links);
            if (out < 1 || bias.length != out) {
                throw new MyelinException("fixed-point layer: " + out + " neurons need as many biases, have "
                        + bias.length);
            }
            if (bits != 8 && bits != 4) {
                throw new MyelinException("fixed-point layer: weights are 8 or 4 bits, not " + bits);
            }
            int lim = (1 << (bits - 1)) - 1;
            for (Link k : links) {
                for (int w : k.weights()) {
                    if (w < -lim - 1 || w > lim) {
                        throw new MyelinException("fixed-point layer: weight " + w + " does not fit " + bits + " bits");
                    }
                }
            }
            if (synA < 0 || synA > 30 || synB < 0 || synB > 30 || (synSign != 1 && synSign != -1)) {
                throw new MyelinException("fixed-point layer: synaptic shifts must be in 0..30, sign +-1");
            }
            if (shiftA < 1 || shiftA > 30 || shiftB < 0 || shiftB > 30 || (signB != 1 && signB != -1)) {
                throw new MyelinException("fixed-point layer: shifts must be in 1..30 (second 0..30), sign +-1");
            }
            if (frac < 0 || frac > 16) {
                throw new MyelinException("fixed-point layer: fraction bits must be in 0..16, was " + frac);
            }
            if (threshold <= 0) {
                throw new MyelinException("fixed-point layer: the threshold must be > 0, was " + threshold);
            }
        }

        /** The beta the shifts give. */
        public double beta() {
            return 1 - Math.pow(2, -shiftA) + (shiftB == 0 ? 0 : signB * Math.pow(2, -shiftB));
        }

        /** The alpha the synaptic shifts give (NaN for a leaky layer). */
        public double alpha() {
            return synA == 0 ? Double.NaN : 1 - Math.pow(2, -synA) + (synB == 0 ? 0 : synSign * Math.pow(2, -synB));
        }

        /** Stored weights (a block link counts its shared matrix once). */
        public long weightCount() {
            long n = 0;
            for (Link k : links) {
                n += k.weights().length;
            }
            return n;
        }

        /** Non-zero stored weights. */
        public long nonZero() {
            long n = 0;
            for (Link k : links) {
                for (int w : k.weights()) {
                    n += w != 0 ? 1 : 0;
                }
            }
            return n;
        }
    }

    /** The number of output classes (the last layer's neurons). */
    public int classes() {
        return layers.get(layers.size() - 1).out();
    }

    /** Operations of one or more windows, as {@link #run} counts them. */
    public static final int OPS = 5;

    /**
     * Runs one window of spikes ({@code spikes[t][i]}).
     *
     * @see #run(int[][], long[])
     */
    public int[] run(boolean[][] spikes, long[] ops) {
        int[][] x = new int[spikes.length][];
        for (int t = 0; t < spikes.length; t++) {
            x[t] = new int[spikes[t].length];
            for (int i = 0; i < x[t].length; i++) {
                x[t][i] = spikes[t][i] ? 1 : 0;
            }
        }
        return run(x, ops);
    }

    /**
     * Runs one window: {@code input[t][i]} is 0 or 1 (spike input) or a Q{@code inputFrac} value. Returns the output
     * layer's spike counts and adds to {@code ops} (null for none; length {@link #OPS}): [0] accumulates as executed (a
     * whole weight row per spike), [1] neuron updates, [2] spikes, [3] multiply-accumulates (value input, one per
     * channel and weight), [4] the accumulates of non-zero weights only (what a sparse layout would do).
     */
    public int[] run(int[][] input, long[] ops) {
        return run(input, ops, ops != null ? nonZeroRows() : null);
    }

    /**
     * As {@link #run(int[][], long[])}, with the per-row non-zero counts of {@link #nonZeroRows()} computed once by the
     * caller (they depend on the model only, so a caller that runs many windows should not count them per window).
     */
    public int[] run(int[][] input, long[] ops, int[][][] nz) {
        if (ops != null && nz == null) {
            throw new MyelinException("fixed-point run: counting operations needs the model's non-zero rows");
        }
        int n = layers.size();
        int[][] v = new int[n][];
        int[][] syn = new int[n][];
        int[][] cur = new int[n][];
        int[] curCount = new int[n];
        int[][] last = new int[n][];
        int[] lastCount = new int[n];
        int maxOut = 0;
        for (int l = 0; l < n; l++) {
            int o = layers.get(l).out();
            v[l] = new int[o];
            syn[l] = new int[o];
            cur[l] = new int[o];
            last[l] = new int[o];
            maxOut = Math.max(maxOut, o);
        }
        int[] counts = new int[classes()];
        int[] active = new int[inputs];
        int[] acc = new int[maxOut];
        for (int[] step : input) {
            if (step.length != inputs) {
                throw new MyelinException("fixed-point run: a step has " + step.length + " inputs, the model takes "
                        + inputs);
            }
            int na = 0;
            for (int i = 0; i < inputs; i++) {
                if (!valueInput && step[i] != 0 && step[i] != 1) {
                    throw new MyelinException("fixed-point run: spike input must be 0 or 1, was " + step[i]);
                }
                if (step[i] != 0) {
                    active[na++] = i;
                }
            }
            for (int l = 0; l < n; l++) {
                Layer ly = layers.get(l);
                int out = ly.out();
                int f = ly.frac();
                System.arraycopy(ly.bias(), 0, acc, 0, out);
                for (int q = 0; q < ly.links().size(); q++) {
                    Link k = ly.links().get(q);
                    int[] w = k.weights();
                    if (k.source() == INPUT && valueInput) {
                        int sh = f - inputFrac;
                        for (int a = 0; a < na; a++) {
                            int i = active[a];
                            int x = step[i];
                            int row = i * out;
                            for (int j = 0; j < out; j++) {
                                int c = x * w[row + j];
                                acc[j] += sh >= 0 ? c << sh : c >> -sh;
                            }
                        }
                        if (ops != null) {
                            ops[3] += (long) na * out;
                        }
                        continue;
                    }
                    int[] src;
                    int count;
                    if (k.source() == INPUT) {
                        src = active;
                        count = na;
                    } else if (k.previous()) {
                        src = last[k.source()];
                        count = lastCount[k.source()];
                    } else {
                        src = cur[k.source()];
                        count = curCount[k.source()];
                    }
                    int kr = k.blockRows();
                    int kc = k.blockCols();
                    for (int a = 0; a < count; a++) {
                        int s = src[a];
                        int row = (s % kr) * kc;
                        int base = (s / kr) * kc;
                        for (int j = 0; j < kc; j++) {
                            acc[base + j] += w[row + j] << f;
                        }
                        if (ops != null) {
                            ops[4] += nz[l][q][s];
                        }
                    }
                    if (ops != null) {
                        ops[0] += (long) count * kc;
                    }
                }
                int[] vl = v[l];
                for (int j = 0; j < out; j++) {
                    int d = decay(vl[j], ly.shiftA(), ly.shiftB(), ly.signB());
                    if (ly.synA() != 0) {
                        int sj = decay(syn[l][j], ly.synA(), ly.synB(), ly.synSign()) + acc[j];
                        syn[l][j] = sj;
                        vl[j] = d + sj;
                    } else {
                        vl[j] = d + acc[j];
                    }
                }
                int m = 0;
                for (int j = 0; j < out; j++) {
                    if (vl[j] > ly.threshold()) {
                        cur[l][m++] = j;
                        vl[j] = ly.subtract() ? vl[j] - ly.threshold() : 0;
                    }
                }
                curCount[l] = m;
                if (ops != null) {
                    ops[1] += out;
                    ops[2] += m;
                }
                if (l == n - 1) {
                    for (int k = 0; k < m; k++) {
                        counts[cur[l][k]]++;
                    }
                }
            }
            for (int l = 0; l < n; l++) {
                int[] t = last[l];
                last[l] = cur[l];
                cur[l] = t;
                lastCount[l] = curCount[l];
                curCount[l] = 0;
            }
        }
        return counts;
    }

    /** Per layer and link, the non-zero weights of each source row (for the sparse accumulate count). */
    public int[][][] nonZeroRows() {
        int[][][] nz = new int[layers.size()][][];
        for (int l = 0; l < layers.size(); l++) {
            List<Link> ks = layers.get(l).links();
            nz[l] = new int[ks.size()][];
            for (int q = 0; q < ks.size(); q++) {
                nz[l][q] = ks.get(q).rowNonZero();
            }
        }
        return nz;
    }

    private static int decay(int x, int a, int b, int sign) {
        int d = x - (x >> a);
        if (b != 0) {
            d += sign * (x >> b);
        }
        return d;
    }

    /** Index of the largest count (the lowest class on ties). */
    public static int argmax(int[] counts) {
        int best = 0;
        for (int k = 1; k < counts.length; k++) {
            if (counts[k] > counts[best]) {
                best = k;
            }
        }
        return best;
    }

    /** Bytes the weights, biases and thresholds take packed (weights at their bit width, the rest as int32). */
    public long parameterBytes() {
        long bits = 0;
        for (Layer l : layers) {
            bits += l.weightCount() * l.bits() + 32L * (l.bias().length + 1);
        }
        return (bits + 7) / 8;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FixedPointNet f) || f.inputs != inputs || f.valueInput != valueInput
                || f.inputFrac != inputFrac || f.layers.size() != layers.size()) {
            return false;
        }
        for (int l = 0; l < layers.size(); l++) {
            Layer a = layers.get(l);
            Layer b = f.layers.get(l);
            if (a.out() != b.out() || a.bits() != b.bits() || a.frac() != b.frac()
                    || !Arrays.equals(a.bias(), b.bias()) || a.threshold() != b.threshold() || a.shiftA() != b.shiftA()
                    || a.shiftB() != b.shiftB() || a.signB() != b.signB() || a.subtract() != b.subtract()
                    || a.synA() != b.synA() || a.synB() != b.synB() || a.synSign() != b.synSign()
                    || Double.doubleToLongBits(a.scale()) != Double.doubleToLongBits(b.scale())
                    || a.links().size() != b.links().size()) {
                return false;
            }
            for (int q = 0; q < a.links().size(); q++) {
                Link x = a.links().get(q);
                Link y = b.links().get(q);
                if (x.source() != y.source() || x.previous() != y.previous() || x.rows() != y.rows()
                        || x.cols() != y.cols() || x.blocks() != y.blocks() || !Arrays.equals(x.weights(), y.weights())) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return inputs * 31 + layers.size();
    }
}
