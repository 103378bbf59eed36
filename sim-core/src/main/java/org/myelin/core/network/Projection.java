package org.myelin.core.network;

import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.Receptor;
import org.myelin.core.plasticity.PlasticityRule;

/**
 * Synapses from a source node to a target population.
 *
 * @param name       unique among projections; keys this projection's random streams
 * @param source     name of a population or spike source
 * @param target     name of a population
 * @param rule       which pairs are connected
 * @param weightMv   weight per synapse in mV (see {@link org.myelin.core.model})
 * @param delaySteps delay per synapse in steps, rounded to the nearest integer, at least 1; the event-driven precise
 *                   mode uses the value before rounding (a delay of d steps is a transmission delay of (d - 1) dt,
 *                   at least 0), so a continuous distribution gives continuous delays there
 * @param receptor   the synaptic port of the target that the synapses feed
 * @param plasticity the learning rule of the synapses' weights, or null for fixed weights
 * @param transmission what the synapses carry: spikes (the default) or the source's membrane potential in every
 *                     step ({@link Transmission#MEMBRANE})
 */
public record Projection(String name, String source, String target, Connectivity rule, Distribution weightMv,
                         Distribution delaySteps, Receptor receptor, PlasticityRule plasticity,
                         Transmission transmission) {

    /** A projection carrying spikes. */
    public Projection(String name, String source, String target, Connectivity rule, Distribution weightMv,
                      Distribution delaySteps, Receptor receptor, PlasticityRule plasticity) {
        this(name, source, target, rule, weightMv, delaySteps, receptor, plasticity, Transmission.SPIKES);
    }

    /** A projection with fixed weights. */
    public Projection(String name, String source, String target, Connectivity rule, Distribution weightMv,
                      Distribution delaySteps, Receptor receptor) {
        this(name, source, target, rule, weightMv, delaySteps, receptor, null);
    }

    /** Whether the weights change with a learning rule. */
    public boolean plastic() {
        return plasticity != null;
    }

    /** The largest delay a projection may have, in steps. */
    public static final int MAX_DELAY_STEPS = 32767;

    /** Starts a projection from {@code source} to {@code target}, named {@code "source->target"}. */
    public static Builder between(String source, String target) {
        return new Builder(source, target);
    }

    /** Builder with defaults: all-to-all, weight 1 mV, delay 1 step, excitatory receptor. */
    public static final class Builder {
        private final String source;
        private final String target;
        private String name;
        private Connectivity rule = Connectivity.allToAll();
        private Distribution weightMv = Distribution.constant(1.0);
        private Distribution delaySteps = Distribution.constant(1);
        private Receptor receptor = Receptor.EXCITATORY;
        private PlasticityRule plasticity;
        private Transmission transmission = Transmission.SPIKES;

        private Builder(String source, String target) {
            this.source = source;
            this.target = target;
            this.name = source + "->" + target;
        }

        public Builder named(String n) {
            name = n;
            return this;
        }

        public Builder connect(Connectivity r) {
            rule = r;
            return this;
        }

        public Builder weightMv(double w) {
            weightMv = Distribution.constant(w);
            return this;
        }

        public Builder weightMv(Distribution w) {
            weightMv = w;
            return this;
        }

        public Builder delaySteps(int d) {
            delaySteps = Distribution.constant(d);
            return this;
        }

        public Builder delaySteps(Distribution d) {
            delaySteps = d;
            return this;
        }

        public Builder receptor(Receptor r) {
            receptor = r;
            return this;
        }

        /** The learning rule of the weights (null: fixed weights, the default). */
        public Builder plasticity(PlasticityRule p) {
            plasticity = p;
            return this;
        }

        /** What the synapses carry (spikes by default; {@link Transmission#MEMBRANE}: the source's potential). */
        public Builder transmission(Transmission t) {
            transmission = t;
            return this;
        }

        public Projection build() {
            return new Projection(name, source, target, rule, weightMv, delaySteps, receptor, plasticity,
                    transmission);
        }
    }
}
