package org.myelin.core.network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.myelin.core.MyelinException;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.NeuronModel;
import org.myelin.core.monitor.RateMonitor;
import org.myelin.core.monitor.SpikeMonitor;
import org.myelin.core.monitor.StateMonitor;

/**
 * An immutable, validated network description. Build one with {@link #builder()}.
 *
 * <p>Neurons have global indices: the populations' neurons first, in declaration order, then the spike
 * sources' generators. Spikes are always handled in ascending global index, which fixes the order in which
 * every target sums its input.
 */
public final class Network {
    private final double dtMs;
    private final long seed;
    private final List<Population> populations;
    private final List<SpikeSource> sources;
    private final List<Node> nodes;
    private final Map<String, Node> byName;
    private final int[] offsets;
    private final List<Projection> projections;
    private final List<CurrentInput> currents;
    private final List<SpikeMonitor> spikeMonitors;
    private final List<StateMonitor> stateMonitors;
    private final List<RateMonitor> rateMonitors;
    private final int neuronCount;
    private final int sourceCount;

    private Network(Builder b) {
        dtMs = b.dtMs;
        seed = b.seed;
        populations = List.copyOf(b.populations);
        sources = List.copyOf(b.sources);
        List<Node> all = new ArrayList<>(populations);
        all.addAll(sources);
        nodes = Collections.unmodifiableList(all);
        Map<String, Node> m = new LinkedHashMap<>();
        offsets = new int[nodes.size() + 1];
        for (int i = 0; i < nodes.size(); i++) {
            m.put(nodes.get(i).name(), nodes.get(i));
            offsets[i + 1] = offsets[i] + nodes.get(i).size();
        }
        byName = Collections.unmodifiableMap(m);
        projections = List.copyOf(b.projections);
        currents = List.copyOf(b.currents);
        spikeMonitors = List.copyOf(b.spikeMonitors);
        stateMonitors = List.copyOf(b.stateMonitors);
        rateMonitors = List.copyOf(b.rateMonitors);
        neuronCount = offsets[populations.size()];
        sourceCount = offsets[nodes.size()] - neuronCount;
    }

    /**
     * The same network (dt, seed, populations, generators, currents, monitors) with other projections: how a backend
     * that changes synapses (a device model) hands the result to another backend. Validated like any network.
     */
    public Network withProjections(List<Projection> replacement) {
        Builder b = new Builder().dtMs(dtMs).seed(seed);
        b.populations.addAll(populations);
        b.sources.addAll(sources);
        b.currents.addAll(currents);
        b.spikeMonitors.addAll(spikeMonitors);
        b.stateMonitors.addAll(stateMonitors);
        b.rateMonitors.addAll(rateMonitors);
        b.projections.addAll(replacement);
        return b.build();
    }

    /**
     * A builder holding everything this network declares (step, seed, nodes, projections, currents, monitors), to
     * add to it: a viewer adds its monitors, a study adds a probe. {@link Builder#build()} checks the result again.
     */
    public Builder toBuilder() {
        Builder b = new Builder().dtMs(dtMs).seed(seed);
        b.populations.addAll(populations);
        b.sources.addAll(sources);
        b.projections.addAll(projections);
        b.currents.addAll(currents);
        b.spikeMonitors.addAll(spikeMonitors);
        b.stateMonitors.addAll(stateMonitors);
        b.rateMonitors.addAll(rateMonitors);
        return b;
    }

    public static Builder builder() {
        return new Builder();
    }

    public double dtMs() {
        return dtMs;
    }

    public long seed() {
        return seed;
    }

    public List<Population> populations() {
        return populations;
    }

    public List<SpikeSource> sources() {
        return sources;
    }

    /** Populations then spike sources, in declaration order: the order of global indices. */
    public List<Node> nodes() {
        return nodes;
    }

    public List<Projection> projections() {
        return projections;
    }

    public List<CurrentInput> currents() {
        return currents;
    }

    public List<SpikeMonitor> spikeMonitors() {
        return spikeMonitors;
    }

    public List<StateMonitor> stateMonitors() {
        return stateMonitors;
    }

    public List<RateMonitor> rateMonitors() {
        return rateMonitors;
    }

    /** Number of simulated neurons (all populations). */
    public int neuronCount() {
        return neuronCount;
    }

