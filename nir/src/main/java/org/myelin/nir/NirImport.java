package org.myelin.nir;

import java.util.ArrayList;
import java.util.List;
import org.myelin.core.MyelinException;
import org.myelin.core.model.LifModel;
import org.myelin.core.network.CurrentInput;
import org.myelin.core.network.Network;

/**
 * Imports the graphs whose input drives one neuron layer, {@code Input -> Affine|Linear -> LIF|LI|IF -> Output}
 * with the input taken as currents held over each step (the NIR paper's single-LIF comparison), into a Myelin network.
 * Graphs of any shape driven by spikes (further layers, CubaLIF, recurrence, convolutions) go through
 * {@link NirNetwork}.
 *
 * <p>Discretisation. NIR is continuous: {@code tau dv/dt = (v_leak - v) + r I} with I the Affine's output. The
 * input is a sequence of values, one per step of dt, held constant over its step (zero-order hold): so the input
 * becomes a current I = W x + b into every neuron, changing at step boundaries, and Myelin integrates it exactly
 * (clock and grid modes: the exact propagator over each step; precise mode: the exact solution between
 * events, crossings found within a step). Units: NIR time in seconds becomes ms; NIR voltages become mV one to
 * one, r becomes MOhm so that r I stays a voltage (I in nA). Reset: to {@code v_reset} (0 when absent), no
 * refractory period. An IF node is a LIF with an infinite time constant (taken as 1e9 ms); an LI node has an
 * unreachable threshold.
 */
public final class NirImport {
    private NirImport() {
    }

    /** The network and the names an importer's user needs. */
    public record Imported(Network network, String population, String stateMonitor, String neuronNode,
                           int neurons) {
    }

    /** True when the graph has the form this importer takes: Input -> Affine|Linear -> LIF|LI|IF -> Output. */
    public static boolean isSingleLayer(NirFile f) {
        try {
            NirGraph g = f.graph();
            NirNode affine = next(g, only(g, "Input"));
            NirNode neuron = next(g, affine);
            return (affine.type().equals("Affine") || affine.type().equals("Linear"))
                    && List.of("LIF", "LI", "IF").contains(neuron.type()) && next(g, neuron) == only(g, "Output");
        } catch (MyelinException e) {
            return false;
        }
    }

    /**
     * @param input input[step][k]: the value of input k in each step (steps x the Input node's size)
     */
    public static Imported singleLayer(NirFile f, double dtMs, double[][] input) {
        NirGraph g = f.graph();
        NirNode in = only(g, "Input");
        NirNode out = only(g, "Output");
        NirNode affine = next(g, in);
        if (!affine.type().equals("Affine") && !affine.type().equals("Linear")) {
            throw new MyelinException("NIR import: the Input must feed an Affine or Linear node, feeds '" + affine.name()
                    + "' (" + affine.type() + "); " + UNSUPPORTED);
        }
        NirNode neuron = next(g, affine);
        if (!List.of("LIF", "LI", "IF").contains(neuron.type())) {
            throw new MyelinException("NIR import: '" + affine.name() + "' must feed a LIF, LI or IF node, feeds '"
                    + neuron.name() + "' (" + neuron.type() + "); " + UNSUPPORTED);
        }
        NirNode after = next(g, neuron);
        if (after != out) {
            throw new MyelinException("NIR import: '" + neuron.name() + "' feeds '" + after.name() + "' ("
                    + after.type() + "), not the Output; " + UNSUPPORTED);
        }
        int inputs = in.outputSize();
        int n = affine.outputSize();
        for (int s = 0; s < input.length; s++) {
            if (input[s].length != inputs) {
                throw new MyelinException("NIR import: input step " + s + " has " + input[s].length
                        + " values, the Input node takes " + inputs);
            }
        }
        double[] w = affine.field("weight").values();
        double[] bias = affine.type().equals("Affine") ? affine.field("bias").values() : new double[] {0};
        Network.Builder b = Network.builder().dtMs(dtMs).seed(1);
        String pop = neuron.name();
        // one population per neuron: NIR parameters are per neuron
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = n == 1 ? pop : pop + "[" + i + "]";
            names.add(name);
            double rest = value(neuron, "v_leak", i, 0);
            double tauMs = neuron.type().equals("IF") ? 1e9 : 1000 * value(neuron, "tau", i, 0);
            double threshold = neuron.type().equals("LI") ? Double.MAX_VALUE / 4 : value(neuron, "v_threshold", i, 0);
            double reset = neuron.fields().containsKey("v_reset") ? value(neuron, "v_reset", i, 0) : 0;
            double r = value(neuron, "r", i, 1);
            if (!(threshold > rest)) {
                throw new MyelinException("NIR node '" + neuron.name() + "' (" + neuron.type() + "): neuron " + i
                        + " has v_threshold " + threshold + " not above v_leak " + rest + "; not supported yet");
            }
            LifModel m = LifModel.builder().tauMembraneMs(tauMs).restingMv(rest).thresholdMv(threshold)
                    .resetMv(reset).refractoryMs(0).resistanceMOhm(r).build();
            b.population(name, 1, m, org.myelin.core.connect.Distribution.constant(rest));
            // the current of each step: W x + b, held over the step
            List<Long> steps = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            double last = Double.NaN;
            for (int s = 0; s < input.length; s++) {
                double c = bias.length == 1 ? bias[0] : bias[i];
                for (int k = 0; k < inputs; k++) {
                    c += w[i * inputs + k] * input[s][k];
                }
                if (c != last) {
                    steps.add((long) s);
                    values.add(c);
                    last = c;
                }
            }
            if (!steps.isEmpty()) {
                b.current(CurrentInput.stepped(name + "/input", name, steps.stream().mapToLong(Long::longValue).toArray(),
                        values.stream().mapToDouble(Double::doubleValue).toArray()));
            }
            b.monitorSpikes(name).monitorState(name + ".v", name, "v", 1, 0);
        }
        return new Imported(b.build(), pop, pop + ".v", neuron.name(), n);
    }

    private static final String UNSUPPORTED = "this importer takes Input -> Affine|Linear -> LIF|LI|IF -> Output with"
            + " input currents; NirNetwork imports any graph driven by spikes";

    /** Field {@code field} of neuron i (a one-element field applies to all), or {@code absent} without it. */
    private static double value(NirNode n, String field, int i, double absent) {
        NirArray a = n.fields().get(field);
        if (a == null) {
            return absent;
        }
        return a.size() == 1 ? a.values()[0] : a.values()[i];
    }

    private static NirNode only(NirGraph g, String type) {
        NirNode found = null;
        for (NirNode n : g.nodes().values()) {
            if (n.type().equals(type)) {
                if (found != null) {
                    throw new MyelinException("NIR import: more than one " + type + " node ('" + found.name() + "', '"
                            + n.name() + "'); " + UNSUPPORTED);
                }
                found = n;
            }
        }
        if (found == null) {
            throw new MyelinException("NIR import: the graph has no " + type + " node");
        }
        return found;
    }

    private static NirNode next(NirGraph g, NirNode from) {
        NirNode found = null;
        for (String[] e : g.edges()) {
            if (e[0].equals(from.name())) {
                if (found != null) {
                    throw new MyelinException("NIR import: '" + from.name() + "' feeds more than one node; "
                            + UNSUPPORTED);
                }
                found = g.nodes().get(e[1]);
                if (found == null) {
                    throw new MyelinException("NIR import: edge " + e[0] + " -> " + e[1] + " names no node");
                }
            }
        }
        if (found == null) {
            throw new MyelinException("NIR import: '" + from.name() + "' feeds nothing");
        }
        return found;
    }
}
