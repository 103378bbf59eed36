package org.myelin.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.core.MyelinException;
import org.myelin.core.io.Json;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.experiments.bench.BenchmarkRun;
import org.myelin.experiments.stdp.SongStdp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs a built-in network, prints what happened and writes its figures. */
@SharedOptions.Defaults(seed = 12345)
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a built-in network, or a trained model file on the core (see MODEL below), and report it.",
            "--raster and --rates write its figures (PNG or SVG) without a display.",
            "NETWORK stdp-song runs Song, Miller and Abbott's 2000 STDP experiment (1000 Poisson inputs at 15 Hz onto one"
                + " LIF neuron, additive STDP) and prints the final weight histogram and the output rate of the last 10 s;"
                + " with --json the last stdout line is one JSON object with \"weights\" (final weights / gmax) and"
                + " \"rate_hz\".",
            "NETWORK cuba or sparse: with --json the last stdout line is one JSON object with network, neurons,"
                + " synapses, spikes, mean_rate_hz, duration_s, dt_ms, steps, seed, backend, mode, threads, device,"
                + " build_s, sim_s (and recording, with --save).",
            "A MODEL file (train mlp, l2mu or sdt --save) in place of NETWORK classifies its test set (--data)"
                + " on the core: each sample is exported with the model to a core network, run on --backend in --mode"
                + " and compared with the training framework's own inference; the last stdout line (--json) holds"
                + " accuracy, samples, backend, mode, spikes, synaptic_ops, wall_s and mismatches (samples whose core"
                + " class differs from the framework's). A backend or mode that cannot run the model refuses, naming"
                + " what is missing. A spike-driven transformer (train sdt --save) runs as a core network (cpu, mode"
                + " clock), or with --backend spike-driven on backend-cpu's spike-driven program runner (mode"
                + " \"spike-driven program\" in the JSON)."})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    NetworkOptions network;

    @Option(names = "--duration",
            description = "biological time in seconds (default: 1.0; stdp-song: 100)")
    Double duration;

    @Mixin
    JsonOptions json;

    /** The stdp-song configuration these options give. */
    SongStdp.Config songConfig() {
        return new SongStdp.Config(duration == null ? 100.0 : duration, network.seed(),
                threadsOption.value() == 0 ? 1 : threadsOption.value(),
                SongStdp.Config.of(1, 0).vDriveMv());
    }

    @Mixin
    SharedOptions.Threads threadsOption;

    @Mixin
    FigureOptions figures;

    @Option(names = "--save", paramLabel = "DIR", description = {"write what the run recorded to DIR/recording.npz"
        + " (NumPy) and DIR/recording.h5 (HDF5, NWB's units-table columns): spikes, state traces and rates in the"
        + " layout of docs/outputs.md; DIR is created if missing"})
    java.nio.file.Path save;

    @Mixin
    ModelRunOptions model;

    @Override
    public Integer call() {
        if (java.nio.file.Files.isRegularFile(java.nio.file.Path.of(network.name))) {
            return model.run(spec, network, threadsOption.value(), json);
        }
        if (network.name.contains("/") || network.name.endsWith(".model")) {
            throw new MyelinException("model file " + network.name + " does not exist (built-in networks: cuba, sparse,"
                    + " stdp-song)");
        }
        ModelRunOptions.refuseOthers(spec, false, network.name);
        if (duration != null && (!(duration > 0) || duration > 1e5)) {
            throw new MyelinException("--duration must be > 0 and <= 1e5 seconds, was " + duration);
        }
        threadsOption.value();
        if ("stdp-song".equals(network.name)) {
            return song();
        }
        json.check();
        double duration = this.duration == null ? 1.0 : this.duration;
        figures.check();
        if (save != null && java.nio.file.Files.exists(save) && !java.nio.file.Files.isDirectory(save)) {
            throw new MyelinException("--save " + save + " is a file; give a folder");
        }
        var factory = network.factory(duration);
        SimulationConfig config = new SimulationConfig(threadsOption.value())
                .withMode(network.engineMode());
        BenchmarkRun run = BenchmarkRun.of(() -> factory.apply(network.seed()), duration, config, network.seed(),
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
        if (json.wanted()) {
            Json j = Json.object().put("network", network.name).put("neurons", run.network().neuronCount())
                    .put("synapses", run.synapses()).put("spikes", run.spikes().size())
                    .put("mean_rate_hz", run.meanRateHz()).put("duration_s", duration)
                    .put("dt_ms", run.network().dtMs())
                    .put("steps", run.steps()).put("seed", network.seed()).put("backend", network.backend)
                    .put("mode", config.mode().cliName()).put("threads", run.threads()).put("device", run.device())
                    .put("build_s", run.buildSeconds()).put("sim_s", run.simSeconds());
            if (save != null) {
                j.put("recording", save.toAbsolutePath().resolve("recording.npz").toString());
            }
            json.emit(out, j);
        }
        out.flush();
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
        if (json.wanted()) {
            json.emit(out, Json.object().put("network", "stdp-song").put("duration_s", c.durationS())
                    .put("seed", c.seed()).put("rate_hz", r.rateHz()).put("rate_window_s", r.rateWindowS())
                    .put("spikes", r.spikes()).put("fraction_above_0_9", r.fractionAbove(0.9))
                    .put("fraction_below_0_1", r.fractionBelow(0.1)).put("sim_seconds", r.simSeconds())
                    .put("weights", r.weights()));
        }
        out.flush();
        return 0;
    }
}