    /** Number of spike generators (all spike sources). */
    public int sourceCount() {
        return sourceCount;
    }

    public Node node(String name) {
        Node n = byName.get(name);
        if (n == null) {
            throw new MyelinException("no population or spike source named '" + name + "'; known: " + byName.keySet());
        }
        return n;
    }

    public int nodeIndex(String name) {
        return nodes.indexOf(node(name));
    }

    /** Global index of the first neuron of node {@code nodeIndex}. */
    public int offset(int nodeIndex) {
        return offsets[nodeIndex];
    }

    public int offset(String name) {
        return offsets[nodeIndex(name)];
    }

    /** The node that owns global index {@code globalIndex}. */
    public int nodeOf(int globalIndex) {
        int k = Arrays.binarySearch(offsets, globalIndex);
        if (k >= 0) {
            while (k + 1 < offsets.length && offsets[k + 1] == globalIndex) {
                k++;
            }
            return k;
        }
        return -k - 2;
    }

    /** The most steps {@link #steps} gives: 2^53, where a step count is still exact in a double. */
    public static final long MAX_STEPS = 1L << 53;

    /**
     * Steps in {@code ms} milliseconds, rounded to the nearest step; {@code ms} must be finite, >= 0 and at most
     * {@link #MAX_STEPS} steps.
     */
    public long steps(double ms) {
        if (!(ms >= 0) || Double.isInfinite(ms)) {
            throw new MyelinException("network: a duration must be a finite number of ms >= 0, was " + ms + " ms");
        }
        double steps = Math.rint(ms / dtMs);
        if (steps > MAX_STEPS) {
            throw new MyelinException("network: " + ms + " ms is " + steps + " steps of " + dtMs + " ms, more than the"
                    + " most a run can take (2^53 = " + MAX_STEPS + ")");
        }
        return Math.round(ms / dtMs);
    }

    /** Builds and validates a {@link Network}; every check names the object, the parameter and the value. */
    public static final class Builder {
        private double dtMs = 0.1;
        private long seed = 1;
        private final List<Population> populations = new ArrayList<>();
        private final List<SpikeSource> sources = new ArrayList<>();
        private final List<Projection> projections = new ArrayList<>();
        private final List<CurrentInput> currents = new ArrayList<>();
        private final List<SpikeMonitor> spikeMonitors = new ArrayList<>();
        private final List<StateMonitor> stateMonitors = new ArrayList<>();
        private final List<RateMonitor> rateMonitors = new ArrayList<>();

        private Builder() {
        }

        /** Time step in ms (default 0.1). */
        public Builder dtMs(double dt) {
            dtMs = dt;
            return this;
        }

        /** Seed of every random stream of the network (default 1). */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /** A population starting at its model's resting potential. */
        public Builder population(String name, int size, NeuronModel model) {
            return population(name, size, model,
                    Distribution.constant(model == null ? 0 : model.membrane().restingMv()));
        }

        /** A population whose initial membrane potential is drawn per neuron. */
        public Builder population(String name, int size, NeuronModel model, Distribution initialV) {
            return population(name, size, model, initialV, Distribution.constant(0), Distribution.constant(0));
        }

        public Builder population(String name, int size, NeuronModel model, Distribution initialV,
                                  Distribution initialGe, Distribution initialGi) {
            populations.add(new Population(name, size, model, initialV, initialGe, initialGi));
            return this;
        }

        public Builder poisson(String name, int size, double rateHz) {
            sources.add(new PoissonSource(name, size, rateHz));
            return this;
        }

        /**
         * Poisson generators with multiplicity: k ~ Poisson(rate dt) spikes per step ({@link PoissonSource}), for
         * summed inputs of more than one spike per step.
         */
        public Builder poissonWithMultiplicity(String name, int size, double rateHz) {
            sources.add(new PoissonSource(name, size, rateHz, true));
            return this;
        }

