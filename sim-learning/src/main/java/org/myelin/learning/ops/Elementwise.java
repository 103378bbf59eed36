package org.myelin.learning.ops;

import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.core.random.CounterRandom;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * Element-wise operations and shape changes. {@code add} and {@code mul} accept a second operand whose shape
 * is a suffix of the first's (broadcast over the leading dimensions), as a bias or a per-feature scale.
 */
public final class Elementwise {
    private Elementwise() {
    }

    private static int broadcastPeriod(String op, Tensor a, Tensor b) {
        int[] sa = a.shape();
        int[] sb = b.shape();
        if (sb.length > sa.length
                || !Arrays.equals(sb, Arrays.copyOfRange(sa, sa.length - sb.length, sa.length))) {
            throw new MyelinException(op + ": shape " + Arrays.toString(sb) + " must equal a suffix of "
                    + Arrays.toString(sa));
        }
        return b.size();
    }

    /** {@code a + b}, b broadcast over a's leading dimensions. */
    public static Tensor add(Tape tape, Tensor a, Tensor b) {
        int p = broadcastPeriod("add", a, b);
        Tensor y = Tensor.result(a.requiresGrad() || b.requiresGrad(), a.shape());
        float[] ad = a.data();
        float[] bd = b.data();
        float[] yd = y.data();
        for (int o = 0; o < ad.length; o += p) {
            for (int j = 0; j < p; j++) {
                yd[o + j] = ad[o + j] + bd[j];
            }
        }
        tape.record(y, () -> {
            float[] g = y.grad();
            if (a.requiresGrad()) {
                MatrixKernels.axpy(1f, g, 0, a.grad(), 0, g.length);
            }
            if (b.requiresGrad()) {
                MatrixKernels.sumRows(g, g.length / p, p, b.grad());
            }
        });
        return y;
    }

    /** {@code a * b}, b broadcast over a's leading dimensions. */
    public static Tensor mul(Tape tape, Tensor a, Tensor b) {
        int p = broadcastPeriod("mul", a, b);
        Tensor y = Tensor.result(a.requiresGrad() || b.requiresGrad(), a.shape());
        float[] ad = a.data();
        float[] bd = b.data();
        float[] yd = y.data();
        for (int o = 0; o < ad.length; o += p) {
            for (int j = 0; j < p; j++) {
                yd[o + j] = ad[o + j] * bd[j];
            }
        }
        tape.record(y, () -> {
            float[] g = y.grad();
            if (a.requiresGrad()) {
                float[] ag = a.grad();
                for (int o = 0; o < g.length; o += p) {
                    for (int j = 0; j < p; j++) {
                        ag[o + j] += g[o + j] * bd[j];
                    }
                }
            }
            if (b.requiresGrad()) {
                float[] bg = b.grad();
                for (int o = 0; o < g.length; o += p) {
                    for (int j = 0; j < p; j++) {
                        bg[j] += g[o + j] * ad[o + j];
                    }
                }
            }
        });
        return y;
    }

    /** {@code s * a} for a constant s. */
    public static Tensor scale(Tape tape, Tensor a, float s) {
        Tensor y = Tensor.result(a.requiresGrad(), a.shape());
        float[] ad = a.data();
        float[] yd = y.data();
        for (int i = 0; i < ad.length; i++) {
            yd[i] = ad[i] * s;
        }
        tape.record(y, () -> MatrixKernels.axpy(s, y.grad(), 0, a.grad(), 0, ad.length));
        return y;
    }

    /**
     * A spike: {@code H(x - threshold)} (1 where x is above the threshold, else 0), its gradient taken from the
     * surrogate's derivative at {@code x - threshold}.
     */
    public static Tensor spike(Tape tape, Tensor x, float threshold, org.myelin.learning.neuron.Surrogate surrogate) {
        Tensor y = Tensor.result(x.requiresGrad(), x.shape());
        float[] xd = x.data();
        float[] yd = y.data();
        for (int i = 0; i < xd.length; i++) {
            yd[i] = xd[i] > threshold ? 1f : 0f;
        }
        tape.record(y, () -> {
            float[] g = y.grad();
            float[] d = new float[xd.length];
            surrogate.derivatives(xd, threshold, d, 0, xd.length);
            float[] xg = x.grad();
            for (int i = 0; i < xd.length; i++) {
                xg[i] += g[i] * d[i];
            }
        });
        return y;
    }

