package org.myelin.learning.ops;

import org.myelin.core.MyelinException;
import org.myelin.core.random.CounterRandom;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * {@code y = x w + b}: x is (rows, in) or any shape whose last dimension is {@code in} (the leading
 * dimensions are flattened into rows, so a whole (time, batch, in) sequence is one product), w is (in, out),
 * b is (out) or null. Zero inputs are skipped, so for binary spike inputs the product is a sum of weight rows.
 */
public final class Linear {
    private Linear() {
    }

    /**
     * The matrix that carries the error back to the input, in place of the weights themselves: feedback
     * alignment (Lillicrap et al. 2016: a fixed random matrix) or sign symmetry (Liao et al. 2016: the weights'
     * signs). The weight gradient is unchanged; only grad_x = grad_y B^T uses it.
     */
    @FunctionalInterface
    public interface Feedback {
        /** B (in, out) for the current weights w (in, out). */
        float[] matrix(float[] w);

        /** A fixed random B, uniform in +-1/sqrt(in) (PyTorch's default for a linear layer), from a seed. */
        static Feedback random(int in, int out, long seed, int stream) {
            float[] b = new float[in * out];
            CounterRandom.fillSymmetric(b, seed, stream, (float) (1 / Math.sqrt(in)));
            return w -> b;
        }

        /** B = sign(w) / sqrt(in), as the HLOP reference's sign-symmetric layers. */
        static Feedback signSymmetric(int in) {
            float scale = (float) (1 / Math.sqrt(in));
            return w -> {
                float[] b = new float[w.length];
                for (int i = 0; i < w.length; i++) {
                    b[i] = Math.signum(w[i]) * scale;
                }
                return b;
            };
        }
    }

    public static Tensor apply(Tape tape, Tensor x, Tensor w, Tensor b) {
        return apply(tape, x, w, b, null);
    }

    /** {@link #apply(Tape, Tensor, Tensor, Tensor)} whose input gradient goes back through {@code feedback}. */
    public static Tensor apply(Tape tape, Tensor x, Tensor w, Tensor b, Feedback feedback) {
        if (w.rank() != 2) {
            throw new MyelinException("linear: weights must be (in, out), shape was " + java.util.Arrays.toString(w.shape()));
        }
        int in = w.dim(0);
        int out = w.dim(1);
        if (x.rank() < 1 || x.dim(-1) != in) {
            throw new MyelinException("linear: input's last dimension must be " + in + ", shape was "
                    + java.util.Arrays.toString(x.shape()));
        }
        if (b != null && (b.rank() != 1 || b.dim(0) != out)) {
            throw new MyelinException("linear: bias must be (" + out + "), shape was "
                    + java.util.Arrays.toString(b.shape()));
        }
        int rows = x.size() / Math.max(1, in);
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        boolean grad = x.requiresGrad() || w.requiresGrad() || (b != null && b.requiresGrad());
        Tensor y = Tensor.result(grad, shape);
        float[] yd = y.data();
        if (b != null) {
            float[] bd = b.data();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(bd, 0, yd, r * out, out);
            }
        }
        MatrixKernels.multiply(x.data(), rows, in, w.data(), out, yd, b != null);
        tape.record(y, () -> {
            if (!y.hasGrad()) {
                return;
            }
            float[] g = y.grad();
            if (w.requiresGrad()) {
                MatrixKernels.multiplyTransposedLeft(x.data(), rows, in, g, out, w.grad());
            }
            if (b != null && b.requiresGrad()) {
                MatrixKernels.sumRows(g, rows, out, b.grad());
            }
            if (x.requiresGrad()) {
                float[] back = feedback == null ? w.data() : feedback.matrix(w.data());
                if (back.length != in * out) {
                    throw new MyelinException("linear: the feedback matrix must be " + in + " x " + out);
                }
                float[] wt = new float[in * out];
                MatrixKernels.transpose(back, in, out, wt);
                MatrixKernels.multiply(g, rows, out, wt, in, x.grad(), true);
            }
        });
        return y;
    }

    /** {@code a b} for a (n, k) and b (k, m): {@link #apply} without bias. */
    public static Tensor matmul(Tape tape, Tensor a, Tensor b) {
        return apply(tape, a, b, null);
    }
}