        /** Generator {@code neurons[k]} spikes in step {@code steps[k]}; any order, no duplicates. */
        public Builder spikeTrain(String name, int size, int[] neurons, long[] steps) {
            if (neurons.length != steps.length) {
                throw new MyelinException("spike train '" + name + "': needs as many steps as neurons, got "
                        + neurons.length + " neurons and " + steps.length + " steps");
            }
            // sort by (step, neuron) with primitive keys: trains of millions of spikes stay cheap
            long[] keys = new long[neurons.length];
            for (int i = 0; i < keys.length; i++) {
                if (steps[i] < 0 || steps[i] > Integer.MAX_VALUE || neurons[i] < 0) {
                    throw new MyelinException("spike train '" + name + "': spike " + i + " needs a step in [0, "
                            + Integer.MAX_VALUE + "] and a neuron >= 0, got step " + steps[i] + " and neuron " + neurons[i]);
                }
                keys[i] = (steps[i] << 31) | neurons[i];
            }
            java.util.Arrays.sort(keys);
            int[] n = new int[neurons.length];
            long[] s = new long[neurons.length];
            for (int i = 0; i < keys.length; i++) {
                n[i] = (int) (keys[i] & 0x7FFFFFFFL);
                s[i] = keys[i] >>> 31;
            }
            sources.add(new SpikeTrainSource(name, size, n, s));
            return this;
        }

        public Builder projection(Projection p) {
            projections.add(p);
            return this;
        }

        public Builder projection(Projection.Builder p) {
            return projection(p.build());
        }

        public Builder current(CurrentInput c) {
            currents.add(c);
            return this;
        }

        /** Records every spike of a node, in a monitor named after the node. */
        public Builder monitorSpikes(String node) {
            spikeMonitors.add(new SpikeMonitor(node, node));
            return this;
        }

        /** Samples {@code variable} of the given neurons every step, in a monitor named "population.variable". */
        public Builder monitorState(String population, String variable, int... neurons) {
            return monitorState(population + "." + variable, population, variable, 1, neurons);
        }

        public Builder monitorState(String name, String population, String variable, int intervalSteps,
                                    int... neurons) {
            stateMonitors.add(new StateMonitor(name, population, variable, neurons.clone(), intervalSteps));
            return this;
        }

        /** Population rate in bins of {@code binSteps}, in a monitor named "node.rate". */
        public Builder monitorRate(String node, int binSteps) {
            rateMonitors.add(new RateMonitor(node + ".rate", node, binSteps));
            return this;
        }

