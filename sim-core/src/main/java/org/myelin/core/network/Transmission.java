package org.myelin.core.network;

import org.myelin.core.MyelinException;

/**
 * What a projection carries from its source to its targets.
 *
 * <p>{@link #MEMBRANE} is the membrane shortcut of spike-driven networks (a residual stream of real values between
 * layers of spiking neurons): in every step, each source neuron whose potential v (relative to rest, as after its
 * step: integrated, thresholded, reset) is not zero adds {@code weight * v} to each of its targets, arriving
 * {@code delay} steps later like a spike's weight; before the first step nothing is carried, so a value a population
 * starts with (its initial v) arrives as the one it holds after step 0. A multi-rate source
 * ({@link org.myelin.core.model.DiscreteLifModel#every}) carries its v once per update, after the steps it updates in. With weight 1 this is an addition of the value, no product. A
 * {@link org.myelin.core.model.DiscreteLifModel#relay() relay} population, whose v is its step's summed input,
 * turns any sum of spike-driven input into such a value, so a network of relays and spiking populations computes a
 * spike-driven program's real-valued nodes (sums, shortcuts, pooling) as the program orders its additions.
 */
public enum Transmission {
    /** A synapse adds its weight when its source fires (the default). */
    SPIKES,
    /** A synapse adds its weight times its source's membrane potential in every step (see the class comment). */
    MEMBRANE;

    /**
     * The check of an engine that carries spikes only: it refuses a {@link #MEMBRANE} projection by name, saying
     * where those run.
     */
    public static void requireSpikes(Network net, String engine) {
        for (Projection p : net.projections()) {
            if (p.transmission() == MEMBRANE) {
                throw new MyelinException(engine + ": projection '" + p.name() + "' carries membrane potentials (the"
                        + " membrane shortcut); this engine carries spikes only. Membrane projections run on the cpu"
                        + " backend in CLOCK mode with float accumulation, or in EVENT_GRID mode from multi-rate"
                        + " populations");
            }
        }
    }
}
