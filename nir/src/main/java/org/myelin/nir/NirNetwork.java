package org.myelin.nir;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.collections.impl.list.mutable.primitive.DoubleArrayList;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import org.myelin.core.MyelinException;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.model.DiscreteLifModel;
import org.myelin.core.model.NeuronModel;
import org.myelin.core.model.Receptor;
import org.myelin.core.model.ResetMode;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

/**
 * Imports any NIR graph of neuron nodes joined by linear nodes into a Myelin {@link Network}: nodes LIF, CubaLIF,
 * LI, CubaLI, IF, I and Threshold become populations; chains of Affine, Linear, Scale, Conv1d, Conv2d, SumPool2d,
 * AvgPool2d, Flatten and Delay between two neuron nodes (or from the Input) are composed into explicit synapses;
 * recurrent edges and nested graphs are supported. The Input node becomes a spike source fed with the given spikes
 * (one row of 0/1 per step); a bias becomes synapses from a source that fires every step, so it is filtered as the
 * node's input is.
 *
 * <p>Discretisation: NIR is continuous-time and the libraries that write it are mostly not; how a step is taken is a
 * choice, {@link Convention}, and so is the reset, {@link ResetMode} (NIR 0.2 does not say; snnTorch and Sinabs
 * subtract by default, the specification resets to zero). Every synapse has a delay of one step plus what Delay nodes
 * add (rounded to steps), so a spike of layer l in step t reaches layer l+1 in step t + 1.
 */
public final class NirNetwork {
    private NirNetwork() {
    }

    /** How a NIR neuron's differential equation becomes a step. */
    public enum Convention {
        /**
         * The per-step form of snnTorch, Sinabs, SpikingJelly and Rockpool (forward Euler, new synaptic current first):
         * with dt the step, LIF: beta = 1 - dt/tau, v = beta v + (r dt / tau) I; CubaLIF: alpha = 1 - dt/tau_syn,
         * I = alpha I + (w_in dt / tau_syn) x, v = beta v + (r dt / tau_mem) I; IF and I: v = v + r I (the step is the
         * unit of time, as Sinabs writes r = 1); Threshold: a spike where the input exceeds it. snnTorch writes
         * tau = dt/(1 - beta), r = tau/dt and w_in = tau_syn/dt with its own dt (1e-4 s by default): import with that
         * dt (0.1 ms) to get its beta, alpha and weights back exactly. v_leak must be 0 (the models rest at 0).
         */
        DISCRETE,
        /**
         * The continuous equations integrated exactly between inputs (Myelin's LIF and CuBa-LIF models), time in the
         * file's seconds: a spike is taken as a pulse of height 1 over one step (area dt) delivered at once, so it
         * moves v by r w dt / tau (LIF; r w dt for IF) or the synaptic current by w_in w dt / tau_syn (CubaLIF).
         * Threshold and I nodes have no such form here.
         */
        EXACT;