        public Network build() {
            if (!(dtMs > 0) || Double.isInfinite(dtMs)) {
                throw new MyelinException("network: dtMs must be > 0 ms and finite, was " + dtMs + " ms");
            }
            Map<String, Node> nodes = new LinkedHashMap<>();
            for (Population p : populations) {
                String owner = "population '" + p.name() + "'";
                checkName(owner, p.name(), nodes.keySet());
                checkSize(owner, p.size());
                if (p.model() == null) {
                    throw new MyelinException(owner + ": model must be given, was null");
                }
                p.model().validate(owner);
                p.initialV().validate(owner, "initialV", "mV");
                p.initialGe().validate(owner, "initialGe", "mV");
                p.initialGi().validate(owner, "initialGi", "mV");
                for (Distribution d : new Distribution[] {p.initialV(), p.initialGe(), p.initialGi()}) {
                    if (d instanceof Distribution.Table t && t.values().length != p.size()) {
                        throw new MyelinException(owner + ": an initial-state table needs one value per neuron ("
                                + p.size() + "), had " + t.values().length);
                    }
                }
                nodes.put(p.name(), p);
            }
            for (SpikeSource s : sources) {
                String owner = "spike source '" + s.name() + "'";
                checkName(owner, s.name(), nodes.keySet());
                checkSize(owner, s.size());
                if (s instanceof PoissonSource ps) {
                    double pStep = ps.rateHz() * dtMs / 1000.0;
                    if (ps.multiplicity()) {
                        if (!(ps.rateHz() >= 0) || !(pStep <= PoissonSource.MAX_EVENTS_PER_STEP)) {
                            throw new MyelinException(owner + ": rateHz must be in [0, "
                                    + PoissonSource.MAX_EVENTS_PER_STEP * 1000.0 / dtMs + "] Hz (at most "
                                    + PoissonSource.MAX_EVENTS_PER_STEP + " events per step expected), was "
                                    + ps.rateHz() + " Hz");
                        }
                    } else if (!(ps.rateHz() >= 0) || !(pStep <= 1)) {
                        throw new MyelinException(owner + ": rateHz must be in [0, " + (1000.0 / dtMs)
                                + "] Hz (at most one spike per step), was " + ps.rateHz() + " Hz");
                    }
                } else if (s instanceof SpikeTrainSource st) {
                    for (int k = 0; k < st.spikeCount(); k++) {
                        if (st.neurons()[k] < 0 || st.neurons()[k] >= st.size()) {
                            throw new MyelinException(owner + ": spike " + k + ": neuron must be in [0, "
                                    + (st.size() - 1) + "], was " + st.neurons()[k]);
                        }
                        if (st.steps()[k] < 0) {
                            throw new MyelinException(owner + ": spike " + k + ": step must be >= 0, was "
                                    + st.steps()[k]);
                        }
                        if (k > 0 && st.steps()[k] == st.steps()[k - 1] && st.neurons()[k] == st.neurons()[k - 1]) {
                            throw new MyelinException(owner + ": neuron " + st.neurons()[k] + " spikes twice in step "
                                    + st.steps()[k]);
                        }
                    }
                }
                nodes.put(s.name(), s);
            }
            Set<String> names = new HashSet<>();
            for (Projection p : projections) {
                String owner = "projection '" + p.name() + "'";
                checkName(owner, p.name(), names);
                names.add(p.name());
                Node src = nodes.get(p.source());
                if (src == null) {
                    throw new MyelinException(owner + ": source must be a population or spike source, '" + p.source()
                            + "' is neither; known: " + nodes.keySet());
                }
                Node tgt = nodes.get(p.target());
                if (!(tgt instanceof Population)) {
                    throw new MyelinException(owner + ": target must be a population, '" + p.target() + "' is "
                            + (tgt == null ? "unknown" : "a spike source") + "; populations: " + populationNames());
                }
                if (p.rule() == null || p.weightMv() == null || p.delaySteps() == null || p.receptor() == null) {
                    throw new MyelinException(owner + ": rule, weightMv, delaySteps and receptor must all be given");
                }
                p.rule().validate(owner, src.size(), tgt.size(), src == tgt);
                if (p.rule() instanceof org.myelin.core.connect.Connectivity.Attention a) {
                    for (String other : new String[] {a.keys(), a.values()}) {
                        if (!(nodes.get(other) instanceof Population op) || op.size() != src.size()) {
                            throw new MyelinException(owner + ": spike attention's keys and values must be populations"
                                    + " of the queries' size " + src.size() + ", '" + other + "' is "
                                    + (nodes.get(other) == null ? "unknown" : "not"));
                        }
                    }
                    if (!(src instanceof Population) || p.transmission() != Transmission.SPIKES
                            || p.plasticity() != null) {
                        throw new MyelinException(owner + ": spike attention reads the spikes of a query population,"
                                + " with fixed rules");
                    }
                }
                p.weightMv().validate(owner, "weightMv", "mV");
                p.delaySteps().validate(owner, "delaySteps", "steps");
                if (!(p.delaySteps().min() >= 0.5) || !(p.delaySteps().max() < Projection.MAX_DELAY_STEPS + 0.5)) {
                    throw new MyelinException(owner + ": delaySteps must lie in [1, " + Projection.MAX_DELAY_STEPS
                            + "] steps, the distribution spans [" + p.delaySteps().min() + ", "
                            + p.delaySteps().max() + "]");
                }
                if (p.plasticity() != null) {
                    p.plasticity().validate(owner);
                }
                if (p.transmission() == null) {
                    throw new MyelinException(owner + ": transmission must be SPIKES or MEMBRANE, was null");
                }
                if (p.transmission() == Transmission.MEMBRANE) {
                    if (!(src instanceof Population)) {
                        throw new MyelinException(owner + ": a membrane projection needs a population as its source"
                                + " (it carries v), '" + p.source() + "' is a spike source");
                    }
                    if (p.plasticity() != null) {
                        throw new MyelinException(owner + ": a membrane projection cannot be plastic");
                    }
                }
            }
            names.clear();
            for (CurrentInput c : currents) {
                String owner = "current input '" + c.name() + "'";
                checkName(owner, c.name(), names);
                names.add(c.name());
                Population tgt = population(owner, nodes, c.target());
                if (c.changeSteps().length == 0 || c.changeSteps().length != c.currentsNa().length) {
                    throw new MyelinException(owner + ": needs one current per change step and at least one, got "
                            + c.changeSteps().length + " steps and " + c.currentsNa().length + " currents");
                }
                for (int k = 0; k < c.changeSteps().length; k++) {
                    if (c.changeSteps()[k] < 0 || (k > 0 && c.changeSteps()[k] <= c.changeSteps()[k - 1])) {
                        throw new MyelinException(owner + ": change steps must be >= 0 and strictly increasing, step "
                                + k + " was " + c.changeSteps()[k]);
                    }
                    if (!Double.isFinite(c.currentsNa()[k])) {
                        throw new MyelinException(owner + ": current " + k + " must be finite, was "
                                + c.currentsNa()[k] + " nA");
                    }
                }
                if (c.neurons() != null) {
                    checkIndices(owner, c.neurons(), tgt.size());
                }
            }
            names.clear();
            for (SpikeMonitor m : spikeMonitors) {
                String owner = "spike monitor '" + m.name() + "'";
                checkMonitorName(owner, m.name(), names);
                if (!nodes.containsKey(m.node())) {
                    throw new MyelinException(owner + ": node must be a population or spike source, '" + m.node()
                            + "' is neither; known: " + nodes.keySet());
                }
            }
            for (StateMonitor m : stateMonitors) {
                String owner = "state monitor '" + m.name() + "'";
                checkMonitorName(owner, m.name(), names);
                Population p = population(owner, nodes, m.population());
                if (!p.model().stateVariables().contains(m.variable())) {
                    throw new MyelinException(owner + ": variable must be one of " + p.model().stateVariables()
                            + " for a " + p.model().kind() + " population, was '" + m.variable() + "'");
                }
                if (m.intervalSteps() < 1) {
                    throw new MyelinException(owner + ": intervalSteps must be >= 1, was " + m.intervalSteps());
                }
                if (m.neurons().length == 0) {
                    throw new MyelinException(owner + ": needs at least one neuron index");
                }
                checkIndices(owner, m.neurons(), p.size());
            }
            for (RateMonitor m : rateMonitors) {
                String owner = "rate monitor '" + m.name() + "'";
                checkMonitorName(owner, m.name(), names);
                if (!nodes.containsKey(m.node())) {
                    throw new MyelinException(owner + ": node must be a population or spike source, '" + m.node()
                            + "' is neither; known: " + nodes.keySet());
                }
                if (m.binSteps() < 1) {
                    throw new MyelinException(owner + ": binSteps must be >= 1, was " + m.binSteps());
                }
            }
            long total = 0;
            for (Node n : nodes.values()) {
                total += n.size();
            }
            if (total > Integer.MAX_VALUE / 2) {
                throw new MyelinException("network: at most " + Integer.MAX_VALUE / 2 + " neurons and generators in all, was "
                        + total);
            }
            return new Network(this);
        }

