package org.myelin.nir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.myelin.core.MyelinException;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.model.DiscreteLifModel;
import org.myelin.core.model.LifModel;
import org.myelin.core.model.NeuronModel;
import org.myelin.core.model.ResetMode;
import org.myelin.core.network.CurrentInput;
import org.myelin.core.network.Network;
import org.myelin.nir.NirNetwork.Convention;
import org.myelin.nir.NirNetwork.Options;
import org.myelin.nir.NirNetwork.Placed;

/**
 * The neuron nodes of a NIR graph (LIF, CubaLIF, LI, CubaLI, IF, I, Threshold): their sizes and shapes, each neuron's
 * Myelin model under the chosen {@link Convention} and reset, and the populations a node becomes.
 */
final class NirNeuronNodes {
    private NirNeuronNodes() {
    }

    /** The node types this class maps. */
    static final Set<String> TYPES = Set.of("LIF", "CubaLIF", "LI", "CubaLI", "IF", "I", "Threshold");

    static int[] shapeOf(NirNode n) {
        double[] v = n.field("shape").values();
        int[] s = new int[v.length];
        for (int k = 0; k < v.length; k++) {
            s[k] = (int) v[k];
        }
        return s;
    }

    /** The shape of a neuron node's output: its largest parameter array's shape. */
    static int[] neuronShape(NirNode n, int size) {
        for (NirArray a : n.fields().values()) {
            if (!a.isText() && a.size() == size && a.shape().length >= 1) {
                return a.shape();
            }
        }
        return new int[] {size};
    }

    private static int neurons(NirNode n, String name) {
        int size = -1;
        for (NirArray a : n.fields().values()) {
            if (!a.isText() && a.shape().length > 0) {
                size = Math.max(size, a.size());
            }
        }
        if (size < 1) {
            throw new MyelinException("NIR import: node '" + name + "' (" + n.type() + ") gives its parameters as"
                    + " scalars, so its neuron count is not known");
        }
        return size;
    }

    private static String meta(NirNode n, String key) {
        NirArray a = n.metadata().get(key);
        return a == null || !a.isText() ? null : a.text();
    }

    static double value(NirNode n, String field, int i, double absent) {
        NirArray a = n.fields().get(field);
        if (a == null) {
            return absent;
        }
        return a.size() == 1 ? a.values()[0] : a.values()[i];
    }

    /** The model of neuron i of a node and the factor its incoming weights are multiplied by. */
    record Neuron(NeuronModel model, double weightScale, double leakCurrent) {
    }

