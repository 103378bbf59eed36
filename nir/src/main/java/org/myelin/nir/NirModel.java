package org.myelin.nir;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.myelin.core.MyelinException;
import org.myelin.core.model.DiscreteLifModel;
import org.myelin.core.model.ResetMode;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.neuron.LeakyNeuron;
import org.myelin.learning.tensor.Tensor;

/**
 * Imports a layered NIR graph as a trainable sim-learning {@link SpikingMlp}, to fine-tune or evaluate it with
 * Myelin's trainer: {@code Input -> Affine|Linear -> LIF|CubaLIF [-> Affine|Linear back to itself] -> Affine|Linear ->
 * ... -> LIF|CubaLIF|LI|CubaLI -> Output}, nested graphs included. Each neuron node becomes a {@link LeakyNeuron}
 * layer in the discrete convention of {@link NirNetwork.Convention#DISCRETE} (beta = 1 - dt/tau, alpha = 1 -
 * dt/tau_syn, weights times r dt/tau and w_in dt/tau_syn, reset in the spike's step), so the model's forward pass
 * gives the spikes that {@link NirNetwork} gives on the core for the same file, layer l one step later there. A
 * non-resetting last layer (LI, CubaLI) is read by its mean membrane, a spiking one by spike counts. Parameters must be
 * equal across a node's neurons.
 */
public final class NirModel {
    private NirModel() {
    }

    /** One neuron layer of the chain. */
    private record Layer(String node, NirNode neuron, NirNode in, NirNode rec) {
    }