        private List<String> populationNames() {
            List<String> l = new ArrayList<>();
            populations.forEach(p -> l.add(p.name()));
            return l;
        }

        private Population population(String owner, Map<String, Node> nodes, String name) {
            Node n = nodes.get(name);
            if (!(n instanceof Population p)) {
                throw new MyelinException(owner + ": target must be a population, '" + name + "' is "
                        + (n == null ? "unknown" : "a spike source") + "; populations: " + populationNames());
            }
            return p;
        }

        private static void checkName(String owner, String name, Set<String> taken) {
            if (name == null || name.isBlank()) {
                throw new MyelinException(owner + ": name must be a non-empty string");
            }
            if (taken.contains(name)) {
                throw new MyelinException(owner + ": name '" + name + "' is already used");
            }
        }

        private static void checkMonitorName(String owner, String name, Set<String> taken) {
            checkName(owner, name, taken);
            taken.add(name);
        }

        private static void checkSize(String owner, int size) {
            if (size < 1) {
                throw new MyelinException(owner + ": size must be >= 1, was " + size);
            }
        }

        private static void checkIndices(String owner, int[] idx, int size) {
            for (int i : idx) {
                if (i < 0 || i >= size) {
                    throw new MyelinException(owner + ": neuron index must be in [0, " + (size - 1) + "], was " + i);
                }
            }
        }
    }
}
