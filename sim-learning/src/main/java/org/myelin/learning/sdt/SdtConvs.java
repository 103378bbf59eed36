package org.myelin.learning.sdt;

import java.util.Arrays;
import org.myelin.learning.ops.Convolution;
import org.myelin.learning.ops.Normalization;
import org.myelin.learning.ops.SpikeAttention;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * The convolutions of a {@link MetaSpikeFormer} with their batch norms: trained as separate layers, evaluated and
 * exported as one convolution with the batch norms folded in ({@link Folded}); RepConv folds into one 3x3.
 */
final class SdtConvs {
    private static final float BN_MOMENTUM = 0.1f;
    private static final float BN_EPS = 1e-5f;

    private SdtConvs() {
    }

    /** A convolution with batch norm folded in, in float, as both evaluation and export use it. */
    static final class Folded {
        final float[] w;
        final float[] b;
        final int out;
        final int inPerGroup;
        final int k;
        final int stride;
        final int pad;
        final int groups;

        Folded(double[] w, double[] b, int out, int inPerGroup, int k, int stride, int pad, int groups) {
            this.w = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                this.w[i] = (float) w[i];
            }
            this.b = new float[b.length];
            for (int i = 0; i < b.length; i++) {
                this.b[i] = (float) b[i];
            }
            this.out = out;
            this.inPerGroup = inPerGroup;
            this.k = k;
            this.stride = stride;
            this.pad = pad;
            this.groups = groups;
        }

