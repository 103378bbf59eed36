package org.myelin.experiments.hlop;

import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.learning.hlop.ContinualLearning;

/**
 * One continual-learning run: the benchmark and its data, the method, and the training settings that {@link
 * ContinualLearning.Settings} takes. The defaults ({@link #defaults}) are those of {@code myelin experiment hlop}.
 *
 * @param benchmark         permuted MNIST or split Fashion-MNIST
 * @param data              pmnist: a folder with one MNIST IDX images/labels pair; split-fmnist: {@code
 *                          fashion-mnist} (Debian's package) or a folder of train-/t10k- IDX pairs; null for
 *                          split-fmnist's default
 * @param method            HLOP, fine-tuning, EWC, GPM or the multitask bound
 * @param trainer           how the hidden neurons are trained (DSR, BPTT or OTTT)
 * @param feedback          how errors travel back (the exact gradient, feedback alignment, sign symmetry)
 * @param tasks             pmnist: permutations (tasks); split-fmnist ignores it (5 tasks of 2 classes)
 * @param train             pmnist: training images per task (null: 8000); split-fmnist: the first N training images
 *                          (null: all)
 * @param test              pmnist: test images per task, the last ones (null: 2000); split-fmnist: the first N test
 *                          images (null: all)
 * @param validation        hold out the last N training images and evaluate on them instead of the test images (0:
 *                          the test images)
 * @param hidden            hidden layer sizes
 * @param timeSteps         time steps per sample
 * @param batchSize         samples per batch
 * @param lr                SGD learning rate
 * @param taskLrScale       a factor on {@code lr} per task (the last repeating); empty for 1 throughout
 * @param epochs            epochs per task
 * @param lateral           lateral neurons per linear layer for the first task
 * @param lateralAdded      lateral neurons added per linear layer for each later task
 * @param hebbianLr         Hebbian learning rate per linear layer
 * @param hebbianIterations Hebbian updates per batch
 * @param hebbianSignal     what the lateral neurons learn from; null for the reference's choice for the trainer
 * @param normalize         standardise the pixels with the training images' mean and standard deviation
 * @param cosineSchedule    anneal the learning rate from {@code lr} to 0 over each task instead of keeping it
 * @param subspaceReport    after each task, report how much of its activity each lateral subspace holds
 * @param gpmThreshold      GPM's energy criterion
 * @param ewcLambda         EWC's penalty weight
 * @param seed              seed of the permutations, the weights and the batches
 */
