package org.myelin.learning.sdt;

import java.util.ArrayList;
import java.util.List;
import org.myelin.core.spikedriven.SpikeProgram;
import org.myelin.learning.ops.Convolution;
import org.myelin.learning.ops.Elementwise;
import org.myelin.learning.ops.SpikeAttention;
import org.myelin.learning.sdt.SdtConvs.ConvBn;
import org.myelin.learning.sdt.SdtConvs.FoldableConv;
import org.myelin.learning.sdt.SdtConvs.Folded;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * The layers of a {@link MetaSpikeFormer}'s body (see its class documentation for their structure): each applies
 * itself to a (T*B, C, H, W) tensor and exports itself as nodes of a {@link SpikeProgram}.
 */
final class SdtBlocks {
    private SdtBlocks() {
    }

    /** A stage's downsampling or one of its blocks: trained and evaluated, or exported as program nodes. */
    interface Layer {
        Tensor apply(SdtContext c, Tensor x);

        int export(ProgramBuilder b, int x);
    }

    /** Builds the program node by node, tracking names. */
    static final class ProgramBuilder {
        final List<SpikeProgram.Node> nodes = new ArrayList<>();

        int add(SpikeProgram.Node n) {
            nodes.add(n);
            return nodes.size() - 1;
        }

        int conv(String name, int input, Folded f) {
            return add(new SpikeProgram.Conv(name, input, f.out, f.k, f.stride, f.pad, f.groups, f.w, f.b));
        }

        int fire(String name, int input, float threshold) {
            return add(new SpikeProgram.Fire(name, input, threshold));
        }
    }

    /** MS_DownSampling: [LIF] -> conv with bias -> BN. */
    static final class Downsample implements Layer {
        final String name;
        final ConvBn conv;
        final boolean first;

        Downsample(SdtParameters p, String name, int in, int out, int k, int stride, boolean first) {
            this.name = name;
            this.first = first;
            conv = new ConvBn(p, name + ".conv", in, out, k, stride, k / 2, 1, true);
        }

        @Override
        public Tensor apply(SdtContext c, Tensor x) {
            return conv.apply(c, first ? x : c.fire(name + ".lif", x, 1f));
        }

        @Override
        public int export(ProgramBuilder b, int x) {
            int in = first ? x : b.fire(name + ".lif", x, 1f);
            return b.conv(name + ".conv", in, conv.fold());
        }
    }

    /** MS_ConvBlock: SepConv with a shortcut, then two 3x3 convolutions with a shortcut. */
    static final class ConvBlock implements Layer {
        final String name;
        final ConvBn sepPw1;
        final Tensor sepDw;
        final ConvBn sepPw2;
        final ConvBn conv1;
        final ConvBn conv2;
        final int c;

        ConvBlock(SdtParameters p, SdtSpec spec, String name, int c) {
            this.name = name;
            this.c = c;
            int r = spec.mlpRatio();
            sepPw1 = new ConvBn(p, name + ".sep.pw1", c, 2 * c, 1, 1, 0, 1, false);
            sepDw = p.convWeight(name + ".sep.dw", 2 * c, 1, 7);
            sepPw2 = new ConvBn(p, name + ".sep.pw2", 2 * c, c, 1, 1, 0, 1, false);
            conv1 = new ConvBn(p, name + ".conv1", c, r * c, 3, 1, 1, 1, false);
            conv2 = new ConvBn(p, name + ".conv2", r * c, c, 3, 1, 1, 1, false);
        }

        /** SepConv's depthwise 7x7 and second 1x1 (+BN) as one 7x7 convolution (2C -> C) reading spikes. */
        Folded foldSepTail() {
            Folded pw = sepPw2.fold();
            int m = 2 * c;
            double[] k = new double[c * m * 49];
            double[] b = new double[c];
            for (int o = 0; o < c; o++) {
                for (int ch = 0; ch < m; ch++) {
                    double wv = sepPw2.w.data()[o * m + ch] * sepPw2.bn.scale(o);
                    for (int q = 0; q < 49; q++) {
                        k[(o * m + ch) * 49 + q] = wv * sepDw.data()[ch * 49 + q];
                    }
                }
                b[o] = pw.b[o];
            }
            return new Folded(k, b, c, m, 7, 1, 3, 1);
        }

        @Override
        public Tensor apply(SdtContext ctx, Tensor x) {
            Tensor s = ctx.fire(name + ".sep.lif1", x, 1f);
            Tensor y = sepPw1.apply(ctx, s);
            y = ctx.fire(name + ".sep.lif2", y, 1f);
            if (ctx.folded) {
                y = foldSepTail().apply(ctx.tape, y);
            } else {
                y = Convolution.conv2d(ctx.tape, y, sepDw, null, 1, 3, 2 * c);
                y = sepPw2.apply(ctx, y);
            }
            x = Elementwise.add(ctx.tape, y, x);
            Tensor z = conv1.apply(ctx, ctx.fire(name + ".lif1", x, 1f));
            z = conv2.apply(ctx, ctx.fire(name + ".lif2", z, 1f));
            return Elementwise.add(ctx.tape, x, z);
        }

