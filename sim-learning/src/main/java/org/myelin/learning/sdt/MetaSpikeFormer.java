package org.myelin.learning.sdt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.myelin.core.MyelinException;
import org.myelin.core.random.CounterRandom;
import org.myelin.core.spikedriven.SpikeProgram;
import org.myelin.learning.neuron.JellyLifNeuron;
import org.myelin.learning.neuron.Surrogate;
import org.myelin.learning.ops.Convolution;
import org.myelin.learning.ops.Elementwise;
import org.myelin.learning.ops.Linear;
import org.myelin.learning.ops.Normalization;
import org.myelin.learning.ops.Reductions;
import org.myelin.learning.ops.SpikeAttention;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * Meta-SpikeFormer (Spike-driven Transformer V2, Yao et al., ICLR 2024) for small images, trainable with BPTT,
 * following the reference code (BICLab/Spike-Driven-Transformer-V2, {@code classification/models.py}):
 *
 * <ul>
 * <li>Neurons: SpikingJelly's LIF, tau 2, input decay, hard reset to 0, detached reset, threshold 1, sigmoid
 *     surrogate (alpha 4); the attention output neurons fire at 0.5. Batch norm after every convolution, its
 *     statistics over time*batch. Shortcuts add pre-spike values; only spikes enter convolutions and products.</li>
 * <li>MS_DownSampling: [LIF (not in the first)] -> k x k conv with bias, stride s, padding k/2 -> BN.</li>
 * <li>MS_ConvBlock: x = SepConv(x) + x; x = x + BN(Conv3x3(LIF(BN(Conv3x3(LIF(x)))))), width C -> rC -> C;
 *     SepConv = LIF -> 1x1 (C -> 2C) + BN -> LIF -> depthwise 7x7 -> 1x1 (2C -> C) + BN.</li>
 * <li>MS_Block: x = x + Attn(x); x = x + MLP(x); MLP = LIF -> 1x1 (C -> rC, bias) + BN -> LIF -> 1x1 + BN.</li>
 * <li>Attention: u = LIF(x); Q, K, V = LIF(BN(RepConv(u))) (or 1x1 conv + BN without RepConv). SDSA-3:
 *     per head A = K^T V, out = LIF_0.5((Q A) / 8). SDSA-1: out = Q * LIF_0.5(sum over tokens of K * V).
 *     Then the projection, BN(RepConv(out)).</li>
 * <li>RepConv: 1x1 conv -> BN padded by one pixel of the BN's value for a zero input -> depthwise 3x3 -> 1x1
 *     -> BN.</li>
 * <li>Head: mean over space -> LIF -> linear -> mean over T (computed as the sum over the N positions -> LIF at
 *     threshold N with surrogate slope 4/N, the same function without a division).</li>
 * </ul>
 *
 * <p>In evaluation every convolution is used with its batch norm folded in, RepConv folded into one 3x3
 * convolution, and SepConv's depthwise 7x7 and second 1x1 folded into one 7x7 convolution that reads spikes:
 * the same arithmetic as the exported {@link SpikeProgram} ({@link #export}), which therefore reproduces this
 * network's evaluation forward pass bit for bit. {@link #setFoldedEvaluation} switches evaluation to the
 * unfolded layers (for checking the folding).
 */
public final class MetaSpikeFormer {
    private static final float BN_MOMENTUM = 0.1f;
    private static final float BN_EPS = 1e-5f;

    private final SdtSpec spec;
    private final List<Tensor> parameters = new ArrayList<>();
    private final List<float[]> buffers = new ArrayList<>();
    private final List<String> bufferNames = new ArrayList<>();
    private final List<Layer> body = new ArrayList<>();
    private final Tensor headW;
    private final Tensor headB;
    private final int finalSize;
    private boolean foldedEvaluation = true;
    boolean smoothForGradientChecks;

    /** The scores of a batch and the spikes of every neuron layer per sample. */
    public record Forward(Tensor logits, Map<String, long[]> spikes, Map<String, Long> neurons) {
    }

    public MetaSpikeFormer(SdtSpec spec) {
        this.spec = spec;
        int c = spec.channels();
        int size = spec.size();
        for (int s = 0; s < spec.stages().size(); s++) {
            SdtSpec.Stage st = spec.stages().get(s);
            String p = "s" + (s + 1);
            body.add(new Downsample(p + ".down", c, st.dim(), st.kernel(), st.stride(), s == 0));
            size = Convolution.outputSize(size, st.kernel(), st.stride(), SdtSpec.padding(st));
            c = st.dim();
            for (int b = 0; b < st.blocks(); b++) {
                String name = p + ".b" + b;
                body.add(st.kind() == 'c' ? new ConvBlock(name, c) : new TransformerBlock(name, c));
            }
        }
        finalSize = size;
        headW = parameter("head.w", c, spec.classes());
        for (int i = 0; i < headW.size(); i++) {
            double z;
            long k = 0;
            do {
                z = CounterRandom.normal(spec.seed(), CounterRandom.streamOf("head.w"), i, k++);
            } while (Math.abs(z) > 2);
            headW.data()[i] = (float) (0.02 * z);
        }
        headB = parameter("head.b", spec.classes());
    }

    public SdtSpec spec() {
        return spec;
    }

    public List<Tensor> parameters() {
        return List.copyOf(parameters);
    }

    /** Batch-norm running statistics, by name ({@code NAME.mean}, {@code NAME.var}). */
    public Map<String, float[]> buffers() {
        Map<String, float[]> m = new LinkedHashMap<>();
        for (int i = 0; i < buffers.size(); i++) {
            m.put(bufferNames.get(i), buffers.get(i));
        }
        return m;
    }

    /** Trainable values. */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : parameters) {
            n += t.size();
        }
        return n;
    }

    /** Whether evaluation uses the folded layers (the default, as the export does) or the trained ones. */
    public void setFoldedEvaluation(boolean folded) {
        this.foldedEvaluation = folded;
    }

    public String describe() {
        return spec.toText() + " (" + parameterCount() + " parameters, final map " + finalSize + "x" + finalSize + ")";
    }

    private Tensor parameter(String name, int... shape) {
        Tensor t = Tensor.parameter(name, shape);
        parameters.add(t);
        return t;
    }

    /** A conv weight (and bias) initialised as PyTorch's Conv2d: uniform in +-1/sqrt(fan in). */
    private Tensor convWeight(String name, int out, int inPerGroup, int k) {
        Tensor w = parameter(name, out, inPerGroup, k, k);
        double bound = 1 / Math.sqrt(inPerGroup * k * k);
        int stream = CounterRandom.streamOf(name);
        for (int i = 0; i < w.size(); i++) {
            w.data()[i] = (float) ((2 * CounterRandom.uniform(spec.seed(), stream, i, 0) - 1) * bound);
        }
        return w;
    }

    private Tensor convBias(String name, int out, int fanIn) {
        Tensor b = parameter(name, out);
        double bound = 1 / Math.sqrt(fanIn);
        int stream = CounterRandom.streamOf(name);
        for (int i = 0; i < out; i++) {
            b.data()[i] = (float) ((2 * CounterRandom.uniform(spec.seed(), stream, i, 0) - 1) * bound);
        }
        return b;
    }

    // ----------------------------------------------------------------------------------------------------
    // forward

    private final class Ctx {
        final Tape tape;
        final boolean training;
        final boolean folded;
        final int steps;
        final int batch;
        final Map<String, long[]> spikes = new LinkedHashMap<>();
        final Map<String, Long> neurons = new LinkedHashMap<>();

        Ctx(Tape tape, boolean training, int batch) {
            this.tape = tape;
            this.training = training;
            this.folded = !training && foldedEvaluation;
            this.steps = spec.steps();
            this.batch = batch;
        }

        /** LIF over a (T*B, ...) tensor; the spikes have its shape. */
        Tensor fire(String name, Tensor x, float threshold) {
            return fire(name, x, threshold, 4f);
        }

        /** As {@link #fire(String, Tensor, float)} with the sigmoid surrogate's slope {@code alpha}. */
        Tensor fire(String name, Tensor x, float threshold, float alpha) {
            int features = x.size() / (steps * batch);
            Tensor seq = Elementwise.reshape(tape, x, steps, batch, features);
            JellyLifNeuron lif = smoothForGradientChecks
                    ? new JellyLifNeuron(features, 2f, true, threshold, 0f, false, Surrogate.sigmoid(alpha))
                            .smoothForGradientChecks()
                    : new JellyLifNeuron(features, 2f, true, threshold, 0f, true, Surrogate.sigmoid(alpha));
            Tensor s = lif.forward(tape, seq, steps).spikes();
            long[] counts = new long[batch];
            float[] d = s.data();
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < batch; b++) {
                    int base = (t * batch + b) * features;
                    long n = 0;
                    for (int k = 0; k < features; k++) {
                        n += d[base + k] != 0f ? 1 : 0;
                    }
                    counts[b] += n;
                }
            }
            if (spikes.containsKey(name)) {
                throw new IllegalStateException("two neuron layers named " + name);
            }
            spikes.put(name, counts);
            neurons.put(name, (long) features * steps);
            return Elementwise.reshape(tape, s, x.shape());
        }
    }

    /**
     * The class scores (batch, classes) of {@code batch} images (channels x size x size each, row-major, in
     * {@code images}), each shown for T steps.
     */
    public Forward forward(Tape tape, float[] images, int batch, boolean training) {
        int per = spec.channels() * spec.size() * spec.size();
        if (images.length != batch * per) {
            throw new MyelinException("sdt: " + batch + " images need " + batch * per + " values, got "
                    + images.length);
        }
        Ctx ctx = new Ctx(tape, training, batch);
        int t = spec.steps();
        float[] rep = new float[t * images.length];
        for (int s = 0; s < t; s++) {
            System.arraycopy(images, 0, rep, s * images.length, images.length);
        }
        Tensor x = Tensor.of(rep, t * batch, spec.channels(), spec.size(), spec.size());
        for (Layer l : body) {
            x = l.apply(ctx, x);
        }
        // the head's mean over space followed by LIF (threshold 1, surrogate slope 4) is computed, identically
        // in exact arithmetic, as the sum over the N positions followed by LIF at threshold N with slope 4 / N
        // (tau-2 LIF with hard reset to 0 is linear in its input until it fires): the sum needs no division
        int positions = finalSize * finalSize;
        Tensor summed = SpikeAttention.tokenSum(tape, Elementwise.reshape(tape, x, t * batch, x.dim(1), positions));
        Tensor s = ctx.fire("head.lif", summed, positions, 4f / positions);
        Tensor seq = Elementwise.reshape(tape, s, t, batch, s.size() / (t * batch));
        Tensor logits = Reductions.meanFirst(tape, Linear.apply(tape, seq, headW, headB));
        return new Forward(logits, ctx.spikes, ctx.neurons);
    }

    // ----------------------------------------------------------------------------------------------------
    // export

    /** Builds the program node by node, tracking names. */
    private static final class Builder {
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

    /**
     * The network with batch norms and RepConvs folded, as a spike-driven program whose values equal this
     * model's evaluation forward pass (with folded evaluation, the default). The attention's 1/8 scale is carried
     * by its neurons' threshold (0.5 * 8 = 4 on raw counts).
     */
    public SpikeProgram export() {
        Builder b = new Builder();
        int x = b.add(new SpikeProgram.Input("input", spec.channels(), spec.size(), spec.size()));
        for (Layer l : body) {
            x = l.export(b, x);
        }
        int pool = b.add(new SpikeProgram.Pool("head.pool", x));
        int s = b.fire("head.lif", pool, finalSize * finalSize);
        b.add(new SpikeProgram.Dense("head.fc", s, spec.classes(), headW.data().clone(), headB.data().clone()));
        return new SpikeProgram(b.nodes, spec.steps());
    }

    // ----------------------------------------------------------------------------------------------------
    // layers

    private interface Layer {
        Tensor apply(Ctx c, Tensor x);

        int export(Builder b, int x);
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

    private final class Bn {
        final Tensor gamma;
        final Tensor beta;
        final float[] mean;
        final float[] var;

        Bn(String name, int c) {
            gamma = parameter(name + ".gamma", c);
            java.util.Arrays.fill(gamma.data(), 1f);
            beta = parameter(name + ".beta", c);
            mean = new float[c];
            var = new float[c];
            java.util.Arrays.fill(var, 1f);
            buffers.add(mean);
            bufferNames.add(name + ".mean");
            buffers.add(var);
            bufferNames.add(name + ".var");
        }

        Tensor apply(Ctx c, Tensor x) {
            // gradient checks freeze the running statistics: RepConv's padding reads them, and finite
            // differences need the same function at every evaluation
            float momentum = smoothForGradientChecks ? 0f : BN_MOMENTUM;
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
    private interface FoldableConv {
        Tensor apply(Ctx c, Tensor x);

        Folded fold();
    }

    /** Conv (optional bias) + BN. */
    private final class ConvBn implements FoldableConv {
        final Tensor w;
        final Tensor bias;
        final Bn bn;
        final int out;
        final int inPerGroup;
        final int k;
        final int stride;
        final int pad;
        final int groups;

        ConvBn(String name, int in, int out, int k, int stride, int pad, int groups, boolean withBias) {
            this.out = out;
            this.inPerGroup = in / groups;
            this.k = k;
            this.stride = stride;
            this.pad = pad;
            this.groups = groups;
            w = convWeight(name + ".w", out, inPerGroup, k);
            bias = withBias ? convBias(name + ".b", out, inPerGroup * k * k) : null;
            bn = new Bn(name + ".bn", out);
        }

        @Override
        public Tensor apply(Ctx c, Tensor x) {
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
    private final class RepConvBn implements FoldableConv {
        final Tensor w1;
        final Bn bn1;
        final Tensor dw;
        final Tensor w2;
        final Bn bn2;
        final Bn bn3;
        final int c;
        final int out;

        RepConvBn(String name, int c, int out) {
            this.c = c;
            this.out = out;
            w1 = convWeight(name + ".pw1", c, c, 1);
            bn1 = new Bn(name + ".bn1", c);
            dw = convWeight(name + ".dw", c, 1, 3);
            w2 = convWeight(name + ".pw2", out, c, 1);
            bn2 = new Bn(name + ".bn2", out);
            bn3 = new Bn(name + ".bn3", out);
        }

        @Override
        public Tensor apply(Ctx ctx, Tensor x) {
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
    private FoldableConv qkvConv(String name, int c) {
        return spec.repConv() ? new RepConvBn(name, c, c) : new ConvBn(name, c, c, 1, 1, 0, 1, false);
    }

    private final class Downsample implements Layer {
        final String name;
        final ConvBn conv;
        final boolean first;

        Downsample(String name, int in, int out, int k, int stride, boolean first) {
            this.name = name;
            this.first = first;
            conv = new ConvBn(name + ".conv", in, out, k, stride, k / 2, 1, true);
        }

        @Override
        public Tensor apply(Ctx c, Tensor x) {
            return conv.apply(c, first ? x : c.fire(name + ".lif", x, 1f));
        }

        @Override
        public int export(Builder b, int x) {
            int in = first ? x : b.fire(name + ".lif", x, 1f);
            return b.conv(name + ".conv", in, conv.fold());
        }
    }

    private final class ConvBlock implements Layer {
        final String name;
        final ConvBn sepPw1;
        final Tensor sepDw;
        final ConvBn sepPw2;
        final ConvBn conv1;
        final ConvBn conv2;
        final int c;

        ConvBlock(String name, int c) {
            this.name = name;
            this.c = c;
            int r = spec.mlpRatio();
            sepPw1 = new ConvBn(name + ".sep.pw1", c, 2 * c, 1, 1, 0, 1, false);
            sepDw = convWeight(name + ".sep.dw", 2 * c, 1, 7);
            sepPw2 = new ConvBn(name + ".sep.pw2", 2 * c, c, 1, 1, 0, 1, false);
            conv1 = new ConvBn(name + ".conv1", c, r * c, 3, 1, 1, 1, false);
            conv2 = new ConvBn(name + ".conv2", r * c, c, 3, 1, 1, 1, false);
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
        public Tensor apply(Ctx ctx, Tensor x) {
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
        public int export(Builder b, int x) {
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

    private final class TransformerBlock implements Layer {
        final String name;
        final FoldableConv q;
        final FoldableConv k;
        final FoldableConv v;
        final FoldableConv proj;
        final ConvBn fc1;
        final ConvBn fc2;

        TransformerBlock(String name, int c) {
            this.name = name;
            q = qkvConv(name + ".q", c);
            k = qkvConv(name + ".k", c);
            v = qkvConv(name + ".v", c);
            proj = qkvConv(name + ".proj", c);
            int h = spec.mlpRatio() * c;
            fc1 = new ConvBn(name + ".fc1", c, h, 1, 1, 0, 1, true);
            fc2 = new ConvBn(name + ".fc2", h, c, 1, 1, 0, 1, true);
        }

        @Override
        public Tensor apply(Ctx ctx, Tensor x) {
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
        public int export(Builder b, int x) {
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
