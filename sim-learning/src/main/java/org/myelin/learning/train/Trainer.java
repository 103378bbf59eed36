package org.myelin.learning.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import org.myelin.core.MyelinException;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.random.CounterRandom;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.ops.Losses;
import org.myelin.learning.optim.Optimizer;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * Trains a {@link SpikingMlp} with BPTT and cross-entropy on its class scores. Everything random is drawn from
 * the counter-based generator keyed by the seed, the epoch and the position in it, so a run is reproducible
 * bit for bit, and a run resumed from an epoch checkpoint ends with the same weights as an uninterrupted one.
 */
public final class Trainer {
    /** Written into checkpoints as their writer. */
    public static final String WRITER = "myelin-trainer";
    private static final int SHUFFLE_STREAM = CounterRandom.streamOf("trainer.shuffle");

    private final SpikingMlp model;
    private final Optimizer optimizer;
    private final TrainingConfig config;
    private final List<EpochMetrics> history = new ArrayList<>();
    private final OnlineThroughTime online;
    private int nextEpoch;

    public Trainer(SpikingMlp model, Optimizer optimizer, TrainingConfig config) {
        this.model = model;
        this.optimizer = optimizer;
        this.config = config;
        this.online = config.method() == TrainingConfig.Method.ONLINE ? new OnlineThroughTime(model) : null;
    }

    public List<EpochMetrics> history() {
        return List.copyOf(history);
    }

    /** Epochs done so far (also after {@link #resume}). */
    public int epochsDone() {
        return nextEpoch;
    }

