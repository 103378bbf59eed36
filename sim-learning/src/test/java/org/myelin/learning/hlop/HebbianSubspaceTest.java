package org.myelin.learning.hlop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.myelin.core.random.CounterRandom;
import org.myelin.learning.ops.Convolution;
import org.myelin.learning.ops.Elementwise;
import org.myelin.learning.ops.Linear;
import org.myelin.learning.ops.MatrixKernels;
import org.myelin.learning.ops.Reductions;
import org.myelin.learning.tensor.GradCheck;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;
import org.myelin.learning.train.LabelledData;

class HebbianSubspaceTest {
    private static final int N = 40;

    /** Orthonormal directions u_0..u_{k-1} of R^N. */
    private static double[][] directions(int k, long seed) {
        double[][] u = new double[k][N];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < N; j++) {
                u[i][j] = CounterRandom.normal(seed, 1, (long) i * N + j, 0);
            }
        }
        SubspaceAngles.orthonormalise(u);
        return u;
    }

    /**
     * A batch from a Gaussian whose covariance has standard deviations sd[i] along u_i and {@code noise} in every
     * direction.
     */
    private static float[] batch(double[][] u, double[] sd, double noise, int b, long seed, long counter) {
        float[] x = new float[b * N];
        for (int s = 0; s < b; s++) {
            for (int i = 0; i < u.length; i++) {
                double c = CounterRandom.normal(seed, 2, (long) s * u.length + i, counter) * sd[i];
                for (int j = 0; j < N; j++) {
                    x[s * N + j] += (float) (c * u[i][j]);
                }
            }
            for (int j = 0; j < N; j++) {
                x[s * N + j] += (float) (noise * CounterRandom.normal(seed, 3, (long) s * N + j, counter));
            }
        }
        return x;
    }

    @Test
    void ojasRuleFindsThePrincipalSubspaceOfAKnownCovariance() {
        double[][] u = directions(6, 11);
        double[] sd = {3, 2.6, 2.2, 1.8, 1.5, 1.2};
        HebbianSubspace h = new HebbianSubspace(N, 0.01f, 0f, 0f);
        h.addRows(6, 3);
        for (int b = 0; b < 400; b++) {
            h.update(batch(u, sd, 0.1, 64, 5, b), 64, 5);
        }
        double[] angles = SubspaceAngles.degrees(h.basis(0, 6), u);
        assertTrue(angles[angles.length - 1] < 5, "largest principal angle " + angles[angles.length - 1]);
        for (int i = 0; i < 6; i++) {
            double norm = 0;
            for (float v : h.row(i)) {
                norm += v * v;
            }
            assertEquals(1.0, Math.sqrt(norm), 0.02, "Oja's rule keeps rows at unit length");
        }
    }

    private static double[][] rowsOf(float[] x, int b) {
        double[][] r = new double[b][N];
        for (int s = 0; s < b; s++) {
            for (int j = 0; j < N; j++) {
                r[s][j] = x[s * N + j];
            }
        }
        return r;
    }

    @Test
    void theSubspaceReportComparesTheRowsWithTheSvdOfTheSameActivity() {
        double[][] u = directions(6, 13);
        double[] sd = {3, 2.6, 2.2, 1.8, 1.5, 1.2};
        double[][] activity = rowsOf(batch(u, sd, 0.1, 300, 9, 0), 300);
        double[][] heldOut = rowsOf(batch(u, sd, 0.1, 300, 9, 1), 300);
        // energy of the six directions on their own: sum sd^2 against 40 x 0.01 of noise
        double signal = 0;
        for (double v : sd) {
            signal += v * v;
        }
        double inside = (signal + 6 * 0.01) / (signal + N * 0.01);
        HebbianSubspace fresh = new HebbianSubspace(N, 0.01f, 0f, 0f);
        fresh.addRows(6, 3);
        ContinualLearning.SubspaceReport before = ActivitySvd.report(0, 0, fresh, activity, heldOut);
        assertEquals(inside, before.svdCaptured(), 0.01, "six singular vectors hold the six directions' energy");
        assertTrue(before.captured() < 0.5 && before.medianAngle() > 30, "random rows: " + before);
        HebbianSubspace h = new HebbianSubspace(N, 0.01f, 0f, 0f);
        h.addRows(6, 3);
        for (int b = 0; b < 400; b++) {
            h.update(batch(u, sd, 0.1, 64, 5, b), 64, 5);
        }
        ContinualLearning.SubspaceReport after = ActivitySvd.report(0, 0, h, activity, heldOut);
        assertEquals(after.svdCaptured(), after.captured(), 0.005, "trained rows hold what the SVD holds: " + after);
        assertTrue(after.maxAngle() < 5, "and span its directions: " + after);
        assertEquals(6, after.rows());
    }

    @Test
    void rowsAddedForALaterTaskLearnOnlyTheNewDirections() {
        double[][] u = directions(6, 12);
        HebbianSubspace h = new HebbianSubspace(N, 0.01f, 0f, 0f);
        h.addRows(3, 3);
        double[] first = {3, 2.5, 2, 0, 0, 0};
        for (int b = 0; b < 300; b++) {
            h.update(batch(u, first, 0.05, 64, 6, b), 64, 5);
        }
        h.merge();
        float[] frozenRow = h.row(0);
        h.addRows(3, 4);
        double[] second = {3, 2.5, 2, 2.8, 2.4, 2};
        for (int b = 0; b < 300; b++) {
            h.update(batch(u, second, 0.05, 64, 7, b), 64, 5);
        }
        assertArrayEquals(frozenRow, h.row(0), "frozen rows do not learn");
        double[] angles = SubspaceAngles.degrees(h.basis(3, 6),
                new double[][] {u[3], u[4], u[5]});
        assertTrue(angles[angles.length - 1] < 5, "new rows span the new directions: " + angles[angles.length - 1]);
    }

    @Test
    void projectedUpdatesLeaveOldTaskOutputsUnchangedToFirstOrder() {
        double[][] u = directions(5, 13);
        double[] sd = {3, 2.5, 2, 1.7, 1.4};
        HebbianSubspace h = new HebbianSubspace(N, 0.01f, 0f, 0f);
        h.addRows(5, 3);
        for (int b = 0; b < 400; b++) {
            h.update(batch(u, sd, 0.02, 64, 8, b), 64, 5);
        }
        h.merge();
        float[] oldInputs = batch(u, sd, 0.02, 100, 9, 0);
        int out = 7;
        float[] grad = GradCheck.fill(Tensor.zeros(N * out), 10, -1f, 1f).data();
        float[] projected = grad.clone();
        h.project(projected, out);
        float[] change = new float[100 * out];
        float[] changeProjected = new float[100 * out];
        MatrixKernels.multiply(oldInputs, 100, N, grad, out, change, false);
        MatrixKernels.multiply(oldInputs, 100, N, projected, out, changeProjected, false);
        double a = 0;
        double b = 0;
        for (int i = 0; i < change.length; i++) {
            a += change[i] * change[i];
            b += changeProjected[i] * changeProjected[i];
        }
        assertTrue(Math.sqrt(b / a) < 0.03, "old outputs still move by " + Math.sqrt(b / a) + " of the unprojected");
        double kept = 0;
        double all = 0;
        for (int i = 0; i < grad.length; i++) {
            kept += projected[i] * projected[i];
            all += grad[i] * grad[i];
        }
        assertTrue(kept / all > 0.7, "directions outside the subspace stay free: " + kept / all);
    }

    @Test
    void projectedConvolutionUpdatesLeaveOldTaskFeatureMapsUnchanged() {
        // old-task images whose every 3 x 3 patch is a ramp a_c + b_c i + d_c j per channel: a 6-dimensional
        // patch space inside the 2 x 3 x 3 = 18 inputs of a kernel
        int c = 2;
        int side = 7;
        float[][] images = new float[3][];
        for (int set = 0; set < 3; set++) {
            int n = set == 2 ? 20 : 16;
            float[] x = new float[n * c * side * side];
            for (int k = 0; k < n; k++) {
                for (int ch = 0; ch < c; ch++) {
                    double a = CounterRandom.normal(3, set, k * 8L + ch, 0) * 2;
                    double b = CounterRandom.normal(3, set, k * 8L + ch, 1);
                    double d = CounterRandom.normal(3, set, k * 8L + ch, 2);
                    for (int i = 0; i < side; i++) {
                        for (int j = 0; j < side; j++) {
                            x[((k * c + ch) * side + i) * side + j] = (float) (a + b * (i - 3) / 3 + d * (j - 3) / 3);
                        }
                    }
                }
            }
            images[set] = x;
        }
        HebbianSubspace h = new HebbianSubspace(c * 9, 0.01f, 0f, 0f);
        h.addRows(6, 4);
        for (int round = 0; round < 150; round++) {
            float[] p = ConvPatches.unfold(images[round % 2], 16, c, side, side, 3, 1, 0);
            h.update(p, p.length / (c * 9), 5);
        }
        h.merge();
        assertEquals(6, h.rank());
        int out = 5;
        Tensor grad = GradCheck.fill(Tensor.zeros(out, c, 3, 3), 21, -1f, 1f);
        Tensor projected = Tensor.of(grad.data().clone(), out, c, 3, 3);
        h.projectConv(projected.data(), out);
        Tensor old = Tensor.of(images[2], 20, c, side, side);
        float[] change = Convolution.conv2d(Tape.inference(), old, grad, null, 1, 0, 1).data();
        float[] changeProjected = Convolution.conv2d(Tape.inference(), old, projected, null, 1, 0, 1).data();
        double a = 0;
        double b = 0;
        for (int i = 0; i < change.length; i++) {
            a += change[i] * change[i];
            b += changeProjected[i] * changeProjected[i];
        }
        assertTrue(Math.sqrt(b / a) < 0.03, "old feature maps still move by " + Math.sqrt(b / a)
                + " of the unprojected change");
        double kept = 0;
        double all = 0;
        for (int i = 0; i < grad.size(); i++) {
            kept += projected.data()[i] * projected.data()[i];
            all += grad.data()[i] * grad.data()[i];
        }
        assertTrue(kept / all > 0.4, "the 12 directions outside the patch space stay free: " + kept / all);
        // the unfolded rows are what the convolution multiplies: kernels times a row give the output there
        float[] rows = ConvPatches.unfold(images[2], 20, c, side, side, 3, 2, 1);
        float[] maps = Convolution.conv2d(Tape.inference(), old, grad, null, 2, 1, 1).data();
        int positions = 4 * 4;
        for (int k = 0; k < 20; k++) {
            for (int o = 0; o < out; o++) {
                for (int q = 0; q < positions; q++) {
                    double dot = 0;
                    for (int v = 0; v < c * 9; v++) {
                        dot += grad.data()[o * c * 9 + v] * rows[(k * positions + q) * c * 9 + v];
                    }
                    assertEquals(dot, maps[(k * out + o) * positions + q], 1e-4, "sample " + k + " map " + o);
                }
            }
        }
    }

    @Test
    void theProjectionChangesTheWeightGradientOnlyNotTheInputGradient() {
        double[][] u = directions(4, 14);
        HebbianSubspace h = new HebbianSubspace(N, 0.01f, 0f, 0f);
        h.addRows(4, 3);
        for (int b = 0; b < 200; b++) {
            h.update(batch(u, new double[] {3, 2, 2, 1.5}, 0.05, 32, 15, b), 32, 5);
        }
        h.merge();
        Tensor x = GradCheck.param(16, -1f, 1f, 8, N);
        Tensor w = GradCheck.param(17, -0.3f, 0.3f, N, 5);
        Tape tape = new Tape();
        Tensor y = Linear.apply(tape, x, w, null);
        tape.backward(Reductions.sum(tape, Elementwise.mul(tape, y, y)));
        float[] gx = x.grad().clone();
        float[] gw = w.grad().clone();
        h.project(w.grad(), 5);
        assertArrayEquals(gx, x.grad(), "grad_x is not projected");
        boolean changed = false;
        for (int i = 0; i < gw.length; i++) {
            changed |= gw[i] != w.grad()[i];
        }
        assertTrue(changed, "grad_W is projected");
    }

    @Test
    void principalAnglesOfKnownSubspaces() {
        double[][] a = {{1, 0, 0}, {0, 1, 0}};
        double[][] b = {{1, 0, 0}, {0, Math.cos(Math.toRadians(30)), Math.sin(Math.toRadians(30))}};
        double[] ang = SubspaceAngles.degrees(a, b);
        assertEquals(0, ang[0], 1e-6);
        assertEquals(30, ang[1], 1e-6);
    }

    @Test
    void splitTasksHoldTheirClassesAndAnswerWithTheirOwnUnits() {
        float[] v = new float[12 * 3];
        int[] y = {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5};
        LabelledData d = new LabelledData(v, y, 3, 6);
        List<ContinualLearning.Task> tasks = ContinualLearning.split(d, d, 2);
        assertEquals(3, tasks.size());
        assertArrayEquals(new int[] {2, 3}, tasks.get(1).classes());
        assertArrayEquals(new int[] {2, 3, 2, 3}, tasks.get(1).train().labels());
    }

    @Test
    void hlopForgetsLessThanFineTuningOnPermutedSyntheticTasks() {
        // ten classes, each a random prototype in 64 features plus noise; three pixel permutations of it
        int n = 900;
        float[] v = new float[n * 64];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = (int) (CounterRandom.bits(1, 1, i, 0) % 10 + 10) % 10;
            for (int j = 0; j < 64; j++) {
                float proto = (float) CounterRandom.uniform(1, 4, (long) y[i] * 64 + j, 0);
                v[i * 64 + j] = Math.max(0f, proto + (float) CounterRandom.normal(1, 2, (long) i * 64 + j, 0) * 0.3f);
            }
        }
        LabelledData all = new LabelledData(v, y, 64, 10);
        LabelledData train = all.head(700);
        LabelledData test = new LabelledData(java.util.Arrays.copyOfRange(v, 700 * 64, n * 64),
                java.util.Arrays.copyOfRange(y, 700, n), 64, 10);
        List<ContinualLearning.Task> tasks = ContinualLearning.permuted(train, test, 3, 2);
        ContinualLearning.Neurons[] trainers = {ContinualLearning.Neurons.DSR, ContinualLearning.Neurons.OTTT,
            ContinualLearning.Neurons.DSR, ContinualLearning.Neurons.DSR, ContinualLearning.Neurons.BPTT,
            ContinualLearning.Neurons.OTTT};
        ContinualLearning.Feedback[] feedback = {ContinualLearning.Feedback.EXACT, ContinualLearning.Feedback.EXACT,
            ContinualLearning.Feedback.RANDOM, ContinualLearning.Feedback.SIGN, ContinualLearning.Feedback.EXACT,
            ContinualLearning.Feedback.EXACT};
        // null: the reference's signal (the rate under DSR, the per-step spikes under OTTT); then rates for both
        ContinualLearning.Signal[] signals = {null, null, null, null, ContinualLearning.Signal.RATE,
            ContinualLearning.Signal.RATE};
        for (int q = 0; q < trainers.length; q++) {
            String neurons = trainers[q] + "/" + feedback[q] + "/" + signals[q];
            ContinualLearning.Settings s = new ContinualLearning.Settings(new int[] {32}, trainers[q], 6, 16, 0.2, 3,
                    3, new int[] {20, 16}, new int[][] {{20, 8}}, new float[] {0.01f, 0.01f}, 5, 100, 0.97,
                    signals[q], false, false, feedback[q]);
            ContinualLearning.Result fine = ContinualLearning.run(tasks, ContinualLearning.Method.FINETUNE, s, null);
            ContinualLearning.Result hlop = ContinualLearning.run(tasks, ContinualLearning.Method.HLOP, s, null);
            System.out.printf("%s: fine-tuning %.4f / %.4f, HLOP %.4f / %.4f%n", neurons, fine.acc(), fine.bwt(),
                    hlop.acc(), hlop.bwt());
            assertTrue(fine.bwt() < -0.05, neurons + ": the benchmark makes fine-tuning forget: BWT " + fine.bwt());
            assertTrue(hlop.bwt() > fine.bwt() + 0.03, neurons + ": HLOP BWT " + hlop.bwt() + " vs fine-tuning "
                    + fine.bwt());
            assertTrue(hlop.acc() > 0.6, neurons + ": HLOP still learns: ACC " + hlop.acc());
        }
        // a per-task learning-rate factor reaches the optimiser: with tasks 1 and 2 at a millionth of the rate,
        // fine-tuning no longer moves the weights enough to change task 0's answers
        ContinualLearning.Settings gentle = new ContinualLearning.Settings(new int[] {32},
                ContinualLearning.Neurons.DSR, 6, 16, 0.2, 3, 3, new int[] {20, 16}, new int[][] {{20, 8}},
                new float[] {0.01f, 0.01f}, 5, 100, 0.97, null, false, false, ContinualLearning.Feedback.EXACT,
                new double[] {1, 1e-6});
        assertEquals(0.2, gentle.lrOf(0), 1e-12);
        assertEquals(2e-7, gentle.lrOf(2), 1e-12);
        ContinualLearning.Result still = ContinualLearning.run(tasks, ContinualLearning.Method.FINETUNE, gentle, null);
        assertEquals(still.accuracy()[0][0], still.accuracy()[2][0], 1e-9, "task 0 untouched by the later tasks");
        assertTrue(still.bwt() > -0.01, "no forgetting without learning: " + still.bwt());
    }
}
