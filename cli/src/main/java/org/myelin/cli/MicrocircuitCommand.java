package org.myelin.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.core.MyelinException;
import org.myelin.core.analysis.SpikeStatistics;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.catalog.MicrocircuitNetwork;
import org.myelin.core.io.Json;
import org.myelin.experiments.bench.BenchmarkRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code myelin microcircuit}: the Potjans-Diesmann cortical microcircuit, built, simulated and analysed. */
@SharedOptions.Defaults(seed = 1, threads = 1)
@Command(name = "microcircuit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The cortical microcircuit of Potjans and Diesmann (2014) as NEST's example builds it: 77,169"
            + " neurons in 8 populations at full scale (MicrocircuitNetwork).",
            "Simulates it and reports per population the rate, the ISI CV and the synchrony (variance over mean of the"
                + " population's spike count in 3 ms bins) after the first 100 ms, beside NEST's full-scale rates."})
final class MicrocircuitCommand implements Callable<Integer> {
    /** Spikes before this are left out of the statistics (the start-up transient). */
    static final double TRANSIENT_MS = 100;
    static final double SYNCHRONY_BIN_MS = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--scale", defaultValue = "0.1",
            description = "fraction of the neurons, in (0, 1] (default: ${DEFAULT-VALUE})")
    double scale;

    @Option(names = "--k-scale", defaultValue = "1",
            description = "fraction of the in-degrees, in (0, 1], with the DC compensation NEST applies (default:"
                    + " ${DEFAULT-VALUE})")
    double kScale;

    @Option(names = "--duration", defaultValue = "1.0",
            description = "biological time in seconds, more than the 0.1 s transient (default: ${DEFAULT-VALUE})")
    double duration;

    @Option(names = "--input", defaultValue = "poisson",
            description = "background input: poisson (NEST's default) or dc, the equivalent current (default:"
                    + " ${DEFAULT-VALUE})")
    String input;

    @picocli.CommandLine.Mixin
    SharedOptions.Threads threadsOption;

    @picocli.CommandLine.Mixin
    SharedOptions.Seed seedOption;

    @Option(names = "--mode", defaultValue = "clock", description = BenchCommand.MODE_HELP)
    String mode;

    @Mixin
    JsonOptions json;

    @Mixin
    ProgressOptions progress;

    @Override
    public Integer call() {
        if (!(duration * 1000 > TRANSIENT_MS) || duration > 1e4) {
            throw new MyelinException("--duration must be > " + TRANSIENT_MS / 1000 + " s (the transient left out)"
                    + " and <= 1e4 s, was " + duration);
        }
        int threads = threadsOption.value();
        long seed = seedOption.value();
        MicrocircuitNetwork.Input in = switch (input.toLowerCase(Locale.ROOT)) {
            case "poisson" -> MicrocircuitNetwork.Input.POISSON;
            case "dc" -> MicrocircuitNetwork.Input.DC;
            default -> throw new MyelinException("--input must be poisson or dc, was '" + input + "'");
        };
        json.check();
        MicrocircuitNetwork.checkScales(scale, kScale);
        SimulationConfig config = new SimulationConfig(threads).withMode(EngineMode.parse(mode));
        BenchmarkRun run = BenchmarkRun.of(() -> MicrocircuitNetwork.build(scale, kScale, in, seed), duration, config,
                seed, "cpu", false, BenchCommand.progress(progress.enabled()));
        PrintWriter out = spec.commandLine().getOut();
        double dt = run.network().dtMs();
        long from = Math.round(TRANSIENT_MS / dt);
        Json pops = Json.object();
        if (!json.json) {
            out.printf(Locale.ROOT, "microcircuit at scale %s (in-degrees x %s, %s input): %d neurons, %d synapses,"
                            + " %.1f s on %s%n", scale, kScale, in.name().toLowerCase(Locale.ROOT),
                    run.network().neuronCount(), run.synapses(), duration, run.device());
            out.println("| population | rate (Hz) | NEST full scale (Hz) | ISI CV | synchrony |");
            out.println("|---|---:|---:|---:|---:|");
        }
        for (int i = 0; i < MicrocircuitNetwork.POPULATIONS.length; i++) {
            String p = MicrocircuitNetwork.POPULATIONS[i];
            SpikeStatistics.Activity a = SpikeStatistics.activity(run.recording().memory().spikes(p),
                    run.network().node(p).size(), from, run.steps(), dt, SYNCHRONY_BIN_MS);
            pops.put(p, Json.object().put("rate_hz", a.rateHz()).put("cv_isi", a.cvIsi())
                    .put("synchrony", a.synchrony()).put("nest_rate_hz", MicrocircuitNetwork.FULL_MEAN_RATE_HZ[i]));
            if (!json.json) {
                out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.2f |%n", p, a.rateHz(),
                        MicrocircuitNetwork.FULL_MEAN_RATE_HZ[i], a.cvIsi(), a.synchrony());
            }
        }
        double rtf = run.simSeconds() / duration;
        double bytes = run.synapses() == 0 ? 0 : (double) run.synapseBytes() / run.synapses();
        double rss = peakRssMb();
        if (!json.json) {
            out.printf(Locale.ROOT, "build %.2f s, simulation %.2f s (real-time factor %.2f), %.2f bytes per synapse,"
                    + " peak RSS %.0f MB%n", run.buildSeconds(), run.simSeconds(), rtf, bytes, rss);
        }
        if (json.wanted()) {
            json.emit(out, Json.object().put("model", "microcircuit").put("scale", scale).put("k_scale", kScale)
                    .put("input", in.name().toLowerCase(Locale.ROOT)).put("neurons", run.network().neuronCount())
                    .put("synapses", run.synapses()).put("duration_s", duration).put("build_s", run.buildSeconds())
                    .put("sim_s", run.simSeconds()).put("rtf", rtf).put("bytes_per_synapse", bytes)
                    .put("peak_rss_mb", rss).put("threads", run.threads()).put("mode", mode).put("seed", seed)
                    .put("transient_ms", TRANSIENT_MS).put("spike_checksum",
                            String.format("%016x", SpikeStatistics.checksum(run.spikes())))
                    .put("device", run.device()).put("populations", pops));
        }
        return 0;
    }

    /** The process's peak resident set size in MB (Linux: VmHWM of /proc/self/status), or NaN elsewhere. */
    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
