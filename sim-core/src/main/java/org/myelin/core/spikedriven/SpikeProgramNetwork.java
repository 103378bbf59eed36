package org.myelin.core.spikedriven;

import java.util.ArrayList;
import java.util.List;
import org.myelin.core.MyelinException;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.DiscreteLifModel;
import org.myelin.core.model.ResetMode;
import org.myelin.core.monitor.MemorySink;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.monitor.StateTrace;
import org.myelin.core.network.CurrentInput;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;
import org.myelin.core.network.Transmission;

/**
 * A {@link SpikeProgram} and one input as a core {@link Network}: populations and projections that any engine
 * holding its primitives runs, with the program's values bit for bit (the same float operations in the same order).
 *
 * <table>
 * <caption>Program nodes as core primitives</caption>
 * <tr><th>node</th><th>core network</th></tr>
 * <tr><td>Fire</td><td>a population of SpikingJelly's decay-input LIF (tau 2, hard reset to 0), firing where
 * {@code H >= threshold} (a model threshold one float below it: the model fires strictly above); its input is a
 * membrane projection (weight 1) from the node it reads</td></tr>
 * <tr><td>Conv of spikes</td><td>a {@link DiscreteLifModel#relay() relay} population fed by a
 * {@link Connectivity#convolution convolution} projection (the shared kernel) and then the bias, from a one-neuron
 * spike source that fires in the steps the relay works on (sources are delivered after populations, so the bias is
 * added after the weights, as the program adds it)</td></tr>
 * <tr><td>Conv of the input</td><td>neurons that hold the first layer's output as their potential (no leak, no
 * input, no spike), carried on by membrane projections: the program's own products and sums on the static image,
 * computed here once, as the program computes them; the initial state of {@link #of(SpikeProgram, float[])}, or
 * written with {@link #present}</td></tr>
 * <tr><td>Add</td><td>a relay fed by membrane projections from its two operands (a + b)</td></tr>
 * <tr><td>Pool</td><td>a relay per channel fed by a membrane projection summing the channel's positions in row-major
 * order (or a spike projection, for a spiking input)</td></tr>
 * <tr><td>TokenCount</td><td>a population of coincidence neurons (beta 0, firing at 2 of 2 inputs) fed one-to-one
 * by k and v, then a relay per channel counting its tokens' coincidences</td></tr>
 * <tr><td>Gate</td><td>coincidence neurons fed one-to-one by q and by the mask's channel</td></tr>
 * <tr><td>Attention (SDSA-3)</td><td>a relay fed by a {@link Connectivity#spikeAttention spike attention} projection
 * from q: the step's key/value coincidence counts added for each query spike</td></tr>
 * <tr><td>Dense (the output)</td><td>a relay fed first by a one-neuron population that fires in every step
 * (the bias: populations are delivered in order, and it comes first) and then by the weights of the firing
 * inputs</td></tr>
 * </table>
 *
 * <p>Every population is one network step after the nodes it reads; a node with operands of different depths
 * (a shortcut) takes the shallower one with a longer delay. A program step spans K network steps (K the output's
 * depth plus one), in which each population updates once, in the step of its depth, and holds still otherwise
 * ({@link DiscreteLifModel#every}): program step t of node i is network step {@code t K + depth(i)}
 * ({@link #stepOf}), and no neuron works outside its steps.
 */
public final class SpikeProgramNetwork {
    /** The population holding the output scores (a relay of the class count). */
    public static final String OUTPUT = "head.out";
    private static final String BIAS_POPULATION = "head.bias";
    private static final float TAU = 2f;
    /** Neurons that keep their potential: no leak, no input, no spike. */
    private static final DiscreteLifModel HOLD = new DiscreteLifModel(1, Double.NaN, Float.MAX_VALUE,
            ResetMode.TO_VALUE);

    private final SpikeProgram program;
    private final Network network;
    private final int[] depth;
    private final String[] population;
    /** Every spiking population's depth (the network step of program step 0). */
    private final java.util.Map<String, Integer> spikingDepth;

    /** Network steps per program step. */
    private final int period;
    /** Per spiking population, its neurons' out-degrees through spike projections (computed once). */
    private java.util.Map<String, long[]> degrees;

    private record Pending(String name, int size, DiscreteLifModel model, int depth, Distribution initialV) {
    }

    private SpikeProgramNetwork(SpikeProgram program, Network network, int[] depth, String[] population,
                                java.util.Map<String, Integer> spikingDepth, int period) {
        this.period = period;
        this.program = program;
        this.network = network;
        this.depth = depth;
        this.population = population;
        this.spikingDepth = spikingDepth;
    }

