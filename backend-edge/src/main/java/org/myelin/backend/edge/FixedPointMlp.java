package org.myelin.backend.edge;

import java.util.Arrays;
import java.util.List;
import org.myelin.core.MyelinException;

/**
 * A spiking MLP in integers, as the edge runtime executes it: the Java reference that the C runtime must match bit
 * for bit. Per step, for each layer in order, with v the int32 membrane of each neuron:
 * <pre>
 *   d = v - (v &gt;&gt; a) + sign * (v &gt;&gt; b)            decay by shifts (b = 0: no second term); &gt;&gt; is arithmetic
 *   v = d + bias[j] + sum over input spikes i of (w[i][j] &lt;&lt; frac)    (int32, inputs in ascending order)
 *   spike when v &gt; threshold;  then v = v - threshold (SUBTRACT) or 0 (ZERO)
 * </pre>
 * so that beta is approximated by 1 - 2^-a + sign 2^-b; the membrane counts in units 2^frac finer than a weight's, so
 * that thresholds, biases and the decay keep their precision when the weights have 4 bits. The input of layer 0 is the window's spikes of the step, the
 * input of layer l its previous layer's spikes of the same step. Class scores are the last layer's spike counts.
 *
 * @param inputs input spikes per step
 * @param layers the layers, input side first
 */
public record FixedPointMlp(int inputs, List<Layer> layers) {

