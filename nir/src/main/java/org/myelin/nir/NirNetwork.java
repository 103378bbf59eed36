package org.myelin.nir;

import java.util.ArrayList;
import java.util.Arrays;
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
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.model.DiscreteLifModel;
import org.myelin.core.model.LifModel;
import org.myelin.core.model.NeuronModel;
import org.myelin.core.model.Receptor;
import org.myelin.core.model.ResetMode;
import org.myelin.core.network.CurrentInput;
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

    private static final Set<String> NEURONS = Set.of("LIF", "CubaLIF", "LI", "CubaLI", "IF", "I", "Threshold");
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
        String outputNode = null;
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
                outputNode = e.getKey();
            } else if (!NEURONS.contains(t) && !LINEAR.contains(t)) {
                throw new MyelinException("NIR import: node '" + e.getKey() + "' has type " + t
                        + ", which the importer does not map");
            }
        }
        if (inputNode == null) {
            throw new MyelinException("NIR import: the graph has no Input node");
        }
        int inputs = SparseMap.size(shapeOf(g.nodes().get(inputNode)));
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
            if (NEURONS.contains(e.getValue().type())) {
                place(b, e.getKey(), e.getValue(), o, layout, scale, models, warnings);
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
            SparseMap start = SparseMap.identity(size, em.equals(inputNode) ? shapeOf(n) : neuronShape(n, size));
            walk(g, em, em, start, out, new HashSet<>(), o, layout, scale, projections, outputs, outputNode,
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

    static final Set<String> LINEAR = Set.of("Affine", "Linear", "Scale", "Conv1d", "Conv2d", "SumPool2d", "AvgPool2d",
            "Flatten", "Delay");

    private static void walk(NirFlatten g, String emitter, String at, SparseMap map, Map<String, List<String>> out,
                             Set<String> onPath, Options o, Map<String, Placed[]> layout, Map<String, double[]> scale,
                             Map<String, Synapses> projections, List<String> outputs, String outputNode,
                             String inputNode) {
        for (String next : out.getOrDefault(at, List.of())) {
            NirNode n = g.nodes().get(next);
            String edge = at + " -> " + next;
            if (next.equals(outputNode)) {
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
            SparseMap m = g.nested().contains(next) ? map : apply(n, next, map, edge, o);
            walk(g, emitter, next, m, out, onPath, o, layout, scale, projections, outputs, outputNode, inputNode);
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

    // ---- linear nodes ----

    private static SparseMap apply(NirNode n, String name, SparseMap in, String edge, Options o) {
        String owner = "NIR node '" + name + "' (" + n.type() + ")";
        int rows = in.rows();
        switch (n.type()) {
            case "Affine", "Linear": {
                NirArray w = n.field("weight");
                int outN = w.shape()[0];
                int inN = w.shape()[1];
                mismatch(edge, rows, inN, name);
                double[] bias = n.type().equals("Affine") ? n.field("bias").values() : null;
                int[] idx = new int[inN];
                for (int k = 0; k < inN; k++) {
                    idx[k] = k;
                }
                double[] wv = w.values();
                return in.then(new SparseMap.Rows() {
                    public int rows() {
                        return outN;
                    }

                    public int[] inputs(int r) {
                        return idx;
                    }

                    public double[] coefficients(int r) {
                        return Arrays.copyOfRange(wv, r * inN, (r + 1) * inN);
                    }

                    public double bias(int r) {
                        return bias == null ? 0 : bias.length == 1 ? bias[0] : bias[r];
                    }
                }, new int[] {outN});
            }
            case "Scale": {
                double[] s = n.field("scale").values();
                if (s.length != 1 && s.length != rows) {
                    throw new MyelinException("NIR import: shape mismatch on edge " + edge + ": " + rows
                            + " values arrive, " + owner + " field 'scale' has " + s.length);
                }
                return in.then(elementwise(rows, r -> s.length == 1 ? s[0] : s[r]), in.shape);
            }
            case "Delay": {
                double[] d = n.field("delay").values();
                if (d.length != 1 && d.length != rows) {
                    throw new MyelinException("NIR import: shape mismatch on edge " + edge + ": " + rows
                            + " values arrive, " + owner + " field 'delay' has " + d.length);
                }
                int[] steps = new int[rows];
                for (int r = 0; r < rows; r++) {
                    double sec = d.length == 1 ? d[0] : d[r];
                    if (!(sec >= 0)) {
                        throw new MyelinException(owner + ": field 'delay' must be >= 0 s, has " + sec);
                    }
                    steps[r] = (int) Math.round(sec * 1000 / o.dtMs());
                }
                return in.delayed(steps);
            }
            case "Flatten": {
                int[] s = in.shape;
                int start = (int) n.field("start_dim").scalar();
                int end = (int) n.field("end_dim").scalar();
                int rank = s.length;
                int a = start < 0 ? start + rank : start;
                int z = end < 0 ? end + rank : end;
                if (a < 0 || z >= rank || a > z) {
                    // NIR writers count a batch dimension in some files; flattening everything is what they mean
                    return in.withShape(new int[] {rows});
                }
                List<Integer> ns = new ArrayList<>();
                for (int k = 0; k < a; k++) {
                    ns.add(s[k]);
                }
                int p = 1;
                for (int k = a; k <= z; k++) {
                    p *= s[k];
                }
                ns.add(p);
                for (int k = z + 1; k < rank; k++) {
                    ns.add(s[k]);
                }
                return in.withShape(ns.stream().mapToInt(Integer::intValue).toArray());
            }
            case "Conv2d":
                return conv2d(n, owner, in, edge, name);
            case "Conv1d":
                return conv1d(n, owner, in, edge, name);
            case "SumPool2d", "AvgPool2d":
                return pool2d(n, owner, in, edge, name);
            default:
                throw new MyelinException("NIR import: " + owner + " is not a linear node");
        }
    }

    private static SparseMap.Rows elementwise(int rows, java.util.function.IntToDoubleFunction coef) {
        return new SparseMap.Rows() {
            public int rows() {
                return rows;
            }

            public int[] inputs(int r) {
                return new int[] {r};
            }

            public double[] coefficients(int r) {
                return new double[] {coef.applyAsDouble(r)};
            }

            public double bias(int r) {
                return 0;
            }
        };
    }

    private static void mismatch(String edge, int arriving, int takes, String node) {
        if (arriving != takes) {
            throw new MyelinException("NIR import: shape mismatch on edge " + edge + ": " + arriving
                    + " values arrive, node '" + node + "' takes " + takes);
        }
    }

    private static int[] ints(NirNode n, String field, int rank) {
        double[] v = n.field(field).values();
        int[] r = new int[rank];
        for (int k = 0; k < rank; k++) {
            r[k] = (int) (v.length == 1 ? v[0] : v[k]);
        }
        return r;
    }

    /** (C, H, W) of a conv or pool input: the arriving shape, or C from the weights and (H, W) from input_shape. */
    private static int[] chw(NirNode n, SparseMap in, int channels, String owner, String edge) {
        int[] s = in.shape;
        if (s.length == 3) {
            return s;
        }
        NirArray is = n.fields().get("input_shape");
        if (is != null && is.size() >= 2 && channels > 0) {
            int h = (int) is.values()[is.size() - 2];
            int w = (int) is.values()[is.size() - 1];
            if ((long) channels * h * w == in.rows()) {
                return new int[] {channels, h, w};
            }
        }
        throw new MyelinException("NIR import: " + owner + " on edge " + edge + ": cannot tell the (channels, height,"
                + " width) of its " + in.rows() + " inputs (arriving shape " + Arrays.toString(s) + ")");
    }

    private static SparseMap conv2d(NirNode n, String owner, SparseMap in, String edge, String name) {
        NirArray w = n.field("weight");
        if (w.shape().length != 4) {
            throw new MyelinException(owner + ": field 'weight' must be (out, in/groups, kh, kw), has shape "
                    + Arrays.toString(w.shape()));
        }
        int groups = (int) n.field("groups").scalar();
        int co = w.shape()[0];
        int cig = w.shape()[1];
        int kh = w.shape()[2];
        int kw = w.shape()[3];
        int[] s = chw(n, in, cig * groups, owner, edge);
        if (s[0] != cig * groups) {
            throw new MyelinException("NIR import: shape mismatch on edge " + edge + ": " + s[0]
                    + " channels arrive, node '" + name + "' takes " + cig * groups);
        }
        int[] st = ints(n, "stride", 2);
        int[] pad = ints(n, "padding", 2);
        int[] dil = ints(n, "dilation", 2);
        int ho = (s[1] + 2 * pad[0] - dil[0] * (kh - 1) - 1) / st[0] + 1;
        int wo = (s[2] + 2 * pad[1] - dil[1] * (kw - 1) - 1) / st[1] + 1;
        double[] wv = w.values();
        double[] bias = n.field("bias").values();
        int cog = co / groups;
        int h = s[1];
        int wd = s[2];
        return in.then(new SparseMap.Rows() {
            public int rows() {
                return co * ho * wo;
            }

            private int[] idx;
            private double[] coef;

            private void fill(int r) {
                int o = r / (ho * wo);
                int y = (r / wo) % ho;
                int x = r % wo;
                int g = o / cog;
                List<Integer> ii = new ArrayList<>();
                List<Double> cc = new ArrayList<>();
                for (int c = 0; c < cig; c++) {
                    for (int a = 0; a < kh; a++) {
                        int iy = y * st[0] - pad[0] + a * dil[0];
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int bb = 0; bb < kw; bb++) {
                            int ix = x * st[1] - pad[1] + bb * dil[1];
                            if (ix < 0 || ix >= wd) {
                                continue;
                            }
                            ii.add(((g * cig + c) * h + iy) * wd + ix);
                            cc.add(wv[((o * cig + c) * kh + a) * kw + bb]);
                        }
                    }
                }
                idx = ii.stream().mapToInt(Integer::intValue).toArray();
                coef = cc.stream().mapToDouble(Double::doubleValue).toArray();
            }

            public int[] inputs(int r) {
                fill(r);
                return idx;
            }

            public double[] coefficients(int r) {
                return coef;
            }

            public double bias(int r) {
                return bias.length == 1 ? bias[0] : bias[r / (ho * wo)];
            }
        }, new int[] {co, ho, wo});
    }

    private static SparseMap conv1d(NirNode n, String owner, SparseMap in, String edge, String name) {
        NirArray w = n.field("weight");
        if (w.shape().length != 3) {
            throw new MyelinException(owner + ": field 'weight' must be (out, in/groups, k), has shape "
                    + Arrays.toString(w.shape()));
        }
        int groups = (int) n.field("groups").scalar();
        int co = w.shape()[0];
        int cig = w.shape()[1];
        int k = w.shape()[2];
        int ci = cig * groups;
        int len;
        if (in.shape.length == 2) {
            len = in.shape[1];
        } else if (in.rows() % ci == 0) {
            len = in.rows() / ci;
        } else {
            throw new MyelinException("NIR import: shape mismatch on edge " + edge + ": " + in.rows()
                    + " values arrive, node '" + name + "' takes a multiple of " + ci + " channels");
        }
        int st = ints(n, "stride", 1)[0];
        int pad = ints(n, "padding", 1)[0];
        int dil = ints(n, "dilation", 1)[0];
        int lo = (len + 2 * pad - dil * (k - 1) - 1) / st + 1;
        double[] wv = w.values();
        double[] bias = n.field("bias").values();
        int cog = co / groups;
        return in.then(new SparseMap.Rows() {
            private int[] idx;
            private double[] coef;

            public int rows() {
                return co * lo;
            }

            public int[] inputs(int r) {
                int o = r / lo;
                int x = r % lo;
                int g = o / cog;
                List<Integer> ii = new ArrayList<>();
                List<Double> cc = new ArrayList<>();
                for (int c = 0; c < cig; c++) {
                    for (int a = 0; a < k; a++) {
                        int ix = x * st - pad + a * dil;
                        if (ix >= 0 && ix < len) {
                            ii.add((g * cig + c) * len + ix);
                            cc.add(wv[(o * cig + c) * k + a]);
                        }
                    }
                }
                idx = ii.stream().mapToInt(Integer::intValue).toArray();
                coef = cc.stream().mapToDouble(Double::doubleValue).toArray();
                return idx;
            }

            public double[] coefficients(int r) {
                return coef;
            }

            public double bias(int r) {
                return bias.length == 1 ? bias[0] : bias[r / lo];
            }
        }, new int[] {co, lo});
    }

    private static SparseMap pool2d(NirNode n, String owner, SparseMap in, String edge, String name) {
        int[] s = chw(n, in, in.shape.length == 3 ? in.shape[0] : -1, owner, edge);
        int[] k = ints(n, "kernel_size", 2);
        int[] st = ints(n, "stride", 2);
        int[] pad = ints(n, "padding", 2);
        int c = s[0];
        int h = s[1];
        int w = s[2];
        int ho = (h + 2 * pad[0] - k[0]) / st[0] + 1;
        int wo = (w + 2 * pad[1] - k[1]) / st[1] + 1;
        double unit = n.type().equals("AvgPool2d") ? 1.0 / (k[0] * k[1]) : 1.0;
        return in.then(new SparseMap.Rows() {
            private int[] idx;

            public int rows() {
                return c * ho * wo;
            }

            public int[] inputs(int r) {
                int ch = r / (ho * wo);
                int y = (r / wo) % ho;
                int x = r % wo;
                List<Integer> ii = new ArrayList<>();
                for (int a = 0; a < k[0]; a++) {
                    for (int b = 0; b < k[1]; b++) {
                        int iy = y * st[0] - pad[0] + a;
                        int ix = x * st[1] - pad[1] + b;
                        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                            ii.add((ch * h + iy) * w + ix);
                        }
                    }
                }
                idx = ii.stream().mapToInt(Integer::intValue).toArray();
                return idx;
            }

            public double[] coefficients(int r) {
                double[] cc = new double[idx.length];
                Arrays.fill(cc, unit);
                return cc;
            }

            public double bias(int r) {
                return 0;
            }
        }, new int[] {c, ho, wo});
    }

    // ---- neuron nodes ----

    private static int[] shapeOf(NirNode n) {
        double[] v = n.field("shape").values();
        int[] s = new int[v.length];
        for (int k = 0; k < v.length; k++) {
            s[k] = (int) v[k];
        }
        return s;
    }

    /** The shape of a neuron node's output: its largest parameter array's shape. */
    private static int[] neuronShape(NirNode n, int size) {
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

    private static double value(NirNode n, String field, int i, double absent) {
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
    private static void place(Network.Builder b, String name, NirNode n, Options o, Map<String, Placed[]> layout,
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