public record HlopConfig(Benchmark benchmark, String data, ContinualLearning.Method method,
                         ContinualLearning.Neurons trainer, ContinualLearning.Feedback feedback, int tasks,
                         Integer train, Integer test, int validation, int[] hidden, int timeSteps, int batchSize,
                         double lr, double[] taskLrScale, int epochs, int[] lateral, int[][] lateralAdded,
                         float[] hebbianLr, int hebbianIterations, ContinualLearning.Signal hebbianSignal,
                         boolean normalize, boolean cosineSchedule, boolean subspaceReport, double gpmThreshold,
                         double ewcLambda, long seed) {
    /** The two benchmarks. */
    public enum Benchmark {
        /** Permuted MNIST: every task permutes the pixels of the same images. */
        PMNIST,
        /** Split Fashion-MNIST: 5 tasks of 2 classes, a head each. */
        SPLIT_FMNIST;

        /** The benchmark's name on the command line: {@code pmnist} or {@code split-fmnist}. */
        public String label() {
            return this == PMNIST ? "pmnist" : "split-fmnist";
        }
    }

    /** The lateral neurons {@code myelin experiment hlop} adds for each of the tasks after the first. */
    public static final int[][] DEFAULT_LATERAL_ADDED = {{70, 70, 40}, {70, 70, 40}, {50, 50, 30}, {50, 50, 30},
        {50, 50, 30}, {30, 30, 20}, {30, 30, 20}, {30, 30, 20}, {10, 10, 10}};

    /** Checks every count and rate, and copies the arrays. */
    public HlopConfig {
        if (benchmark == null || method == null || trainer == null || feedback == null) {
            throw new MyelinException("hlop: benchmark, method, trainer and feedback must be given, were " + benchmark
                    + ", " + method + ", " + trainer + ", " + feedback);
        }
        positive("tasks", tasks);
        positive("timeSteps", timeSteps);
        positive("batchSize", batchSize);
        positive("epochs", epochs);
        positive("hebbianIterations", hebbianIterations);
        if (train != null && train < 1) {
            throw new MyelinException("hlop: train must be >= 1 (or null for the default), was " + train);
        }
        if (test != null && test < 1) {
            throw new MyelinException("hlop: test must be >= 1 (or null for the default), was " + test);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new MyelinException("hlop: lr must be > 0 and finite, was " + lr);
        }
        if (hidden == null || hidden.length == 0) {
            throw new MyelinException("hlop: hidden must hold at least one layer size, was "
                    + Arrays.toString(hidden));
        }
        if (lateral == null || hebbianLr == null || lateral.length != hidden.length + 1
                || hebbianLr.length != hidden.length + 1) {
            throw new MyelinException("--lateral and --hebbian-lr need one value per linear layer ("
                    + (hidden.length + 1) + ")");
        }
        hidden = hidden.clone();
        lateral = lateral.clone();
        hebbianLr = hebbianLr.clone();
        taskLrScale = taskLrScale == null ? null : taskLrScale.clone();
        lateralAdded = lateralAdded == null ? new int[0][] : Arrays.stream(lateralAdded).map(int[]::clone)
                .toArray(int[][]::new);
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new MyelinException("hlop: " + name + " must be >= 1, was " + v);
        }
    }

    /**
     * The defaults of {@code myelin experiment hlop} (HLOP with DSR on a 784-256-256-10 network, 10 tasks, 8000 / 2000
     * images per task) on permuted MNIST from the folder {@code data}.
     */
    public static HlopConfig defaults(String data) {
        return new HlopConfig(Benchmark.PMNIST, data, ContinualLearning.Method.HLOP, ContinualLearning.Neurons.DSR,
                ContinualLearning.Feedback.EXACT, 10, null, null, 0, new int[] {256, 256}, 8, 64, 0.1, null, 1,
                new int[] {80, 100, 50}, DEFAULT_LATERAL_ADDED, new float[] {0.001f, 0.01f, 0.01f}, 5, null, false,
                false, false, 0.97, 1000, 1);
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    @Override
    public int[] lateral() {
        return lateral.clone();
    }

    @Override
    public float[] hebbianLr() {
        return hebbianLr.clone();
    }

    @Override
    public double[] taskLrScale() {
        return taskLrScale == null ? null : taskLrScale.clone();
    }

    @Override
    public int[][] lateralAdded() {
        return Arrays.stream(lateralAdded).map(int[]::clone).toArray(int[][]::new);
    }

    /** The same run with another method. */
    public HlopConfig withMethod(ContinualLearning.Method m) {
        return new HlopConfig(benchmark, data, m, trainer, feedback, tasks, train, test, validation, hidden, timeSteps,
                batchSize, lr, taskLrScale, epochs, lateral, lateralAdded, hebbianLr, hebbianIterations, hebbianSignal,
                normalize, cosineSchedule, subspaceReport, gpmThreshold, ewcLambda, seed);
    }

    /**
     * The same run on a smaller network and data set: {@code tasks} tasks of {@code train} / {@code test} images,
     * the given hidden sizes, lateral neurons, Hebbian rates and time steps.
     */
    public HlopConfig withSize(int tasks, int train, int test, int[] hidden, int[] lateral, int[][] lateralAdded,
                               float[] hebbianLr, int timeSteps) {
        return new HlopConfig(benchmark, data, method, trainer, feedback, tasks, train, test, validation, hidden,
                timeSteps, batchSize, lr, taskLrScale, epochs, lateral, lateralAdded, hebbianLr, hebbianIterations,
                hebbianSignal, normalize, cosineSchedule, subspaceReport, gpmThreshold, ewcLambda, seed);
    }

    /** The settings {@link ContinualLearning#run} takes (their checks of the learning-rate factors included). */
    public ContinualLearning.Settings settings() {
        return new ContinualLearning.Settings(hidden, trainer, timeSteps, batchSize, lr, epochs, seed, lateral,
                lateralAdded, hebbianLr, hebbianIterations, ewcLambda, gpmThreshold, hebbianSignal, subspaceReport,
                cosineSchedule, feedback, taskLrScale);
    }
}