    /**
     * The core network of {@code program} on one input (channels x height x width, row-major): the first layer's
     * output is the initial potential of the neurons that hold it, so any engine that holds the primitives runs it.
     */
    public static SpikeProgramNetwork of(SpikeProgram program, float[] input) {
        checkInput(program, input);
        return build(program, input);
    }

    /**
     * The core network of {@code program} with its first layer's neurons at 0: compile it once, and present each
     * input with {@link #present} after restoring a checkpoint taken before the first step.
     */
    public static SpikeProgramNetwork of(SpikeProgram program) {
        return build(program, null);
    }

    private static void checkInput(SpikeProgram program, float[] input) {
        if (input.length != program.size(0)) {
            throw new MyelinException("spike program network: the input must hold " + program.size(0)
                    + " values, had " + input.length);
        }
    }

    /** Writes the first layer's output on {@code input} into its neurons (before the first step of a run). */
    public void present(org.myelin.core.backend.CompiledNetwork compiled, float[] input) {
        checkInput(program, input);
        List<SpikeProgram.Node> nodes = program.nodes();
        for (int i = 1; i < nodes.size(); i++) {
            if (nodes.get(i) instanceof SpikeProgram.Conv c && c.input() == 0) {
                float[] y = new float[program.size(i)];
                program.firstLayer(i, input, y);
                int[] all = new int[y.length];
                double[] v = new double[y.length];
                for (int k = 0; k < y.length; k++) {
                    all[k] = k;
                    v[k] = y[k];
                }
                compiled.write(population[i], all, v);
            }
        }
    }