        Tensor apply(Tape tape, Tensor x) {
            return Convolution.conv2d(tape, x, Tensor.of(w, out, inPerGroup, k, k), Tensor.of(b, out), stride, pad,
                    groups);
        }
    }

    /** Batch norm over (T*B, C, H, W), its running statistics kept as buffers. */
    static final class Bn {
        final Tensor gamma;
        final Tensor beta;
        final float[] mean;
        final float[] var;

        Bn(SdtParameters p, String name, int c) {
            gamma = p.parameter(name + ".gamma", c);
            Arrays.fill(gamma.data(), 1f);
            beta = p.parameter(name + ".beta", c);
            mean = new float[c];
            var = new float[c];
            Arrays.fill(var, 1f);
            p.buffer(name + ".mean", mean);
            p.buffer(name + ".var", var);
        }

        Tensor apply(SdtContext c, Tensor x) {
            // gradient checks freeze the running statistics: RepConv's padding reads them, and finite
            // differences need the same function at every evaluation
            float momentum = c.smooth ? 0f : BN_MOMENTUM;
            return Normalization.batchNorm(c.tape, x, gamma, beta, mean, var, c.training, momentum, BN_EPS);
        }

        double scale(int ch) {
            return gamma.data()[ch] / Math.sqrt(var[ch] + (double) BN_EPS);
        }

        double shift(int ch) {
            return beta.data()[ch] - mean[ch] * scale(ch);
        }

        /** The BN's output for a zero input, per channel (RepConv's padding value), as float. */
        float[] zeroResponse() {
            float[] v = new float[mean.length];
            for (int ch = 0; ch < v.length; ch++) {
                v[ch] = (float) (beta.data()[ch] - mean[ch] * gamma.data()[ch] / Math.sqrt(var[ch] + (double) BN_EPS));
            }
            return v;
        }
    }

    /** A convolution with its batch norms: trained as layers, evaluated and exported as one folded convolution. */
    interface FoldableConv {
        Tensor apply(SdtContext c, Tensor x);

        Folded fold();
    }

    /** Conv (optional bias) + BN. */
    static final class ConvBn implements FoldableConv {
        final Tensor w;
        final Tensor bias;
        final Bn bn;
        final int out;
        final int inPerGroup;
        final int k;
        final int stride;
        final int pad;
        final int groups;

        ConvBn(SdtParameters p, String name, int in, int out, int k, int stride, int pad, int groups, boolean withBias) {
            this.out = out;
            this.inPerGroup = in / groups;
            this.k = k;
            this.stride = stride;
            this.pad = pad;
            this.groups = groups;
            w = p.convWeight(name + ".w", out, inPerGroup, k);
            bias = withBias ? p.convBias(name + ".b", out, inPerGroup * k * k) : null;
            bn = new Bn(p, name + ".bn", out);
        }

        @Override
        public Tensor apply(SdtContext c, Tensor x) {
            if (c.folded) {
                return fold().apply(c.tape, x);
            }
            return bn.apply(c, Convolution.conv2d(c.tape, x, w, bias, stride, pad, groups));
        }

        @Override
        public Folded fold() {
            int per = inPerGroup * k * k;
            double[] fw = new double[out * per];
            double[] fb = new double[out];
            for (int o = 0; o < out; o++) {
                double s = bn.scale(o);
                for (int i = 0; i < per; i++) {
                    fw[o * per + i] = w.data()[o * per + i] * s;
                }
                fb[o] = (bias == null ? 0 : bias.data()[o]) * s + bn.shift(o);
            }
            return new Folded(fw, fb, out, inPerGroup, k, stride, pad, groups);
        }
    }

    /** RepConv followed by a BN: 1x1 -> BN (padded by its zero response) -> depthwise 3x3 -> 1x1 -> BN -> BN. */
    static final class RepConvBn implements FoldableConv {
        final Tensor w1;
        final Bn bn1;
        final Tensor dw;
        final Tensor w2;
        final Bn bn2;
        final Bn bn3;
        final int c;
        final int out;

        RepConvBn(SdtParameters p, String name, int c, int out) {
            this.c = c;
            this.out = out;
            w1 = p.convWeight(name + ".pw1", c, c, 1);
            bn1 = new Bn(p, name + ".bn1", c);
            dw = p.convWeight(name + ".dw", c, 1, 3);
            w2 = p.convWeight(name + ".pw2", out, c, 1);
            bn2 = new Bn(p, name + ".bn2", out);
            bn3 = new Bn(p, name + ".bn3", out);
        }

        @Override
        public Tensor apply(SdtContext ctx, Tensor x) {
            if (ctx.folded) {
                return fold().apply(ctx.tape, x);
            }
            Tensor y = bn1.apply(ctx, Convolution.conv2d(ctx.tape, x, w1, null, 1, 0, 1));
            y = SpikeAttention.padConstant(ctx.tape, y, 1, bn1.zeroResponse());
            y = Convolution.conv2d(ctx.tape, y, dw, null, 1, 0, c);
            y = bn2.apply(ctx, Convolution.conv2d(ctx.tape, y, w2, null, 1, 0, 1));
            return bn3.apply(ctx, y);
        }

        /** One 3x3 convolution (padding 1) with bias equal to the whole chain on a zero-padded input. */
        @Override
        public Folded fold() {
            double[] k = new double[out * c * 9];
            double[] b = new double[out];
            for (int o = 0; o < out; o++) {
                double s = bn3.scale(o) * bn2.scale(o);
                double bias = 0;
                for (int m = 0; m < c; m++) {
                    double w2om = w2.data()[o * c + m];
                    double dsum = 0;
                    for (int q = 0; q < 9; q++) {
                        double d = dw.data()[m * 9 + q];
                        dsum += d;
                        double f = s * w2om * d * bn1.scale(m);
                        for (int ci = 0; ci < c; ci++) {
                            k[(o * c + ci) * 9 + q] += f * w1.data()[m * c + ci];
                        }
                    }
                    bias += w2om * dsum * bn1.shift(m);
                }
                b[o] = bn3.scale(o) * (bn2.scale(o) * bias + bn2.shift(o)) + bn3.shift(o);
            }
            return new Folded(k, b, out, c, 3, 1, 1, 1);
        }
    }

    /** Q, K, V or projection: RepConv + BN, or 1x1 conv + BN. */
    static FoldableConv qkvConv(SdtParameters p, SdtSpec spec, String name, int c) {
        return spec.repConv() ? new RepConvBn(p, name, c, c) : new ConvBn(p, name, c, c, 1, 1, 0, 1, false);
    }
}