    /** The order of the training samples in epoch {@code epoch} (0-based): a seeded Fisher-Yates shuffle. */
    public static int[] shuffle(int n, long seed, long epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            long bits = CounterRandom.bits(seed, SHUFFLE_STREAM, i, epoch) >>> 1;
            int j = (int) (bits % (i + 1));
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Trains until {@code config.epochs()} epochs are done; evaluates on {@code test} (may be null) after each. */
    public List<EpochMetrics> fit(LabelledData train, LabelledData test) {
        return fitUntil(train, test, config.epochs());
    }

    /**
     * As {@link #fit} but stops after epoch {@code stopAfter} (at most the configured number): an
     * interrupted run, to be continued with {@link #resume} from its last checkpoint.
     */
    public List<EpochMetrics> fitUntil(LabelledData train, LabelledData test, int stopAfter) {
        if (train.features() != model.inputs()) {
            throw new MyelinException("training: the data has " + train.features() + " features, the model "
                    + model.inputs() + " inputs");
        }
        if (train.classes() > model.outputs()) {
            throw new MyelinException("training: the data has " + train.classes() + " classes, the model "
                    + model.outputs() + " outputs");
        }
        while (nextEpoch < Math.min(stopAfter, config.epochs())) {
            EpochMetrics m = epoch(train, test, nextEpoch);
            history.add(m);
            nextEpoch++;
            log(m);
            if (config.checkpointDir() != null) {
                save(config.checkpointDir().resolve("epoch-" + nextEpoch + ".ckpt"), train.size());
            }
        }
        return history();
    }

    private EpochMetrics epoch(LabelledData train, LabelledData test, int epoch) {
        int n = train.size();
        int[] order = shuffle(n, config.seed(), epoch);
        int bs = config.batchSize();
        int batches = (n + bs - 1) / bs;
        double lossSum = 0;
        long correct = 0;
        long start = System.nanoTime();
        try (ProgressBar bar = progressBar("epoch " + (epoch + 1) + "/" + config.epochs(), n)) {
            for (int b = 0; b < batches; b++) {
                int from = b * bs;
                int to = Math.min(n, from + bs);
                Tensor x = config.encoding().encode(train, order, from, to, config.timeSteps(), config.seed(), epoch);
                int[] labels = new int[to - from];
                for (int i = from; i < to; i++) {
                    labels[i - from] = train.labels()[order[i]];
                }
                optimizer.zeroGrad();
                float loss;
                Tensor logits;
                if (online != null) {
                    OnlineThroughTime.Result r = online.run(x, labels, config.timeSteps());
                    loss = r.loss();
                    logits = r.logits();
                } else {
                    Tape tape = new Tape();
                    SpikingMlp.Forward f = model.forward(tape, x, config.timeSteps());
                    Tensor lossTensor = Losses.crossEntropy(tape, f.logits(), labels);
                    tape.backward(lossTensor);
                    loss = lossTensor.item();
                    logits = f.logits();
                }
                optimizer.step();
                if (!Float.isFinite(loss)) {
                    throw new MyelinException("training: the loss became " + loss + " in epoch " + (epoch + 1)
                            + ", batch " + (b + 1) + "; lower the learning rate");
                }
                lossSum += (double) loss * (to - from);
                int[] predicted = Losses.argmax(logits);
                for (int i = 0; i < labels.length; i++) {
                    correct += predicted[i] == labels[i] ? 1 : 0;
                }
                if (bar != null) {
                    bar.stepTo(to);
                    double secs = (System.nanoTime() - start) / 1e9;
                    bar.setExtraMessage(String.format(java.util.Locale.ROOT,
                            " batch %d/%d loss %.4f acc %.2f%% %.0f samples/s", b + 1, batches, lossSum / to,
                            100.0 * correct / to, to / secs));
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double testAcc = test == null ? Double.NaN : evaluate(test);
        return new EpochMetrics(epoch + 1, lossSum / n, (double) correct / n, testAcc, n / seconds, seconds,
                optimizer.learningRate());
    }

    private ProgressBar progressBar(String task, int max) {
        if (!config.progress()) {
            return null;
        }
        return ProgressBars.open(task, max, " samples", 1);
    }

    /** Fraction of {@code data} classified correctly (direct or rate input as configured, batches of the batch size). */
    public double evaluate(LabelledData data) {
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        long correct = 0;
        int bs = Math.max(config.batchSize(), 256);
        for (int from = 0; from < data.size(); from += bs) {
            int to = Math.min(data.size(), from + bs);
            Tensor x = config.encoding().encode(data, order, from, to, config.timeSteps(), config.seed() + 1, 0);
            int[] predicted = Losses.argmax(model.forward(Tape.inference(), x, config.timeSteps()).logits());
            for (int i = from; i < to; i++) {
                correct += predicted[i - from] == data.labels()[i] ? 1 : 0;
            }
        }
        return (double) correct / data.size();
    }

    private void log(EpochMetrics m) {
        if (config.metricsLog() == null) {
            return;
        }
        try {
            Path parent = config.metricsLog().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(config.metricsLog(), m.toJson() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new MyelinException("training: cannot append to the metrics log " + config.metricsLog() + ": "
                    + e.getMessage());
        }
    }

    /** What a checkpoint must match: model, optimiser, batch size, steps, seed, encoding, training-set size. */
    private byte[] fingerprint(int trainSize) {
        StringBuilder sb = new StringBuilder(model.describe()).append('|').append(optimizer.describe());
        for (Tensor p : model.parameters()) {
            sb.append('|').append(p.name()).append(java.util.Arrays.toString(p.shape()));
        }
        sb.append("|batch=").append(config.batchSize()).append("|steps=").append(config.timeSteps())
                .append("|seed=").append(config.seed()).append("|encoding=").append(config.encoding())
                .append("|train=").append(trainSize).append("|method=").append(config.method());
        try {
            return MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes weights, optimiser state, epochs done and the metrics so far. */
    public void save(Path file, int trainSize) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new MyelinException("training: cannot create the folder of " + file + ": " + e.getMessage());
        }
        Checkpoint c = new Checkpoint(WRITER, fingerprint(trainSize), optimizer.steps());
        for (Tensor p : model.parameters()) {
            c.put("param." + p.name(), p.data());
        }
        for (Map.Entry<String, float[]> e : optimizer.state().entrySet()) {
            c.put(e.getKey(), e.getValue());
        }
        c.put("trainer.epochs", new int[] {nextEpoch});
        double[] packed = new double[history.size() * EpochMetrics.PACKED];
        for (int i = 0; i < history.size(); i++) {
            System.arraycopy(history.get(i).pack(), 0, packed, i * EpochMetrics.PACKED, EpochMetrics.PACKED);
        }
        c.put("trainer.history", packed);
        c.write(file);
    }

    /**
     * Loads a checkpoint written by {@link #save} for the same model, optimiser and configuration; training
     * then continues after its last epoch. Refuses a checkpoint of anything else, changing nothing.
     */
    public void resume(Path file, int trainSize) {
        Checkpoint c = Checkpoint.read(file);
        c.requireFor(WRITER, fingerprint(trainSize), "model or training configuration");
        Map<String, float[]> params = new HashMap<>();
        for (Tensor p : model.parameters()) {
            params.put(p.name(), c.floats("param." + p.name(), p.size()));
        }
        Map<String, float[]> state = new HashMap<>();
        for (String name : c.sectionNames()) {
            if (name.startsWith("optimizer.")) {
                state.put(name, c.floats(name));
            }
        }
        int epochs = c.ints("trainer.epochs", 1)[0];
        double[] packed = c.doubles("trainer.history", epochs * EpochMetrics.PACKED);
        optimizer.restore(state);
        for (Tensor p : model.parameters()) {
            System.arraycopy(params.get(p.name()), 0, p.data(), 0, p.size());
        }
        history.clear();
        for (int i = 0; i < epochs; i++) {
            history.add(EpochMetrics.unpack(packed, i * EpochMetrics.PACKED));
        }
        nextEpoch = epochs;
    }
}
