package org.myelin.core.model;

import java.util.List;

/**
 * Leaky integrate-and-fire neuron with delta synapses.
 *
 * <pre>
 *   tauMembraneMs dv/dt = -(v - restingMv) + resistanceMOhm * I(t)
 *   on an input spike of weight w (mV):  v += w      (lost while refractory)
 *   v &gt; thresholdMv and not refractory:   spike, reset, refractoryMs of dead time
 * </pre>
 * Integration is exact for piecewise-constant current; the input of a step is added after the decay of that
 * step, so it can cross threshold in the step it arrives (as NEST's iaf_psc_delta and snnTorch's Leaky).
 * Parameters: see {@link MembraneParameters}.
 */
public record LifModel(MembraneParameters membrane) implements NeuronModel {

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String kind() {
        return "lif";
    }

    @Override
    public List<String> stateVariables() {
        return List.of("v");
    }

    @Override
    public void validate(String owner) {
        membrane.validate(owner);
    }

    @Override
    public Propagators discretize(double dtMs) {
        return membrane.propagators(dtMs, 1.0, 1.0, 0.0, 0.0);
    }

    @Override
    public ContinuousDynamics continuous() {
        return new ContinuousDynamics(membrane, 0, 0);
    }

    /** Builder with the defaults of {@link MembraneParameters#DEFAULTS}. */
    public static final class Builder extends MembraneBuilder<Builder> {
        private Builder() {
        }

        public LifModel build() {
            LifModel m = new LifModel(membrane());
            m.validate("LIF model");
            return m;
        }
    }
}
