package org.myelin.learning.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.myelin.learning.tensor.GradCheck;
import org.myelin.learning.tensor.Parallel;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

class ConvolutionGradientTest {
    @Test
    void conv2dGradientsMatchFiniteDifferences() {
        int[][] cases = {{1, 0, 1}, {2, 1, 1}, {1, 1, 2}, {1, 1, 4}};
        for (int[] cs : cases) {
            int stride = cs[0];
            int pad = cs[1];
            int groups = cs[2];
            Tensor x = GradCheck.param(1, -1f, 1f, 2, 4, 5, 6);
            for (int i = 0; i < x.size(); i += 4) {
                x.data()[i] = 0f;
            }
            Tensor w = GradCheck.param(2, -1f, 1f, 4, 4 / groups, 3, 3);
            Tensor b = GradCheck.param(3, -1f, 1f, 4);
            GradCheck.check("conv2d stride " + stride + " pad " + pad + " groups " + groups,
                    t -> Convolution.conv2d(t, x, w, b, stride, pad, groups), List.of(x, w, b), 1e-2, 3e-3, 3e-3);
        }
    }

    @Test
    void depthwiseGradientsWithLargeKernels() {
        // stride 1 takes the padded-plane kernels: a 5x5 filter with the padding of a "same" convolution, with
        // less, and with none (output smaller than the input)
        for (int pad = 0; pad <= 2; pad++) {
            int p = pad;
            Tensor x = GradCheck.param(4, -1f, 1f, 2, 3, 6, 7);
            Tensor w = GradCheck.param(5, -1f, 1f, 3, 1, 5, 5);
            Tensor b = GradCheck.param(6, -1f, 1f, 3);
            GradCheck.check("depthwise 5x5 pad " + pad, t -> Convolution.conv2d(t, x, w, b, 1, p, 3),
                    List.of(x, w, b), 1e-2, 3e-3, 3e-3);
        }
    }

    @Test
    void depthwiseEqualsOneConvolutionPerChannel() {
        Tensor x = GradCheck.fill(Tensor.zeros(3, 4, 7, 6), 8, -1f, 1f);
        for (int i = 0; i < x.size(); i += 3) {
            x.data()[i] = 0f;
        }
        Tensor w = GradCheck.fill(Tensor.zeros(4, 1, 5, 5), 9, -1f, 1f);
        Tensor b = GradCheck.fill(Tensor.zeros(4), 10, -1f, 1f);
        for (int stride = 1; stride <= 2; stride++) {
            Tensor y = Convolution.conv2d(Tape.inference(), x, w, b, stride, 2, 4);
            int plane = y.dim(2) * y.dim(3);
            for (int s = 0; s < 3; s++) {
                for (int c = 0; c < 4; c++) {
                    float[] xs = java.util.Arrays.copyOfRange(x.data(), (s * 4 + c) * 42, (s * 4 + c + 1) * 42);
                    // two copies of the filter: one input and two output channels take the patch product
                    float[] two = new float[50];
                    System.arraycopy(w.data(), c * 25, two, 0, 25);
                    System.arraycopy(w.data(), c * 25, two, 25, 25);
                    Tensor pair = Convolution.conv2d(Tape.inference(), Tensor.of(xs, 1, 1, 7, 6),
                            Tensor.of(two, 2, 1, 5, 5), Tensor.of(new float[] {b.data()[c], b.data()[c]}, 2), stride,
                            2, 1);
                    float[] one = java.util.Arrays.copyOf(pair.data(), plane);
                    assertArrayEquals(one, java.util.Arrays.copyOfRange(y.data(), (s * 4 + c) * plane,
                            (s * 4 + c + 1) * plane), "sample " + s + " channel " + c);
                }
            }
        }
    }

