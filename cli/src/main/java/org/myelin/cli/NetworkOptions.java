package org.myelin.cli;

import java.util.function.LongFunction;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.network.Network;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The built-in network to run and where: shared by {@code run} and {@code view}. */
final class NetworkOptions {
    @Parameters(index = "0", paramLabel = "NETWORK", description = "one of: " + Demos.NAMES)
    String name;

    @Option(names = "--neurons", defaultValue = "0", description = "neurons (default: the network's own size)")
    int neurons;

    @picocli.CommandLine.Mixin
    SharedOptions.Seed seedOption;

    @Option(names = "--backend", defaultValue = "cpu", description = {"backend (default: ${DEFAULT-VALUE}); for a"
            + " spike-driven transformer's model file also spike-driven (backend-cpu's spike-driven program runner)"})
    String backend;

    @Option(names = "--mode", defaultValue = "clock", description = BenchCommand.MODE_HELP)
    String mode;

    @Option(names = "--active-fraction", defaultValue = "0.005",
            description = "sparse: fraction of neurons receiving input per ms (default: ${DEFAULT-VALUE})")
    double activeFraction;

    /** The network for a seed; {@code inputSeconds} bounds the input the sparse network draws in advance. */
    LongFunction<Network> factory(double inputSeconds) {
        return Demos.find(name, neurons, activeFraction, inputSeconds);
    }

    /** The network's seed ({@code --seed}). */
    long seed() {
        return seedOption.value();
    }

    EngineMode engineMode() {
        return EngineMode.parse(mode);
    }
}
