package org.myelin.core.model;

/**
 * A model in continuous time, for engines that do not step (the event-driven precise mode):
 * <pre>
 *   tauMembraneMs du/dt = -u + ge + gi + resistanceMOhm * I        (u = v - restingMv; frozen while refractory)
 *   tauSynExcMs  dge/dt = -ge;   tauSynInhMs dgi/dt = -gi            (CuBa-LIF)
 * </pre>
 * A synaptic time constant of 0 stands for delta synapses (LIF): an input of w mV makes u jump by w, and is lost
 * while the neuron is refractory.
 *
 * @param membrane    the membrane parameters
 * @param tauSynExcMs excitatory synaptic time constant, or 0 for delta synapses
 * @param tauSynInhMs inhibitory synaptic time constant, or 0 for delta synapses
 */
public record ContinuousDynamics(MembraneParameters membrane, double tauSynExcMs, double tauSynInhMs) {

    /** True for delta synapses (LIF). */
    public boolean delta() {
        return tauSynExcMs == 0;
    }
}
