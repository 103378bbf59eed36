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
import org.myelin.learning.hlop.HebbianSubspace;
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

        @Option(names = "--preset", defaultValue = "myelin", description = {"myelin (Myelin's defaults, below) or"
            + " reference: every setting of the reference code's permuted-MNIST entry script for the trainer",
            "(pkuxmq/HLOP-SNN 530b89a; docs/methods/hlop.md lists each with its file and line); options given"
            + " explicitly override it and are reported (default: ${DEFAULT-VALUE})"})
        String preset;
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
        @Option(names = "--neuron", description = {"bptt only: leaky (Myelin's snnTorch leaky neuron, beta 0.9, atan"
            + " surrogate; the default) or lif (the reference's: SpikingJelly's LIF, tau 2, decay_input false,",
            "threshold 1, soft detached reset, sigmoid surrogate 4; the reference preset's)"})
        String neuron;
        @Option(names = "--projection", description = {"hlop: how the frozen lateral rows H project weight gradients:"
            + " orthonormal (Myelin's, with an orthonormalised basis of them; the default) or lateral (the",
            "reference's g - H^T H g with the learned lateral weights themselves; the reference preset's)"})
        String projection;
        @Option(names = "--hlop-spiking", arity = "0..1", description = {"hlop: spiking lateral neurons (the"
            + " reference's -hlop_spiking): their responses are spike counts, round(clamp(y, -s, s) / s T) / T s,",
            "in the Hebbian learning; the projection stays linear"})
        boolean hlopSpiking;
        @Option(names = "--hlop-spiking-scale", defaultValue = "20", paramLabel = "S", description = "s of the spiking"
                + " lateral neurons (the reference's -hlop_spiking_scale; default: ${DEFAULT-VALUE})")
        float hlopSpikingScale;
        @Option(names = "--hlop-spiking-steps", defaultValue = "1000", paramLabel = "T", description = "T of the"
                + " spiking lateral neurons (the reference's -hlop_spiking_timesteps: 1000 by default, 40 in its"
                + " README's example; default: ${DEFAULT-VALUE})")
        float hlopSpikingSteps;
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
        @Option(names = "--normalize", arity = "0..1", description = {"standardise the pixels with the training images' mean and standard"
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
            List<String> overrides = c.preset().equals(HlopConfig.REFERENCE) ? presetOverrides() : List.of();
            if (c.preset().equals(HlopConfig.REFERENCE)) {
                out.println("preset reference: pkuxmq/HLOP-SNN 530b89a, " + referenceScript(c.trainer())
                        + (overrides.isEmpty() ? "" : "; overridden: " + String.join(", ", overrides)));
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
                    + " batch %d, SGD lr %s%s, %d epoch(s) per task; method %s%s%n", prepared.description(),
                    Arrays.toString(c.hidden()).replaceAll("[\\[\\] ]", "").replace(",", "-"),
                    trainerLabel(c.trainer()), fb == ContinualLearning.Feedback.EXACT ? ""
                            : fb == ContinualLearning.Feedback.RANDOM ? " with feedback alignment"
                            : " with sign-symmetric feedback", c.timeSteps(),
                    c.batchSize(), c.lr(), (c.cosineSchedule() ? " (cosine to 0 over each task)" : "")
                            + (s.taskLrScale().length == 0 ? "" : " times " + Arrays.toString(s.taskLrScale())
                            + " by task"), c.epochs(), methodName(c.method()),
                    c.method() != ContinualLearning.Method.HLOP ? "" : ", projection " + c.projection().label()
                            + (c.spikingScale() > 0 ? String.format(Locale.ROOT, ", spiking lateral neurons (scale %s,"
                            + " %s steps)", c.spikingScale(), c.spikingSteps()) : ""));
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
                Json j = Json.object().put("benchmark", benchmark).put("method", methodName(c.method()))
                        .put("trainer", trainer).put("feedback", feedback).put("hidden", c.hidden())
                        .put("time_steps", c.timeSteps()).put("epochs_per_task", c.epochs()).put("lr", c.lr())
                        .put("task_lr_scale", s.taskLrScale()).put("lateral", c.lateral()).put("lateral_added", added)
                        .put("hebbian_signal", s.signal().name().toLowerCase(Locale.ROOT))
                        .put("preset", c.preset()).put("preset_overrides", overrides)
                        .put("neuron", neuronName(c.trainer())).put("batch_size", c.batchSize())
                        .put("tasks", c.tasks()).put("hebbian_lr", c.hebbianLr())
                        .put("hebbian_iterations", c.hebbianIterations()).put("normalize", c.normalize())
                        .put("lr_schedule", c.cosineSchedule() ? "cosine" : "constant")
                        .put("projection", c.projection().label()).put("hlop_spiking", c.spikingScale() > 0)
                        .put("hlop_spiking_scale", c.spikingScale()).put("hlop_spiking_steps", c.spikingSteps())
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

        /** The options that the reference preset sets. */
        private static final List<String> PRESET_OPTIONS = List.of("--method", "--feedback", "--tasks", "--hidden",
                "--time-steps", "--batch-size", "--lr", "--epochs", "--lateral", "--lateral-added", "--hebbian-lr",
                "--hebbian-iterations", "--normalize", "--lr-schedule", "--neuron", "--projection", "--hlop-spiking");

        private boolean given(String option) {
            CommandLine.ParseResult pr = spec.commandLine().getParseResult();
            return pr != null && pr.hasMatchedOption(option);
        }

        /** The options given explicitly that override the reference preset's settings. */
        List<String> presetOverrides() {
            return PRESET_OPTIONS.stream().filter(this::given).toList();
        }

        private <T> T pick(boolean reference, String option, T mine, T theirs) {
            return reference && !given(option) ? theirs : mine;
        }

        private static String referenceScript(ContinualLearning.Neurons n) {
            return switch (n) {
                case DSR -> "spiking_train_pmnist.py";
                case OTTT -> "spiking_train_pmnist_ottt.py";
                case BPTT, BPTT_LIF -> "spiking_train_pmnist_bptt.py";
            };
        }

        private static String trainerLabel(ContinualLearning.Neurons n) {
            return switch (n) {
                case DSR -> "dsr";
                case OTTT -> "ottt";
                case BPTT -> "bptt (Myelin's leaky neuron, beta 0.9)";
                case BPTT_LIF -> "bptt (the reference's SpikingJelly LIF, tau 2)";
            };
        }

        private static String neuronName(ContinualLearning.Neurons n) {
            return switch (n) {
                case DSR -> "dsr";
                case OTTT -> "ottt";
                case BPTT -> "leaky";
                case BPTT_LIF -> "lif";
            };
        }

        private static String methodName(ContinualLearning.Method m) {
            return m.name().toLowerCase(Locale.ROOT);
        }

        /** The options as the library's configuration. */
        HlopConfig config() {
            if (!benchmark.equals("pmnist") && !benchmark.equals("split-fmnist")) {
                throw new MyelinException("--benchmark must be pmnist or split-fmnist, was '" + benchmark + "'");
            }
            if (!preset.equals(HlopConfig.MYELIN) && !preset.equals(HlopConfig.REFERENCE)) {
                throw new MyelinException("--preset must be myelin or reference, was '" + preset + "'");
            }
            boolean ref = preset.equals(HlopConfig.REFERENCE);
            if (ref && !benchmark.equals("pmnist")) {
                throw new MyelinException("--preset reference exists for --benchmark pmnist only: the reference code"
                        + " (pkuxmq/HLOP-SNN) has no split Fashion-MNIST script (its entry scripts are permuted MNIST,"
                        + " CIFAR-100, five-datasets and miniImageNet)");
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
            if (neuron != null && !neuron.equals("leaky") && !neuron.equals("lif")) {
                throw new MyelinException("--neuron must be leaky or lif, was '" + neuron + "'");
            }
            if (neuron != null && neurons != ContinualLearning.Neurons.BPTT) {
                throw new MyelinException("--neuron applies to --trainer bptt only (the trainer was " + trainer + ")");
            }
            // BPTT runs Myelin's leaky neuron unless --neuron lif or the reference preset asks for the reference's
            if (neurons == ContinualLearning.Neurons.BPTT
                    && (neuron == null ? ref : neuron.equals("lif"))) {
                neurons = ContinualLearning.Neurons.BPTT_LIF;
            }
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
            HebbianSubspace.Projection proj = projection == null ? null : switch (projection) {
                case "orthonormal" -> HebbianSubspace.Projection.ORTHONORMAL;
                case "lateral" -> HebbianSubspace.Projection.LATERAL;
                default -> throw new MyelinException("--projection must be orthonormal or lateral, was '" + projection
                        + "'");
            };
            if (hlopSpiking && (!(hlopSpikingScale > 0) || !(hlopSpikingSteps >= 1))) {
                throw new MyelinException("--hlop-spiking-scale must be > 0 and --hlop-spiking-steps >= 1, were "
                        + hlopSpikingScale + " and " + hlopSpikingSteps);
            }
            int[][] added = Arrays.stream(lateralAdded.split(";")).map(t -> Arrays.stream(t.split(","))
                    .mapToInt(Integer::parseInt).toArray()).toArray(int[][]::new);
            HlopConfig p = ref ? HlopConfig.reference(data, neurons) : HlopConfig.defaults(data);
            return new HlopConfig(benchmark.equals("pmnist") ? HlopConfig.Benchmark.PMNIST
                    : HlopConfig.Benchmark.SPLIT_FMNIST, data, pick(ref, "--method", m, p.method()), neurons,
                    pick(ref, "--feedback", fb, p.feedback()), pick(ref, "--tasks", tasks, p.tasks()), train, test,
                    validation, pick(ref, "--hidden", hidden, p.hidden()), pick(ref, "--time-steps", timeSteps,
                    p.timeSteps()), pick(ref, "--batch-size", batchSize, p.batchSize()), pick(ref, "--lr", lr, p.lr()),
                    taskLrScale, pick(ref, "--epochs", epochs, p.epochs()), pick(ref, "--lateral", lateral,
                    p.lateral()), pick(ref, "--lateral-added", added, p.lateralAdded()), pick(ref, "--hebbian-lr",
                    hebbianLr, p.hebbianLr()), pick(ref, "--hebbian-iterations", hebbianIterations,
                    p.hebbianIterations()), signal, pick(ref, "--normalize", normalize, p.normalize()),
                    pick(ref, "--lr-schedule", lrSchedule.equals("cosine"), p.cosineSchedule()), subspaceReport,
                    gpmThreshold, ewcLambda, seedOption.value(), proj != null ? proj : p.projection(),
                    hlopSpiking ? hlopSpikingScale : 0f, hlopSpiking ? hlopSpikingSteps : 0f, preset);
        }
    }
}