    private static SpikeProgramNetwork build(SpikeProgram program, float[] input) {
        List<SpikeProgram.Node> nodes = program.nodes();
        int n = nodes.size();
        int steps = program.steps();
        int[] depth = new int[n];
        String[] pop = new String[n];
        Network.Builder b = Network.builder().dtMs(1.0);
        // the output's bias fires in every step and comes first among populations, so it is added first
        List<Pending> pending = new ArrayList<>();
        // its phase is set once the output's depth is known: it fires in the step before the output's update
        pending.add(new Pending(BIAS_POPULATION, 1, new DiscreteLifModel(0, Double.NaN, 0.5, ResetMode.TO_VALUE), -1,
                null));
        b.current(new CurrentInput(BIAS_POPULATION + ".drive", BIAS_POPULATION, null, new long[] {0},
                new double[] {1}));
        List<Projection> projections = new ArrayList<>();
        List<Runnable> sources = new ArrayList<>();
        java.util.Map<String, Integer> spikingDepth = new java.util.HashMap<>();
        int[] period = {1};
        for (int i = 1; i < n; i++) {
            SpikeProgram.Node node = nodes.get(i);
            String name = "n" + i + "." + node.name();
            pop[i] = name;
            int size = program.size(i);
            if (node instanceof SpikeProgram.Fire f) {
                requireValue(program, i, f.input());
                depth[i] = depth[f.input()] + 1;
                pending.add(new Pending(name, size, DiscreteLifModel.decayInput(TAU, Math.nextDown(f.threshold()),
                        ResetMode.TO_VALUE), depth[i], null));
                b.monitorSpikes(name);
                spikingDepth.put(name, depth[i]);
                projections.add(membrane(pop[f.input()], name, Connectivity.oneToOne(), 1).named(name + ".in").build());
            } else if (node instanceof SpikeProgram.Conv c) {
                int[] in = program.shape(c.input());
                if (c.input() == 0) {
                    // held in neurons that neither leak nor fire: the program computes it once, on the static input
                    depth[i] = 0;
                    double[] v = new double[size];
                    if (input != null) {
                        float[] y = new float[size];
                        program.firstLayer(i, input, y);
                        for (int k = 0; k < size; k++) {
                            v[k] = y[k];
                        }
                    }
                    pending.add(new Pending(name, size, HOLD, 0, Distribution.table(v)));
                } else {
                    requireSpikes(program, i, c.input());
                    depth[i] = depth[c.input()] + 1;
                    pending.add(new Pending(name, size, DiscreteLifModel.relay(), depth[i], null));
                    double[] kernel = new double[c.weights().length];
                    for (int k = 0; k < kernel.length; k++) {
                        kernel[k] = c.weights()[k];
                    }
                    projections.add(Projection.between(pop[c.input()], name).named(name + ".kernel")
                            .connect(Connectivity.convolution(in[0], in[1], in[2], c.out(), c.kernel(), c.stride(),
                                    c.padding(), c.groups(), kernel)).build());
                    addBias(b, sources, projections, name, c.bias(), size / c.out(), depth[c.input()], steps, period);
                }
            } else if (node instanceof SpikeProgram.Add a) {
                requireValue(program, i, a.a());
                requireValue(program, i, a.b());
                depth[i] = Math.max(depth[a.a()], depth[a.b()]) + 1;
                pending.add(new Pending(name, size, DiscreteLifModel.relay(), depth[i], null));
                projections.add(membrane(pop[a.a()], name, Connectivity.oneToOne(), depth[i] - depth[a.a()])
                        .named(name + ".a").build());
                projections.add(membrane(pop[a.b()], name, Connectivity.oneToOne(), depth[i] - depth[a.b()])
                        .named(name + ".b").build());
            } else if (node instanceof SpikeProgram.Pool p) {
                int[] in = program.shape(p.input());
                int positions = in[1] * in[2];
                int[] pre = new int[in[0] * positions];
                int[] post = new int[pre.length];
                for (int k = 0; k < pre.length; k++) {
                    pre[k] = k;
                    post[k] = k / positions;
                }
                depth[i] = depth[p.input()] + 1;
                pending.add(new Pending(name, size, DiscreteLifModel.relay(), depth[i], null));
                Projection.Builder pb = Projection.between(pop[p.input()], name).named(name + ".sum")
                        .connect(Connectivity.explicit(pre, post, null, null));
                projections.add((spiking(program, p.input()) ? pb : pb.transmission(Transmission.MEMBRANE)).build());
            } else if (node instanceof SpikeProgram.TokenCount tc) {
                requireSpikes(program, i, tc.k());
                requireSpikes(program, i, tc.v());
                int[] s = program.shape(tc.k());
                int tokens = s[1] * s[2];
                String both = name + ".both";
                int dBoth = Math.max(depth[tc.k()], depth[tc.v()]) + 1;
                pending.add(new Pending(both, s[0] * tokens, coincidence(), dBoth, null));
                b.monitorSpikes(both);
                spikingDepth.put(both, dBoth);
                projections.add(spikes(pop[tc.k()], both, Connectivity.oneToOne(), dBoth - depth[tc.k()])
                        .named(both + ".k").build());
                projections.add(spikes(pop[tc.v()], both, Connectivity.oneToOne(), dBoth - depth[tc.v()])
                        .named(both + ".v").build());
                int[] pre = new int[s[0] * tokens];
                int[] post = new int[pre.length];
                for (int k = 0; k < pre.length; k++) {
                    pre[k] = k;
                    post[k] = k / tokens;
                }
                depth[i] = dBoth + 1;
                pending.add(new Pending(name, size, DiscreteLifModel.relay(), depth[i], null));
                projections.add(Projection.between(both, name).named(name + ".count").connect(Connectivity.explicit(pre, post, null, null))
                        .build());
            } else if (node instanceof SpikeProgram.Gate g) {
                requireSpikes(program, i, g.q());
                requireSpikes(program, i, g.mask());
                int[] s = program.shape(g.q());
                int tokens = s[1] * s[2];
                depth[i] = Math.max(depth[g.q()], depth[g.mask()]) + 1;
                pending.add(new Pending(name, size, coincidence(), depth[i], null));
                b.monitorSpikes(name);
                spikingDepth.put(name, depth[i]);
                projections.add(spikes(pop[g.q()], name, Connectivity.oneToOne(), depth[i] - depth[g.q()])
                        .named(name + ".q").build());
                int[] pre = new int[size];
                int[] post = new int[size];
                for (int k = 0; k < size; k++) {
                    pre[k] = k / tokens;
                    post[k] = k;
                }
                projections.add(spikes(pop[g.mask()], name, Connectivity.explicit(pre, post, null, null),
                        depth[i] - depth[g.mask()]).named(name + ".mask").build());
            } else if (node instanceof SpikeProgram.Dense d) {
                if (i != n - 1) {
                    throw new MyelinException("spike program network: node " + i + " (" + d.name() + ") is a dense"
                            + " layer before the output; only the output layer may be dense");
                }
                requireSpikes(program, i, d.input());
                depth[i] = depth[d.input()] + 1;
                pop[i] = OUTPUT;
                pending.add(new Pending(OUTPUT, d.out(), DiscreteLifModel.relay(), depth[i], null));
                int[] all = new int[d.out()];
                for (int j = 0; j < all.length; j++) {
                    all[j] = j;
                }
                b.monitorState(OUTPUT + ".v", OUTPUT, "v", 1, all);
                projections.add(Projection.between(BIAS_POPULATION, OUTPUT).named(OUTPUT + ".bias")
                        .connect(Connectivity.explicit(new int[d.out()], all, toDouble(d.bias()), null)).build());
                int inputs = program.size(d.input());
                int[] pre = new int[inputs * d.out()];
                int[] post = new int[pre.length];
                double[] w = new double[pre.length];
                for (int k = 0; k < pre.length; k++) {
                    pre[k] = k / d.out();
                    post[k] = k % d.out();
                    w[k] = d.weights()[k];
                }
                projections.add(Projection.between(pop[d.input()], OUTPUT).named(OUTPUT + ".weights")
                        .connect(Connectivity.explicit(pre, post, w, null)).build());
            } else if (node instanceof SpikeProgram.Attention a) {
                requireSpikes(program, i, a.q());
                requireSpikes(program, i, a.k());
                requireSpikes(program, i, a.v());
                if (depth[a.q()] != depth[a.k()] || depth[a.q()] != depth[a.v()]) {
                    throw new MyelinException("spike program network: attention " + a.name() + " needs q, k and v"
                            + " of one depth, were " + depth[a.q()] + ", " + depth[a.k()] + " and " + depth[a.v()]);
                }
                depth[i] = depth[a.q()] + 1;
                pending.add(new Pending(name, size, DiscreteLifModel.relay(), depth[i], null));
                projections.add(Projection.between(pop[a.q()], name).named(name + ".attention")
                        .connect(Connectivity.spikeAttention(pop[a.k()], pop[a.v()], a.heads(), program.shape(i)[0]))
                        .build());
            } else {
                throw new MyelinException("spike program network: node " + i + " (" + node.name() + ") reads the input"
                        + " directly; only a convolution may");
            }
        }
        // one program step spans K network steps, K the depth of the output plus one: each population updates once
        // per program step, in the network step of its depth (its phase), and holds still in between
        int k = depth[n - 1] + 1;
        period[0] = k;
        for (Pending q : pending) {
            int phase = q.depth < 0 ? depth[n - 1] - 1 : q.depth;
            DiscreteLifModel m = k == 1 ? q.model : q.model.every(k, phase);
            if (q.initialV != null) {
                b.population(q.name, q.size, m, q.initialV);
            } else {
                b.population(q.name, q.size, m);
            }
        }
        for (Runnable r : sources) {
            r.run();
        }
        for (Projection p : projections) {
            b.projection(p);
        }
        return new SpikeProgramNetwork(program, b.build(), depth, pop, spikingDepth, k);
    }

