package org.myelin.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.experiments.data.IdxDatasets;
import org.myelin.learning.model.ModelFile;
import org.myelin.learning.optim.LearningRateSchedule;
import org.myelin.learning.optim.Optimizer;
import org.myelin.learning.tensor.Parallel;
import org.myelin.learning.train.Encoding;
import org.myelin.learning.train.LabelledData;
import org.myelin.learning.train.Trainer;
import org.myelin.learning.train.TrainingConfig;
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
    @Option(names = "--data", defaultValue = "fashion-mnist", description = "fashion-mnist or a folder of IDX files")
    String data;
    @Option(names = "--time-steps", defaultValue = "8")
    int timeSteps;
    @Option(names = "--encoding", defaultValue = "direct", description = "direct or rate")
    String encoding;
    @Option(names = "--test-limit", defaultValue = "2147483647")
    int testLimit;
    @Option(names = "--threads", defaultValue = "0")
    int threads;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (threads > 0) {
            Parallel.setThreads(threads);
        }
        ModelFile.Loaded loaded = ModelFile.load(modelFile);
        LabelledData test = IdxDatasets.load(IdxDatasets.resolve(data), "t10k", testLimit);
        Encoding enc = encoding.equals("rate") ? Encoding.RATE : Encoding.DIRECT;
        var model = loaded.model();
        Trainer t = new Trainer(model, Optimizer.sgd(model.parameters(), LearningRateSchedule.constant(1), 0, false, 0),
                new TrainingConfig(1, 256, timeSteps, loaded.spec().seed(), enc, null, null, false));
        long t0 = System.nanoTime();
        double acc = t.evaluate(test);
        out.printf(Locale.ROOT, "%s: test accuracy %.2f %% on %d samples (%.1f s)%n", modelFile, 100 * acc, test.size(),
                (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