        @Override
        public int export(ProgramBuilder b, int x) {
            int s = b.fire(name + ".sep.lif1", x, 1f);
            int y = b.conv(name + ".sep.pw1", s, sepPw1.fold());
            y = b.fire(name + ".sep.lif2", y, 1f);
            y = b.conv(name + ".sep.dwpw2", y, foldSepTail());
            x = b.add(new SpikeProgram.Add(name + ".sep.add", y, x));
            int z = b.conv(name + ".conv1", b.fire(name + ".lif1", x, 1f), conv1.fold());
            z = b.conv(name + ".conv2", b.fire(name + ".lif2", z, 1f), conv2.fold());
            return b.add(new SpikeProgram.Add(name + ".add", x, z));
        }
    }

    /** MS_Block: spike-driven self-attention and an MLP, each with a shortcut. */
    static final class TransformerBlock implements Layer {
        final String name;
        final SdtSpec spec;
        final FoldableConv q;
        final FoldableConv k;
        final FoldableConv v;
        final FoldableConv proj;
        final ConvBn fc1;
        final ConvBn fc2;

        TransformerBlock(SdtParameters p, SdtSpec spec, String name, int c) {
            this.spec = spec;
            this.name = name;
            q = SdtConvs.qkvConv(p, spec, name + ".q", c);
            k = SdtConvs.qkvConv(p, spec, name + ".k", c);
            v = SdtConvs.qkvConv(p, spec, name + ".v", c);
            proj = SdtConvs.qkvConv(p, spec, name + ".proj", c);
            int h = spec.mlpRatio() * c;
            fc1 = new ConvBn(p, name + ".fc1", c, h, 1, 1, 0, 1, true);
            fc2 = new ConvBn(p, name + ".fc2", h, c, 1, 1, 0, 1, true);
        }

        @Override
        public Tensor apply(SdtContext ctx, Tensor x) {
            int[] shape = x.shape();
            int m = shape[0];
            int c = shape[1];
            int n = shape[2] * shape[3];
            Tape tape = ctx.tape;
            Tensor u = ctx.fire(name + ".attn.lif", x, 1f);
            Tensor qs = Elementwise.reshape(tape, ctx.fire(name + ".q.lif", q.apply(ctx, u), 1f), m, c, n);
            Tensor ks = Elementwise.reshape(tape, ctx.fire(name + ".k.lif", k.apply(ctx, u), 1f), m, c, n);
            Tensor vs = Elementwise.reshape(tape, ctx.fire(name + ".v.lif", v.apply(ctx, u), 1f), m, c, n);
            Tensor a;
            if (spec.attention().equals("sdsa3")) {
                Tensor qa = SpikeAttention.linearAttention(tape, qs, ks, vs, spec.heads());
                a = ctx.fire(name + ".attn.out.lif", Elementwise.scale(tape, qa, 0.125f), 0.5f);
            } else {
                Tensor kv = SpikeAttention.tokenSum(tape, Elementwise.mul(tape, ks, vs));
                Tensor mask = ctx.fire(name + ".attn.kv.lif", kv, 0.5f);
                a = SpikeAttention.channelGate(tape, qs, mask);
            }
            Tensor attn = proj.apply(ctx, Elementwise.reshape(tape, a, shape));
            x = Elementwise.add(tape, x, attn);
            Tensor h = fc1.apply(ctx, ctx.fire(name + ".mlp.lif1", x, 1f));
            h = fc2.apply(ctx, ctx.fire(name + ".mlp.lif2", h, 1f));
            return Elementwise.add(tape, x, h);
        }

        @Override
        public int export(ProgramBuilder b, int x) {
            int u = b.fire(name + ".attn.lif", x, 1f);
            int qs = b.fire(name + ".q.lif", b.conv(name + ".q", u, q.fold()), 1f);
            int ks = b.fire(name + ".k.lif", b.conv(name + ".k", u, k.fold()), 1f);
            int vs = b.fire(name + ".v.lif", b.conv(name + ".v", u, v.fold()), 1f);
            int a;
            if (spec.attention().equals("sdsa3")) {
                int qa = b.add(new SpikeProgram.Attention(name + ".attn", qs, ks, vs, spec.heads()));
                a = b.fire(name + ".attn.out.lif", qa, 0.5f * 8f);
            } else {
                int kv = b.add(new SpikeProgram.TokenCount(name + ".attn.kv", ks, vs));
                int mask = b.fire(name + ".attn.kv.lif", kv, 0.5f);
                a = b.add(new SpikeProgram.Gate(name + ".attn.gate", qs, mask));
            }
            int attn = b.conv(name + ".proj", a, proj.fold());
            x = b.add(new SpikeProgram.Add(name + ".attn.add", x, attn));
            int h = b.conv(name + ".fc1", b.fire(name + ".mlp.lif1", x, 1f), fc1.fold());
            h = b.conv(name + ".fc2", b.fire(name + ".mlp.lif2", h, 1f), fc2.fold());
            return b.add(new SpikeProgram.Add(name + ".mlp.add", x, h));
        }
    }
}