    /** A neuron that fires when both of its unit inputs arrive in one step and forgets everything else. */
    private static DiscreteLifModel coincidence() {
        return new DiscreteLifModel(0, Double.NaN, 1.5, ResetMode.TO_VALUE);
    }

    private static Projection.Builder membrane(String from, String to, Connectivity rule, int delay) {
        return Projection.between(from, to).connect(rule).delaySteps(delay).transmission(Transmission.MEMBRANE);
    }

    private static Projection.Builder spikes(String from, String to, Connectivity rule, int delay) {
        return Projection.between(from, to).connect(rule).delaySteps(delay);
    }

    /** A convolution's bias from a one-neuron source firing when the spikes it reads fire: added after them. */
    private static void addBias(Network.Builder b, List<Runnable> sources, List<Projection> projections, String name,
                                float[] bias, int plane, int readDepth, int steps, int[] period) {
        int size = bias.length * plane;
        int[] pre = new int[size];
        int[] post = new int[size];
        double[] w = new double[size];
        for (int k = 0; k < size; k++) {
            post[k] = k;
            w[k] = bias[k / plane];
        }
        String src = name + ".bias";
        sources.add(() -> {
            long[] at = new long[steps];
            for (int t = 0; t < steps; t++) {
                at[t] = (long) t * period[0] + readDepth;
            }
            b.spikeTrain(src, 1, new int[steps], at);
        });
        projections.add(Projection.between(src, name).named(src).connect(Connectivity.explicit(pre, post, w, null))
                .build());
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int k = 0; k < a.length; k++) {
            d[k] = a[k];
        }
        return d;
    }

    private static boolean spiking(SpikeProgram program, int node) {
        SpikeProgram.Node x = program.nodes().get(node);
        return x instanceof SpikeProgram.Fire || x instanceof SpikeProgram.Gate;
    }

    private static void requireSpikes(SpikeProgram program, int self, int node) {
        if (!spiking(program, node)) {
            throw new MyelinException("spike program network: node " + self + " must read spikes, node " + node
                    + " is not spiking");
        }
    }

    private static void requireValue(SpikeProgram program, int self, int node) {
        if (node == 0 || spiking(program, node)) {
            throw new MyelinException("spike program network: node " + self + " (" + program.nodes().get(self).name()
                    + ") adds the values of node " + node + " (" + program.nodes().get(node).name() + "), which is "
                    + (node == 0 ? "the input" : "spiking") + "; the core network holds values in relays only");
        }
    }

    public Network network() {
        return network;
    }

    public SpikeProgram program() {
        return program;
    }

    /** The network step that holds program step {@code t} of node {@code node}. */
    public long stepOf(int node, int t) {
        return (long) t * period + depth[node];
    }

    /** Network steps per program step: every population updates once in each. */
    public int period() {
        return period;
    }

    /** Whether network step {@code step} holds a program step of a population of depth {@code d}. */
    private boolean inWindow(long step, long d) {
        return step >= d && (step - d) % period == 0 && (step - d) / period < program.steps();
    }

    /** Network steps to run so that the output has seen every program step. */
    public long stepsToRun() {
        return stepOf(program.nodes().size() - 1, program.steps() - 1) + 1;
    }

    /** The population of node {@code node} (null for the input). */
    public String population(int node) {
        return population[node];
    }

    /** The class scores of a run: the output's values summed over the program's steps, from 0, in step order. */
    public float[] scores(MemorySink memory) {
        StateTrace trace = memory.state(OUTPUT + ".v");
        int last = program.nodes().size() - 1;
        float[] scores = new float[program.classes()];
        for (int s = 0; s < trace.samples(); s++) {
            long step = trace.step(s);
            if (inWindow(step, depth[last])) {
                for (int j = 0; j < scores.length; j++) {
                    scores[j] += (float) trace.value(s, j);
                }
            }
        }
        return scores;
    }

    /** Spikes of each firing node ({@link SpikeProgram.Fire}) over the program's steps; 0 for other nodes. */
    public long[] spikes(MemorySink memory) {
        long[] counts = new long[program.nodes().size()];
        for (int i = 1; i < counts.length; i++) {
            if (program.nodes().get(i) instanceof SpikeProgram.Fire) {
                SpikeRecord r = memory.spikes(population[i]);
                for (int k = 0; k < r.size(); k++) {
                    counts[i] += inWindow(r.step(k), depth[i]) ? 1 : 0;
                }
            }
        }
        return counts;
    }

    /**
     * Synaptic events the run's spiking populations sent through spike projections (each spike times its neuron's
     * out-degree), in the steps that hold the program's steps: the weights selected by spikes, as the program counts its accumulates.
     * The relays' membrane values, the bias and the first layer's input are additions the program counts apart,
     * and are not included.
     */
    public long synapticEvents(MemorySink memory) {
        java.util.Map<String, long[]> known;
        synchronized (this) {
            if (degrees == null) {
                degrees = outDegrees();
            }
            known = degrees;
        }
        long events = 0;
        for (java.util.Map.Entry<String, long[]> e : known.entrySet()) {
            SpikeRecord r = memory.spikes(e.getKey());
            long d = spikingDepth.get(e.getKey());
            long[] degree = e.getValue();
            for (int k = 0; k < r.size(); k++) {
                events += inWindow(r.step(k), d) ? degree[r.neuron(k)] : 0;
            }
        }
        return events;
    }

    private java.util.Map<String, long[]> outDegrees() {
        java.util.Map<String, long[]> degree = new java.util.HashMap<>();
        for (Projection p : network.projections()) {
            if (p.transmission() != Transmission.SPIKES || !(network.node(p.source())
                    instanceof org.myelin.core.network.Population) || p.source().equals(BIAS_POPULATION)) {
                continue;
            }
            long[] d = degree.computeIfAbsent(p.source(), s -> new long[network.node(s).size()]);
            if (p.rule() instanceof Connectivity.Convolution c) {
                for (int r = 0; r < d.length; r++) {
                    long[] n = {0};
                    c.row(r, (t, w) -> n[0]++);
                    d[r] += n[0];
                }
            } else if (p.rule() instanceof Connectivity.Explicit e) {
                for (int pre : e.pre()) {
                    d[pre]++;
                }
            } else {
                for (int r = 0; r < d.length; r++) {
                    d[r]++;
                }
            }
        }
        return degree;
    }

    @Override
    public String toString() {
        return "SpikeProgramNetwork[" + network.populations().size() + " populations, " + network.projections().size()
                + " projections, " + stepsToRun() + " steps]";
    }
}
