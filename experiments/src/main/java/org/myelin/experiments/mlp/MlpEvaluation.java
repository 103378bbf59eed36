package org.myelin.experiments.mlp;

import java.nio.file.Path;
import org.myelin.experiments.data.IdxDatasets;
import org.myelin.learning.model.ModelFile;
import org.myelin.learning.optim.LearningRateSchedule;
import org.myelin.learning.optim.Optimizer;
import org.myelin.learning.train.Encoding;
import org.myelin.learning.train.LabelledData;
import org.myelin.learning.train.Trainer;
import org.myelin.learning.train.TrainingConfig;

/** The test accuracy of a spiking MLP saved by {@link MlpTraining} on an IDX data set's test split. */
public final class MlpEvaluation {
    private MlpEvaluation() {
    }

    /**
     * What an evaluation measured.
     *
     * @param accuracy the test accuracy (a fraction)
     * @param samples  test samples
     * @param seconds  wall time
     */
    public record Result(double accuracy, int samples, double seconds) {
    }

    /**
     * Evaluates the model in {@code modelFile} on at most {@code testLimit} test samples of {@code data} ({@code
     * fashion-mnist} or a folder), {@code timeSteps} steps each, encoded as {@code encoding}.
     */
    public static Result run(Path modelFile, String data, int timeSteps, Encoding encoding, int testLimit) {
        ModelFile.Loaded loaded = ModelFile.load(modelFile);
        LabelledData test = IdxDatasets.trainTest(IdxDatasets.resolve(data), 1, testLimit)[1];
        var model = loaded.model();
        Trainer t = new Trainer(model, Optimizer.sgd(model.parameters(), LearningRateSchedule.constant(1), 0, false, 0),
                new TrainingConfig(1, 256, timeSteps, loaded.spec().seed(), encoding, null, null, false));
        long t0 = System.nanoTime();
        double acc = t.evaluate(test);
        return new Result(acc, test.size(), (System.nanoTime() - t0) / 1e9);
    }
}
