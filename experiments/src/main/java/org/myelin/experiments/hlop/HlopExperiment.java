package org.myelin.experiments.hlop;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backend;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.experiments.data.IdxDatasets;
import org.myelin.experiments.data.Standardisation;
import org.myelin.learning.export.CoreCheck;
import org.myelin.learning.export.NetworkExport;
import org.myelin.learning.hlop.ContinualLearning;
import org.myelin.learning.lmu.L2muExport;
import org.myelin.learning.train.LabelledData;

/**
 * Continual learning on permuted MNIST (the first {@code train} images of a folder train, the last {@code test}
 * test; every task permutes the pixels) or split Fashion-MNIST (5 tasks of 2 classes, a head each), with HLOP or a
 * baseline: loads and prepares the tasks ({@link #prepare}), then trains on them in turn ({@link #run}).
 */
public final class HlopExperiment {
    private HlopExperiment() {
    }

    /** Prepares the tasks of {@code c} and runs them; progress lines go to {@code progress}. */
    public static HlopResult run(HlopConfig c, Consumer<String> progress) {
        return run(c, prepare(c), progress);
    }

    /** Trains on the prepared tasks in turn and measures every task after each. */
    public static HlopResult run(HlopConfig c, HlopTasks t, Consumer<String> progress) {
        ContinualLearning.Result r = ContinualLearning.run(t.tasks(), c.method(), t.settings(), progress);
        return new HlopResult(t, r, c.validation() > 0 ? "validation" : "test");
    }

    /**
     * The core check of {@code r}'s trained model: the first {@code perTask} test samples of every task exported to
     * core networks ({@link NetworkExport#verify}) and run on the cpu backend in {@code mode}; a summary line goes to
     * {@code progress}.
     */
    public static CoreCheck coreCheck(HlopResult r, int perTask, EngineMode mode, Consumer<String> progress) {
        if (perTask < 1) {
            throw new MyelinException("--core-check needs N >= 1 test samples per task, was " + perTask);
        }
        ContinualLearning.Settings s = r.tasks().settings();
        Backend cpu = Backends.find("cpu");
        SimulationConfig cfg = new SimulationConfig(1).withMode(mode);
        CoreCheck.Tally tally = new CoreCheck.Tally();
        for (ContinualLearning.Task task : r.tasks().tasks()) {
            int n = Math.min(perTask, task.test().size());
            for (int i = 0; i < n; i++) {
                L2muExport.Agreement a = NetworkExport.verify(r.run().model(), ContinualLearning.testSample(task.test(),
                        i, s), s.timeSteps(), cpu, cfg, task.classes());
                int answer = task.classes() == null ? a.coreClass() : task.classes()[a.coreClass()];
                tally.add(a, answer == task.test().labels()[i], task.name() + " sample " + i);
            }
        }
        CoreCheck c = tally.result();
        progress.accept(c.describe(String.format(Locale.ROOT, "%d test samples (%d per task) exported and run on cpu,"
                + " mode %s", c.samples(), perTask, mode)));
        if (!c.first().equals("none")) {
            progress.accept("first difference: " + c.first());
        }
        return c;
    }

    /** Loads the data of {@code c}, splits (or holds out) and standardises it, and forms the tasks. */
    public static HlopTasks prepare(HlopConfig c) {
        int validation = c.validation();
        List<ContinualLearning.Task> ts;
        String what;
        LabelledData[] parts;
        if (c.benchmark() == HlopConfig.Benchmark.PMNIST) {
            if (c.data() == null) {
                throw new MyelinException("--data is needed for pmnist (a folder of MNIST IDX files)");
            }
            int nTrain = c.train() == null ? 8000 : c.train();
            int nTest = c.test() == null ? 2000 : c.test();
            LabelledData all = IdxDatasets.loadFolder(Path.of(c.data()));
            if (validation > 0 && nTrain > all.size()) {
                throw new MyelinException("--train " + nTrain + " exceeds the " + all.size() + " images of "
                        + c.data());
            }
            if (validation == 0 && nTrain + nTest > all.size()) {
                throw new MyelinException("--train " + nTrain + " + --test " + nTest + " exceed the " + all.size()
                        + " images of " + c.data());
            }
            checkValidation(validation, nTrain);
            parts = validation > 0
                    ? new LabelledData[] {IdxDatasets.slice(all, 0, nTrain - validation),
                        IdxDatasets.slice(all, nTrain - validation, nTrain)}
                    : new LabelledData[] {IdxDatasets.slice(all, 0, nTrain),
                        IdxDatasets.slice(all, all.size() - nTest, all.size())};
            what = validation > 0
                    ? String.format(Locale.ROOT, "permuted MNIST: %d tasks, %d train / %d validation images each"
                    + " (the last %d of the %d training images; the test images are not used)", c.tasks(),
                    nTrain - validation, validation, validation, nTrain)
                    : String.format(Locale.ROOT, "permuted MNIST: %d tasks, %d train / %d test images each", c.tasks(),
                    nTrain, nTest);
        } else {
            Path dir = IdxDatasets.resolve(c.data() == null ? "fashion-mnist" : c.data());
            LabelledData trainSet = IdxDatasets.load(dir, "train", c.train() == null ? Integer.MAX_VALUE : c.train());
            checkValidation(validation, trainSet.size());
            parts = validation > 0
                    ? new LabelledData[] {IdxDatasets.slice(trainSet, 0, trainSet.size() - validation),
                        IdxDatasets.slice(trainSet, trainSet.size() - validation, trainSet.size())}
                    : new LabelledData[] {trainSet,
                        IdxDatasets.load(dir, "t10k", c.test() == null ? Integer.MAX_VALUE : c.test())};
            what = null;
        }
        double[] ms = null;
        if (c.normalize()) {
            ms = Standardisation.meanSd(parts[0]);
            parts = new LabelledData[] {Standardisation.global(parts[0], ms), Standardisation.global(parts[1], ms)};
        }
        if (c.benchmark() == HlopConfig.Benchmark.PMNIST) {
            ts = ContinualLearning.permuted(parts[0], parts[1], c.tasks(), c.seed());
        } else {
            LabelledData tr = parts[0];
            LabelledData te = parts[1];
            ts = ContinualLearning.split(new LabelledData(tr.values(), tr.labels(), tr.features(), 10),
                    new LabelledData(te.values(), te.labels(), te.features(), 10), 2);
            what = String.format(Locale.ROOT, "split Fashion-MNIST: %d tasks of 2 classes (a head each), %d train"
                    + " / %d %s images in all", ts.size(), tr.size(), te.size(), validation > 0
                    ? "validation (the last of the training images; the test images are not used)" : "test");
        }
        return new HlopTasks(ts, what, ms, c.settings());
    }

    private static void checkValidation(int validation, int trainImages) {
        if (validation < 0 || validation >= trainImages) {
            throw new MyelinException("--validation must be >= 0 and leave training images (" + trainImages
                    + " in all), was " + validation);
        }
    }
}
