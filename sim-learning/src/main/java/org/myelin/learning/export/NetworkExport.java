package org.myelin.learning.export;

import java.util.ArrayList;
import java.util.List;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backend;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.model.DiscreteLifModel;
import org.myelin.core.model.Receptor;
import org.myelin.core.model.ResetMode;
import org.myelin.core.network.CurrentInput;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.neuron.DsrNeuron;
import org.myelin.learning.neuron.JellyLifNeuron;
import org.myelin.learning.neuron.LeakyNeuron;
import org.myelin.learning.neuron.SpikingLayer;
import org.myelin.learning.ops.Linear;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * Turns a trained {@link SpikingMlp} and one input sample into a core {@link Network} that any backend runs.
 *
 * <p>Layer l becomes population {@code layer<l>} of {@link DiscreteLifModel} neurons (with a synaptic current for
 * snnTorch's {@code Synaptic}); its weights become an explicit projection (delay 1 step) from the layer before, or from
 * the spike source {@code input}; its bias becomes a projection from a one-neuron source {@code bias<l>} that fires in
 * every step the layer works on a training step, added after the weights so that the core sums (weights) + bias in the
 * training graph's order; recurrent weights become a projection from the layer to itself, last. Without a synaptic
 * current the recurrent projection uses the inhibitory receptor, which the discrete model keeps in a separate sum, so
 * the core adds (beta v + feed-forward) + recurrent as the training graph does; with one, everything goes to the
 * excitatory sum, as syn = alpha syn + (feed-forward + recurrent) does. A direct (current) input becomes the constant
 * current of layer 0, bias included, computed here with the training graph's own product. Each layer is one step
 * behind the one before, so training step t of layer l is core step t + l (direct input) or t + l + 1 (spike input):
 * see {@link Exported#stepOf}.
 *
 * <p>Exact (same arithmetic, same order, so the same spikes as the training graph's forward pass) for
 * {@link LeakyNeuron} layers, leaky or synaptic, with one beta, alpha and threshold per layer, with the immediate
 * reset or snnTorch's delayed one ({@link DiscreteLifModel#withDelayedReset}), and for {@link DsrNeuron} layers (IF and LIF: the input gain 1 - b, the firing
 * fraction and the subtracted threshold of {@link DiscreteLifModel}; the next layer's weights times the spike's
 * value). Other layers are refused.
 */
public final class NetworkExport {
    private NetworkExport() {
    }

    /**
     * The exported network and how its steps line up with the training graph's.
     *
     * @param network     the network, with spike monitors named after the populations
     * @param spikeInput  whether the input is a spike source (else a current into layer 0)
     * @param steps       training steps of the sample
     */
    public record Exported(Network network, boolean spikeInput, int steps) {
        /** The core step that holds training step {@code t} of layer {@code layer}. */
        public long stepOf(int layer, int t) {
            return t + layer + (spikeInput ? 1 : 0);
        }

        /** Steps to simulate so that every layer has run all training steps. */
        public long stepsToRun(int layers) {
            return stepOf(layers - 1, steps - 1) + 1;
        }
    }

    /**
     * @param model  the trained model
     * @param sample one sample: (in) values for direct input, or (time, in) spikes of 0 and 1
     * @param steps  training steps (for a direct input; a spike sample gives its own)
     * @param dtMs   the step of the exported network
     */
    public static Exported export(SpikingMlp model, Tensor sample, int steps, double dtMs) {
        return export(model, sample, steps, dtMs, false);
    }

    /** As {@link #export(SpikingMlp, Tensor, int, double)}; with {@code readoutState}, v of the last layer is monitored
     * in every step (monitor {@code readout.v}), for a membrane read-out. */
    private static Exported export(SpikingMlp model, Tensor sample, int steps, double dtMs, boolean readoutState) {
        boolean spikes = sample.rank() == 2;
        int in = model.inputs();
        if (sample.dim(-1) != in || sample.rank() > 2) {
            throw new MyelinException("export: the sample must be (" + in + ") or (time, " + in + "), shape was "
                    + java.util.Arrays.toString(sample.shape()));
        }
        int t1 = spikes ? sample.dim(0) : steps;
        if (t1 < 1) {
            throw new MyelinException("export: needs at least one step, was " + t1);
        }
        Network.Builder b = Network.builder().dtMs(dtMs);
        List<SpikingLayer> layers = model.layers();
        for (int l = 0; l < layers.size(); l++) {
            b.population("layer" + l, layers.get(l).features(), modelOf(layers.get(l), l));
            b.monitorSpikes("layer" + l);
        }
        List<Tensor> weights = model.weights();
        List<Tensor> biases = model.biases();
        if (spikes) {
            List<Integer> neurons = new ArrayList<>();
            List<Long> at = new ArrayList<>();
            float[] d = sample.data();
            for (int t = 0; t < t1; t++) {
                for (int i = 0; i < in; i++) {
                    float v = d[t * in + i];
                    if (v == 1f) {
                        neurons.add(i);
                        at.add((long) t);
                    } else if (v != 0f) {
                        throw new MyelinException("export: a spike sample holds 0 and 1 only, found " + v
                                + " at step " + t + ", input " + i);
                    }
                }
            }
            b.spikeTrain("input", in, neurons.stream().mapToInt(Integer::intValue).toArray(),
                    at.stream().mapToLong(Long::longValue).toArray());
            b.projection(dense("input", "layer0", weights.get(0), 1f, Receptor.EXCITATORY));
            bias(b, biases.get(0), 0, 1, t1);
        } else {
            Tensor current = Linear.apply(Tape.inference(), Tensor.of(sample.data().clone(), 1, in),
                    weights.get(0).detach(), biases.get(0).detach());
            float[] c = current.data();
            for (int j = 0; j < c.length; j++) {
                b.current(new CurrentInput("input" + j, "layer0", new int[] {j}, new long[] {0, t1},
                        new double[] {c[j], 0}));
            }
        }
        for (int l = 1; l < layers.size(); l++) {
            b.projection(dense("layer" + (l - 1), "layer" + l, weights.get(l), spikeValue(layers.get(l - 1)),
                    Receptor.EXCITATORY));
            bias(b, biases.get(l), l, l + (spikes ? 1 : 0), t1);
        }
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l) instanceof LeakyNeuron ln && ln.recurrent() != null) {
                b.projection(dense("layer" + l, "layer" + l, ln.recurrent(), 1f,
                        ln.alpha() != null ? Receptor.EXCITATORY : Receptor.INHIBITORY));
            }
        }
        if (readoutState) {
            int last = layers.size() - 1;
            int[] all = new int[layers.get(last).features()];
            for (int j = 0; j < all.length; j++) {
                all[j] = j;
            }
            b.monitorState(READOUT, "layer" + last, "v", 1, all);
        }
        return new Exported(b.build(), spikes, t1);
    }

    private static final String READOUT = "readout.v";

    /** Whether a layer spikes (a leaky neuron without reset is a non-spiking read-out). */
    private static boolean fires(SpikingLayer layer) {
        return !(layer instanceof LeakyNeuron n) || n.reset() != LeakyNeuron.Reset.NONE;
    }

    /**
     * Runs the model's forward pass on one sample and its export on {@code backend}, compares every spiking layer's
     * spikes step by step and reads the class scores off the core as the model reads them (spike counts, or the
     * mean membrane of the last layer, summed in the training graph's order).
     *
     * @param sample as for {@link #export(SpikingMlp, Tensor, int, double)}
     * @param head   the columns of the scores that answer (a task's classes), or null for all
     */
    public static org.myelin.learning.lmu.L2muExport.Agreement verify(SpikingMlp model, Tensor sample, int steps,
                                                                      Backend backend, SimulationConfig config,
                                                                      int[] head) {
        boolean spikeInput = sample.rank() == 2;
        Tensor input = spikeInput ? Tensor.of(sample.data(), sample.dim(0), 1, sample.dim(1))
                : Tensor.of(sample.data(), 1, sample.dim(0));
        SpikingMlp.Forward f = model.forward(Tape.inference(), input, steps);
        boolean membrane = model.readout() == SpikingMlp.Readout.MEMBRANE_MEAN;
        Exported ex = export(model, sample, steps, 1.0, membrane);
        List<SpikingLayer> layers = model.layers();
        int last = layers.size() - 1;
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = backend.compile(ex.network(), config)) {
            c.run(ex.stepsToRun(layers.size()), rec);
        }
        int t1 = ex.steps();
        long[] per = new long[layers.size()];
        long total = 0;
        long differing = 0;
        String first = "none";
        for (int l = 0; l < layers.size(); l++) {
            if (!fires(layers.get(l))) {
                continue;
            }
            int n = layers.get(l).features();
            float[] sd = f.layers().get(l).spikes().data();
            List<Long> expected = new ArrayList<>();
            for (int t = 0; t < t1; t++) {
                for (int j = 0; j < n; j++) {
                    if (sd[t * n + j] != 0f) {
                        expected.add(ex.stepOf(l, t) * n + j);
                    }
                }
            }
            SpikeRecord core = rec.memory().spikes("layer" + l);
            long end = ex.stepOf(l, t1 - 1);
            List<Long> actual = new ArrayList<>();
            for (int i = 0; i < core.size(); i++) {
                if (core.step(i) <= end) {
                    actual.add(core.step(i) * n + core.neuron(i));
                }
            }
            java.util.Set<Long> want = new java.util.HashSet<>(expected);
            java.util.Set<Long> got = new java.util.HashSet<>(actual);
            for (long key : expected) {
                if (!got.contains(key)) {
                    differing++;
                    if (first.equals("none")) {
                        first = "layer" + l + ": no spike on the core at step " + key / n + ", neuron " + key % n;
                    }
                }
            }
            for (long key : actual) {
                if (!want.contains(key)) {
                    differing++;
                    if (first.equals("none")) {
                        first = "layer" + l + ": extra spike on the core at step " + key / n + ", neuron " + key % n;
                    }
                }
            }
            per[l] = expected.size();
            total += expected.size();
        }
        int classes = layers.get(last).features();
        float[] core = new float[classes];
        if (membrane) {
            org.myelin.core.monitor.StateTrace tr = rec.memory().state(READOUT);
            for (int t = 0; t < t1; t++) {
                long at = ex.stepOf(last, t);
                for (int j = 0; j < classes; j++) {
                    core[j] += (float) tr.value((int) at, j);
                }
            }
            for (int j = 0; j < classes; j++) {
                core[j] *= 1f / t1;
            }
        } else {
            SpikeRecord r = rec.memory().spikes("layer" + last);
            long end = ex.stepOf(last, t1 - 1);
            for (int i = 0; i < r.size(); i++) {
                if (r.step(i) <= end) {
                    core[r.neuron(i)] += 1f;
                }
            }
        }
        float[] graph = f.logits().data().clone();
        org.myelin.learning.lmu.CoreActivity act = org.myelin.learning.lmu.CoreActivity.of(ex.network(),
                rec.memory(), ex.stepsToRun(layers.size()));
        return new org.myelin.learning.lmu.L2muExport.Agreement(total, per, differing, first, columns(graph, head),
                columns(core, head), act.spikes(), act.synapticOps());
    }

    private static float[] columns(float[] v, int[] head) {
        if (head == null) {
            return v;
        }
        float[] out = new float[head.length];
        for (int q = 0; q < head.length; q++) {
            out[q] = v[head[q]];
        }
        return out;
    }

    /** What a spike of the layer is worth in the next layer's product: 1, or a DSR neuron's theta (/ dt). */
    private static float spikeValue(SpikingLayer layer) {
        return layer instanceof DsrNeuron d ? d.spikeValue() : 1f;
    }

    /**
     * A DSR neuron as the core states it, with the forward pass's arithmetic: v = b v + (1 - b) x (IF: b = 1, gain
     * 1), a spike where v &gt;= alpha theta (the core's strict test against the float just below), and theta
     * subtracted.
     */
    private static DiscreteLifModel dsrModel(DsrNeuron d) {
        float b = d.leaky() ? (float) Math.exp(-d.dt() / d.tau()) : 1f;
        float gain = d.leaky() ? 1f - b : 1f;
        float th = d.effectiveThreshold();
        float fire = d.firingFraction() * th;
        return new DiscreteLifModel(b, Double.NaN, Math.nextDown(fire), ResetMode.SUBTRACT).withInputGain(gain)
                .withSubtract(th);
    }

    /**
     * SpikingJelly's LIF ({@link JellyLifNeuron}, V_reset 0 or soft reset) in its own float order: H = V + (X - V) / tau
     * or V - V / tau + X, a spike where H - V_threshold &gt;= 0 (the core's strict test against the float just below),
     * then H = 0 (hard) or H - V_threshold (soft).
     */
    private static DiscreteLifModel jellyModel(JellyLifNeuron j, int l) {
        boolean soft = Float.isNaN(j.vReset());
        if (!soft && j.vReset() != 0f) {
            throw new MyelinException("export: layer " + l + " resets to " + j.vReset() + "; the core states"
                    + " SpikingJelly's LIF with V_reset 0 or the soft reset");
        }
        double th = Math.nextDown(j.vThreshold());
        ResetMode mode = soft ? ResetMode.SUBTRACT : ResetMode.TO_VALUE;
        DiscreteLifModel m = j.decayInput() ? DiscreteLifModel.decayInput(j.tau(), th, mode)
                : DiscreteLifModel.leakThenInput(j.tau(), th, mode);
        return m.withSubtract(j.vThreshold());
    }

    private static DiscreteLifModel modelOf(SpikingLayer layer, int l) {
        if (layer instanceof DsrNeuron d) {
            return dsrModel(d);
        }
        if (layer instanceof JellyLifNeuron j) {
            return jellyModel(j, l);
        }
        if (!(layer instanceof LeakyNeuron n)) {
            throw new MyelinException("export: layer " + l + " is " + layer.describe()
                    + "; only leaky, DSR and SpikingJelly LIF neurons export");
        }
        if (n.beta().size() != 1 || n.threshold().size() != 1 || (n.alpha() != null && n.alpha().size() != 1)) {
            throw new MyelinException("export: layer " + l + " needs one beta, alpha and threshold, was "
                    + n.describe());
        }
        float beta = Math.max(0f, Math.min(1f, n.beta().data()[0]));
        double alpha = n.alpha() == null ? Double.NaN : Math.max(0f, Math.min(1f, n.alpha().data()[0]));
        float th = n.threshold().data()[0];
        if (n.reset() == LeakyNeuron.Reset.NONE) {
            return new DiscreteLifModel(beta, alpha, Float.MAX_VALUE, ResetMode.SUBTRACT);
        }
        if (n.reset() == LeakyNeuron.Reset.SUBTRACT) {
            DiscreteLifModel m = new DiscreteLifModel(beta, alpha, th, ResetMode.SUBTRACT);
            // snnTorch's reset_delay: v = (beta v + input) - theta at the step after the spike
            return n.resetDelay() ? m.withDelayedReset() : m;
        }
        // to zero: the delayed form, beta ((1 - s) v) + input, gives the immediate reset's spikes (only the
        // potential recorded in the spike's step differs)
        return new DiscreteLifModel(beta, alpha, th, ResetMode.TO_VALUE);
    }

    /** The weights times {@code spikeValue} (the float product the training graph forms), as explicit synapses. */
    private static Projection dense(String from, String to, Tensor w, float spikeValue, Receptor receptor) {
        int rows = w.dim(0);
        int cols = w.dim(1);
        float[] d = w.data();
        int n = 0;
        for (float v : d) {
            n += v != 0f ? 1 : 0;
        }
        int[] pre = new int[n];
        int[] post = new int[n];
        double[] weight = new double[n];
        int k = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                float v = d[i * cols + j];
                if (v != 0f) {
                    pre[k] = i;
                    post[k] = j;
                    weight[k++] = spikeValue * v;
                }
            }
        }
        return Projection.between(from, to).named(from + "->" + to).receptor(receptor).delaySteps(1)
                .connect(Connectivity.explicit(pre, post, weight, null)).build();
    }

    /**
     * Layer {@code layer}'s bias as synapses from a one-neuron source {@code bias<layer>} firing in steps
     * {@code [firstStep - 1, firstStep - 1 + steps)}, so that with their one-step delay they arrive while the layer works
     * on training steps 0 .. steps - 1. Nothing for an all-zero bias.
     */
    private static void bias(Network.Builder b, Tensor bias, int layer, long firstStep, int steps) {
        float[] d = bias.data();
        int n = 0;
        for (float v : d) {
            n += v != 0f ? 1 : 0;
        }
        if (n == 0) {
            return;
        }
        int[] pre = new int[n];
        int[] post = new int[n];
        double[] w = new double[n];
        int k = 0;
        for (int j = 0; j < d.length; j++) {
            if (d[j] != 0f) {
                post[k] = j;
                w[k++] = d[j];
            }
        }
        long[] when = new long[steps];
        for (int t = 0; t < steps; t++) {
            when[t] = firstStep - 1 + t;
        }
        String src = "bias" + layer;
        b.spikeTrain(src, 1, new int[steps], when);
        b.projection(Projection.between(src, "layer" + layer).named(src + "->layer" + layer)
                .receptor(Receptor.EXCITATORY).delaySteps(1).connect(Connectivity.explicit(pre, post, w, null)).build());
    }
}
