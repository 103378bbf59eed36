package org.myelin.experiments.mlp;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.myelin.experiments.data.IdxDatasets;
import org.myelin.learning.model.MlpSpec;
import org.myelin.learning.model.ModelFile;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.neuron.Surrogate;
import org.myelin.learning.optim.LearningRateSchedule;
import org.myelin.learning.optim.Optimizer;
import org.myelin.learning.tensor.Parallel;
import org.myelin.learning.train.EpochMetrics;
import org.myelin.learning.train.LabelledData;
import org.myelin.learning.train.Trainer;
import org.myelin.learning.train.TrainingConfig;

/**
 * Trains a spiking MLP with surrogate gradients on an IDX data set's training split, testing on its test split after
 * every epoch: builds the model, schedule and optimiser a {@link MlpConfig} names, resumes from a checkpoint if one
 * is given, and saves the model if asked.
 */
public final class MlpTraining {
    private MlpTraining() {
    }

    /** Runs {@code c}; the setup, every epoch and the saved file go to {@code progress} as lines. */
    public static MlpTrainingResult run(MlpConfig c, Consumer<String> progress) {
        Path dir = IdxDatasets.resolve(c.data());
        LabelledData[] split = IdxDatasets.trainTest(dir, c.trainLimit(), c.testLimit());
        LabelledData train = split[0];
        LabelledData test = split[1];
        int classes = Math.max(train.classes(), test.classes());
        int[] hidden = c.hidden();
        int[] sizes = Arrays.copyOf(hidden, hidden.length + 1);
        sizes[hidden.length] = classes;
        TrainingConfig.Method how = c.method() == MlpConfig.Method.ONLINE ? TrainingConfig.Method.ONLINE
                : TrainingConfig.Method.BPTT;
        MlpSpec mlp = new MlpSpec(train.features(), sizes, c.neuron(), c.beta(), c.alpha(), c.threshold(),
                c.learnBeta(), c.learnThreshold(), c.recurrent(), Surrogate.parse(c.surrogate()), c.readout(),
                c.seed(), c.immediateReset());
        SpikingMlp model = mlp.build();
        long total = (long) c.epochs() * ((train.size() + c.batchSize() - 1) / c.batchSize());
        double lr = c.lr();
        LearningRateSchedule s = switch (c.schedule()) {
            case CONSTANT -> LearningRateSchedule.constant(lr);
            case COSINE -> LearningRateSchedule.cosine(lr, c.warmup(), total, 0);
            case STEP -> LearningRateSchedule.stepDecay(lr, Math.max(1, total / 3), 0.1);
        };
        Optimizer opt = switch (c.optimizer()) {
            case ADAM -> Optimizer.adam(model.parameters(), s, 0.9, 0.999, 1e-8, c.weightDecay());
            case ADAMW -> Optimizer.adamW(model.parameters(), s, 0.9, 0.999, 1e-8, c.weightDecay());
            case SGD -> Optimizer.sgd(model.parameters(), s, c.momentum(), false, c.weightDecay());
        };
        TrainingConfig cfg = new TrainingConfig(c.epochs(), c.batchSize(), c.timeSteps(), c.seed(), c.encoding(),
                c.checkpointDir(), c.metrics(), c.progress(), how);
        Trainer trainer = new Trainer(model, opt, cfg);
        progress.accept(String.format(Locale.ROOT, "%s: %d train, %d test samples; %s; %s, T=%d, batch %d, %s, %d"
                + " threads", dir, train.size(), test.size(), model.describe(), how, c.timeSteps(), c.batchSize(),
                opt.describe(), Parallel.threads()));
        int resumed = 0;
        if (c.resume() != null) {
            trainer.resume(c.resume(), train.size());
            resumed = trainer.epochsDone();
            progress.accept(String.format(Locale.ROOT, "resumed from %s after epoch %d", c.resume(), resumed));
        }
        for (EpochMetrics m : trainer.history()) {
            progress.accept(epochLine(m));
        }
        int before = trainer.history().size();
        trainer.fitUntil(train, test, c.stopAfter() == null ? c.epochs() : c.stopAfter());
        for (EpochMetrics m : trainer.history().subList(before, trainer.history().size())) {
            progress.accept(epochLine(m));
        }
        if (c.save() != null) {
            ModelFile.save(c.save(), mlp, model, new ModelFile.MlpInput(c.timeSteps(), c.encoding()));
            progress.accept("model written to " + c.save());
        }
        return new MlpTrainingResult(mlp, model, List.copyOf(trainer.history()), resumed, train.size(), test.size());
    }

    /** One epoch's figures in a line. */
    public static String epochLine(EpochMetrics m) {
        return String.format(Locale.ROOT, "epoch %d: train loss %.4f, train accuracy %.2f %%, test accuracy %.2f %%,"
                + " %.0f samples/s (%.1f s)", m.epoch(), m.trainLoss(), 100 * m.trainAccuracy(),
                100 * m.testAccuracy(), m.samplesPerSecond(), m.seconds());
    }
}
