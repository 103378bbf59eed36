package org.myelin.learning.ops;

import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * Loss functions, each returning a one-value tensor averaged over the batch. What the logits are decides
 * the flavour of cross-entropy used with spiking outputs: spike counts ({@link Reductions#sumFirst}), rates
 * ({@link Reductions#meanFirst}) or membrane potentials.
 */
public final class Losses {
    private Losses() {
    }

    /** Mean over rows of {@code -log softmax(logits)[label]}; logits (batch, classes). */
    public static Tensor crossEntropy(Tape tape, Tensor logits, int[] labels) {
        int c = logits.dim(-1);
        int rows = logits.size() / c;
        if (labels.length != rows) {
            throw new MyelinException("crossEntropy: " + rows + " rows of logits but " + labels.length + " labels");
        }
        for (int r = 0; r < rows; r++) {
            if (labels[r] < 0 || labels[r] >= c) {
                throw new MyelinException("crossEntropy: label " + labels[r] + " of row " + r + " is outside [0, "
                        + c + ")");
            }
        }
        Tensor ls = Reductions.logSoftmax(tape, logits);
        Tensor y = Tensor.result(ls.requiresGrad(), 1);
        float[] ld = ls.data();
        double s = 0;
        for (int r = 0; r < rows; r++) {
            s -= ld[r * c + labels[r]];
        }
        y.data()[0] = (float) (s / rows);
        tape.record(y, () -> {
            float g = y.grad()[0] / rows;
            float[] lg = ls.grad();
            for (int r = 0; r < rows; r++) {
                lg[r * c + labels[r]] -= g;
            }
        });
        return y;
    }

    /** Mean squared error between {@code a} and a target of the same shape. */
    public static Tensor mse(Tape tape, Tensor a, Tensor target) {
        if (!Arrays.equals(a.shape(), target.shape())) {
            throw new MyelinException("mse: shapes " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(target.shape()) + " differ");
        }
        float[] ad = a.data();
        float[] td = target.data();
        Tensor y = Tensor.result(a.requiresGrad() || target.requiresGrad(), 1);
        double s = 0;
        for (int i = 0; i < ad.length; i++) {
            double d = ad[i] - td[i];
            s += d * d;
        }
        int n = ad.length;
        y.data()[0] = (float) (s / n);
        tape.record(y, () -> {
            float g = y.grad()[0] * 2f / n;
            if (a.requiresGrad()) {
                float[] ag = a.grad();
                for (int i = 0; i < n; i++) {
                    ag[i] += g * (ad[i] - td[i]);
                }
            }
            if (target.requiresGrad()) {
                float[] tg = target.grad();
                for (int i = 0; i < n; i++) {
                    tg[i] -= g * (ad[i] - td[i]);
                }
            }
        });
        return y;
    }

    /**
     * CLIP's symmetric contrastive loss: rows of {@code a} and {@code b} (batch, dim) are L2-normalised,
     * logits = a b^T / temperature, and the loss is the mean of the cross-entropies of matching row i with
     * column i and column i with row i.
     */
    public static Tensor contrastive(Tape tape, Tensor a, Tensor b, float temperature) {
        if (a.rank() != 2 || !Arrays.equals(a.shape(), b.shape())) {
            throw new MyelinException("contrastive: needs two (batch, dim) embeddings of one shape, were "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
        if (!(temperature > 0)) {
            throw new MyelinException("contrastive: temperature must be > 0, was " + temperature);
        }
        int n = a.dim(0);
        Tensor an = Reductions.normalizeRows(tape, a, 1e-8f);
        Tensor bn = Reductions.normalizeRows(tape, b, 1e-8f);
        Tensor logits = Elementwise.scale(tape, Linear.matmul(tape, an, Elementwise.transpose(tape, bn)),
                1f / temperature);
        int[] diag = new int[n];
        for (int i = 0; i < n; i++) {
            diag[i] = i;
        }
        Tensor l1 = crossEntropy(tape, logits, diag);
        Tensor l2 = crossEntropy(tape, Elementwise.transpose(tape, logits), diag);
        return Elementwise.scale(tape, Elementwise.add(tape, l1, l2), 0.5f);
    }

    /** Index of the largest value of each row (ties: the first). */
    public static int[] argmax(Tensor logits) {
        int c = logits.dim(-1);
        int rows = logits.size() / c;
        float[] d = logits.data();
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int j = 1; j < c; j++) {
                if (d[r * c + j] > d[r * c + best]) {
                    best = j;
                }
            }
            out[r] = best;
        }
        return out;
    }
}
