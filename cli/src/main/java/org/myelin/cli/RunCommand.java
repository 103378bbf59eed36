package org.myelin.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.experiments.bench.BenchmarkRun;
import org.myelin.experiments.stdp.SongStdp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs a built-in network, prints what happened and writes its figures. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a built-in network and report it.",
            "--raster and --rates write its figures (PNG or SVG) without a display.",
            "NETWORK stdp-song runs Song, Miller and Abbott's 2000 STDP experiment (1000 Poisson inputs at 15 Hz onto one"
                + " LIF neuron, additive STDP) and prints the final weight histogram and the output rate of the last 10 s;"
                + " with --json the last stdout line is one JSON object with \"weights\" (final weights / gmax) and"
                + " \"rate_hz\"."})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    NetworkOptions network;

    @Option(names = "--duration",
            description = "biological time in seconds (default: 1.0; stdp-song: 100)")
    Double duration;

    @Option(names = "--json", description = "stdp-song: print the result as one JSON line")
    boolean json;

    /** The stdp-song configuration these options give. */
    SongStdp.Config songConfig() {
        return new SongStdp.Config(duration == null ? 100.0 : duration, network.seed, threads == null ? 1 : threads,
                SongStdp.Config.of(1, 0).vDriveMv());
    }

    @Option(names = "--threads", description = "worker threads (default: chosen by the backend)")
    Integer threads;

    @Mixin
    FigureOptions figures;

    @Override
    public Integer call() {
        if (duration != null && (!(duration > 0) || duration > 1e5)) {
            throw new MyelinException("--duration must be > 0 and <= 1e5 seconds, was " + duration);
        }
        if (threads != null && threads < 1) {
            throw new MyelinException("--threads must be >= 1, was " + threads);
        }
        if ("stdp-song".equals(network.name)) {
            return song();
        }
        if (json) {
            throw new MyelinException("--json is an option of stdp-song; for other networks see `myelin bench`");
        }
        double duration = this.duration == null ? 1.0 : this.duration;
        figures.check();
        var factory = network.factory(duration);
        SimulationConfig config = new SimulationConfig(threads == null ? SimulationConfig.AUTO : threads)
                .withMode(network.engineMode());
        BenchmarkRun run = BenchmarkRun.of(() -> factory.apply(network.seed), duration, config, network.seed,
                network.backend, false,
                BenchCommand.progress(spec));
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
        return 0;
    }

    private int song() {
        SongStdp.Result r = SongStdp.run(songConfig());
        PrintWriter out = spec.commandLine().getOut();
        SongStdp.Config c = songConfig();
        out.printf(Locale.ROOT, "stdp-song: %d Poisson inputs at %.0f Hz onto one LIF neuron, additive STDP, %.3f s"
                + " (seed %d), simulated in %.2f s%n", SongStdp.INPUTS, SongStdp.RATE_HZ, c.durationS(), c.seed(),
                r.simSeconds());
        out.printf(Locale.ROOT, "  output rate       %.3f Hz over the last %.1f s (%d spikes in all)%n", r.rateHz(),
                r.rateWindowS(), r.spikes());
        out.printf(Locale.ROOT, "  weights / gmax    %.1f %% above 0.9, %.1f %% below 0.1%n",
                100 * r.fractionAbove(0.9), 100 * r.fractionBelow(0.1));
        int[] h = r.histogram(20);
        int most = java.util.Arrays.stream(h).max().orElse(1);
        for (int b = 0; b < h.length; b++) {
            out.printf(Locale.ROOT, "  [%.2f, %.2f%s %4d %s%n", b / 20.0, (b + 1) / 20.0, b == h.length - 1 ? "]" : ")",
                    h[b], "#".repeat((int) Math.round(50.0 * h[b] / Math.max(1, most))));
        }
        if (json) {
            StringBuilder j = new StringBuilder();
            j.append(String.format(Locale.ROOT, "{\"network\":\"stdp-song\",\"duration_s\":%s,\"seed\":%d,"
                    + "\"rate_hz\":%s,\"rate_window_s\":%s,\"spikes\":%d,\"fraction_above_0_9\":%s,"
                    + "\"fraction_below_0_1\":%s,\"sim_seconds\":%s,\"weights\":[", c.durationS(), c.seed(),
                    r.rateHz(), r.rateWindowS(), r.spikes(), r.fractionAbove(0.9), r.fractionBelow(0.1),
                    r.simSeconds()));
            for (int k = 0; k < r.weights().length; k++) {
                j.append(k == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", r.weights()[k]));
            }
            out.println(j.append("]}"));
        }
        out.flush();
        return 0;
    }
}
