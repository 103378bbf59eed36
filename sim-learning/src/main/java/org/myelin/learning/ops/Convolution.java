package org.myelin.learning.ops;

import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * 2-d convolution (cross-correlation, as PyTorch's {@code conv2d}) over (N, C, H, W) inputs, N being
 * time*batch: weights (O, C/groups, kh, kw), optional bias (O), stride, zero padding and groups (groups = C = O
 * is depthwise).
 *
 * <p>Computed as matrix products with {@link MatrixKernels}: for each group, the input patches of a chunk of
 * samples are laid out one output position per row, (positions, C/groups * kh * kw), and multiplied by the
 * transposed weights. Zero inputs (most of a spike map) are skipped. Chunks are taken in sample order, so the
 * weight gradient sums over samples in a fixed order whatever the thread count.
 */
public final class Convolution {
    private static final int CHUNK_VALUES = 1 << 22;

    private Convolution() {
    }

    /** Output size along one axis. */
    public static int outputSize(int in, int kernel, int stride, int padding) {
        return (in + 2 * padding - kernel) / stride + 1;
    }

    public static Tensor conv2d(Tape tape, Tensor x, Tensor w, Tensor b, int stride, int padding, int groups) {
        if (x.rank() != 4 || w.rank() != 4) {
            throw new MyelinException("conv2d: input must be (N, C, H, W) and weights (O, C/groups, kh, kw), were "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(w.shape()));
        }
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        int o = w.dim(0);
        int kh = w.dim(2);
        int kw = w.dim(3);
        if (groups < 1 || c % groups != 0 || o % groups != 0 || w.dim(1) != c / groups) {
            throw new MyelinException("conv2d: " + c + " input and " + o + " output channels with " + groups
                    + " groups need weights (" + o + ", " + (groups > 0 ? c / Math.max(1, groups) : "?") + ", kh, kw),"
                    + " were " + Arrays.toString(w.shape()));
        }
        if (stride < 1 || padding < 0) {
            throw new MyelinException("conv2d: stride must be >= 1 and padding >= 0, were " + stride + " and "
                    + padding);
        }
        if (b != null && (b.rank() != 1 || b.dim(0) != o)) {
            throw new MyelinException("conv2d: bias must be (" + o + "), was " + Arrays.toString(b.shape()));
        }
        int ho = outputSize(h, kh, stride, padding);
        int wo = outputSize(wd, kw, stride, padding);
        if (ho < 1 || wo < 1) {
            throw new MyelinException("conv2d: a " + kh + "x" + kw + " kernel does not fit a " + h + "x" + wd
                    + " input with padding " + padding);
        }
        Geometry g = new Geometry(n, c, h, wd, o, kh, kw, stride, padding, groups, ho, wo);
        boolean grad = x.requiresGrad() || w.requiresGrad() || (b != null && b.requiresGrad());
        Tensor y = Tensor.result(grad, n, o, ho, wo);
        g.forward(x.data(), w.data(), b == null ? null : b.data(), y.data());
        tape.record(y, () -> g.backward(x, w, b, y.grad()));
        return y;
    }

    private record Geometry(int n, int c, int h, int w, int o, int kh, int kw, int stride, int padding, int groups,
                            int ho, int wo) {
        int cg() {
            return c / groups;
        }

        int og() {
            return o / groups;
        }

        int k() {
            return cg() * kh * kw;
        }

        int positions() {
            return ho * wo;
        }

        int chunk() {
            return Math.max(1, Math.min(n, CHUNK_VALUES / Math.max(1, positions() * k())));
        }

        /** Rows (sample, position) of the patches of group {@code grp} for samples [s0, s1). */
        void patches(float[] x, int grp, int s0, int s1, float[] into) {
            Arrays.fill(into, 0, (s1 - s0) * positions() * k(), 0f);
            walk(x, into, grp, s0, s1, true);
        }

        /** Adds patch gradients back onto the input gradient (the transpose of {@link #patches}). */
        void scatter(float[] dPatches, int grp, int s0, int s1, float[] dx) {
            walk(dx, dPatches, grp, s0, s1, false);
        }

        /**
         * Visits every (input pixel, patch entry) pair of group grp for samples [s0, s1): copies the pixel into
         * the patch ({@code gather}) or adds the patch entry onto the pixel.
         */
        private void walk(float[] image, float[] patch, int grp, int s0, int s1, boolean gather) {
            int k = k();
            int p = positions();
            for (int s = s0; s < s1; s++) {
                for (int ci = 0; ci < cg(); ci++) {
                    int xBase = ((s * c) + grp * cg() + ci) * h * w;
                    for (int i = 0; i < kh; i++) {
                        for (int j = 0; j < kw; j++) {
                            int col = (ci * kh + i) * kw + j;
                            for (int oy = 0; oy < ho; oy++) {
                                int iy = oy * stride - padding + i;
                                if (iy < 0 || iy >= h) {
                                    continue;
                                }
                                int row = ((s - s0) * p + oy * wo) * k + col;
                                for (int ox = 0; ox < wo; ox++) {
                                    int ix = ox * stride - padding + j;
                                    if (ix < 0 || ix >= w) {
                                        continue;
                                    }
                                    if (gather) {
                                        patch[row + ox * k] = image[xBase + iy * w + ix];
                                    } else {
                                        image[xBase + iy * w + ix] += patch[row + ox * k];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        /** Weights of group {@code grp} as (k, og): the right operand of the patch product. */
        float[] weightsTransposed(float[] wd, int grp) {
            float[] wt = new float[k() * og()];
            MatrixKernels.transpose(Arrays.copyOfRange(wd, grp * og() * k(), (grp + 1) * og() * k()), og(), k(), wt);
            return wt;
        }

        void forward(float[] x, float[] wd, float[] bias, float[] y) {
            int p = positions();
            int chunk = chunk();
            float[] patch = new float[chunk * p * k()];
            float[] out = new float[chunk * p * og()];
            for (int grp = 0; grp < groups; grp++) {
                float[] wt = weightsTransposed(wd, grp);
                for (int s0 = 0; s0 < n; s0 += chunk) {
                    int s1 = Math.min(n, s0 + chunk);
                    patches(x, grp, s0, s1, patch);
                    MatrixKernels.multiply(patch, (s1 - s0) * p, k(), wt, og(), out, false);
                    for (int s = s0; s < s1; s++) {
                        for (int oc = 0; oc < og(); oc++) {
                            int ch = grp * og() + oc;
                            float bv = bias == null ? 0f : bias[ch];
                            int yBase = (s * o + ch) * p;
                            int rowBase = (s - s0) * p;
                            for (int q = 0; q < p; q++) {
                                y[yBase + q] = out[(rowBase + q) * og() + oc] + bv;
                            }
                        }
                    }
                }
            }
        }

        void backward(Tensor x, Tensor wt, Tensor b, float[] gy) {
            int p = positions();
            int chunk = chunk();
            int k = k();
            float[] patch = new float[chunk * p * k];
            float[] gOut = new float[chunk * p * og()];
            float[] dPatch = x.requiresGrad() ? new float[chunk * p * k] : null;
            float[] gwT = wt.requiresGrad() ? new float[k * og()] : null;
            for (int grp = 0; grp < groups; grp++) {
                float[] wg = Arrays.copyOfRange(wt.data(), grp * og() * k, (grp + 1) * og() * k);
                if (gwT != null) {
                    Arrays.fill(gwT, 0f);
                }
                for (int s0 = 0; s0 < n; s0 += chunk) {
                    int s1 = Math.min(n, s0 + chunk);
                    for (int s = s0; s < s1; s++) {
                        for (int oc = 0; oc < og(); oc++) {
                            int yBase = (s * o + grp * og() + oc) * p;
                            int rowBase = (s - s0) * p;
                            for (int q = 0; q < p; q++) {
                                gOut[(rowBase + q) * og() + oc] = gy[yBase + q];
                            }
                        }
                    }
                    int rows = (s1 - s0) * p;
                    if (gwT != null) {
                        patches(x.data(), grp, s0, s1, patch);
                        MatrixKernels.multiplyTransposedLeft(patch, rows, k, gOut, og(), gwT);
                    }
                    if (dPatch != null) {
                        MatrixKernels.multiply(gOut, rows, og(), wg, k, dPatch, false);
                        scatter(dPatch, grp, s0, s1, x.grad());
                    }
                }
                if (gwT != null) {
                    float[] gw = wt.grad();
                    int base = grp * og() * k;
                    for (int oc = 0; oc < og(); oc++) {
                        for (int kk = 0; kk < k; kk++) {
                            gw[base + oc * k + kk] += gwT[kk * og() + oc];
                        }
                    }
                }
            }
            if (b != null && b.requiresGrad()) {
                float[] gb = b.grad();
                for (int s = 0; s < n; s++) {
                    for (int ch = 0; ch < o; ch++) {
                        double sum = 0;
                        int base = (s * o + ch) * p;
                        for (int q = 0; q < p; q++) {
                            sum += gy[base + q];
                        }
                        gb[ch] += (float) sum;
                    }
                }
            }
        }
    }
}
