package org.myelin.learning.ops;

import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/** Sums, means and softmax. */
public final class Reductions {
    private Reductions() {
    }

    /** The sum of every value, as a one-value tensor. */
    public static Tensor sum(Tape tape, Tensor a) {
        Tensor y = Tensor.result(a.requiresGrad(), 1);
        double s = 0;
        for (float v : a.data()) {
            s += v;
        }
        y.data()[0] = (float) s;
        tape.record(y, () -> {
            float g = y.grad()[0];
            float[] ag = a.grad();
            for (int i = 0; i < ag.length; i++) {
                ag[i] += g;
            }
        });
        return y;
    }

    /** The mean of every value. */
    public static Tensor mean(Tape tape, Tensor a) {
        return Elementwise.scale(tape, sum(tape, a), 1f / a.size());
    }

    /**
     * Sum over the first dimension: (time, rest...) -> (rest...), e.g. spike counts from a spike sequence.
     * Terms are added in increasing time.
     */
    public static Tensor sumFirst(Tape tape, Tensor a) {
        int[] s = a.shape();
        if (s.length < 2) {
            throw new MyelinException("sumFirst: needs rank >= 2, shape was " + Arrays.toString(s));
        }
        int inner = a.size() / s[0];
        Tensor y = Tensor.result(a.requiresGrad(), Arrays.copyOfRange(s, 1, s.length));
        MatrixKernels.sumRows(a.data(), s[0], inner, y.data());
        tape.record(y, () -> {
            float[] g = y.grad();
            float[] ag = a.grad();
            for (int t = 0; t < s[0]; t++) {
                MatrixKernels.axpy(1f, g, 0, ag, t * inner, inner);
            }
        });
        return y;
    }

    /** Mean over the first dimension (firing rates from a spike sequence). */
    public static Tensor meanFirst(Tape tape, Tensor a) {
        return Elementwise.scale(tape, sumFirst(tape, a), 1f / a.dim(0));
    }

    /** Log-softmax over the last dimension, computed stably (max subtracted). */
    public static Tensor logSoftmax(Tape tape, Tensor a) {
        int c = a.dim(-1);
        int rows = a.size() / c;
        Tensor y = Tensor.result(a.requiresGrad(), a.shape());
        float[] ad = a.data();
        float[] yd = y.data();
        for (int r = 0; r < rows; r++) {
            int o = r * c;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, ad[o + j]);
            }
            double z = 0;
            for (int j = 0; j < c; j++) {
                z += Math.exp(ad[o + j] - max);
            }
            float lz = (float) (max + Math.log(z));
            for (int j = 0; j < c; j++) {
                yd[o + j] = ad[o + j] - lz;
            }
        }
        tape.record(y, () -> {
            float[] g = y.grad();
            float[] ag = a.grad();
            for (int r = 0; r < rows; r++) {
                int o = r * c;
                double gs = 0;
                for (int j = 0; j < c; j++) {
                    gs += g[o + j];
                }
                for (int j = 0; j < c; j++) {
                    ag[o + j] += (float) (g[o + j] - Math.exp(yd[o + j]) * gs);
                }
            }
        });
        return y;
    }

    /** Softmax over the last dimension. */
    public static Tensor softmax(Tape tape, Tensor a) {
        Tensor ls = logSoftmax(tape, a);
        Tensor y = Tensor.result(ls.requiresGrad(), a.shape());
        float[] ld = ls.data();
        float[] yd = y.data();
        for (int i = 0; i < yd.length; i++) {
            yd[i] = (float) Math.exp(ld[i]);
        }
        tape.record(y, () -> {
            float[] g = y.grad();
            float[] lg = ls.grad();
            for (int i = 0; i < g.length; i++) {
                lg[i] += g[i] * yd[i];
            }
        });
        return y;
    }

    /** Each row (last dimension) divided by its Euclidean norm (plus eps). */
    public static Tensor normalizeRows(Tape tape, Tensor a, float eps) {
        int c = a.dim(-1);
        int rows = a.size() / c;
        Tensor y = Tensor.result(a.requiresGrad(), a.shape());
        float[] ad = a.data();
        float[] yd = y.data();
        float[] norms = new float[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < c; j++) {
                s += (double) ad[r * c + j] * ad[r * c + j];
            }
            norms[r] = (float) Math.sqrt(s) + eps;
            for (int j = 0; j < c; j++) {
                yd[r * c + j] = ad[r * c + j] / norms[r];
            }
        }
        tape.record(y, () -> {
            float[] g = y.grad();
            float[] ag = a.grad();
            for (int r = 0; r < rows; r++) {
                double dot = 0;
                for (int j = 0; j < c; j++) {
                    dot += (double) g[r * c + j] * yd[r * c + j];
                }
                double rawNorm = norms[r] - eps;
                for (int j = 0; j < c; j++) {
                    double gj = g[r * c + j] / norms[r];
                    double corr = rawNorm == 0 ? 0 : dot * ad[r * c + j] / (norms[r] * rawNorm);
                    ag[r * c + j] += (float) (gj - corr);
                }
            }
        });
        return y;
    }
}
