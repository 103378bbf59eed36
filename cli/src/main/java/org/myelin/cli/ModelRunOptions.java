package org.myelin.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.myelin.core.MyelinException;
import org.myelin.core.io.Json;
import org.myelin.experiments.core.CoreRun;
import org.myelin.experiments.core.CoreRunConfig;
import org.myelin.experiments.core.CoreRunResult;
import org.myelin.learning.train.Encoding;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options of {@code myelin run MODEL}: a model file's test set classified on the core ({@link CoreRun}), and
 * the check of which options belong to a model run and which to a built-in network's.
 */
final class ModelRunOptions {
    /** The options only a built-in network takes. */
    static final List<String> NETWORK_ONLY = List.of("--neurons", "--active-fraction", "--duration", "--raster",
            "--rates", "--save");
    /** The options only a model file takes. */
    static final List<String> MODEL_ONLY = List.of("--data", "--test-limit", "--time-steps", "--encoding",
            "--subjects", "--seconds");

    @Option(names = "--data", paramLabel = "DATA", description = {"model run: the test data; a spiking MLP: fashion-mnist"
        + " or a folder of IDX files (its t10k- split, or the last fifth of a single images/labels pair, as train mlp"
        + " tests on); an L2MU: synthetic-har or wisdm:FOLDER (the test subjects' windows, as train l2mu); a"
        + " spike-driven transformer: an IDX folder (its t10k- split, or the last 2000 images of a single pair, as"
        + " train sdt)"})
    String data;

    @Option(names = "--test-limit", paramLabel = "N", description = "model run: classify at most N test samples (MLP,"
            + " SDT: the first N; L2MU: N windows evenly spaced, as train l2mu --test-limit) (default: all)")
    Integer testLimit;

    @Option(names = "--time-steps", paramLabel = "T", description = "model run, MLP: steps per sample (default: those"
            + " the model file records from training)")
    Integer timeSteps;

    @Option(names = "--encoding", paramLabel = "CODING", description = "model run, MLP: direct or rate (default: the"
            + " coding the model file records from training)")
    String encoding;

    @Option(names = "--subjects", paramLabel = "N", description = "model run, L2MU on synthetic-har: subjects, as in"
            + " train l2mu (default: 20)")
    Integer subjects;

    @Option(names = "--seconds", paramLabel = "S", description = "model run, L2MU on synthetic-har: seconds per"
            + " activity, as in train l2mu (default: 60)")
    Integer seconds;

    /** Refuses, by name, every option given that belongs to the other kind of run. */
    static void refuseOthers(CommandSpec spec, boolean modelRun, String what) {
        var parsed = spec.commandLine().getParseResult();
        for (String name : modelRun ? NETWORK_ONLY : MODEL_ONLY) {
            if (parsed.hasMatchedOption(name)) {
                throw new MyelinException(name + " is an option of " + (modelRun ? "a built-in network's run, not"
                        + " of a model file's (" + what + ")" : "a model file's run (myelin run MODEL --data DATA), not"
                        + " of the built-in network " + what));
            }
        }
    }

    /** Runs the model file and prints the progress, a summary line and (with --json) the JSON object last. */
    int run(CommandSpec spec, NetworkOptions network, int threads, JsonOptions json) {
        refuseOthers(spec, true, network.name);
        if (data == null) {
            throw new MyelinException("myelin run MODEL needs --data DATA (an IDX folder for an MLP, synthetic-har or"
                    + " wisdm:FOLDER for an L2MU)");
        }
        Encoding enc = encoding == null ? null : switch (encoding.toLowerCase(Locale.ROOT)) {
            case "direct" -> Encoding.DIRECT;
            case "rate" -> Encoding.RATE;
            default -> throw new MyelinException("--encoding must be direct or rate, was '" + encoding + "'");
        };
        if (testLimit != null && testLimit < 1) {
            throw new MyelinException("--test-limit must be >= 1, was " + testLimit);
        }
        json.check();
        boolean seedGiven = spec.commandLine().getParseResult().hasMatchedOption("--seed");
        java.nio.file.Path file = java.nio.file.Path.of(network.name);
        CoreRunConfig c = new CoreRunConfig(file, data, network.backend, network.engineMode(), threads,
                testLimit == null ? Integer.MAX_VALUE : testLimit, seedGiven ? network.seed() : null, timeSteps, enc,
                subjects == null ? 20 : subjects, seconds == null ? 60 : seconds);
        PrintWriter out = spec.commandLine().getOut();
        CoreRunResult r = CoreRun.run(c, TrainSdt.lines(out));
        out.printf(Locale.ROOT, "%s: %d samples on %s (mode %s): core accuracy %.2f %%, framework %.2f %%, %d"
                + " mismatches, %d of %d samples with identical spikes; %,d spikes, %,d synaptic events; %.1f s"
                + " (%.1f samples/s)%n", file.getFileName(), r.samples(), r.backend(), r.mode(), 100 * r.accuracy(),
                100 * r.frameworkAccuracy(), r.mismatches(), r.identicalSamples(), r.samples(), r.spikes(),
                r.synapticOps(), r.wallSeconds(), r.samplesPerSecond());
        if (json.wanted()) {
            json.emit(out, Json.object().put("model", r.model()).put("file", file.toString()).put("data", data)
                    .put("samples", r.samples()).put("backend", r.backend()).put("mode", r.mode())
                    .put("accuracy", r.accuracy()).put("framework_accuracy", r.frameworkAccuracy())
                    .put("mismatches", r.mismatches()).put("identical_samples", r.identicalSamples())
                    .put("spike_differences", r.spikeDifferences()).put("spikes", r.spikes())
                    .put("synaptic_ops", r.synapticOps()).put("wall_s", r.wallSeconds())
                    .put("samples_per_s", r.samplesPerSecond()));
        }
        out.flush();
        return 0;
    }
}
