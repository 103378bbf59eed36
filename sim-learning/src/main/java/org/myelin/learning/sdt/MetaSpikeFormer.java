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
import org.myelin.learning.sdt.SdtBlocks.ConvBlock;
import org.myelin.learning.sdt.SdtBlocks.Downsample;
import org.myelin.learning.sdt.SdtBlocks.Layer;
import org.myelin.learning.sdt.SdtBlocks.ProgramBuilder;
import org.myelin.learning.sdt.SdtBlocks.TransformerBlock;
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
    private final SdtSpec spec;
    private final SdtParameters store;
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
        this.store = new SdtParameters(spec.seed());
        int c = spec.channels();
        int size = spec.size();
        for (int s = 0; s < spec.stages().size(); s++) {
            SdtSpec.Stage st = spec.stages().get(s);
            String p = "s" + (s + 1);
            body.add(new Downsample(store, p + ".down", c, st.dim(), st.kernel(), st.stride(), s == 0));
            size = Convolution.outputSize(size, st.kernel(), st.stride(), SdtSpec.padding(st));
            c = st.dim();
            for (int b = 0; b < st.blocks(); b++) {
                String name = p + ".b" + b;
                body.add(st.kind() == 'c' ? new ConvBlock(store, spec, name, c)
                        : new TransformerBlock(store, spec, name, c));
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
        return List.copyOf(store.tensors);
    }

    /** Batch-norm running statistics, by name ({@code NAME.mean}, {@code NAME.var}). */
    public Map<String, float[]> buffers() {
        Map<String, float[]> m = new LinkedHashMap<>();
        for (int i = 0; i < store.buffers.size(); i++) {
            m.put(store.bufferNames.get(i), store.buffers.get(i));
        }
        return m;
    }

    /** Trainable values. */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : store.tensors) {
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
        return store.parameter(name, shape);
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
        SdtContext ctx = new SdtContext(tape, training, foldedEvaluation, spec.steps(), batch,
                smoothForGradientChecks);
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

    /**
     * The network with batch norms and RepConvs folded, as a spike-driven program whose values equal this
     * model's evaluation forward pass (with folded evaluation, the default). The attention's 1/8 scale is carried
     * by its neurons' threshold (0.5 * 8 = 4 on raw counts).
     */
    public SpikeProgram export() {
        ProgramBuilder b = new ProgramBuilder();
        int x = b.add(new SpikeProgram.Input("input", spec.channels(), spec.size(), spec.size()));
        for (Layer l : body) {
            x = l.export(b, x);
        }
        int pool = b.add(new SpikeProgram.Pool("head.pool", x));
        int s = b.fire("head.lif", pool, finalSize * finalSize);
        b.add(new SpikeProgram.Dense("head.fc", s, spec.classes(), headW.data().clone(), headB.data().clone()));
        return new SpikeProgram(b.nodes, spec.steps());
    }
}