    /**
     * One layer.
     *
     * @param in        inputs
     * @param out       neurons
     * @param bits      weight width (8 or 4; the values fit in it)
     * @param weights   in x out, row-major (input i's row of out weights)
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
     * @param recurrent out x out weights from the layer's own previous spikes, or null
     */
    public record Layer(int in, int out, int bits, int[] weights, int frac, int[] bias, int threshold, int shiftA,
                        int shiftB, int signB, boolean subtract, double scale, int synA, int synB, int synSign,
                        int[] recurrent) {

        /** A leaky layer without recurrence. */
        public Layer(int in, int out, int bits, int[] weights, int frac, int[] bias, int threshold, int shiftA,
                     int shiftB, int signB, boolean subtract, double scale) {
            this(in, out, bits, weights, frac, bias, threshold, shiftA, shiftB, signB, subtract, scale, 0, 0, 1, null);
        }

        public Layer {
            if (weights.length != in * out || bias.length != out) {
                throw new MyelinException("fixed-point layer: " + in + " x " + out + " needs that many weights and " + out
                        + " biases");
            }
            if (bits != 8 && bits != 4) {
                throw new MyelinException("fixed-point layer: weights are 8 or 4 bits, not " + bits);
            }
            int lim = (1 << (bits - 1)) - 1;
            for (int[] ws : new int[][] {weights, recurrent == null ? new int[0] : recurrent}) {
                for (int w : ws) {
                    if (w < -lim - 1 || w > lim) {
                        throw new MyelinException("fixed-point layer: weight " + w + " does not fit " + bits + " bits");
                    }
                }
            }
            if (recurrent != null && recurrent.length != out * out) {
                throw new MyelinException("fixed-point layer: recurrent weights must be " + out + " x " + out);
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

        /** Non-zero weights, recurrent ones included. */
        public int nonZero() {
            int n = 0;
            for (int w : weights) {
                n += w != 0 ? 1 : 0;
            }
            if (recurrent != null) {
                for (int w : recurrent) {
                    n += w != 0 ? 1 : 0;
                }
            }
            return n;
        }
    }

    /** What one window cost: synaptic accumulates, neuron updates (decay, bias, threshold) and the spikes. */
    public record Ops(long accumulates, long neuronUpdates, long spikes) {
    }

    /**
     * Runs one window: {@code spikes[t][i]}; returns the output layer's spike counts and adds the costs to {@code ops}
     * (null for none): [0] accumulates as executed (a whole weight row per input spike), [1] neuron updates, [2] spikes,
     * and, when it has a fourth element, [3] the accumulates of non-zero weights only (what a sparse layout would do).
     */
    public int[] run(boolean[][] spikes, long[] ops) {
        return run(spikes, ops, ops != null && ops.length > 3 ? nonZeroRows() : null);
    }

    /**
     * Per layer, the non-zero weights of each input row ([l][0][i]) and of each recurrent row ([l][1][k], empty when the
     * layer is not recurrent): what {@link #run(boolean[][], long[], int[][][])} needs to count sparse accumulates.
     */
    public int[][][] nonZeroRows() {
        int[][][] nz = new int[layers.size()][2][];
        for (int l = 0; l < layers.size(); l++) {
            Layer ly = layers.get(l);
            nz[l][0] = rowCounts(ly.weights(), ly.in(), ly.out());
            nz[l][1] = ly.recurrent() == null ? new int[0] : rowCounts(ly.recurrent(), ly.out(), ly.out());
        }
        return nz;
    }

    private static int[] rowCounts(int[] w, int rows, int cols) {
        int[] c = new int[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                c[i] += w[i * cols + j] != 0 ? 1 : 0;
            }
        }
        return c;
    }

    /** As {@link #run(boolean[][], long[])}, counting sparse accumulates into ops[3] from {@link #nonZeroRows()}. */
    public int[] run(boolean[][] spikes, long[] ops, int[][][] nonZero) {
        int[][] v = new int[layers.size()][];
        int[][] syn = new int[layers.size()][];
        int[][] lastSpikes = new int[layers.size()][];
        int[] lastCount = new int[layers.size()];
        for (int l = 0; l < v.length; l++) {
            v[l] = new int[layers.get(l).out()];
            syn[l] = new int[layers.get(l).out()];
            lastSpikes[l] = new int[layers.get(l).out()];
        }
        Layer last = layers.get(layers.size() - 1);
        int[] counts = new int[last.out()];
        int[] active = new int[Math.max(inputs, layers.stream().mapToInt(Layer::out).max().orElse(0))];
        int[] next = new int[active.length];
        int[] input = new int[Math.max(1, layers.stream().mapToInt(Layer::out).max().orElse(0))];
        for (boolean[] step : spikes) {
            if (step.length != inputs) {
                throw new MyelinException("fixed-point run: a step has " + step.length + " inputs, the model takes "
                        + inputs);
            }
            int n = 0;
            for (int i = 0; i < inputs; i++) {
                if (step[i]) {
                    active[n++] = i;
                }
            }
            for (int l = 0; l < layers.size(); l++) {
                Layer ly = layers.get(l);
                int[] vl = v[l];
                int f = ly.frac();
                int out = ly.out();
                for (int j = 0; j < out; j++) {
                    input[j] = ly.bias()[j];
                }
                for (int k = 0; k < n; k++) {
                    int row = active[k] * out;
                    for (int j = 0; j < out; j++) {
                        input[j] += ly.weights()[row + j] << f;
                    }
                }
                int rec = 0;
                if (ly.recurrent() != null) {
                    rec = lastCount[l];
                    for (int k = 0; k < rec; k++) {
                        int row = lastSpikes[l][k] * out;
                        for (int j = 0; j < out; j++) {
                            input[j] += ly.recurrent()[row + j] << f;
                        }
                    }
                }
                for (int j = 0; j < out; j++) {
                    int x = vl[j];
                    int d = decay(x, ly.shiftA(), ly.shiftB(), ly.signB());
                    if (ly.synA() != 0) {
                        int sj = decay(syn[l][j], ly.synA(), ly.synB(), ly.synSign()) + input[j];
                        syn[l][j] = sj;
                        vl[j] = d + sj;
                    } else {
                        vl[j] = d + input[j];
                    }
                }
                if (ops != null) {
                    ops[0] += (long) (n + rec) * out;
                    ops[1] += out;
                    if (nonZero != null) {
                        for (int k = 0; k < n; k++) {
                            ops[3] += nonZero[l][0][active[k]];
                        }
                        for (int k = 0; k < rec; k++) {
                            ops[3] += nonZero[l][1][lastSpikes[l][k]];
                        }
                    }
                }
                int m = 0;
                for (int j = 0; j < out; j++) {
                    if (vl[j] > ly.threshold()) {
                        next[m++] = j;
                        vl[j] = ly.subtract() ? vl[j] - ly.threshold() : 0;
                    }
                }
                if (ops != null) {
                    ops[2] += m;
                }
                if (l == layers.size() - 1) {
                    for (int k = 0; k < m; k++) {
                        counts[next[k]]++;
                    }
                }
                System.arraycopy(next, 0, lastSpikes[l], 0, m);
                lastCount[l] = m;
                System.arraycopy(next, 0, active, 0, m);
                n = m;
            }
        }
        return counts;
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
            bits += (long) (l.weights().length + (l.recurrent() == null ? 0 : l.recurrent().length)) * l.bits()
                    + 32L * (l.bias().length + 1);
        }
        return (bits + 7) / 8;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FixedPointMlp f) || f.inputs != inputs || f.layers.size() != layers.size()) {
            return false;
        }
        for (int l = 0; l < layers.size(); l++) {
            Layer a = layers.get(l);
            Layer b = f.layers.get(l);
            if (a.in() != b.in() || a.out() != b.out() || a.bits() != b.bits() || a.frac() != b.frac()
                    || !Arrays.equals(a.weights(), b.weights())
                    || !Arrays.equals(a.bias(), b.bias()) || a.threshold() != b.threshold() || a.shiftA() != b.shiftA()
                    || a.shiftB() != b.shiftB() || a.signB() != b.signB() || a.subtract() != b.subtract()
                    || a.synA() != b.synA() || a.synB() != b.synB() || a.synSign() != b.synSign()
                    || !Arrays.equals(a.recurrent(), b.recurrent())
                    || Double.doubleToLongBits(a.scale()) != Double.doubleToLongBits(b.scale())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return inputs * 31 + layers.size();
    }
}
