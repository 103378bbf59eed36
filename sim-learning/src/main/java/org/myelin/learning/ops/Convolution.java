package org.myelin.learning.ops;

import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.learning.tensor.Parallel;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * 2-d convolution (cross-correlation, as PyTorch's {@code conv2d}) over (N, C, H, W) inputs, N being
 * time*batch: weights (O, C/groups, kh, kw), optional bias (O), stride, zero padding and groups (groups = C = O
 * is depthwise).
 *
 * <p>Event-driven where the input is sparse: the forward pass and the weight gradient visit every non-zero input
 * (most of a spike map is zero) and add its value times the weights (or output gradients) it reaches, vectorised
 * over output channels. Each output sums its terms in increasing (channel, kernel row, kernel column) order from
 * 0 and then adds the bias, the order that {@code SpikeDrivenEngine} reproduces. The input gradient is the
 * product of the output gradient with the weights, one row per output position (four terms at a time,
 * {@link MatrixKernels#multiplyGrouped}), added back onto the input (chunks in sample order). Depthwise
 * convolutions (groups = C = O) take runs of the zero-padded plane (stride 1) or loops along output rows. Each
 * value is summed by one thread in a fixed order, so results do not depend on the thread count.
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
        if (groups == c && o == c) {
            g.depthwiseForward(x.data(), w.data(), b == null ? null : b.data(), y.data());
            tape.record(y, () -> g.depthwiseBackward(x, w, b, y.grad()));
            return y;
        }
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

        /**
         * Adds patch gradients, rows (sample, position) of samples [s0, s1) with one column per (channel, kernel
         * row, kernel column) of group grp, back onto the input gradient. Samples touch disjoint planes of the
         * image, so they are split over threads.
         */
        void scatter(float[] dPatches, int grp, int s0, int s1, float[] dx) {
            Parallel.forRange(s1 - s0, 2, (a, b) -> scatterSamples(dx, dPatches, grp, s0, s0 + a, s0 + b));
        }

        private void scatterSamples(float[] image, float[] patch, int grp, int s0, int from, int to) {
            int k = k();
            int p = positions();
            for (int s = from; s < to; s++) {
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
                                    image[xBase + iy * w + ix] += patch[row + ox * k];
                                }
                            }
                        }
                    }
                }
            }
        }

        /** First output column whose input column {@code ox * stride - padding + j} is inside the image. */
        int firstColumn(int j) {
            int need = padding - j;
            return need <= 0 ? 0 : (need + stride - 1) / stride;
        }

        /** One past the last output column whose input column is inside the image. */
        int endColumn(int j) {
            int last = w - 1 + padding - j;
            return last < 0 ? 0 : Math.min(wo, last / stride + 1);
        }

        /** Stride 1: the width of the zero-padded input plane. */
        int paddedWidth() {
            return w + 2 * padding;
        }

        /** Stride 1: outputs (oy, ox) sit at oy * paddedWidth + ox of the padded plane; this many span them. */
        int span() {
            return (ho - 1) * paddedWidth() + wo;
        }

        /** Copies plane {@code pl} of x into the interior of {@code padded} (whose border stays zero). */
        void pad(float[] x, int pl, float[] padded) {
            int pw = paddedWidth();
            for (int iy = 0; iy < h; iy++) {
                System.arraycopy(x, (pl * h + iy) * w, padded, (iy + padding) * pw + padding, w);
            }
        }

        /**
         * Depthwise, stride 1, through the zero-padded plane: the terms of kernel tap (i, j) for every output
         * are one run of {@link #span()} values of the padded plane from i * paddedWidth + j (copied to offset
         * 0, so that the row addition vectorises, see {@link MatrixKernels}). Each output adds its window's
         * terms in (row, column) order to 0, padding zeros included (adding a zero leaves a sum unchanged), then
         * the bias: the same sums as the row loops. {@code flip} reads every filter rotated by 180 degrees,
         * {@code accumulate} adds the result (without bias) into {@code y}.
         */
        void paddedPlanes(float[] x, float[] wd, boolean flip, float[] bias, float[] y, boolean accumulate) {
            int outPlane = ho * wo;
            int pw = paddedWidth();
            int span = span();
            int taps = kh * kw;
            Parallel.forRange(n * c, 8, (p0, p1) -> {
                float[] padded = new float[(h + 2 * padding) * pw];
                float[] acc = new float[span];
                float[] run = new float[span];
                for (int pl = p0; pl < p1; pl++) {
                    int ch = pl % c;
                    pad(x, pl, padded);
                    Arrays.fill(acc, 0f);
                    for (int i = 0; i < kh; i++) {
                        for (int j = 0; j < kw; j++) {
                            int t = i * kw + j;
                            float wij = wd[ch * taps + (flip ? taps - 1 - t : t)];
                            System.arraycopy(padded, i * pw + j, run, 0, span);
                            MatrixKernels.axpy(wij, run, acc, span);
                        }
                    }
                    int yb = pl * outPlane;
                    float bv = bias == null ? 0f : bias[ch];
                    for (int oy = 0; oy < ho; oy++) {
                        for (int ox = 0; ox < wo; ox++) {
                            if (accumulate) {
                                y[yb + oy * wo + ox] += acc[oy * pw + ox];
                            } else {
                                y[yb + oy * wo + ox] = acc[oy * pw + ox] + bv;
                            }
                        }
                    }
                }
            });
        }

        /**
         * Stride 1, square kernel, padding below the kernel size: the input gradient is the correlation of the
         * output gradient, padded by k - 1 - padding, with the rotated filters; weight gradients are dot products
         * of padded planes, accumulated per tap and output over samples, then summed.
         */
        boolean paddedBackward() {
            return stride == 1 && kh == kw && padding <= kh - 1;
        }

        void paddedWeightGradient(float[] x, float[] gy, float[] gwd) {
            int outPlane = ho * wo;
            int pw = paddedWidth();
            int span = span();
            int taps = kh * kw;
            Parallel.forRange(c, 1, (c0, c1) -> {
                float[] padded = new float[(h + 2 * padding) * pw];
                float[] grad = new float[span];
                float[] run = new float[span];
                float[][] partial = new float[taps][span];
                for (int ch = c0; ch < c1; ch++) {
                    for (float[] pt : partial) {
                        Arrays.fill(pt, 0f);
                    }
                    for (int s = 0; s < n; s++) {
                        int pl = s * c + ch;
                        pad(x, pl, padded);
                        for (int oy = 0; oy < ho; oy++) {
                            System.arraycopy(gy, pl * outPlane + oy * wo, grad, oy * pw, wo);
                        }
                        for (int t = 0; t < taps; t++) {
                            System.arraycopy(padded, (t / kw) * pw + t % kw, run, 0, span);
                            multiplyAdd(grad, run, partial[t], span);
                        }
                    }
                    for (int t = 0; t < taps; t++) {
                        double sum = 0;
                        for (float v : partial[t]) {
                            sum += v;
                        }
                        gwd[ch * taps + t] += (float) sum;
                    }
                }
            });
        }

        /** {@code acc[i] += a[i] * b[i]} over [0, n); all at offset 0, so it vectorises. */
        private static void multiplyAdd(float[] a, float[] b, float[] acc, int n) {
            for (int i = 0; i < n; i++) {
                acc[i] += a[i] * b[i];
            }
        }

        /**
         * Depthwise convolution (one filter per channel) without patches: each output adds its window's terms
         * in (row, column) order to 0, then the bias, as the patch product does (a zero input adds nothing).
         * Stride 1 takes {@link #paddedPlanes}, larger strides loops along output rows.
         */
        void depthwiseForward(float[] x, float[] wd, float[] bias, float[] y) {
            if (stride == 1) {
                paddedPlanes(x, wd, false, bias, y, false);
                return;
            }
            int plane = h * w;
            int outPlane = ho * wo;
            Parallel.forRange(n * c, 8, (p0, p1) -> {
                for (int pl = p0; pl < p1; pl++) {
                    int ch = pl % c;
                    int xb = pl * plane;
                    int yb = pl * outPlane;
                    int wb = ch * kh * kw;
                    Arrays.fill(y, yb, yb + outPlane, 0f);
                    for (int i = 0; i < kh; i++) {
                        for (int j = 0; j < kw; j++) {
                            float wij = wd[wb + i * kw + j];
                            int ox0 = firstColumn(j);
                            int ox1 = endColumn(j);
                            for (int oy = 0; oy < ho; oy++) {
                                int iy = oy * stride - padding + i;
                                if (iy < 0 || iy >= h) {
                                    continue;
                                }
                                int yo = yb + oy * wo;
                                int xo = xb + iy * w - padding + j;
                                for (int ox = ox0; ox < ox1; ox++) {
                                    y[yo + ox] += x[xo + ox * stride] * wij;
                                }
                            }
                        }
                    }
                    float bv = bias == null ? 0f : bias[ch];
                    for (int q = 0; q < outPlane; q++) {
                        y[yb + q] += bv;
                    }
                }
            });
        }

        void depthwiseBackward(Tensor xt, Tensor wt, Tensor b, float[] gy) {
            float[] x = xt.data();
            float[] wd = wt.data();
            int plane = h * w;
            int outPlane = ho * wo;
            boolean padded = paddedBackward();
            if (xt.requiresGrad() && padded) {
                new Geometry(n, c, ho, wo, c, kh, kw, 1, kh - 1 - padding, groups, h, w)
                        .paddedPlanes(gy, wd, true, null, xt.grad(), true);
            } else if (xt.requiresGrad()) {
                float[] gx = xt.grad();
                Parallel.forRange(n * c, 8, (p0, p1) -> {
                    for (int pl = p0; pl < p1; pl++) {
                        int ch = pl % c;
                        int xb = pl * plane;
                        int yb = pl * outPlane;
                        int wb = ch * kh * kw;
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                float wij = wd[wb + i * kw + j];
                                int ox0 = firstColumn(j);
                                int ox1 = endColumn(j);
                                for (int oy = 0; oy < ho; oy++) {
                                    int iy = oy * stride - padding + i;
                                    if (iy < 0 || iy >= h) {
                                        continue;
                                    }
                                    int yo = yb + oy * wo;
                                    int xo = xb + iy * w - padding + j;
                                    for (int ox = ox0; ox < ox1; ox++) {
                                        gx[xo + ox * stride] += gy[yo + ox] * wij;
                                    }
                                }
                            }
                        }
                    }
                });
            }
            boolean gw = wt.requiresGrad();
            boolean gb = b != null && b.requiresGrad();
            if (!gw && !gb) {
                return;
            }
            if (gw && padded) {
                paddedWeightGradient(x, gy, wt.grad());
            }
            float[] gwd = gw && !padded ? wt.grad() : null;
            float[] gbd = gb ? b.grad() : null;
            Parallel.forRange(c, 1, (c0, c1) -> {
                float[] row = new float[wo];
                for (int ch = c0; ch < c1; ch++) {
                    if (gbd != null) {
                        double bsum = 0;
                        for (int s = 0; s < n; s++) {
                            int yb = (s * c + ch) * outPlane;
                            for (int q = 0; q < outPlane; q++) {
                                bsum += gy[yb + q];
                            }
                        }
                        gbd[ch] += (float) bsum;
                    }
                    if (gwd == null) {
                        continue;
                    }
                    for (int i = 0; i < kh; i++) {
                        for (int j = 0; j < kw; j++) {
                            // per output column partial sums (vectorised), then one sum over the row
                            Arrays.fill(row, 0f);
                            int ox0 = firstColumn(j);
                            int ox1 = endColumn(j);
                            for (int s = 0; s < n; s++) {
                                int xb = (s * c + ch) * plane;
                                int yb = (s * c + ch) * outPlane;
                                for (int oy = 0; oy < ho; oy++) {
                                    int iy = oy * stride - padding + i;
                                    if (iy < 0 || iy >= h) {
                                        continue;
                                    }
                                    int yo = yb + oy * wo;
                                    int xo = xb + iy * w - padding + j;
                                    for (int ox = ox0; ox < ox1; ox++) {
                                        row[ox] += gy[yo + ox] * x[xo + ox * stride];
                                    }
                                }
                            }
                            double sum = 0;
                            for (int ox = 0; ox < wo; ox++) {
                                sum += row[ox];
                            }
                            gwd[ch * kh * kw + i * kw + j] += (float) sum;
                        }
                    }
                }
            });
        }

        /** Weights of group {@code grp} as k rows of og values: the rows the event-driven forward pass adds. */
        float[][] weightRows(float[] wd, int grp) {
            float[][] rows = new float[k()][og()];
            int base = grp * og() * k();
            for (int oc = 0; oc < og(); oc++) {
                for (int kk = 0; kk < k(); kk++) {
                    rows[kk][oc] = wd[base + oc * k() + kk];
                }
            }
            return rows;
        }

        /**
         * Visits, for sample s and input channel ci of group grp, every non-zero input in row-major order and
         * every kernel tap it reaches: {@code visit(value, col, pos)} with col = (ci kh + i) kw + j the patch
         * column and pos the output position. For a fixed output the columns arrive in increasing order.
         */
        interface TapVisitor {
            void visit(float value, int col, int pos);
        }

        void taps(float[] x, int s, int grp, int ci, TapVisitor v) {
            taps(x, s, grp, ci, 0, kh, v);
        }

        /** As above, for the kernel rows [i0, i1) only. */
        void taps(float[] x, int s, int grp, int ci, int i0, int i1, TapVisitor v) {
            int xBase = ((s * c) + grp * cg() + ci) * h * w;
            for (int iy = 0; iy < h; iy++) {
                for (int ix = 0; ix < w; ix++) {
                    float a = x[xBase + iy * w + ix];
                    if (a == 0f) {
                        continue;
                    }
                    for (int i = i0; i < i1; i++) {
                        int ny = iy + padding - i;
                        if (ny < 0 || ny % stride != 0 || ny / stride >= ho) {
                            continue;
                        }
                        int rowPos = ny / stride * wo;
                        int colBase = (ci * kh + i) * kw;
                        for (int j = 0; j < kw; j++) {
                            int nx = ix + padding - j;
                            if (nx < 0 || nx % stride != 0 || nx / stride >= wo) {
                                continue;
                            }
                            v.visit(a, colBase + j, rowPos + nx / stride);
                        }
                    }
                }
            }
        }

        /**
         * Event-driven: every non-zero input adds its value times the weights it reaches into the outputs; each
         * output sums its terms in increasing patch column from 0 and then adds the bias, exactly as the patch
         * product with zero entries skipped (and as the spike-driven engine) does.
         */
        void forward(float[] x, float[] wd, float[] bias, float[] y) {
            int p = positions();
            int og = og();
            for (int grp = 0; grp < groups; grp++) {
                float[][] wRows = weightRows(wd, grp);
                int g = grp;
                Parallel.forRange(n, 1, (s0, s1) -> {
                    // one array per output position: the row additions then vectorise (see MatrixKernels)
                    float[][] out = new float[p][og];
                    TapVisitor add = (a, col, pos) -> MatrixKernels.axpy(a, wRows[col], out[pos], og);
                    for (int s = s0; s < s1; s++) {
                        for (float[] row : out) {
                            Arrays.fill(row, 0f);
                        }
                        for (int ci = 0; ci < cg(); ci++) {
                            taps(x, s, g, ci, add);
                        }
                        for (int q = 0; q < p; q++) {
                            float[] row = out[q];
                            for (int oc = 0; oc < og; oc++) {
                                int ch = g * og + oc;
                                y[(s * o + ch) * p + q] = row[oc] + (bias == null ? 0f : bias[ch]);
                            }
                        }
                    }
                });
            }
        }

        void backward(Tensor x, Tensor wt, Tensor b, float[] gy) {
            int p = positions();
            int chunk = chunk();
            int k = k();
            int og = og();
            float[] dPatch = x.requiresGrad() ? new float[chunk * p * k] : null;
            for (int grp = 0; grp < groups; grp++) {
                float[] wg = Arrays.copyOfRange(wt.data(), grp * og * k, (grp + 1) * og * k);
                // the output gradient of this group as rows (sample, position) of og values
                float[] gOut = new float[n * p * og];
                int g = grp;
                Parallel.forRange(n, 4, (s0, s1) -> {
                    for (int s = s0; s < s1; s++) {
                        for (int oc = 0; oc < og; oc++) {
                            int yBase = (s * o + g * og + oc) * p;
                            for (int q = 0; q < p; q++) {
                                gOut[(s * p + q) * og + oc] = gy[yBase + q];
                            }
                        }
                    }
                });
                if (wt.requiresGrad()) {
                    // event-driven weight gradient: each thread owns the patch columns of its input channels and
                    // kernel rows and adds samples and positions in increasing order, whatever the thread count
                    float[][] gwT = new float[k][og];
                    float[][] gOutRows = MatrixKernels.rows(gOut, n * p, og);
                    float[] xd = x.data();
                    // units (input channel, kernel row): a first layer with one input channel is split too
                    Parallel.forRange(cg() * kh, 1, (u0, u1) -> {
                        int[] rowBase = new int[1];
                        TapVisitor add = (a, col, pos) ->
                                MatrixKernels.axpy(a, gOutRows[rowBase[0] + pos], gwT[col], og);
                        for (int u = u0; u < u1; u++) {
                            for (int s = 0; s < n; s++) {
                                rowBase[0] = s * p;
                                taps(xd, s, g, u / kh, u % kh, u % kh + 1, add);
                            }
                        }
                    });
                    float[] gw = wt.grad();
                    int base = grp * og * k;
                    for (int oc = 0; oc < og; oc++) {
                        for (int kk = 0; kk < k; kk++) {
                            gw[base + oc * k + kk] += gwT[kk][oc];
                        }
                    }
                }
                if (dPatch != null) {
                    for (int s0 = 0; s0 < n; s0 += chunk) {
                        int s1 = Math.min(n, s0 + chunk);
                        int rows = (s1 - s0) * p;
                        float[] gChunk = s0 == 0 && s1 == n ? gOut : Arrays.copyOfRange(gOut, s0 * p * og, s1 * p * og);
                        MatrixKernels.multiplyGrouped(gChunk, rows, og, wg, k, dPatch);
                        scatter(dPatch, grp, s0, s1, x.grad());
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
