package org.myelin.learning.export;

import java.util.ArrayList;
import java.util.List;
import org.myelin.core.MyelinException;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.model.DiscreteLifModel;
import org.myelin.core.model.Receptor;
import org.myelin.core.model.ResetMode;
import org.myelin.core.network.CurrentInput;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;
import org.myelin.learning.model.SpikingMlp;
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
 * {@link LeakyNeuron} layers, leaky or synaptic, with one beta, alpha and threshold per layer and the immediate reset
 * ({@code resetDelay(false)}). Other layers are refused.
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
            b.projection(dense("input", "layer0", weights.get(0), Receptor.EXCITATORY));
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
            b.projection(dense("layer" + (l - 1), "layer" + l, weights.get(l), Receptor.EXCITATORY));
            bias(b, biases.get(l), l, l + (spikes ? 1 : 0), t1);
        }
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l) instanceof LeakyNeuron ln && ln.recurrent() != null) {
                b.projection(dense("layer" + l, "layer" + l, ln.recurrent(),
                        ln.alpha() != null ? Receptor.EXCITATORY : Receptor.INHIBITORY));
            }
        }
        return new Exported(b.build(), spikes, t1);
    }

    private static DiscreteLifModel modelOf(SpikingLayer layer, int l) {
        if (!(layer instanceof LeakyNeuron n)) {
            throw new MyelinException("export: layer " + l + " is " + layer.describe()
                    + "; only leaky neurons export");
        }
        if (n.beta().size() != 1 || n.threshold().size() != 1 || (n.alpha() != null && n.alpha().size() != 1)) {
            throw new MyelinException("export: layer " + l + " needs one beta, alpha and threshold, was "
                    + n.describe());
        }
        if (n.resetDelay() && n.reset() != LeakyNeuron.Reset.NONE) {
            throw new MyelinException("export: layer " + l + " resets at the next step (snnTorch's reset_delay);"
                    + " the core resets in the spike's step: train it with resetDelay(false) (train mlp --immediate-reset)");
        }
        float beta = Math.max(0f, Math.min(1f, n.beta().data()[0]));
        double alpha = n.alpha() == null ? Double.NaN : Math.max(0f, Math.min(1f, n.alpha().data()[0]));
        float th = n.threshold().data()[0];
        if (n.reset() == LeakyNeuron.Reset.NONE) {
            return new DiscreteLifModel(beta, alpha, Float.MAX_VALUE, ResetMode.SUBTRACT);
        }
        return new DiscreteLifModel(beta, alpha, th,
                n.reset() == LeakyNeuron.Reset.SUBTRACT ? ResetMode.SUBTRACT : ResetMode.TO_VALUE);
    }

    private static Projection dense(String from, String to, Tensor w, Receptor receptor) {
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
                    weight[k++] = v;
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
