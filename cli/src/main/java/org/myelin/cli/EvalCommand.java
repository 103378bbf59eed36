package org.myelin.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.experiments.mlp.MlpEvaluation;
import org.myelin.learning.train.Encoding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code myelin eval}: test accuracy of a model written by {@code train mlp --save}. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Test accuracy of a trained model (from train mlp --save) on an IDX dataset's test split.")
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "model file")
    Path modelFile;
    @Option(names = "--data", defaultValue = "fashion-mnist", description = "fashion-mnist or a folder of IDX files"
            + " (its t10k- split, or the last fifth of a single images/labels pair)")
    String data;
    @Option(names = "--time-steps", defaultValue = "8",
            description = "simulation steps per sample, as in training (default: ${DEFAULT-VALUE})")
    int timeSteps;
    @Option(names = "--encoding", defaultValue = "direct", description = "direct or rate")
    String encoding;
    @Option(names = "--test-limit", defaultValue = "2147483647",
            description = "classify at most this many test samples (default: all)")
    int testLimit;
    @picocli.CommandLine.Mixin
    SharedOptions.Threads threadsOption;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        threadsOption.applyToTraining();
        Encoding enc = encoding.equals("rate") ? Encoding.RATE : Encoding.DIRECT;
        MlpEvaluation.Result r = MlpEvaluation.run(modelFile, data, timeSteps, enc, testLimit);
        out.printf(Locale.ROOT, "%s: test accuracy %.2f %% on %d samples (%.1f s)%n", modelFile, 100 * r.accuracy(),
                r.samples(), r.seconds());
        return 0;
    }
}
