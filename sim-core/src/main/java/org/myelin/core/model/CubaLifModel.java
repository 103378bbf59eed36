package org.myelin.core.model;

import java.util.List;

/**
 * Current-based LIF neuron with exponentially decaying synaptic currents (CuBa-LIF), one per receptor.
 *
 * <pre>
 *   tauMembraneMs dv/dt = -(v - restingMv) + ge + gi + resistanceMOhm * I(t)     (v frozen while refractory)
 *   tauSynExcMs  dge/dt = -ge          on an excitatory input of weight w (mV): ge += w
 *   tauSynInhMs  dgi/dt = -gi          on an inhibitory input of weight w (mV): gi += w
 * </pre>
 * {@code ge} and {@code gi} are synaptic currents times the membrane resistance, in mV, and keep evolving
 * while the neuron is refractory. The linear system is integrated exactly (Brian2's {@code method='exact'},
 * NEST's iaf_psc_exp); equal synaptic and membrane time constants are handled by the limit.
 *
 * <table>
 * <caption>Synaptic parameters (membrane: see {@link MembraneParameters})</caption>
 * <tr><th>parameter</th><th>unit</th><th>default</th><th>meaning</th></tr>
 * <tr><td>tauSynExcMs</td><td>ms</td><td>5</td><td>decay of the excitatory synaptic variable</td></tr>
 * <tr><td>tauSynInhMs</td><td>ms</td><td>10</td><td>decay of the inhibitory synaptic variable</td></tr>
 * </table>
 */
public record CubaLifModel(MembraneParameters membrane, double tauSynExcMs, double tauSynInhMs)
        implements NeuronModel {

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String kind() {
        return "cuba-lif";
    }

    @Override
    public List<String> stateVariables() {
        return List.of("v", "ge", "gi");
    }

    @Override
    public void validate(String owner) {
        membrane.validate(owner);
        MembraneParameters.positive(owner, "tauSynExcMs", tauSynExcMs, "ms");
        MembraneParameters.positive(owner, "tauSynInhMs", tauSynInhMs, "ms");
    }

    @Override
    public Propagators discretize(double dtMs) {
        double tm = membrane.tauMembraneMs();
        return membrane.propagators(dtMs,
                Propagators.synapseToMembrane(dtMs, tauSynExcMs, tm),
                Propagators.synapseToMembrane(dtMs, tauSynInhMs, tm),
                Math.exp(-dtMs / tauSynExcMs), Math.exp(-dtMs / tauSynInhMs));
    }

    @Override
    public ContinuousDynamics continuous() {
        return new ContinuousDynamics(membrane, tauSynExcMs, tauSynInhMs);
    }

    /** Builder with the defaults of {@link MembraneParameters#DEFAULTS}, tauSynExcMs 5 and tauSynInhMs 10. */
    public static final class Builder extends MembraneBuilder<Builder> {
        private double tauSynExcMs = 5;
        private double tauSynInhMs = 10;

        private Builder() {
        }

        public Builder tauSynExcMs(double v) {
            tauSynExcMs = v;
            return this;
        }

        public Builder tauSynInhMs(double v) {
            tauSynInhMs = v;
            return this;
        }

        /** Sets both synaptic time constants. */
        public Builder tauSynMs(double v) {
            tauSynExcMs = v;
            tauSynInhMs = v;
            return this;
        }

        public CubaLifModel build() {
            CubaLifModel m = new CubaLifModel(membrane(), tauSynExcMs, tauSynInhMs);
            m.validate("CuBa-LIF model");
            return m;
        }
    }
}
