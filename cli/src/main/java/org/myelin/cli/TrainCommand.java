package org.myelin.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.core.MyelinException;
import org.myelin.experiments.data.IdxDatasets;
import org.myelin.learning.model.MlpSpec;
import org.myelin.learning.model.ModelFile;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.neuron.Surrogate;
import org.myelin.learning.optim.LearningRateSchedule;
import org.myelin.learning.optim.Optimizer;
import org.myelin.learning.tensor.Parallel;
import org.myelin.learning.train.EpochMetrics;
import org.myelin.learning.train.Encoding;
import org.myelin.learning.train.LabelledData;
import org.myelin.learning.train.Trainer;
import org.myelin.learning.train.TrainingConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code myelin train mlp}: surrogate-gradient BPTT training of a spiking MLP on an IDX image dataset. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train spiking models.",
        subcommands = {TrainCommand.Mlp.class, TrainL2mu.class, TrainSdt.class})
final class TrainCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a model is needed: mlp");
    }

    @Command(name = "mlp", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Train a spiking MLP with BPTT and surrogate gradients on an MNIST-like IDX dataset,",
                "printing one line per epoch (and a progress bar on stderr); writes the model with --save."})
    static final class Mlp implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--data", defaultValue = "fashion-mnist",
                description = "fashion-mnist (Debian's dataset-fashion-mnist) or a folder of MNIST-style IDX files")
        String data;
        @Option(names = "--epochs", defaultValue = "5")
        int epochs;
        @Option(names = "--time-steps", defaultValue = "8")
        int timeSteps;
        @Option(names = "--batch-size", defaultValue = "128")
        int batchSize;
        @Option(names = "--hidden", defaultValue = "800", split = ",", description = "hidden layer sizes")
        int[] hidden;
        @Option(names = "--neuron", defaultValue = "leaky", description = "leaky, synaptic, lif, dsr-if or dsr-lif")
        String neuron;
        @Option(names = "--beta", defaultValue = "0.9")
        float beta;
        @Option(names = "--alpha", defaultValue = "0.8", description = "synaptic decay (synaptic neuron)")
        float alpha;
        @Option(names = "--threshold", defaultValue = "1.0")
        float threshold;
        @Option(names = "--learn-beta")
        boolean learnBeta;
        @Option(names = "--learn-threshold")
        boolean learnThreshold;
        @Option(names = "--recurrent", description = "recurrent hidden layers")
        boolean recurrent;
        @Option(names = "--immediate-reset", description = {"leaky and synaptic neurons reset in the step they spike,",
            "as the core does (snnTorch resets one step later): needed to run the model on the core or export it to NIR"})
        boolean immediateReset;
        @Option(names = "--surrogate", defaultValue = "atan:2", description = "atan, sigmoid, fast-sigmoid, rectangular[:alpha]")
        String surrogate;
        @Option(names = "--readout", defaultValue = "membrane", description = "count (spike counts), membrane (mean membrane of non-resetting output neurons) or rate")
        String readout;
        @Option(names = "--method", defaultValue = "bptt", description = "bptt, online (online training through time) or dsr (DSR hidden neurons, linear output on their rate)")
        String method;
        @Option(names = "--encoding", defaultValue = "direct", description = "direct or rate")
        String encoding;
        @Option(names = "--optimizer", defaultValue = "adam", description = "adam, adamw or sgd")
        String optimizer;
        @Option(names = "--lr", defaultValue = "1e-3")
        double lr;
        @Option(names = "--schedule", defaultValue = "cosine", description = "constant, cosine or step")
        String schedule;
        @Option(names = "--warmup", defaultValue = "0", description = "warm-up steps (cosine)")
        long warmup;
        @Option(names = "--weight-decay", defaultValue = "0")
        double weightDecay;
        @Option(names = "--momentum", defaultValue = "0.9", description = "sgd momentum")
        double momentum;
        @Option(names = "--seed", defaultValue = "1")
        long seed;
        @Option(names = "--threads", defaultValue = "0", description = "worker threads (0: all cores)")
        int threads;
        @Option(names = "--train-limit", defaultValue = "2147483647", description = "use at most this many training samples")
        int trainLimit;
        @Option(names = "--test-limit", defaultValue = "2147483647", description = "use at most this many test samples")
        int testLimit;
        @Option(names = "--checkpoint-dir", description = "write epoch-N.ckpt here after every epoch")
        Path checkpointDir;
        @Option(names = "--resume", description = "continue from this epoch checkpoint")
        Path resume;
        @Option(names = "--stop-after", description = "stop after this epoch (an interrupted run; continue it with --resume)")
        Integer stopAfter;
        @Option(names = "--metrics", description = "append one JSON line per epoch to this file")
        Path metrics;
        @Option(names = "--save", description = "write the trained model here (for myelin eval)")
        Path save;
        @Option(names = "--no-progress", description = "no progress bar")
        boolean noProgress;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (threads < 0) {
                throw new MyelinException("--threads must be >= 0, was " + threads);
            }
            if (threads > 0) {
                Parallel.setThreads(threads);
            }
            Path dir = IdxDatasets.resolve(data);
            LabelledData train = IdxDatasets.load(dir, "train", trainLimit);
            LabelledData test = IdxDatasets.load(dir, "t10k", testLimit);
            int classes = Math.max(train.classes(), test.classes());
            int[] sizes = java.util.Arrays.copyOf(hidden, hidden.length + 1);
            sizes[hidden.length] = classes;
            TrainingConfig.Method how = switch (method) {
                case "bptt", "dsr" -> TrainingConfig.Method.BPTT;
                case "online" -> TrainingConfig.Method.ONLINE;
                default -> throw new MyelinException("--method must be bptt, online or dsr, was '" + method + "'");
            };
            if (method.equals("dsr")) {
                neuron = neuron.startsWith("dsr") ? neuron : "dsr-if";
                readout = "membrane";
            }
            SpikingMlp.Readout ro = switch (readout) {
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
            MlpSpec mlp = new MlpSpec(train.features(), sizes, neuron, beta, alpha, threshold, learnBeta,
                    learnThreshold, recurrent, Surrogate.parse(surrogate), ro, seed, immediateReset);
            SpikingMlp model = mlp.build();
            long total = (long) epochs * ((train.size() + batchSize - 1) / batchSize);
            LearningRateSchedule s = switch (schedule) {
                case "constant" -> LearningRateSchedule.constant(lr);
                case "cosine" -> LearningRateSchedule.cosine(lr, warmup, total, 0);
                case "step" -> LearningRateSchedule.stepDecay(lr, Math.max(1, total / 3), 0.1);
                default -> throw new MyelinException("--schedule must be constant, cosine or step, was '" + schedule + "'");
            };
            Optimizer opt = switch (optimizer) {
                case "adam" -> Optimizer.adam(model.parameters(), s, 0.9, 0.999, 1e-8, weightDecay);
                case "adamw" -> Optimizer.adamW(model.parameters(), s, 0.9, 0.999, 1e-8, weightDecay);
                case "sgd" -> Optimizer.sgd(model.parameters(), s, momentum, false, weightDecay);
                default -> throw new MyelinException("--optimizer must be adam, adamw or sgd, was '" + optimizer + "'");
            };
            TrainingConfig cfg = new TrainingConfig(epochs, batchSize, timeSteps, seed, enc, checkpointDir, metrics,
                    !noProgress, how);
            Trainer trainer = new Trainer(model, opt, cfg);
            out.printf(Locale.ROOT, "%s: %d train, %d test samples; %s; %s, T=%d, batch %d, %s, %d threads%n", dir,
                    train.size(), test.size(), model.describe(), how, timeSteps, batchSize, opt.describe(),
                    Parallel.threads());
            if (resume != null) {
                trainer.resume(resume, train.size());
                out.printf(Locale.ROOT, "resumed from %s after epoch %d%n", resume, trainer.epochsDone());
            }
            for (EpochMetrics m : trainer.history()) {
                print(out, m);
            }
            int before = trainer.history().size();
            var history = new Object() {
                int printed = before;
            };
            trainer.fitUntil(train, test, stopAfter == null ? epochs : stopAfter);
            for (EpochMetrics m : trainer.history().subList(history.printed, trainer.history().size())) {
                print(out, m);
            }
            if (save != null) {
                ModelFile.save(save, mlp, model);
                out.println("model written to " + save);
            }
            return 0;
        }

        private static void print(PrintWriter out, EpochMetrics m) {
            out.printf(Locale.ROOT, "epoch %d: train loss %.4f, train accuracy %.2f %%, test accuracy %.2f %%,"
                            + " %.0f samples/s (%.1f s)%n", m.epoch(), m.trainLoss(), 100 * m.trainAccuracy(),
                    100 * m.testAccuracy(), m.samplesPerSecond(), m.seconds());
            out.flush();
        }
    }
}
