package org.myelin.learning.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.learning.tensor.GradCheck;
import org.myelin.learning.tensor.Parallel;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

class OpsGradientTest {
    private static final double EPS = 1e-2;

    @Test
    void linearFeedbackCarriesTheErrorBackThroughItsMatrixAndLeavesTheWeightGradient() {
        Tensor x = GradCheck.param(31, -1f, 1f, 4, 6);
        Tensor w = GradCheck.param(32, -0.5f, 0.5f, 6, 3);
        float[] fixed = GradCheck.fill(Tensor.zeros(6, 3), 33, -1f, 1f).data();
        float[][] gx = new float[3][];
        float[][] gw = new float[3][];
        Linear.Feedback[] modes = {null, Linear.Feedback.random(6, 3, 7, 1), Linear.Feedback.signSymmetric(6)};
        for (int m = 0; m < 3; m++) {
            x.zeroGrad();
            w.zeroGrad();
            Tape tape = new Tape();
            Tensor y = Linear.apply(tape, x, w, null, modes[m]);
            tape.backward(Reductions.sum(tape, Elementwise.mul(tape, y, y)));
            gx[m] = x.grad().clone();
            gw[m] = w.grad().clone();
        }
        assertArrayEquals(gw[0], gw[1], "feedback alignment: the weight gradient is the gradient");
        assertArrayEquals(gw[0], gw[2], "sign symmetry: the weight gradient is the gradient");
        // grad_y = 2 y; grad_x = grad_y B^T with B the feedback matrix
        float[] y = new float[4 * 3];
        MatrixKernels.multiply(x.data(), 4, 6, w.data(), 3, y, false);
        float[][] b = {w.data(), modes[1].matrix(w.data()), modes[2].matrix(w.data())};
        for (int m = 0; m < 3; m++) {
            for (int r = 0; r < 4; r++) {
                for (int i = 0; i < 6; i++) {
                    double e = 0;
                    for (int o = 0; o < 3; o++) {
                        e += 2 * y[r * 3 + o] * b[m][i * 3 + o];
                    }
                    assertEquals(e, gx[m][r * 6 + i], 1e-5, "mode " + m + " grad_x[" + r + "][" + i + "]");
                }
            }
        }
        for (int k = 0; k < 18; k++) {
            assertEquals(Math.signum(w.data()[k]) / Math.sqrt(6), b[2][k], 1e-7);
            assertEquals(b[1][k], modes[1].matrix(fixed)[k], 0f, "the random matrix is fixed");
            assertTrue(Math.abs(b[1][k]) <= 1 / Math.sqrt(6));
        }
    }

    @Test
    void linearGradientsMatchFiniteDifferencesWithZeroInputs() {
        Tensor x = GradCheck.param(1, -1f, 1f, 3, 5, 6);
        for (int i = 0; i < x.size(); i += 3) {
            x.data()[i] = 0f;
        }
        Tensor w = GradCheck.param(2, -1f, 1f, 6, 9);
        Tensor b = GradCheck.param(3, -1f, 1f, 9);
        GradCheck.check("linear", t -> Linear.apply(t, x, w, b), List.of(x, w, b), EPS, 2e-3, 2e-3);
    }

    @Test
    void linearIsASumOfRowsForSpikes() {
        Tensor s = Tensor.of(new float[] {1, 0, 1, 0, 0, 1}, 2, 3);
        Tensor w = Tensor.of(new float[] {1, 2, 10, 20, 100, 200}, 3, 2);
        Tensor y = Linear.apply(Tape.inference(), s, w, null);
        assertArrayEquals(new float[] {101, 202, 100, 200}, y.data());
    }

    @Test
    void resultsDoNotDependOnTheNumberOfThreads() {
        Tensor x = GradCheck.param(4, -1f, 1f, 37, 300);
        Tensor w = GradCheck.param(5, -1f, 1f, 300, 129);
        float[][] y = new float[2][];
        float[][] gw = new float[2][];
        int keep = Parallel.threads();
        try {
            for (int run = 0; run < 2; run++) {
                Parallel.setThreads(run == 0 ? 1 : 3);
                w.zeroGrad();
                x.zeroGrad();
                Tape tape = new Tape();
                Tensor out = Linear.apply(tape, x, w, null);
                tape.backward(Reductions.sum(tape, Elementwise.mul(tape, out, out)));
                y[run] = out.data();
                gw[run] = w.grad().clone();
            }
        } finally {
            Parallel.setThreads(keep);
        }
        assertArrayEquals(y[0], y[1]);
        assertArrayEquals(gw[0], gw[1]);
    }