    /** {@code tanh(a)}. */
    public static Tensor tanh(Tape tape, Tensor a) {
        Tensor y = Tensor.result(a.requiresGrad(), a.shape());
        float[] ad = a.data();
        float[] yd = y.data();
        for (int i = 0; i < ad.length; i++) {
            yd[i] = (float) Math.tanh(ad[i]);
        }
        tape.record(y, () -> {
            float[] g = y.grad();
            float[] ag = a.grad();
            for (int i = 0; i < ad.length; i++) {
                ag[i] += g[i] * (1f - yd[i] * yd[i]);
            }
        });
        return y;
    }

    /**
     * GELU, {@code a Phi(a)} with Phi the standard normal distribution function (the exact form, PyTorch's default;
     * erf by Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7); gradient {@code Phi(a) + a phi(a)}.
     */
    public static Tensor gelu(Tape tape, Tensor a) {
        Tensor y = Tensor.result(a.requiresGrad(), a.shape());
        float[] ad = a.data();
        float[] yd = y.data();
        for (int i = 0; i < ad.length; i++) {
            yd[i] = (float) (ad[i] * normalCdf(ad[i]));
        }
        tape.record(y, () -> {
            float[] g = y.grad();
            float[] ag = a.grad();
            for (int i = 0; i < ad.length; i++) {
                double x = ad[i];
                ag[i] += (float) (g[i] * (normalCdf(x) + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI)));
            }
        });
        return y;
    }

    /** The standard normal distribution function, by erf (Abramowitz and Stegun 7.1.26). */
    public static double normalCdf(double x) {
        double z = Math.abs(x) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * z);
        double erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                + t * 1.061405429)))) * Math.exp(-z * z);
        return 0.5 * (1 + (x >= 0 ? erf : -erf));
    }

    /** The same values under another shape with the same number of elements. */
    public static Tensor reshape(Tape tape, Tensor a, int... shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n != a.size()) {
            throw new MyelinException("reshape: " + Arrays.toString(a.shape()) + " has " + a.size()
                    + " values, " + Arrays.toString(shape) + " holds " + n);
        }
        Tensor y = Tensor.result(a.data().clone(), a.requiresGrad(), shape);
        tape.record(y, () -> MatrixKernels.axpy(1f, y.grad(), 0, a.grad(), 0, a.size()));
        return y;
    }

    /** Concatenation along the last dimension; the leading dimensions must agree. */
    public static Tensor concatLast(Tape tape, Tensor... parts) {
        int[] shape = parts[0].shape();
        int rows = parts[0].size() / shape[shape.length - 1];
        int total = 0;
        boolean grad = false;
        for (Tensor t : parts) {
            int[] s = t.shape();
            if (s.length != shape.length || t.size() / s[s.length - 1] != rows
                    || !Arrays.equals(Arrays.copyOf(s, s.length - 1), Arrays.copyOf(shape, shape.length - 1))) {
                throw new MyelinException("concat: shapes " + Arrays.toString(shape) + " and " + Arrays.toString(s)
                        + " differ before the last dimension");
            }
            total += s[s.length - 1];
            grad |= t.requiresGrad();
        }
        shape[shape.length - 1] = total;
        Tensor y = Tensor.result(grad, shape);
        float[] yd = y.data();
        int offset = 0;
        for (Tensor t : parts) {
            int w = t.dim(-1);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(t.data(), r * w, yd, r * total + offset, w);
            }
            offset += w;
        }
        int totalWidth = total;
        tape.record(y, () -> {
            float[] g = y.grad();
            int o = 0;
            for (Tensor t : parts) {
                int w = t.dim(-1);
                if (t.requiresGrad()) {
                    float[] tg = t.grad();
                    for (int r = 0; r < rows; r++) {
                        MatrixKernels.axpy(1f, g, r * totalWidth + o, tg, r * w, w);
                    }
                }
                o += w;
            }
        });
        return y;
    }

    /**
     * Matrices (r_k, cols) stacked along their first dimension into (sum r_k, cols): the weights of inputs that are
     * concatenated along their last dimension, so that one product sums over all of them in one ascending order.
     */
    public static Tensor stackRows(Tape tape, Tensor... parts) {
        int cols = parts[0].dim(-1);
        int rows = 0;
        boolean grad = false;
        for (Tensor t : parts) {
            if (t.rank() != 2 || t.dim(1) != cols) {
                throw new MyelinException("stack rows: every part must be (rows, " + cols + "), one was "
                        + Arrays.toString(t.shape()));
            }
            rows += t.dim(0);
            grad |= t.requiresGrad();
        }
        Tensor y = Tensor.result(grad, rows, cols);
        float[] yd = y.data();
        int offset = 0;
        for (Tensor t : parts) {
            System.arraycopy(t.data(), 0, yd, offset, t.size());
            offset += t.size();
        }
        tape.record(y, () -> {
            float[] g = y.grad();
            int o = 0;
            for (Tensor t : parts) {
                if (t.requiresGrad()) {
                    MatrixKernels.axpy(1f, g, o, t.grad(), 0, t.size());
                }
                o += t.size();
            }
        });
        return y;
    }

    /** The transpose of a matrix (n, m) -> (m, n). */
    public static Tensor transpose(Tape tape, Tensor a) {
        if (a.rank() != 2) {
            throw new MyelinException("transpose: needs a matrix, shape was " + Arrays.toString(a.shape()));
        }
        int n = a.dim(0);
        int m = a.dim(1);
        Tensor y = Tensor.result(a.requiresGrad(), m, n);
        MatrixKernels.transpose(a.data(), n, m, y.data());
        tape.record(y, () -> {
            float[] back = new float[n * m];
            MatrixKernels.transpose(y.grad(), m, n, back);
            MatrixKernels.axpy(1f, back, 0, a.grad(), 0, back.length);
        });
        return y;
    }

    /** The given columns of a matrix (rows, cols), in the given order: (rows, columns.length). */
    public static Tensor columns(Tape tape, Tensor a, int[] columns) {
        if (a.rank() != 2) {
            throw new MyelinException("columns: needs a matrix, shape was " + Arrays.toString(a.shape()));
        }
        int rows = a.dim(0);
        int c = a.dim(1);
        for (int j : columns) {
            if (j < 0 || j >= c) {
                throw new MyelinException("columns: column " + j + " is outside [0, " + c + ")");
            }
        }
        int k = columns.length;
        Tensor y = Tensor.result(a.requiresGrad(), rows, k);
        float[] ad = a.data();
        float[] yd = y.data();
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < k; q++) {
                yd[r * k + q] = ad[r * c + columns[q]];
            }
        }
        tape.record(y, () -> {
            float[] g = y.grad();
            float[] ag = a.grad();
            for (int r = 0; r < rows; r++) {
                for (int q = 0; q < k; q++) {
                    ag[r * c + columns[q]] += g[r * k + q];
                }
            }
        });
        return y;
    }

    /**
     * Inverted dropout: each value is zeroed with probability p and the others scaled by 1/(1-p). The mask is
     * drawn from the counter-based generator at (seed, stream, element, counter), so it is reproducible.
     */
    public static Tensor dropout(Tape tape, Tensor a, double p, long seed, int stream, long counter) {
        if (!(p >= 0 && p < 1)) {
            throw new MyelinException("dropout: p must be in [0, 1), was " + p);
        }
        if (p == 0) {
            return a;
        }
        float keep = (float) (1.0 / (1.0 - p));
        float[] mask = new float[a.size()];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = CounterRandom.uniform(seed, stream, i, counter) < p ? 0f : keep;
        }
        return mul(tape, a, Tensor.of(mask, a.shape()));
    }
}
