package org.myelin.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.experiments.bench.BenchmarkRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs a built-in network, prints what happened and writes its figures. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a built-in network and report it.",
            "--raster and --rates write its figures (PNG or SVG) without a display."})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    NetworkOptions network;

    @Option(names = "--duration", defaultValue = "1.0",
            description = "biological time in seconds (default: ${DEFAULT-VALUE})")
    double duration;

    @Option(names = "--threads", description = "worker threads (default: chosen by the backend)")
    Integer threads;

    @Mixin
    FigureOptions figures;

    @Option(names = "--save", paramLabel = "DIR", description = {"write what the run recorded to DIR/recording.npz"
        + " (NumPy) and DIR/recording.h5 (HDF5, NWB's units-table columns): spikes, state traces and rates in the"
        + " layout of docs/outputs.md; DIR is created if missing"})
    java.nio.file.Path save;

    @Override
    public Integer call() {
        if (!(duration > 0) || duration > 1e5) {
            throw new MyelinException("--duration must be > 0 and <= 1e5 seconds, was " + duration);
        }
        if (threads != null && threads < 1) {
            throw new MyelinException("--threads must be >= 1, was " + threads);
        }
        figures.check();
        if (save != null && java.nio.file.Files.exists(save) && !java.nio.file.Files.isDirectory(save)) {
            throw new MyelinException("--save " + save + " is a file; give a folder");
        }
        var factory = network.factory(duration);
        SimulationConfig config = new SimulationConfig(threads == null ? SimulationConfig.AUTO : threads)
                .withMode(network.engineMode());
        BenchmarkRun run = BenchmarkRun.of(() -> factory.apply(network.seed), duration, config, network.seed,
                network.backend, false,
                BenchCommand.progress(System.console() != null));
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s: %d neurons, %d synapses, %.3f s of biological time on %s%n", network.name,
                run.network().neuronCount(), run.synapses(), duration, run.device());
        out.printf(Locale.ROOT, "  spikes            %d%n", run.spikes().size());
        out.printf(Locale.ROOT, "  mean rate         %.3f Hz%n", run.meanRateHz());
        out.printf(Locale.ROOT, "  build time        %.3f s%n", run.buildSeconds());
        out.printf(Locale.ROOT, "  simulation time   %.3f s%n", run.simSeconds());
        figures.write(run.network(), run.recording().memory(), run.steps(), String.format(Locale.ROOT,
                "%s, %d neurons, %d spikes, %.2f Hz", network.name, run.network().neuronCount(), run.spikes().size(),
                run.meanRateHz()), out);
        if (save != null) {
            try {
                java.nio.file.Files.createDirectories(save);
            } catch (java.io.IOException e) {
                throw new MyelinException("--save " + save + ": cannot create the folder: " + e.getMessage());
            }
            org.myelin.core.monitor.RecordingArrays.writeNpz(save.resolve("recording.npz"), run.network(),
                    run.recording().memory());
            org.myelin.datasets.export.RecordingHdf5.write(save.resolve("recording.h5"), run.network(),
                    run.recording().memory());
            out.println("  recording         " + save.toAbsolutePath().resolve("recording.npz") + ", recording.h5");
        }
        return 0;
    }
}