    @Test
    void elementwiseGradients() {
        Tensor a = GradCheck.param(6, -1f, 1f, 4, 3, 5);
        Tensor b = GradCheck.param(7, 0.5f, 1.5f, 3, 5);
        GradCheck.check("add", t -> Elementwise.add(t, a, b), List.of(a, b), EPS, 1e-3, 1e-3);
        GradCheck.check("mul", t -> Elementwise.mul(t, a, b), List.of(a, b), EPS, 1e-3, 1e-3);
        GradCheck.check("scale", t -> Elementwise.scale(t, a, -2.5f), List.of(a), EPS, 1e-3, 1e-3);
        GradCheck.check("reshape", t -> Elementwise.reshape(t, a, 12, 5), List.of(a), EPS, 1e-3, 1e-3);
        Tensor c = GradCheck.param(8, -1f, 1f, 4, 3, 2);
        GradCheck.check("concat", t -> Elementwise.concatLast(t, a, c), List.of(a, c), EPS, 1e-3, 1e-3);
        Tensor m = GradCheck.param(9, -1f, 1f, 4, 7);
        GradCheck.check("transpose", t -> Elementwise.transpose(t, m), List.of(m), EPS, 1e-3, 1e-3);
        GradCheck.check("columns", t -> Elementwise.columns(t, m, new int[] {5, 0, 2}), List.of(m), EPS, 1e-3, 1e-3);
        GradCheck.check("dropout", t -> Elementwise.dropout(t, a, 0.3, 11, 1, 5), List.of(a), EPS, 1e-3, 1e-3);
        GradCheck.check("gelu", t -> Elementwise.gelu(t, a), List.of(a), EPS, 1e-3, 1e-3);
    }

    @Test
    void geluMatchesHandComputedValues() {
        // x Phi(x): Phi(1) = 0.8413447, Phi(-1) = 0.1586553, Phi(2) = 0.9772499
        Tensor x = Tensor.of(new float[] {0f, 1f, -1f, 2f}, 4);
        float[] y = Elementwise.gelu(org.myelin.learning.tensor.Tape.inference(), x).data();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0f, 0.8413447f, -0.1586553f, 1.9544998f}, y,
                1e-6f);
    }

    @Test
    void dropoutIsReproducibleAndScalesKeptValues() {
        Tensor a = GradCheck.fill(Tensor.zeros(1000), 3, 1f, 2f);
        Tensor d1 = Elementwise.dropout(Tape.inference(), a, 0.25, 42, 3, 7);
        Tensor d2 = Elementwise.dropout(Tape.inference(), a, 0.25, 42, 3, 7);
        assertArrayEquals(d1.data(), d2.data());
        int zeros = 0;
        for (int i = 0; i < 1000; i++) {
            if (d1.data()[i] == 0f) {
                zeros++;
            } else {
                assertEquals(a.data()[i] / 0.75f, d1.data()[i], 1e-5);
            }
        }
        assertEquals(250, zeros, 45);
    }

    @Test
    void reductionGradients() {
        Tensor a = GradCheck.param(10, -2f, 2f, 3, 4, 6);
        GradCheck.check("sum", t -> Reductions.sum(t, a), List.of(a), EPS, 1e-3, 1e-3);
        GradCheck.check("mean", t -> Reductions.mean(t, a), List.of(a), EPS, 1e-3, 1e-3);
        GradCheck.check("sumFirst", t -> Reductions.sumFirst(t, a), List.of(a), EPS, 1e-3, 1e-3);
        GradCheck.check("meanFirst", t -> Reductions.meanFirst(t, a), List.of(a), EPS, 1e-3, 1e-3);
        GradCheck.check("logSoftmax", t -> Reductions.logSoftmax(t, a), List.of(a), EPS, 2e-3, 2e-3);
        GradCheck.check("softmax", t -> Reductions.softmax(t, a), List.of(a), EPS, 2e-3, 2e-3);
        GradCheck.check("normalizeRows", t -> Reductions.normalizeRows(t, a, 1e-8f), List.of(a), 1e-3, 2e-3, 5e-3);
    }

    @Test
    void lossGradients() {
        Tensor logits = GradCheck.param(12, -2f, 2f, 5, 4);
        int[] labels = {0, 3, 1, 1, 2};
        GradCheck.check("crossEntropy", t -> Losses.crossEntropy(t, logits, labels), List.of(logits), EPS, 1e-3, 2e-3);
        Tensor target = GradCheck.param(13, -1f, 1f, 5, 4);
        GradCheck.check("mse", t -> Losses.mse(t, logits, target), List.of(logits, target), EPS, 1e-3, 2e-3);
        Tensor a = GradCheck.param(14, -1f, 1f, 4, 6);
        Tensor b = GradCheck.param(15, -1f, 1f, 4, 6);
        GradCheck.check("contrastive", t -> Losses.contrastive(t, a, b, 0.5f), List.of(a, b), 1e-3, 3e-3, 1e-2);
    }

    @Test
    void crossEntropyOfUniformLogitsIsLogClasses() {
        Tensor logits = Tensor.zeros(3, 10);
        assertEquals(Math.log(10), Losses.crossEntropy(Tape.inference(), logits, new int[] {1, 2, 3}).item(), 1e-6);
    }

    @Test
    void badShapesAreRefusedWithTheShapes() {
        Tensor x = Tensor.zeros(2, 3);
        Tensor w = Tensor.zeros(4, 5);
        var e = assertThrows(MyelinException.class, () -> Linear.apply(Tape.inference(), x, w, null));
        assertEquals("linear: input's last dimension must be 4, shape was [2, 3]", e.getMessage());
        assertThrows(MyelinException.class, () -> Losses.crossEntropy(Tape.inference(), x, new int[] {0, 3}));
        assertThrows(MyelinException.class, () -> Elementwise.add(Tape.inference(), x, Tensor.zeros(2)));
    }
}
