package org.myelin.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.myelin.core.MyelinException;
import org.myelin.core.io.Json;
import org.myelin.experiments.mlp.MlpConfig;
import org.myelin.experiments.mlp.MlpTraining;
import org.myelin.experiments.mlp.MlpTrainingResult;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.train.Encoding;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code myelin train mlp}: surrogate-gradient BPTT training of a spiking MLP on an IDX image dataset. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train spiking models.",
        subcommands = {TrainCommand.Mlp.class, TrainL2mu.class, TrainSdt.class, ExperimentCommand.Hlop.class,
            LsmCommand.class})
final class TrainCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a model is needed: mlp, l2mu, sdt, hlop or lsm");
    }

    @Command(name = "mlp", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Train a spiking MLP with BPTT and surrogate gradients on an MNIST-like IDX dataset.",
                "Prints one line per epoch (and a progress bar on stderr); writes the model with --save."})
    static final class Mlp implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--data", defaultValue = "fashion-mnist",
                description = "fashion-mnist (Debian's dataset-fashion-mnist) or a folder of MNIST-style IDX files"
                        + " (train-/t10k- pairs, or one images/labels pair whose last fifth is the test set)")
        String data;
        @Option(names = "--epochs", defaultValue = "5",
                description = "passes over the training set (default: ${DEFAULT-VALUE})")
        int epochs;
        @Option(names = "--time-steps", defaultValue = "8",
                description = "simulation steps per sample (default: ${DEFAULT-VALUE})")
        int timeSteps;
        @Option(names = "--batch-size", defaultValue = "128",
                description = "samples per training batch (default: ${DEFAULT-VALUE})")
        int batchSize;
        @Option(names = "--hidden", defaultValue = "800", split = ",", description = "hidden layer sizes")
        int[] hidden;
        @Option(names = "--neuron", defaultValue = "leaky", description = "leaky, synaptic, lif, dsr-if or dsr-lif")
        String neuron;
        @Option(names = "--beta", defaultValue = "0.9",
                description = "membrane decay factor per step of the leaky neurons (default: ${DEFAULT-VALUE})")
        float beta;
        @Option(names = "--alpha", defaultValue = "0.8", description = "synaptic decay (synaptic neuron)")
        float alpha;
        @Option(names = "--threshold", defaultValue = "1.0",
                description = "firing threshold of the spiking neurons (default: ${DEFAULT-VALUE})")
        float threshold;
        @Option(names = "--learn-beta",
                description = "train the decay factors (beta, and alpha for CuBa neurons) with the weights")
        boolean learnBeta;
        @Option(names = "--learn-threshold", description = "train the firing thresholds with the weights")
        boolean learnThreshold;
        @Option(names = "--recurrent", description = "recurrent hidden layers")
        boolean recurrent;
        @Option(names = "--immediate-reset", description = {"leaky and synaptic neurons reset in the step they spike,",
            "as the core does (snnTorch resets one step later): needed to run the model on the core or export it to NIR"})
        boolean immediateReset;
        @Option(names = "--surrogate", defaultValue = "atan:2",
                description = "atan, sigmoid, fast-sigmoid, rectangular[:alpha]")
        String surrogate;
        @Option(names = "--readout", defaultValue = "membrane",
                description = "count (spike counts), membrane (mean membrane of non-resetting output neurons) or rate")
        String readout;
        @Option(names = "--method", defaultValue = "bptt",
                description = "bptt, online (online training through time) or dsr (DSR hidden neurons, linear output on their rate)")
        String method;
        @Option(names = "--encoding", defaultValue = "direct", description = "direct or rate")
        String encoding;
        @Option(names = "--optimizer", defaultValue = "adam", description = "adam, adamw or sgd")
        String optimizer;
        @Option(names = "--lr", defaultValue = "1e-3", description = "learning rate (default: ${DEFAULT-VALUE})")
        double lr;
        @Option(names = "--schedule", defaultValue = "cosine", description = "constant, cosine or step")
        String schedule;
        @Option(names = "--warmup", defaultValue = "0", description = "warm-up steps (cosine)")
        long warmup;
        @Option(names = "--weight-decay", defaultValue = "0",
                description = "weight decay of the optimiser (default: ${DEFAULT-VALUE})")
        double weightDecay;
        @Option(names = "--momentum", defaultValue = "0.9", description = "sgd momentum")
        double momentum;
        @picocli.CommandLine.Mixin
        SharedOptions.Seed seedOption;
        @picocli.CommandLine.Mixin
        SharedOptions.Threads threadsOption;
        @Option(names = "--train-limit", defaultValue = "2147483647",
                description = "use at most this many training samples")
        int trainLimit;
        @Option(names = "--test-limit", defaultValue = "2147483647", description = "use at most this many test samples")
        int testLimit;
        @Option(names = "--checkpoint-dir", description = "write epoch-N.ckpt here after every epoch")
        Path checkpointDir;
        @Option(names = "--resume", description = "continue from this epoch checkpoint")
        Path resume;
        @Option(names = "--stop-after",
                description = "stop after this epoch (an interrupted run; continue it with --resume)")
        Integer stopAfter;
        @Option(names = "--metrics", description = "append one JSON line per epoch to this file")
        Path metrics;
        @Option(names = "--save", description = "write the trained model here (for myelin eval)")
        Path save;
        @Option(names = "--curves", paramLabel = "FILE", description = "write the training curves (loss, and train and"
                + " test accuracy, per epoch) to FILE, .png or .svg")
        Path curves;
        @picocli.CommandLine.Mixin
        ProgressOptions progress;
        @picocli.CommandLine.Mixin
        JsonOptions json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            threadsOption.applyToTraining();
            MlpConfig c = config();
            json.check();
            if (curves != null) {
                org.myelin.viz.raster.Figures.isSvg(curves);
                NirCommand.requireFileToWrite("--curves", curves);
            }
            MlpTrainingResult r = MlpTraining.run(c, TrainSdt.lines(out));
            if (curves != null) {
                writeCurves(r.history(), curves);
                out.println("curves: " + curves);
            }
            if (json.wanted()) {
                java.util.List<Json> epochs = new java.util.ArrayList<>();
                r.history().forEach(m -> epochs.add(m.json()));
                json.emit(out, Json.object().put("model", "mlp").put("method", method).put("neuron", neuron)
                        .put("hidden", hidden).put("time_steps", timeSteps).put("parameters", r.model().parameters().stream().mapToLong(t -> t.size()).sum())
                        .put("train_samples", r.trainSize()).put("test_samples", r.testSize())
                        .put("resumed_after", r.resumedAfter()).put("test_accuracy", r.testAccuracy())
                        .put("seed", seedOption.value()).put("saved", save == null ? null : save.toString()).put("epochs", epochs));
            }
            return 0;
        }

        /** The per-epoch metrics as a training-curve figure. */
        static void writeCurves(java.util.List<org.myelin.learning.train.EpochMetrics> history, Path file) {
            if (history.isEmpty()) {
                throw new MyelinException("--curves: no epoch was trained, so there is nothing to draw");
            }
            int n = history.size();
            int[] epoch = new int[n];
            double[] loss = new double[n];
            double[] train = new double[n];
            double[] test = new double[n];
            for (int i = 0; i < n; i++) {
                var m = history.get(i);
                epoch[i] = m.epoch();
                loss[i] = m.trainLoss();
                train[i] = m.trainAccuracy();
                test[i] = m.testAccuracy();
            }
            org.myelin.viz.raster.TrainingCurves.of("train mlp: loss and accuracy per epoch", epoch, loss, train, test)
                    .write(file);
        }

        /** The options as the library's configuration. */
        MlpConfig config() {
            MlpConfig.Method how = switch (method) {
                case "bptt" -> MlpConfig.Method.BPTT;
                case "online" -> MlpConfig.Method.ONLINE;
                case "dsr" -> MlpConfig.Method.DSR;
                default -> throw new MyelinException("--method must be bptt, online or dsr, was '" + method + "'");
            };
            SpikingMlp.Readout ro = how == MlpConfig.Method.DSR ? SpikingMlp.Readout.MEMBRANE_MEAN : switch (readout) {
                case "count" -> SpikingMlp.Readout.SPIKE_COUNT;
                case "membrane" -> SpikingMlp.Readout.MEMBRANE_MEAN;
                case "rate" -> SpikingMlp.Readout.RATE;
                default -> throw new MyelinException("--readout must be count, membrane or rate, was '" + readout + "'");
            };
            Encoding enc = switch (encoding) {
                case "direct" -> Encoding.DIRECT;
                case "rate" -> Encoding.RATE;
                default -> throw new MyelinException("--encoding must be direct or rate, was '" + encoding + "'");
            };
            MlpConfig.Schedule sched = switch (schedule) {
                case "constant" -> MlpConfig.Schedule.CONSTANT;
                case "cosine" -> MlpConfig.Schedule.COSINE;
                case "step" -> MlpConfig.Schedule.STEP;
                default -> throw new MyelinException("--schedule must be constant, cosine or step, was '" + schedule + "'");
            };
            MlpConfig.OptimizerKind opt = switch (optimizer) {
                case "adam" -> MlpConfig.OptimizerKind.ADAM;
                case "adamw" -> MlpConfig.OptimizerKind.ADAMW;
                case "sgd" -> MlpConfig.OptimizerKind.SGD;
                default -> throw new MyelinException("--optimizer must be adam, adamw or sgd, was '" + optimizer + "'");
            };
            return new MlpConfig(data, epochs, timeSteps, batchSize, hidden, neuron, beta, alpha, threshold,
                    learnBeta, learnThreshold, recurrent, immediateReset, surrogate, ro, how, enc, opt, lr, sched,
                    warmup, weightDecay, momentum, seedOption.value(), trainLimit, testLimit, checkpointDir, resume, stopAfter,
                    metrics, save, progress.enabled());
        }
    }
}
