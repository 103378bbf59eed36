package org.myelin.core.plasticity;

import org.myelin.core.MyelinException;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

/** The check of an engine that runs fixed weights only: it refuses a plastic projection by name. */
public final class FixedWeights {
    private FixedWeights() {
    }

    /**
     * Throws when a projection of {@code net} is plastic, naming {@code engine}, the projection and its rule, and
     * where plasticity runs.
     */
    public static void require(Network net, String engine) {
        for (Projection p : net.projections()) {
            if (p.plasticity() != null) {
                throw new MyelinException(engine + ": projection '" + p.name() + "' is plastic ("
                        + p.plasticity().label() + "); this engine runs fixed weights only. Plasticity runs on the"
                        + " cpu backend in CLOCK mode with float accumulation");
            }
        }
    }
}
