package org.myelin.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.experiments.bench.BenchmarkRun;
import org.myelin.viz.raster.Figures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the CUBA network for a second and shows what happened. */
@SharedOptions.Defaults(seed = 12345)
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the CUBA benchmark network (4000 neurons, 1 s), print a report and write a raster image.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"--raster", "--output"}, paramLabel = "FILE",
            description = "raster image to write, .png or .svg (default: ${DEFAULT-VALUE})", defaultValue = "cuba-raster.png")
    Path output;

    @Option(names = "--rates", paramLabel = "FILE", description = "also write the population rates, .png or .svg")
    Path rates;

    @picocli.CommandLine.Mixin
    SharedOptions.Threads threadsOption;

    @picocli.CommandLine.Mixin
    SharedOptions.Seed seedOption;

    @Option(names = "--backend", description = "backend (default: ${DEFAULT-VALUE})", defaultValue = "cpu")
    String backend;

    @Override
    public Integer call() {
        int t = threadsOption.value();
        long seed = seedOption.value();
        Figures.isSvg(output);
        if (rates != null) {
            Figures.isSvg(rates);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Myelin demo: CUBA network (Brette et al. 2007), 3200 excitatory + 800 inhibitory CuBa-LIF neurons,");
        out.println("p = 0.02, dt = 0.1 ms, 1 s of biological time, backend " + backend);
        BenchmarkRun run = BenchmarkRun.cuba(4000, 1.0, new org.myelin.core.backend.SimulationConfig(t), seed, backend, false,
                BenchCommand.progress(System.console() != null));
        out.printf(Locale.ROOT, "  running on        %s%n", run.device());
        out.printf(Locale.ROOT, "  neurons           %d%n", run.network().neuronCount());
        out.printf(Locale.ROOT, "  synapses          %d%n", run.synapses());
        out.printf(Locale.ROOT, "  spikes            %d%n", run.spikes().size());
        out.printf(Locale.ROOT, "  mean rate         %.2f Hz%n", run.meanRateHz());
        out.printf(Locale.ROOT, "  build time        %.3f s%n", run.buildSeconds());
        out.printf(Locale.ROOT, "  simulation time   %.3f s%n", run.simSeconds());
        out.printf(Locale.ROOT, "  real-time factor  %.3f (wall seconds per simulated second)%n", run.simSeconds() / 1.0);
        Path file = output.toAbsolutePath();
        String title = String.format(Locale.ROOT, "CUBA, 4000 neurons, %d spikes, %.2f Hz", run.spikes().size(),
                run.meanRateHz());
        Figures.raster(run.network(), run.recording().memory()).title(title).write(file, 0, run.steps(),
                run.network().dtMs());
        out.println("  raster image      " + file);
        if (rates != null) {
            Figures.rates(run.network(), run.recording().memory()).title(title).write(rates, 0, run.steps(),
                    run.network().dtMs());
            out.println("  rates             " + rates.toAbsolutePath());
        }
        return 0;
    }
}