        public static Convention parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "discrete", "euler", "snntorch", "sinabs" -> DISCRETE;
                case "exact", "continuous" -> EXACT;
                default -> throw new MyelinException("NIR convention must be discrete or exact, was '" + s + "'");
            };
        }
    }

    /**
     * @param dtMs       the step, ms
     * @param convention how steps are taken; null: what the node's metadata says ({@code myelin.convention}, which
     *                   Myelin's exporter writes), else DISCRETE
     * @param reset      TO_VALUE (reset to v_reset, 0 when the file has none) or SUBTRACT (v -= v_threshold); null:
     *                   the node's metadata ({@code myelin.reset}), else TO_VALUE
     */
    public record Options(double dtMs, Convention convention, ResetMode reset) {
        public Options {
            if (!(dtMs > 0) || Double.isInfinite(dtMs)) {
                throw new MyelinException("NIR import: dt must be > 0 ms, was " + dtMs);
            }
        }
    }

    /**
     * The imported network and where each NIR node went.
     *
     * @param network  the network: one population per neuron node (or per group of its neurons with equal
     *                 parameters, named {@code node#k}), the source {@code input}, spike monitors on every population
     *                 and membrane monitors ({@code <population>.v}) on those feeding the Output
     * @param layout   per neuron node, in graph order: for each of its neurons, {population, local index}
     * @param outputs  the neuron nodes that feed the Output, in order
     * @param steps    steps of input
     * @param warnings what the importer repaired or assumed
     */
    public record Imported(Network network, Map<String, Placed[]> layout, List<String> outputs, int steps,
                           List<String> warnings) {
        /** The spikes of neuron node {@code node} in core step order: {step, neuron index in the node}. */
        public List<long[]> spikes(org.myelin.core.monitor.MemorySink memory, String node) {
            List<long[]> out = new ArrayList<>();
            Placed[] p = layout.get(node);
            Map<String, int[]> back = new LinkedHashMap<>();
            for (int i = 0; i < p.length; i++) {
                back.computeIfAbsent(p[i].population(), k -> new int[network.node(k).size()])[p[i].local()] = i;
            }
            for (Map.Entry<String, int[]> e : back.entrySet()) {
                var rec = memory.spikes(e.getKey());
                for (int k = 0; k < rec.size(); k++) {
                    out.add(new long[] {rec.step(k), e.getValue()[rec.neuron(k)]});
                }
            }
            out.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
            return out;
        }
    }

    /** Where one NIR neuron went. */
    public record Placed(String population, int local) {
    }

    private static final String INPUT_SOURCE = "input";
    private static final String BIAS_SOURCE = "nir.bias";

    private static String biasName(int depth) {
        return depth == 1 ? BIAS_SOURCE : BIAS_SOURCE + "." + depth;
    }

    private static String nodeOf(Map<String, Placed[]> layout, String population) {
        for (Map.Entry<String, Placed[]> e : layout.entrySet()) {
            for (Placed p : e.getValue()) {
                if (p.population().equals(population)) {
                    return e.getKey();
                }
            }
        }
        return population;
    }

    /** Per neuron node: how many neuron nodes the input passes to reach it (1 for the first layer), shortest path. */
    private static Map<String, Integer> depths(NirFlatten g, String input, Set<String> neurons) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String[] e : g.edges()) {
            out.computeIfAbsent(e[0], k -> new ArrayList<>()).add(e[1]);
        }
        Map<String, Integer> best = new LinkedHashMap<>();
        java.util.ArrayDeque<Object[]> queue = new java.util.ArrayDeque<>();
        queue.add(new Object[] {input, 0});
        Map<String, Integer> seen = new LinkedHashMap<>();
        seen.put(input, 0);
        while (!queue.isEmpty()) {
            Object[] q = queue.poll();
            String at = (String) q[0];
            int d = (Integer) q[1];
            for (String next : out.getOrDefault(at, List.of())) {
                int nd = neurons.contains(next) ? d + 1 : d;
                if (!seen.containsKey(next) || seen.get(next) > nd) {
                    seen.put(next, nd);
                    queue.add(new Object[] {next, nd});
                    if (neurons.contains(next)) {
                        best.put(next, nd);
                    }
                }
            }
        }
        return best;
    }

    /**
     * @param input input[step][k]: 0 or 1, whether input k spikes in that step (steps x the Input node's size)
     */
    public static Imported build(NirFile f, Options o, double[][] input) {
        NirFlatten g = NirFlatten.of(f.graph());
        List<String> warnings = new ArrayList<>(g.warnings());
        String inputNode = null;
        // every Output node (Myelin writes one per population that projects nowhere else)
        Set<String> outputNodes = new HashSet<>();
        for (Map.Entry<String, NirNode> e : g.nodes().entrySet()) {
            if (g.nested().contains(e.getKey())) {
                continue;
            }
            String t = e.getValue().type();
            if (t.equals("Input")) {
                if (inputNode != null) {
                    throw new MyelinException("NIR import: more than one Input node ('" + inputNode + "', '" + e.getKey()
                            + "'); give one input");
                }
                inputNode = e.getKey();
            } else if (t.equals("Output")) {
                outputNodes.add(e.getKey());
            } else if (!NirNeuronNodes.TYPES.contains(t) && !NirLinearNodes.TYPES.contains(t)) {
                throw new MyelinException("NIR import: node '" + e.getKey() + "' has type " + t
                        + ", which the importer does not map");
            }
        }
        if (inputNode == null) {
            throw new MyelinException("NIR import: the graph has no Input node");
        }
        int inputs = SparseMap.size(NirNeuronNodes.shapeOf(g.nodes().get(inputNode)));
        int steps = input.length;
        if (steps < 1) {
            throw new MyelinException("NIR import: the input has no steps");
        }
        IntArrayList who = new IntArrayList();
        LongArrayList when = new LongArrayList();
        for (int s = 0; s < steps; s++) {
            if (input[s].length != inputs) {
                throw new MyelinException("NIR import: input step " + s + " has " + input[s].length
                        + " values, the Input node '" + inputNode + "' takes " + inputs);
            }
            for (int k = 0; k < inputs; k++) {
                double v = input[s][k];
                if (v == 1) {
                    who.add(k);
                    when.add((long) s);
                } else if (v != 0) {
                    throw new MyelinException("NIR import: the input must be spikes (0 or 1); step " + s + ", input "
                            + k + " is " + v + ". Analog input currents are taken by the single-layer import (nir run"
                            + " on Input -> Affine -> LIF graphs)");
                }
            }
        }
        Network.Builder b = Network.builder().dtMs(o.dtMs()).seed(1);
        Map<String, Placed[]> layout = new LinkedHashMap<>();
        Map<String, double[]> scale = new LinkedHashMap<>();
        Map<String, NeuronModel> models = new LinkedHashMap<>();
        for (Map.Entry<String, NirNode> e : g.nodes().entrySet()) {
            if (NirNeuronNodes.TYPES.contains(e.getValue().type())) {
                NirNeuronNodes.place(b, e.getKey(), e.getValue(), o, layout, scale, models, warnings);
            }
        }
        b.spikeTrain(INPUT_SOURCE, inputs, who.toArray(), when.toArray());
        // synapses: from every emitter, along linear chains, to neuron nodes
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String[] e : g.edges()) {
            out.computeIfAbsent(e[0], k -> new ArrayList<>()).add(e[1]);
        }
        Map<String, Synapses> projections = new LinkedHashMap<>();
        List<String> outputs = new ArrayList<>();
        List<String> emitters = new ArrayList<>();
        emitters.add(inputNode);
        emitters.addAll(layout.keySet());
        for (String em : emitters) {
            NirNode n = g.nodes().get(em);
            int size = em.equals(inputNode) ? inputs : layout.get(em).length;
            SparseMap start = SparseMap.identity(size, em.equals(inputNode) ? NirNeuronNodes.shapeOf(n)
                    : NirNeuronNodes.neuronShape(n, size));
            walk(g, em, em, start, out, new HashSet<>(), o, layout, scale, projections, outputs, outputNodes,
                    inputNode);
        }
        // a bias is on while its node works on the input: from the step the input first reaches it (its depth)
        Map<String, Integer> depth = depths(g, inputNode, layout.keySet());
        Set<Integer> biasDepths = new java.util.TreeSet<>();
        for (Synapses s : projections.values()) {
            if (s.source.equals(BIAS_SOURCE)) {
                biasDepths.add(depth.getOrDefault(nodeOf(layout, s.target), 1));
            }
        }
        for (int d : biasDepths) {
            long[] on = new long[steps];
            for (int s = 0; s < steps; s++) {
                on[s] = d - 1 + s;
            }
            b.spikeTrain(biasName(d), 1, new int[steps], on);
        }
        // per target: feed-forward projections, then the bias, then the node onto itself (the order in which snnTorch
        // and Myelin's trainer sum a layer's input); onto itself without a synaptic current on the inhibitory receptor,
        // which the discrete model sums apart: (beta v + feed-forward) + recurrent
        List<Synapses> ordered = new ArrayList<>();
        for (Synapses s : projections.values()) {
            if (!s.source.equals(BIAS_SOURCE) && !s.source.equals(s.target)) {
                ordered.add(s);
            }
        }
        for (Synapses s : projections.values()) {
            if (s.source.equals(BIAS_SOURCE)) {
                ordered.add(s);
            }
        }
        for (Synapses s : projections.values()) {
            if (s.source.equals(s.target)) {
                ordered.add(s);
            }
        }
        for (Synapses s : ordered) {
            String src = s.source.equals(BIAS_SOURCE) ? biasName(depth.getOrDefault(nodeOf(layout, s.target), 1))
                    : s.source;
            boolean apart = s.source.equals(s.target) && !(models.get(s.target) instanceof DiscreteLifModel dm
                    && !Double.isNaN(dm.alpha()));
            b.projection(Projection.between(src, s.target).named(src + "->" + s.target)
                    .receptor(apart ? Receptor.INHIBITORY : Receptor.EXCITATORY)
                    .connect(Connectivity.explicit(s.pre.toArray(), s.post.toArray(), s.weight.toArray(),
                            s.delay.toArray())));
        }
        for (Map.Entry<String, Placed[]> e : layout.entrySet()) {
            Set<String> pops = new java.util.LinkedHashSet<>();
            for (Placed p : e.getValue()) {
                pops.add(p.population());
            }
            for (String p : pops) {
                b.monitorSpikes(p);
                if (outputs.contains(e.getKey())) {
                    int sz = 0;
                    for (Placed q : e.getValue()) {
                        sz += q.population().equals(p) ? 1 : 0;
                    }
                    int[] all = new int[sz];
                    for (int i = 0; i < sz; i++) {
                        all[i] = i;
                    }
                    b.monitorState(p + ".v", p, "v", 1, all);
                }
            }
        }
        return new Imported(b.build(), layout, outputs, steps, warnings);
    }

    /** Explicit synapses between two nodes of the network, filled while walking. */
    private static final class Synapses {
        final String source;
        final String target;
        final IntArrayList pre = new IntArrayList();
        final IntArrayList post = new IntArrayList();
        final DoubleArrayList weight = new DoubleArrayList();
        final IntArrayList delay = new IntArrayList();

        Synapses(String source, String target) {
            this.source = source;
            this.target = target;
        }
    }

    private static void walk(NirFlatten g, String emitter, String at, SparseMap map, Map<String, List<String>> out,
                             Set<String> onPath, Options o, Map<String, Placed[]> layout, Map<String, double[]> scale,
                             Map<String, Synapses> projections, List<String> outputs, Set<String> outputNodes,
                             String inputNode) {
        for (String next : out.getOrDefault(at, List.of())) {
            NirNode n = g.nodes().get(next);
            String edge = at + " -> " + next;
            if (outputNodes.contains(next)) {
                if (!layout.containsKey(at)) {
                    throw new MyelinException("NIR import: the Output is fed by '" + at + "' (" + g.nodes().get(at).type()
                            + "), not by a neuron node; the importer records spikes of neuron nodes");
                }
                if (!outputs.contains(at)) {
                    outputs.add(at);
                }
                continue;
            }
            if (layout.containsKey(next)) {
                connect(emitter, next, map, edge, layout, scale, projections, inputNode);
                continue;
            }
            if (!onPath.add(next)) {
                throw new MyelinException("NIR import: a cycle through '" + next + "' has no neuron node in it");
            }
            SparseMap m = g.nested().contains(next) ? map : NirLinearNodes.apply(n, next, map, edge, o);
            walk(g, emitter, next, m, out, onPath, o, layout, scale, projections, outputs, outputNodes, inputNode);
            onPath.remove(next);
        }
    }

    /** Synapses from the emitter's neurons (and the bias source) onto neuron node {@code target}. */
    private static void connect(String emitter, String target, SparseMap map, String edge,
                                Map<String, Placed[]> layout, Map<String, double[]> scale,
                                Map<String, Synapses> projections, String inputNode) {
        Placed[] to = layout.get(target);
        if (map.rows() != to.length) {
            throw new MyelinException("NIR import: shape mismatch on edge " + edge + ": " + map.rows()
                    + " values arrive, node '" + target + "' has " + to.length + " neurons");
        }
        double[] k = scale.get(target);
        Placed[] from = emitter.equals(inputNode) ? null : layout.get(emitter);
        for (int r = 0; r < to.length; r++) {
            String tgt = to[r].population();
            for (int e = 0; e < map.col[r].length; e++) {
                String src = from == null ? INPUT_SOURCE : from[map.col[r][e]].population();
                int pre = from == null ? map.col[r][e] : from[map.col[r][e]].local();
                Synapses s = projections.computeIfAbsent(src + "->" + tgt, x -> new Synapses(src, tgt));
                s.pre.add(pre);
                s.post.add(to[r].local());
                s.weight.add(map.weight[r][e] * k[r]);
                s.delay.add(1 + map.delay[r][e]);
            }
            if (map.bias[r] != 0) {
                Synapses s = projections.computeIfAbsent(BIAS_SOURCE + "->" + tgt,
                        x -> new Synapses(BIAS_SOURCE, tgt));
                s.pre.add(0);
                s.post.add(to[r].local());
                s.weight.add(map.bias[r] * k[r]);
                s.delay.add(1);
            }
        }
    }
}
