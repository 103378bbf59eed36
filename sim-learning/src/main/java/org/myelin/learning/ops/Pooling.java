package org.myelin.learning.ops;

import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.learning.tensor.Parallel;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * Max and average pooling over (N, C, H, W) inputs with a square window, a stride and zero padding (padding
 * never wins a max; average pooling counts padded positions, as PyTorch's default {@code count_include_pad}).
 * A max's gradient goes to the first largest value of its window.
 */
public final class Pooling {
    private Pooling() {
    }

    public static Tensor maxPool2d(Tape tape, Tensor x, int kernel, int stride, int padding) {
        return pool(tape, x, kernel, stride, padding, true);
    }

    public static Tensor avgPool2d(Tape tape, Tensor x, int kernel, int stride, int padding) {
        return pool(tape, x, kernel, stride, padding, false);
    }

    private static Tensor pool(Tape tape, Tensor x, int kernel, int stride, int padding, boolean max) {
        if (x.rank() != 4) {
            throw new MyelinException("pool2d: input must be (N, C, H, W), was " + Arrays.toString(x.shape()));
        }
        if (kernel < 1 || stride < 1 || padding < 0 || padding * 2 > kernel) {
            throw new MyelinException("pool2d: needs kernel >= 1, stride >= 1 and 0 <= padding <= kernel / 2, were "
                    + kernel + ", " + stride + ", " + padding);
        }
        int planes = x.dim(0) * x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int ho = Convolution.outputSize(h, kernel, stride, padding);
        int wo = Convolution.outputSize(w, kernel, stride, padding);
        if (ho < 1 || wo < 1) {
            throw new MyelinException("pool2d: a window of " + kernel + " does not fit " + h + "x" + w);
        }
        Tensor y = Tensor.result(x.requiresGrad(), x.dim(0), x.dim(1), ho, wo);
        float[] xd = x.data();
        float[] yd = y.data();
        int[] argmax = max ? new int[yd.length] : null;
        float inv = 1f / (kernel * kernel);
        Parallel.forRange(planes, 16, (p0, p1) -> {
            for (int pl = p0; pl < p1; pl++) {
                int xb = pl * h * w;
                int yb = pl * ho * wo;
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++) {
                        float best = Float.NEGATIVE_INFINITY;
                        int at = -1;
                        float sum = 0f;
                        for (int i = 0; i < kernel; i++) {
                            int iy = oy * stride - padding + i;
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            for (int j = 0; j < kernel; j++) {
                                int ix = ox * stride - padding + j;
                                if (ix < 0 || ix >= w) {
                                    continue;
                                }
                                float v = xd[xb + iy * w + ix];
                                sum += v;
                                if (v > best) {
                                    best = v;
                                    at = xb + iy * w + ix;
                                }
                            }
                        }
                        int out = yb + oy * wo + ox;
                        if (max) {
                            yd[out] = best;
                            argmax[out] = at;
                        } else {
                            yd[out] = sum * inv;
                        }
                    }
                }
            }
        });
        tape.record(y, () -> {
            float[] g = y.grad();
            float[] gx = x.grad();
            Parallel.forRange(planes, 16, (p0, p1) -> {
                for (int pl = p0; pl < p1; pl++) {
                    int yb = pl * ho * wo;
                    for (int oy = 0; oy < ho; oy++) {
                        for (int ox = 0; ox < wo; ox++) {
                            int out = yb + oy * wo + ox;
                            if (max) {
                                gx[argmax[out]] += g[out];
                                continue;
                            }
                            float gv = g[out] * inv;
                            for (int i = 0; i < kernel; i++) {
                                int iy = oy * stride - padding + i;
                                if (iy < 0 || iy >= h) {
                                    continue;
                                }
                                for (int j = 0; j < kernel; j++) {
                                    int ix = ox * stride - padding + j;
                                    if (ix >= 0 && ix < w) {
                                        gx[pl * h * w + iy * w + ix] += gv;
                                    }
                                }
                            }
                        }
                    }
                }
            });
        });
        return y;
    }
}
