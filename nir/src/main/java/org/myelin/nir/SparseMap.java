package org.myelin.nir;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.myelin.core.MyelinException;

/**
 * A sparse affine map from the spikes of one emitter (the graph's Input, or a neuron node) to the values a node gives
 * out, each entry carrying the delay (in steps) it has picked up on its way: {@code out[r](t) = sum over entries (c,
 * d, w) of w * in[c](t - d) + bias[r]}. The importer composes the graph's linear nodes into one such map per path
 * from an emitter to a neuron node.
 */
final class SparseMap {
    final int cols;
    final int[][] col;
    final int[][] delay;
    final double[][] weight;
    final double[] bias;
    final int[] shape;

    private SparseMap(int cols, int[][] col, int[][] delay, double[][] weight, double[] bias, int[] shape) {
        this.cols = cols;
        this.col = col;
        this.delay = delay;
        this.weight = weight;
        this.bias = bias;
        this.shape = shape;
    }

    int rows() {
        return col.length;
    }

    /** The identity on {@code n} values of the given shape. */
    static SparseMap identity(int n, int[] shape) {
        int[][] c = new int[n][];
        int[][] d = new int[n][];
        double[][] w = new double[n][];
        for (int i = 0; i < n; i++) {
            c[i] = new int[] {i};
            d[i] = new int[] {0};
            w[i] = new double[] {1};
        }
        return new SparseMap(n, c, d, w, new double[n], shape);
    }

    SparseMap withShape(int[] s) {
        return new SparseMap(cols, col, delay, weight, bias, s);
    }

    /** One output row of a linear operation: input rows {@code in[k]} times {@code coef[k]}. */
    interface Rows {
        int rows();

        int[] inputs(int r);

        double[] coefficients(int r);

        double bias(int r);
    }

    /** Applies a linear operation to this map's outputs: out'[r] = sum_k coef[k] * out[in[k]] + bias'(r). */
    SparseMap then(Rows op, int[] newShape) {
        int n = op.rows();
        int[][] c = new int[n][];
        int[][] d = new int[n][];
        double[][] w = new double[n][];
        double[] b = new double[n];
        Map<Long, Double> acc = new HashMap<>();
        for (int r = 0; r < n; r++) {
            acc.clear();
            int[] in = op.inputs(r);
            double[] coef = op.coefficients(r);
            double bb = op.bias(r);
            for (int k = 0; k < in.length; k++) {
                int src = in[k];
                double a = coef[k];
                if (a == 0) {
                    continue;
                }
                bb += a * bias[src];
                for (int e = 0; e < col[src].length; e++) {
                    long key = (long) delay[src][e] << 32 | col[src][e];
                    acc.merge(key, a * weight[src][e], Double::sum);
                }
            }
            int m = 0;
            for (double v : acc.values()) {
                m += v != 0 ? 1 : 0;
            }
            c[r] = new int[m];
            d[r] = new int[m];
            w[r] = new double[m];
            Long[] keys = acc.keySet().toArray(new Long[0]);
            Arrays.sort(keys);
            int i = 0;
            for (Long key : keys) {
                double v = acc.get(key);
                if (v != 0) {
                    c[r][i] = (int) (key & 0xFFFFFFFFL);
                    d[r][i] = (int) (key >>> 32);
                    w[r][i++] = v;
                }
            }
            b[r] = bb;
        }
        return new SparseMap(cols, c, d, w, b, newShape);
    }

    /** Adds {@code steps[r]} of delay to every entry of row r. */
    SparseMap delayed(int[] steps) {
        int[][] d = new int[rows()][];
        for (int r = 0; r < rows(); r++) {
            d[r] = delay[r].clone();
            for (int e = 0; e < d[r].length; e++) {
                d[r][e] += steps[r];
            }
        }
        return new SparseMap(cols, col, d, weight, bias, shape);
    }

    static int size(int[] shape) {
        long p = 1;
        for (int s : shape) {
            p *= s;
        }
        if (p > Integer.MAX_VALUE) {
            throw new MyelinException("NIR import: a tensor of shape " + Arrays.toString(shape) + " is too large");
        }
        return (int) p;
    }
}