    /** The model of {@code f} for the step and reset of {@code o} (its convention is the discrete one). */
    public static SpikingMlp load(NirFile f, NirNetwork.Options o) {
        if (o.convention() == NirNetwork.Convention.EXACT) {
            throw new MyelinException("NIR model import: a trainable model steps in the discrete convention; the exact"
                    + " one imports into a Network (NirNetwork)");
        }
        NirNetwork.Options discrete = new NirNetwork.Options(o.dtMs(), NirNetwork.Convention.DISCRETE, o.reset());
        NirFlatten g = NirFlatten.of(f.graph());
        String input = null;
        for (Map.Entry<String, NirNode> e : g.nodes().entrySet()) {
            if (e.getValue().type().equals("Input") && !g.nested().contains(e.getKey())) {
                input = e.getKey();
            }
        }
        if (input == null) {
            throw new MyelinException("NIR model import: the graph has no Input node");
        }
        List<Layer> layers = new ArrayList<>();
        String at = input;
        int inputs = g.nodes().get(input).outputSize();
        String lin = skipNested(g, single(g, input, null));
        while (true) {
            NirNode linNode = g.nodes().get(lin);
            if (linNode.type().equals("Output")) {
                break;
            }
            if (!linNode.type().equals("Affine") && !linNode.type().equals("Linear")) {
                throw new MyelinException("NIR model import: '" + at + "' feeds '" + lin + "' (" + linNode.type()
                        + "); a layered model takes Affine or Linear nodes between neuron nodes");
            }
            String neuron = skipNested(g, single(g, lin, null));
            NirNode nn = g.nodes().get(neuron);
            if (!List.of("LIF", "CubaLIF", "LI", "CubaLI").contains(nn.type())) {
                throw new MyelinException("NIR model import: '" + lin + "' feeds '" + neuron + "' (" + nn.type()
                        + "); a layered model takes LIF, CubaLIF, LI or CubaLI neurons");
            }
            // out-edges of the neuron: at most one recurrent linear node back onto it, one onward
            NirNode rec = null;
            String onward = null;
            for (String[] e : g.edges()) {
                if (!e[0].equals(neuron)) {
                    continue;
                }
                String next = skipNested(g, e[1]);
                NirNode nx = g.nodes().get(next);
                boolean back = (nx.type().equals("Affine") || nx.type().equals("Linear"))
                        && skipNested(g, single(g, next, null)).equals(neuron);
                if (back) {
                    rec = nx;
                } else if (onward == null) {
                    onward = next;
                } else {
                    throw new MyelinException("NIR model import: '" + neuron + "' feeds more than one layer; a layered"
                            + " model is a chain");
                }
            }
            layers.add(new Layer(neuron, nn, linNode, rec));
            at = neuron;
            if (onward == null) {
                throw new MyelinException("NIR model import: '" + neuron + "' feeds nothing; the chain must end at the"
                        + " Output");
            }
            lin = onward;
        }
        if (layers.isEmpty()) {
            throw new MyelinException("NIR model import: no neuron layer between the Input and the Output");
        }
        int[] sizes = new int[layers.size()];
        NirNeuronNodes.Neuron[] params = new NirNeuronNodes.Neuron[layers.size()];
        for (int l = 0; l < sizes.length; l++) {
            Layer ly = layers.get(l);
            sizes[l] = ly.in().field("weight").shape()[0];
            params[l] = NirNeuronNodes.neuron(ly.neuron(), ly.node(), 0, discrete);
            for (int i = 1; i < sizes[l]; i++) {
                if (!NirNeuronNodes.neuron(ly.neuron(), ly.node(), i, discrete).equals(params[l])) {
                    throw new MyelinException("NIR model import: node '" + ly.node() + "' has neurons with different"
                            + " parameters; a trainable layer has one set");
                }
            }
            if (params[l].leakCurrent() != 0) {
                throw new MyelinException("NIR model import: node '" + ly.node() + "' has v_leak != 0; the trainable"
                        + " neurons rest at 0");
            }
        }
        boolean lastFires = !layers.get(sizes.length - 1).neuron().type().endsWith("LI");
        SpikingMlp.Readout readout = lastFires ? SpikingMlp.Readout.SPIKE_COUNT : SpikingMlp.Readout.MEMBRANE_MEAN;
        final int in0 = inputs;
        SpikingMlp m = new SpikingMlp(in0, sizes, (name, n) -> {
            int l = Integer.parseInt(name.substring("layer".length()));
            DiscreteLifModel d = (DiscreteLifModel) params[l].model();
            boolean fires = !layers.get(l).neuron().type().endsWith("LI");
            LeakyNeuron.Builder b = LeakyNeuron.builder(n).name(name).beta((float) d.beta(), false)
                    .threshold(fires ? (float) d.thresholdMv() : 1f, false).resetDelay(false)
                    .reset(!fires ? LeakyNeuron.Reset.NONE
                            : d.resetMode() == ResetMode.SUBTRACT ? LeakyNeuron.Reset.SUBTRACT : LeakyNeuron.Reset.ZERO)
                    .recurrent(layers.get(l).rec() != null);
            if (!Double.isNaN(d.alpha())) {
                b.synaptic((float) d.alpha(), false);
            }
            return b.build();
        }, readout, 1);
        for (int l = 0; l < sizes.length; l++) {
            Layer ly = layers.get(l);
            double k = params[l].weightScale();
            int inN = l == 0 ? in0 : sizes[l - 1];
            NirArray w = ly.in().field("weight");
            if (w.shape()[1] != inN) {
                throw new MyelinException("NIR model import: shape mismatch: '" + ly.in().name() + "' takes "
                        + w.shape()[1] + " values, " + inN + " arrive");
            }
            transposeInto(w.values(), sizes[l], inN, k, m.weights().get(l));
            float[] bias = m.biases().get(l).data();
            if (ly.in().type().equals("Affine")) {
                double[] b = ly.in().field("bias").values();
                for (int j = 0; j < sizes[l]; j++) {
                    bias[j] = (float) ((b.length == 1 ? b[0] : b[j]) * k);
                }
            } else {
                java.util.Arrays.fill(bias, 0f);
            }
            if (ly.rec() != null) {
                LeakyNeuron ln = (LeakyNeuron) m.layers().get(l);
                transposeInto(ly.rec().field("weight").values(), sizes[l], sizes[l], k, ln.recurrent());
            }
        }
        return m;
    }

    /** NIR weights are (out x in); sim-learning's are (in x out). */
    private static void transposeInto(double[] w, int out, int in, double k, Tensor t) {
        float[] d = t.data();
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) {
                d[j * out + i] = (float) (w[i * in + j] * k);
            }
        }
    }

    private static String skipNested(NirFlatten g, String name) {
        String n = name;
        int guard = 0;
        while (g.nested().contains(n)) {
            n = single(g, n, null);
            if (++guard > 1000) {
                throw new MyelinException("NIR model import: a loop of nested Input/Output nodes at '" + name + "'");
            }
        }
        return n;
    }

    /** The one node {@code from} feeds (a neuron's recurrent edge aside when {@code except} names it). */
    private static String single(NirFlatten g, String from, String except) {
        String found = null;
        for (String[] e : g.edges()) {
            if (e[0].equals(from) && !e[1].equals(except)) {
                if (found != null && !found.equals(e[1])) {
                    throw new MyelinException("NIR model import: '" + from + "' feeds more than one node ('" + found
                            + "', '" + e[1] + "'); a layered model is a chain");
                }
                found = e[1];
            }
        }
        if (found == null) {
            throw new MyelinException("NIR model import: '" + from + "' feeds nothing; the chain must end at the Output");
        }
        return found;
    }
}