    @Test
    void conv2dMatchesADirectSum() {
        Tensor x = GradCheck.fill(Tensor.zeros(1, 2, 4, 4), 4, -1f, 1f);
        Tensor w = GradCheck.fill(Tensor.zeros(3, 2, 3, 3), 5, -1f, 1f);
        Tensor y = Convolution.conv2d(Tape.inference(), x, w, null, 1, 1, 1);
        for (int o = 0; o < 3; o++) {
            for (int oy = 0; oy < 4; oy++) {
                for (int ox = 0; ox < 4; ox++) {
                    double s = 0;
                    for (int c = 0; c < 2; c++) {
                        for (int i = 0; i < 3; i++) {
                            for (int j = 0; j < 3; j++) {
                                int iy = oy - 1 + i;
                                int ix = ox - 1 + j;
                                if (iy >= 0 && iy < 4 && ix >= 0 && ix < 4) {
                                    s += x.data()[(c * 4 + iy) * 4 + ix] * w.data()[((o * 2 + c) * 3 + i) * 3 + j];
                                }
                            }
                        }
                    }
                    assertEquals(s, y.data()[(o * 4 + oy) * 4 + ox], 1e-5);
                }
            }
        }
    }

    @Test
    void conv2dWeightGradientDoesNotDependOnThreads() {
        Tensor x = GradCheck.param(6, -1f, 1f, 20, 3, 9, 9);
        Tensor w = GradCheck.param(7, -1f, 1f, 8, 3, 3, 3);
        float[][] g = new float[2][];
        int keep = Parallel.threads();
        try {
            for (int run = 0; run < 2; run++) {
                Parallel.setThreads(run == 0 ? 1 : 3);
                w.zeroGrad();
                Tape tape = new Tape();
                Tensor y = Convolution.conv2d(tape, x, w, null, 1, 1, 1);
                tape.backward(Reductions.sum(tape, Elementwise.mul(tape, y, y)));
                g[run] = w.grad().clone();
            }
        } finally {
            Parallel.setThreads(keep);
        }
        assertArrayEquals(g[0], g[1]);
    }

    @Test
    void poolingGradients() {
        Tensor x = GradCheck.param(8, -1f, 1f, 2, 3, 6, 6);
        GradCheck.check("maxPool", t -> Pooling.maxPool2d(t, x, 2, 2, 0), List.of(x), 1e-3, 2e-3, 2e-3);
        GradCheck.check("maxPool overlapping padded", t -> Pooling.maxPool2d(t, x, 3, 2, 1), List.of(x), 1e-3, 2e-3,
                2e-3);
        GradCheck.check("avgPool", t -> Pooling.avgPool2d(t, x, 3, 1, 1), List.of(x), 1e-2, 2e-3, 2e-3);
    }

    @Test
    void batchNormGradientsInTrainingAndEvaluation() {
        for (int[] shape : new int[][] {{6, 3}, {4, 3, 2, 3}}) {
            Tensor x = GradCheck.param(9, -2f, 2f, shape);
            Tensor gamma = GradCheck.param(10, 0.5f, 1.5f, 3);
            Tensor beta = GradCheck.param(11, -0.5f, 0.5f, 3);
            GradCheck.check("batchNorm training " + java.util.Arrays.toString(shape),
                    t -> Normalization.batchNorm(t, x, gamma, beta, new float[3], new float[] {1, 1, 1}, true, 0.1f,
                            1e-5f), List.of(x, gamma, beta), 1e-2, 3e-3, 1e-2);
            GradCheck.check("batchNorm evaluation " + java.util.Arrays.toString(shape),
                    t -> Normalization.batchNorm(t, x, gamma, beta, new float[] {0.1f, -0.2f, 0.3f},
                            new float[] {0.5f, 2f, 1f}, false, 0.1f, 1e-5f), List.of(x, gamma, beta), 1e-2, 3e-3, 1e-2);
        }
    }

    @Test
    void batchNormNormalisesAndUpdatesRunningStatisticsAsPyTorch() {
        Tensor x = Tensor.of(new float[] {1, 10, 3, 20, 5, 30}, 3, 2);
        float[] rm = {0, 0};
        float[] rv = {1, 1};
        Tensor y = Normalization.batchNorm(Tape.inference(), x, null, null, rm, rv, true, 0.1f, 0f);
        assertEquals(-Math.sqrt(1.5), y.data()[0], 1e-6);
        assertEquals(0.3f, rm[0], 1e-6);
        assertEquals(0.9f + 0.1f * 4f, rv[0], 1e-6);
    }
}
