package org.myelin.experiments.hlop;

import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.learning.hlop.ContinualLearning;
import org.myelin.learning.hlop.HebbianSubspace;

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
 * @param projection        HLOP: project with an orthonormalised basis of the frozen lateral rows (Myelin's) or with
 *                          the rows themselves (the reference's)
 * @param spikingScale      HLOP: scale of spiking lateral neurons (the reference's {@code -hlop_spiking_scale}), 0 for
 *                          real-valued responses
 * @param spikingSteps      HLOP: time steps of spiking lateral neurons ({@code -hlop_spiking_timesteps})
 * @param preset            {@code myelin} (Myelin's defaults) or {@code reference} (the reference code's entry
 *                          script, {@link #reference}), as the JSON reports it
 */
public record HlopConfig(Benchmark benchmark, String data, ContinualLearning.Method method,
                         ContinualLearning.Neurons trainer, ContinualLearning.Feedback feedback, int tasks,
                         Integer train, Integer test, int validation, int[] hidden, int timeSteps, int batchSize,
                         double lr, double[] taskLrScale, int epochs, int[] lateral, int[][] lateralAdded,
                         float[] hebbianLr, int hebbianIterations, ContinualLearning.Signal hebbianSignal,
                         boolean normalize, boolean cosineSchedule, boolean subspaceReport, double gpmThreshold,
                         double ewcLambda, long seed, HebbianSubspace.Projection projection, float spikingScale,
                         float spikingSteps, String preset) {
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

    /** The presets. */
    public static final String MYELIN = "myelin";
    public static final String REFERENCE = "reference";

    /**
     * The lateral neurons the reference adds for tasks 1 to 9 of permuted MNIST: 70 per layer, 20 fewer from tasks
     * 3, 6 and 9 on ({@code hlop_out_num_inc} and its {@code task_id % 3 == 0} decrement).
     */
    public static final int[][] REFERENCE_LATERAL_ADDED = {{70, 70, 70}, {70, 70, 70}, {50, 50, 50}, {50, 50, 50},
        {50, 50, 50}, {30, 30, 30}, {30, 30, 30}, {30, 30, 30}, {10, 10, 10}};

    /** Without the projection and spiking settings: Myelin's orthonormal projection, real responses. */
    public HlopConfig(Benchmark benchmark, String data, ContinualLearning.Method method,
                      ContinualLearning.Neurons trainer, ContinualLearning.Feedback feedback, int tasks, Integer train,
                      Integer test, int validation, int[] hidden, int timeSteps, int batchSize, double lr,
                      double[] taskLrScale, int epochs, int[] lateral, int[][] lateralAdded, float[] hebbianLr,
                      int hebbianIterations, ContinualLearning.Signal hebbianSignal, boolean normalize,
                      boolean cosineSchedule, boolean subspaceReport, double gpmThreshold, double ewcLambda,
                      long seed) {
        this(benchmark, data, method, trainer, feedback, tasks, train, test, validation, hidden, timeSteps, batchSize,
                lr, taskLrScale, epochs, lateral, lateralAdded, hebbianLr, hebbianIterations, hebbianSignal, normalize,
                cosineSchedule, subspaceReport, gpmThreshold, ewcLambda, seed, HebbianSubspace.Projection.ORTHONORMAL,
                0f, 0f, MYELIN);
    }

    /** Checks every count and rate, and copies the arrays. */
    public HlopConfig {
        if (projection == null) {
            throw new MyelinException("hlop: the projection (orthonormal or lateral) must be given");
        }
        if (!MYELIN.equals(preset) && !REFERENCE.equals(preset)) {
            throw new MyelinException("--preset must be myelin or reference, was '" + preset + "'");
        }
        if (spikingScale < 0 || !Float.isFinite(spikingScale) || !Float.isFinite(spikingSteps)
                || (spikingScale > 0 && !(spikingSteps >= 1))) {
            throw new MyelinException("--hlop-spiking-scale must be > 0 and --hlop-spiking-steps >= 1, were "
                    + spikingScale + " and " + spikingSteps);
        }
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

    /**
     * The reference code's settings (pkuxmq/HLOP-SNN, commit 530b89a; docs/methods/hlop.md lists each beside its file
     * and line) for HLOP on permuted MNIST with {@code trainer}: {@code spiking_train_pmnist.py} (DSR),
     * {@code spiking_train_pmnist_bptt.py} (BPTT: SpikingJelly's LIF, {@link ContinualLearning.Neurons#BPTT_LIF}) or
     * {@code spiking_train_pmnist_ottt.py}: 10 tasks, 784-800-800-10, T 20 (DSR) or 6, batch 64, plain SGD lr 0.1
     * held for the single epoch per task, lateral neurons 80, 200, 100 then 70 per layer and task (20 fewer from
     * tasks 3, 6 and 9), Hebbian rates 0.001, 0.01, 0.01 with 5 iterations, projection with the lateral weights,
     * pixels standardised, the trainer's signal. The data are not the reference's (it trains on all 60,000 MNIST
     * images): {@code train} / {@code test} stay Myelin's (null: 8000 / 2000 of the folder). The reference has no
     * split Fashion-MNIST script, so only permuted MNIST has this preset.
     */
    public static HlopConfig reference(String data, ContinualLearning.Neurons trainer) {
        if (trainer == ContinualLearning.Neurons.BPTT) {
            trainer = ContinualLearning.Neurons.BPTT_LIF;
        }
        int steps = trainer == ContinualLearning.Neurons.DSR ? 20 : 6;
        return new HlopConfig(Benchmark.PMNIST, data, ContinualLearning.Method.HLOP, trainer,
                ContinualLearning.Feedback.EXACT, 10, null, null, 0, new int[] {800, 800}, steps, 64, 0.1, null, 1,
                new int[] {80, 200, 100}, REFERENCE_LATERAL_ADDED, new float[] {0.001f, 0.01f, 0.01f}, 5, null, true,
                false, false, 0.97, 1000, 1, HebbianSubspace.Projection.LATERAL, 0f, 0f, REFERENCE);
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
                normalize, cosineSchedule, subspaceReport, gpmThreshold, ewcLambda, seed, projection, spikingScale,
                spikingSteps, preset);
    }

    /**
     * The same run on a smaller network and data set: {@code tasks} tasks of {@code train} / {@code test} images,
     * the given hidden sizes, lateral neurons, Hebbian rates and time steps.
     */
    public HlopConfig withSize(int tasks, int train, int test, int[] hidden, int[] lateral, int[][] lateralAdded,
                               float[] hebbianLr, int timeSteps) {
        return new HlopConfig(benchmark, data, method, trainer, feedback, tasks, train, test, validation, hidden,
                timeSteps, batchSize, lr, taskLrScale, epochs, lateral, lateralAdded, hebbianLr, hebbianIterations,
                hebbianSignal, normalize, cosineSchedule, subspaceReport, gpmThreshold, ewcLambda, seed, projection,
                spikingScale, spikingSteps, preset);
    }

    /** The settings {@link ContinualLearning#run} takes (their checks of the learning-rate factors included). */
    public ContinualLearning.Settings settings() {
        return new ContinualLearning.Settings(hidden, trainer, timeSteps, batchSize, lr, epochs, seed, lateral,
                lateralAdded, hebbianLr, hebbianIterations, ewcLambda, gpmThreshold, hebbianSignal, subspaceReport,
                cosineSchedule, feedback, taskLrScale, projection, spikingScale, spikingSteps);
    }
}