    static Neuron neuron(NirNode n, String name, int i, Options o) {
        String type = n.type();
        String owner = "NIR node '" + name + "' (" + type + ")";
        double dtS = o.dtMs() / 1000.0;
        ResetMode reset = o.reset() != null ? o.reset() : "subtract".equals(meta(n, "myelin.reset"))
                ? ResetMode.SUBTRACT : ResetMode.TO_VALUE;
        Convention convention = o.convention() != null ? o.convention()
                : "exact".equals(meta(n, "myelin.convention")) ? Convention.EXACT : Convention.DISCRETE;
        boolean cuba = type.startsWith("Cuba");
        boolean fires = type.equals("LIF") || type.equals("CubaLIF") || type.equals("IF") || type.equals("Threshold");
        double threshold = fires ? value(n, type.equals("Threshold") ? "threshold" : "v_threshold", i, Double.NaN)
                : Float.MAX_VALUE;
        double vReset = value(n, "v_reset", i, 0);
        double leak = value(n, "v_leak", i, 0);
        double r = value(n, "r", i, 1);
        double tau = type.equals("LIF") || type.equals("LI") ? value(n, "tau", i, Double.NaN)
                : cuba ? value(n, "tau_mem", i, Double.NaN) : Double.POSITIVE_INFINITY;
        double tauSyn = cuba ? value(n, "tau_syn", i, Double.NaN) : Double.NaN;
        double wIn = cuba ? value(n, "w_in", i, 1) : 1;
        if (convention == Convention.DISCRETE) {
            if (vReset != 0 && reset == ResetMode.TO_VALUE) {
                throw new MyelinException(owner + ": field 'v_reset' is " + vReset + "; the discrete convention resets"
                        + " to 0 (or subtracts)");
            }
            if (type.equals("Threshold")) {
                return new Neuron(new DiscreteLifModel(0, Double.NaN, threshold, ResetMode.TO_VALUE), 1, 0);
            }
            double beta = Double.isInfinite(tau) ? 1 : 1 - dtS / tau;
            if (!(beta >= 0)) {
                throw new MyelinException(owner + ": tau " + tau + " s is shorter than the step " + dtS + " s, so beta"
                        + " = 1 - dt/tau < 0; import with the step the exporter used (snnTorch: 1e-4 s, --dt 0.1)");
            }
            double k = Double.isInfinite(tau) ? r : r * dtS / tau;
            double alpha = Double.NaN;
            if (cuba) {
                alpha = 1 - dtS / tauSyn;
                if (!(alpha >= 0)) {
                    throw new MyelinException(owner + ": tau_syn " + tauSyn + " s is shorter than the step " + dtS
                            + " s; import with the step the exporter used");
                }
                k *= wIn * dtS / tauSyn;
            }
            double leakCurrent = Double.isInfinite(tau) ? 0 : leak * dtS / tau;
            return new Neuron(new DiscreteLifModel(beta, alpha, threshold, fires ? reset : ResetMode.TO_VALUE), k,
                    leakCurrent);
        }
        if (type.equals("Threshold") || type.equals("I")) {
            throw new MyelinException(owner + " has no exact continuous form here; import with the discrete"
                    + " convention");
        }
        double tauMs = Double.isInfinite(tau) ? 1e12 : tau * 1000;
        double k = Double.isInfinite(tau) ? r * dtS : r * dtS / tau;
        if (!(threshold > leak)) {
            throw new MyelinException(owner + ": neuron " + i + " has v_threshold " + threshold + " not above v_leak "
                    + leak);
        }
        if (cuba) {
            k = r * wIn * dtS / tauSyn;
            return new Neuron(CubaLifModel.builder().tauMembraneMs(tauMs).restingMv(leak).thresholdMv(threshold)
                    .resetMv(vReset).resetMode(reset).refractoryMs(0).resistanceMOhm(r)
                    .tauSynExcMs(tauSyn * 1000).tauSynInhMs(tauSyn * 1000).build(), k, 0);
        }
        return new Neuron(LifModel.builder().tauMembraneMs(tauMs).restingMv(leak).thresholdMv(threshold)
                .resetMv(vReset).resetMode(reset).refractoryMs(0).resistanceMOhm(r).build(), k, 0);
    }

    /** Populations of a neuron node: one, or one per group of neurons with equal parameters. */
    static void place(Network.Builder b, String name, NirNode n, Options o, Map<String, Placed[]> layout,
                              Map<String, double[]> scale, Map<String, NeuronModel> models, List<String> warnings) {
        int size = neurons(n, name);
        Map<Neuron, List<Integer>> groups = new LinkedHashMap<>();
        double[] k = new double[size];
        for (int i = 0; i < size; i++) {
            Neuron nu = neuron(n, name, i, o);
            groups.computeIfAbsent(nu, x -> new ArrayList<>()).add(i);
            k[i] = nu.weightScale();
        }
        Placed[] placed = new Placed[size];
        int g = 0;
        for (Map.Entry<Neuron, List<Integer>> e : groups.entrySet()) {
            String pop = groups.size() == 1 ? name : name + "#" + g;
            List<Integer> members = e.getValue();
            Distribution v0 = Distribution.constant(e.getKey().model() instanceof DiscreteLifModel ? 0
                    : value(n, "v_leak", members.get(0), 0));
            b.population(pop, members.size(), e.getKey().model(), v0);
            models.put(pop, e.getKey().model());
            if (e.getKey().leakCurrent() != 0) {
                b.current(CurrentInput.constant(pop + "/v_leak", pop, e.getKey().leakCurrent()));
            }
            for (int j = 0; j < members.size(); j++) {
                placed[members.get(j)] = new Placed(pop, j);
            }
            g++;
        }
        if (groups.size() > 1) {
            warnings.add("node '" + name + "': " + groups.size() + " groups of neurons with different parameters,"
                    + " populations " + name + "#0.." + name + "#" + (groups.size() - 1));
        }
        layout.put(name, placed);
        scale.put(name, k);
    }
}
