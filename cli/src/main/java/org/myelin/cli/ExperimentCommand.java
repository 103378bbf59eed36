package org.myelin.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.core.MyelinException;
import org.myelin.core.io.Json;
import org.myelin.experiments.hlop.HlopConfig;
import org.myelin.experiments.hlop.HlopExperiment;
import org.myelin.experiments.hlop.HlopResult;
import org.myelin.experiments.hlop.HlopTasks;
import org.myelin.learning.hlop.ContinualLearning;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code myelin experiment hlop}: continual learning on permuted MNIST with HLOP and its baselines. */
@Command(name = "experiment", mixinStandardHelpOptions = true, description = "Experiments from the literature.",
        subcommands = {ExperimentCommand.Hlop.class, NirFilesCommand.class, LsmCommand.class,
            SdtAblationCommand.class})
final class ExperimentCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "an experiment is needed: hlop");
    }

    @Command(name = "hlop", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Continual learning with HLOP, fine-tuning, EWC, GPM or the multitask bound.",
                "Benchmarks: permuted MNIST (the first --train images train, the last --test test; every task"
                    + " permutes the pixels) or split Fashion-MNIST (5 tasks of 2 classes, a head each). Prints the"
                    + " accuracy matrix, ACC and BWT; with --json their JSON object as the last stdout line."})
    static final class Hlop implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--benchmark", defaultValue = "pmnist", description = "pmnist or split-fmnist")
        String benchmark;
        @Option(names = "--data", description = "pmnist: a folder with MNIST IDX images and labels (e.g."
                + " ../shared/data/mnist-10k); split-fmnist: fashion-mnist (Debian's package, the default) or a folder")
        String data;
        @Option(names = "--method", defaultValue = "hlop", description = "hlop, finetune, ewc, gpm or multitask")
        String method;
        @Option(names = "--trainer", defaultValue = "dsr", description = "dsr, bptt or ottt (online training through"
                + " time; the lateral neurons learn at every step)")
        String trainer;
        @Option(names = "--feedback", defaultValue = "exact", description = "exact (the gradient), random (feedback"
                + " alignment: a fixed random matrix carries errors back) or sign (sign symmetry)")
        String feedback;
        @Option(names = "--tasks", defaultValue = "10",
                description = "tasks learnt one after the other (default: ${DEFAULT-VALUE})")
        int tasks;
        @Option(names = {"--train", "--train-limit"}, description = "pmnist: training images per task (default 8000); split-fmnist: use"
                + " the first N training images (default all)")
        Integer train;
        @Option(names = {"--test", "--test-limit"}, description = "pmnist: test images per task, the last ones (default 2000);"
                + " split-fmnist: the first N test images (default all)")
        Integer test;
        @Option(names = "--validation", defaultValue = "0", paramLabel = "N", description = {"hold out the last N of"
                + " the training images (per task for pmnist) and report accuracies on them instead of the test"
                + " images, to choose settings without looking at the test set (default: 0, the test set)"})
        int validation;
        @Option(names = "--hidden", defaultValue = "256,256", split = ",",
                description = "widths of the hidden layers, comma-separated (default: ${DEFAULT-VALUE})")
        int[] hidden;
        @Option(names = "--time-steps", defaultValue = "8",
                description = "simulation steps per sample (default: ${DEFAULT-VALUE})")
        int timeSteps;
        @Option(names = "--batch-size", defaultValue = "64",
                description = "samples per training batch (default: ${DEFAULT-VALUE})")
        int batchSize;
        @Option(names = "--lr", defaultValue = "0.1", description = "learning rate (default: ${DEFAULT-VALUE})")
        double lr;
        @Option(names = "--task-lr-scale", split = ",", paramLabel = "F", description = {"a factor on --lr for each"
            + " task in turn, the last repeating for the tasks after it (e.g. 1,1,1,1,1,1,0.5: later tasks learn at",
            "half the rate); default 1 for every task, as the reference"})
        double[] taskLrScale;
        @Option(names = "--epochs", defaultValue = "1", description = "epochs per task")
        int epochs;
        @Option(names = "--lateral", defaultValue = "80,100,50", split = ",",
                description = "lateral neurons per layer for the first task")
        int[] lateral;
        @Option(names = "--lateral-added", defaultValue = "70,70,40;70,70,40;50,50,30;50,50,30;50,50,30;30,30,20;30,30,20;30,30,20;10,10,10",
                description = "lateral neurons added per layer for each later task, tasks separated by ';'")
        String lateralAdded;
        @Option(names = "--hebbian-lr", defaultValue = "0.001,0.01,0.01", split = ",",
                description = "learning rates of the lateral (Hebbian) neurons, one per layer, comma-separated (default: ${DEFAULT-VALUE})")
        float[] hebbianLr;
        @Option(names = "--hebbian-iterations", defaultValue = "5", description = "Hebbian updates per batch")
        int hebbianIterations;
        @Option(names = "--hebbian-signal", description = {"what the hidden layers' lateral neurons learn from: rate (DSR's"
            + " weighted rate, BPTT's mean over the steps, OTTT's traces) or steps (the per-step spikes; OTTT: spikes",
            "and traces); default: the reference's choice, rate for dsr, steps for bptt and ottt"})
        String hebbianSignal;
        @Option(names = "--normalize", description = {"standardise the pixels with the training images' mean and standard"
            + " deviation, as the reference's loaders do (torchvision Normalize; for MNIST about 0.1307 and 0.3081):",
            "every input then carries a signal, background included"})
        boolean normalize;
        @Option(names = "--lr-schedule", defaultValue = "constant", description = {"constant (the reference) or cosine:"
            + " annealed from --lr to 0 over each task (default: ${DEFAULT-VALUE})"})
        String lrSchedule;
        @Option(names = "--subspace-report", description = {"hlop: after each task, how much of the task's activity"
            + " every layer's lateral subspace holds, against as many singular vectors of the same activity, and the",
            "principal angles between the rows and those vectors (printed, and in the JSON)"})
        boolean subspaceReport;
        @Option(names = "--core-check", defaultValue = "0", paramLabel = "N", description = {"after the last task,"
            + " export the first N test samples of every task to core networks, run them on the cpu backend and",
            "compare the hidden layers' spikes and the answers with the training graph's (0: none)"})
        int coreCheck;
        @Option(names = "--core-mode", defaultValue = "CLOCK", paramLabel = "MODE", description = "the cpu engine of"
            + " the core check: CLOCK, EVENT_GRID or AUTO (default: ${DEFAULT-VALUE})")
        org.myelin.core.backend.EngineMode coreMode;
        @Option(names = "--gpm-threshold", defaultValue = "0.97", description = "GPM's energy criterion")
        double gpmThreshold;
        @Option(names = "--ewc-lambda", defaultValue = "1000", description = "EWC's penalty weight")
        double ewcLambda;
        @picocli.CommandLine.Mixin
        SharedOptions.Seed seedOption;
        @picocli.CommandLine.Mixin
        SharedOptions.Threads threadsOption;
        @picocli.CommandLine.Mixin
        JsonOptions json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            json.check();
            threadsOption.applyToTraining();
            HlopConfig c = config();
            if (coreCheck < 0) {
                throw new MyelinException("--core-check must be >= 0, was " + coreCheck);
            }
            ContinualLearning.Feedback fb = c.feedback();
            int[][] added = c.lateralAdded();
            HlopTasks prepared = HlopExperiment.prepare(c);
            if (prepared.pixelMeanSd() != null) {
                out.printf(Locale.ROOT, "pixels standardised with the training images' mean %.4f and sd %.4f%n",
                        prepared.pixelMeanSd()[0], prepared.pixelMeanSd()[1]);
            }
            ContinualLearning.Settings s = prepared.settings();
            out.printf(Locale.ROOT, "%s; 784-%s-10, %s%s, T=%d,"
                    + " batch %d, SGD lr %s%s, %d epoch(s) per task; method %s%n", prepared.description(),
                    Arrays.toString(hidden).replaceAll("[\\[\\] ]", "").replace(",", "-"), trainer,
                    fb == ContinualLearning.Feedback.EXACT ? "" : fb == ContinualLearning.Feedback.RANDOM
                            ? " with feedback alignment" : " with sign-symmetric feedback", timeSteps,
                    batchSize, lr, (lrSchedule.equals("cosine") ? " (cosine to 0 over each task)" : "")
                            + (s.taskLrScale().length == 0 ? "" : " times " + Arrays.toString(s.taskLrScale())
                            + " by task"), epochs, method);
            out.flush();
            HlopResult result = HlopExperiment.run(c, prepared, line -> {
                if (line.startsWith("after") || line.contains("all tasks") || line.startsWith("  layer")) {
                    out.println(line);
                    out.flush();
                }
            });
            ContinualLearning.Result r = result.run();
            out.printf(Locale.ROOT, "ACC %.2f %%, BWT %.2f points, %.1f s%n", 100 * r.acc(), 100 * r.bwt(),
                    r.seconds());
            org.myelin.learning.export.CoreCheck core = coreCheck > 0 ? HlopExperiment.coreCheck(result, coreCheck, coreMode,
                    line -> {
                        out.println(line);
                        out.flush();
                    }) : null;
            if (json.wanted()) {
                List<Json> subspace = new ArrayList<>();
                for (ContinualLearning.SubspaceReport rep : r.subspace()) {
                    subspace.add(Json.object().put("task", rep.task()).put("layer", rep.layer())
                            .put("rows", rep.rows()).put("captured", rep.captured())
                            .put("svd_captured", rep.svdCaptured()).put("median_angle", rep.medianAngle())
                            .put("max_angle", rep.maxAngle()));
                }
                Json j = Json.object().put("benchmark", benchmark).put("method", method).put("trainer", trainer)
                        .put("feedback", feedback).put("hidden", hidden).put("time_steps", timeSteps)
                        .put("epochs_per_task", epochs).put("lr", lr).put("task_lr_scale", s.taskLrScale())
                        .put("lateral", lateral).put("lateral_added", added)
                        .put("hebbian_signal", s.signal().name().toLowerCase(Locale.ROOT))
                        .put("evaluated_on", validation > 0 ? "validation" : "test").put("acc", r.acc())
                        .put("bwt", r.bwt()).put("seconds", r.seconds()).put("accuracy", r.accuracy());
                if (!subspace.isEmpty()) {
                    j.put("subspace", subspace);
                }
                if (core != null) {
                    j.put("core_samples", core.samples()).put("core_identical", core.identical())
                            .put("core_same_class", core.sameClass()).put("core_accuracy", core.accuracy())
                            .put("core_spikes", core.spikes()).put("core_differing", core.differing())
                            .put("core_mode", coreMode.name());
                }
                json.emit(out, j);
            }
            return 0;
        }

        /** The options as the library's configuration. */
        HlopConfig config() {
            if (!benchmark.equals("pmnist") && !benchmark.equals("split-fmnist")) {
                throw new MyelinException("--benchmark must be pmnist or split-fmnist, was '" + benchmark + "'");
            }
            ContinualLearning.Method m = switch (method) {
                case "hlop" -> ContinualLearning.Method.HLOP;
                case "finetune" -> ContinualLearning.Method.FINETUNE;
                case "ewc" -> ContinualLearning.Method.EWC;
                case "gpm" -> ContinualLearning.Method.GPM;
                case "multitask" -> ContinualLearning.Method.MULTITASK;
                default -> throw new MyelinException("--method must be hlop, finetune, ewc, gpm or multitask, was '"
                        + method + "'");
            };
            ContinualLearning.Neurons neurons = switch (trainer) {
                case "dsr" -> ContinualLearning.Neurons.DSR;
                case "bptt" -> ContinualLearning.Neurons.BPTT;
                case "ottt" -> ContinualLearning.Neurons.OTTT;
                default -> throw new MyelinException("--trainer must be dsr, bptt or ottt, was '" + trainer + "'");
            };
            ContinualLearning.Feedback fb = switch (feedback) {
                case "exact" -> ContinualLearning.Feedback.EXACT;
                case "random" -> ContinualLearning.Feedback.RANDOM;
                case "sign" -> ContinualLearning.Feedback.SIGN;
                default -> throw new MyelinException("--feedback must be exact, random or sign, was '" + feedback
                        + "'");
            };
            if (!lrSchedule.equals("constant") && !lrSchedule.equals("cosine")) {
                throw new MyelinException("--lr-schedule must be constant or cosine, was '" + lrSchedule + "'");
            }
            ContinualLearning.Signal signal = hebbianSignal == null ? null : switch (hebbianSignal) {
                case "rate" -> ContinualLearning.Signal.RATE;
                case "steps" -> ContinualLearning.Signal.STEPS;
                default -> throw new MyelinException("--hebbian-signal must be rate or steps, was '" + hebbianSignal
                        + "'");
            };
            int[][] added = Arrays.stream(lateralAdded.split(";")).map(t -> Arrays.stream(t.split(","))
                    .mapToInt(Integer::parseInt).toArray()).toArray(int[][]::new);
            return new HlopConfig(benchmark.equals("pmnist") ? HlopConfig.Benchmark.PMNIST
                    : HlopConfig.Benchmark.SPLIT_FMNIST, data, m, neurons, fb, tasks, train, test, validation, hidden,
                    timeSteps, batchSize, lr, taskLrScale, epochs, lateral, added, hebbianLr, hebbianIterations, signal,
                    normalize, lrSchedule.equals("cosine"), subspaceReport, gpmThreshold, ewcLambda, seedOption.value());
        }

    }
}
