package org.myelin.learning.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.myelin.core.MyelinException;
import org.myelin.core.random.CounterRandom;
import org.myelin.learning.neuron.DsrNeuron;
import org.myelin.learning.neuron.NeuronOutput;
import org.myelin.learning.neuron.SpikingLayer;
import org.myelin.learning.ops.Linear;
import org.myelin.learning.ops.Reductions;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * A feed-forward spiking network: {@code in -> [linear -> spiking layer] x L}, trained with BPTT. The input is
 * either a (batch, in) tensor presented as a constant current for every step (direct encoding) or a
 * (time, batch, in) spike sequence. Linear layers hold weights (in, out) and a bias (out), initialised as
 * PyTorch's {@code nn.Linear} (uniform in +-1/sqrt(in)) from the counter-based generator, so a seed fixes them.
 * A hidden layer made recurrent ({@code LeakyNeuron.recurrent}) makes the network recurrent.
 */
public final class SpikingMlp {
    /** How the output layer is read into class scores. */
    public enum Readout {
        /** Spike counts of the output layer over the sequence. */
        SPIKE_COUNT,
        /** Mean membrane potential of the output layer over the sequence. */
        MEMBRANE_MEAN,
        /** Firing rate of the output layer: mean spike value, exponentially weighted for a DSR-LIF layer. */
        RATE
    }

    private final int inputs;
    private final List<Tensor> weights = new ArrayList<>();
    private final List<Tensor> biases = new ArrayList<>();
    private final List<SpikingLayer> layers = new ArrayList<>();
    private final Readout readout;
    private final List<Linear.Feedback> feedback = new ArrayList<>();

    /**
     * @param inputs    input features
     * @param sizes     neurons per layer, the last being the output layer
     * @param neurons   makes the spiking layer of each (name, size)
     * @param readout   how class scores are read
     * @param seed      fixes the initial weights
     */
    public SpikingMlp(int inputs, int[] sizes, BiFunction<String, Integer, SpikingLayer> neurons, Readout readout,
                      long seed) {
        if (inputs < 1 || sizes.length == 0) {
            throw new MyelinException("spiking mlp: needs >= 1 input and >= 1 layer");
        }
        this.inputs = inputs;
        this.readout = readout;
        int in = inputs;
        for (int l = 0; l < sizes.length; l++) {
            if (sizes[l] < 1) {
                throw new MyelinException("spiking mlp: layer " + l + " needs >= 1 neuron, was " + sizes[l]);
            }
            String name = "layer" + l;
            Tensor w = Tensor.parameter(name + ".weight", in, sizes[l]);
            Tensor b = Tensor.parameter(name + ".bias", sizes[l]);
            float bound = (float) (1 / Math.sqrt(in));
            CounterRandom.fillSymmetric(w.data(), seed, CounterRandom.streamOf(w.name()), bound);
            CounterRandom.fillSymmetric(b.data(), seed, CounterRandom.streamOf(b.name()), bound);
            weights.add(w);
            biases.add(b);
            SpikingLayer layer = neurons.apply(name, sizes[l]);
            if (layer.features() != sizes[l]) {
                throw new MyelinException("spiking mlp: the neuron factory made " + layer.features()
                        + " neurons for " + name + ", expected " + sizes[l]);
            }
            layers.add(layer);
            feedback.add(null);
            in = sizes[l];
        }
    }

    /** The result of a forward pass: class scores (batch, classes) and every layer's output. */
    public record Forward(Tensor logits, List<NeuronOutput> layers) {
    }

    /** Runs the network; {@code steps} is used for a (batch, in) input. */
    public Forward forward(Tape tape, Tensor input, int steps) {
        if (input.dim(-1) != inputs || input.rank() < 2 || input.rank() > 3) {
            throw new MyelinException("spiking mlp: input must be (batch, " + inputs + ") or (time, batch, "
                    + inputs + "), shape was " + java.util.Arrays.toString(input.shape()));
        }
        List<NeuronOutput> outs = new ArrayList<>();
        Tensor h = input;
        for (int l = 0; l < layers.size(); l++) {
            Tensor current = Linear.apply(tape, h, weights.get(l), biases.get(l), feedback.get(l));
            NeuronOutput o = layers.get(l).forward(tape, current, steps);
            outs.add(o);
            h = o.spikes();
        }
        NeuronOutput last = outs.get(outs.size() - 1);
        SpikingLayer out = layers.get(layers.size() - 1);
        Tensor logits = switch (readout) {
            case SPIKE_COUNT -> Reductions.sumFirst(tape, last.spikes());
            case MEMBRANE_MEAN -> Reductions.meanFirst(tape, last.membrane());
            case RATE -> out instanceof DsrNeuron d && d.leaky()
                    ? DsrNeuron.weightedRate(tape, last.spikes(), d.tau(), d.dt())
                    : Reductions.meanFirst(tape, last.spikes());
        };
        return new Forward(logits, outs);
    }

    public int inputs() {
        return inputs;
    }

    public int outputs() {
        return layers.get(layers.size() - 1).features();
    }

    public Readout readout() {
        return readout;
    }

    /**
     * Makes layer l carry the error back to its input through {@code f} (feedback alignment, sign symmetry)
     * instead of its weights; null restores the exact gradient.
     */
    public void feedback(int l, Linear.Feedback f) {
        feedback.set(l, f);
    }

    /** Layer l's feedback, or null for the exact gradient. */
    public Linear.Feedback feedback(int l) {
        return feedback.get(l);
    }

    public List<Tensor> weights() {
        return List.copyOf(weights);
    }

    public List<Tensor> biases() {
        return List.copyOf(biases);
    }

    public List<SpikingLayer> layers() {
        return List.copyOf(layers);
    }

    /** Every trainable tensor, in a fixed order. */
    public List<Tensor> parameters() {
        List<Tensor> out = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            out.add(weights.get(l));
            out.add(biases.get(l));
            out.addAll(layers.get(l).parameters());
        }
        return out;
    }

    /** The architecture in words (reports and checkpoint fingerprints). */
    public String describe() {
        StringBuilder sb = new StringBuilder("mlp(inputs=" + inputs + ", readout=" + readout);
        for (SpikingLayer l : layers) {
            sb.append(", ").append(l.describe());
        }
        return sb.append(")").toString();
    }
}
