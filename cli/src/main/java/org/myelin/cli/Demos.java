package org.myelin.cli;

import java.util.Locale;
import java.util.function.LongFunction;
import org.myelin.core.MyelinException;
import org.myelin.core.catalog.CubaNetwork;
import org.myelin.core.catalog.SparseNetwork;
import org.myelin.core.network.Network;

/** The built-in networks that {@code run} and {@code view} know by name. */
final class Demos {
    static final String NAMES = "cuba (Brette et al. 2007 CUBA, 80 per cent excitatory, p = 80/N), sparse (N neurons, 100"
            + " synapses each, sparse Poisson input: --active-fraction of the neurons per ms)";

    private Demos() {
    }

    /**
     * The network {@code name} with {@code neurons} neurons (0: its default size) for a seed; {@code durationS} bounds
     * the input the sparse network pre-draws.
     */
    static LongFunction<Network> find(String name, int neurons, double activeFraction, double durationS) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "cuba":
                if (neurons != 0 && neurons < 5) {
                    throw new MyelinException("--neurons must be >= 5 for cuba, was " + neurons);
                }
                return seed -> neurons == 0 || neurons == 4000 ? CubaNetwork.classic(seed) : CubaNetwork.scaled(neurons, seed);
            case "sparse":
                int n = neurons == 0 ? 100_000 : neurons;
                return seed -> SparseNetwork.build(n, 100, activeFraction, durationS, seed);
            default:
                throw new MyelinException("unknown network '" + name + "'; known: " + NAMES);
        }
    }
}
