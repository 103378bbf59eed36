package org.myelin.learning.sdt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import org.myelin.core.MyelinException;
import org.myelin.learning.ops.Losses;
import org.myelin.learning.optim.LearningRateSchedule;
import org.myelin.learning.optim.Optimizer;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;
import org.myelin.learning.train.EpochMetrics;
import org.myelin.learning.train.LabelledData;
import org.myelin.learning.train.Trainer;

/**
 * Trains a {@link MetaSpikeFormer} with BPTT and cross-entropy: AdamW, a cosine learning-rate schedule with
 * linear warm-up, seeded shuffles ({@link Trainer#shuffle}), so a run is reproducible bit for bit.
 */
public final class SdtTraining {
    private SdtTraining() {
    }

    /**
     * @param epochs      passes over the training set
     * @param batch       samples per step
     * @param lr          peak learning rate
     * @param weightDecay AdamW's decoupled weight decay
     * @param warmup      steps of linear warm-up
     * @param seed        fixes the shuffles
     * @param progress    show a progress bar on stderr
     */
    public record Options(int epochs, int batch, double lr, double weightDecay, int warmup, long seed,
                          boolean progress) {
        public Options {
            if (epochs < 1 || batch < 2 || !(lr > 0) || weightDecay < 0 || warmup < 0) {
                throw new MyelinException("sdt training: needs epochs >= 1, batch >= 2 (batch norm), lr > 0,"
                        + " weight decay and warm-up >= 0");
            }
        }

        public static Options defaults() {
            return new Options(4, 64, 2e-3, 0.01, 200, 1, true);
        }
    }

    /** Accuracy, predictions and spike totals of a model on a dataset (evaluation forward pass). */
    public record Evaluation(double accuracy, int[] predictions, float[] logits, Map<String, long[]> spikes,
                             Map<String, Long> neuronSteps) {
        /** Spikes per neuron and step of layer {@code name}, over all samples. */
        public double firingRate(String name) {
            long total = 0;
            for (long s : spikes.get(name)) {
                total += s;
            }
            return (double) total / (neuronSteps.get(name) * (double) predictions.length);
        }

        /** Spikes of every layer over all neurons, steps and samples. */
        public double meanFiringRate() {
            double spikesAll = 0;
            double slots = 0;
            for (String name : spikes.keySet()) {
                for (long s : spikes.get(name)) {
                    spikesAll += s;
                }
                slots += neuronSteps.get(name) * (double) predictions.length;
            }
            return spikesAll / slots;
        }
    }

    /** Trains for the configured epochs; evaluates on {@code test} (may be null) after each and reports it. */
    public static List<EpochMetrics> train(MetaSpikeFormer model, LabelledData train, LabelledData test,
                                           Options o, Consumer<EpochMetrics> afterEpoch) {
        return train(model, train, test, o, afterEpoch, null);
    }

    /** As above; each epoch's evaluation on {@code test} also goes to {@code evaluations} (may be null). */
    public static List<EpochMetrics> train(MetaSpikeFormer model, LabelledData train, LabelledData test,
                                           Options o, Consumer<EpochMetrics> afterEpoch,
                                           Consumer<Evaluation> evaluations) {
        SdtSpec spec = model.spec();
        int per = spec.channels() * spec.size() * spec.size();
        if (train.features() != per) {
            throw new MyelinException("sdt training: the model takes " + spec.channels() + "x" + spec.size() + "x"
                    + spec.size() + " = " + per + " values per image, the data has " + train.features());
        }
        if (train.classes() > spec.classes()) {
            throw new MyelinException("sdt training: the data has " + train.classes() + " classes, the model "
                    + spec.classes());
        }
        int n = train.size();
        int batches = (n + o.batch() - 1) / o.batch();
        long total = (long) batches * o.epochs();
        LearningRateSchedule lr = LearningRateSchedule.cosine(o.lr(), Math.min(o.warmup(), total / 2), total,
                o.lr() * 0.01);
        Optimizer opt = Optimizer.adamW(model.parameters(), lr, 0.9, 0.999, 1e-8, o.weightDecay());
        List<EpochMetrics> history = new ArrayList<>();
        for (int epoch = 0; epoch < o.epochs(); epoch++) {
            int[] order = Trainer.shuffle(n, o.seed(), epoch);
            double lossSum = 0;
            long correct = 0;
            long start = System.nanoTime();
            try (ProgressBar bar = o.progress() ? bar("epoch " + (epoch + 1) + "/" + o.epochs(), n) : null) {
                for (int b = 0; b < batches; b++) {
                    int from = b * o.batch();
                    int to = Math.min(n, from + o.batch());
                    if (to - from < 2) {
                        continue; // batch norm needs two samples
                    }
                    float[] x = new float[(to - from) * per];
                    int[] labels = new int[to - from];
                    for (int i = from; i < to; i++) {
                        System.arraycopy(train.values(), order[i] * per, x, (i - from) * per, per);
                        labels[i - from] = train.labels()[order[i]];
                    }
                    opt.zeroGrad();
                    Tape tape = new Tape();
                    Tensor logits = model.forward(tape, x, to - from, true).logits();
                    Tensor loss = Losses.crossEntropy(tape, logits, labels);
                    tape.backward(loss);
                    opt.step();
                    float l = loss.item();
                    if (!Float.isFinite(l)) {
                        throw new MyelinException("sdt training: the loss became " + l + " in epoch " + (epoch + 1)
                                + ", batch " + (b + 1) + "; lower the learning rate");
                    }
                    lossSum += (double) l * (to - from);
                    int[] p = Losses.argmax(logits);
                    for (int i = 0; i < p.length; i++) {
                        correct += p[i] == labels[i] ? 1 : 0;
                    }
                    if (bar != null) {
                        bar.stepTo(to);
                        double secs = (System.nanoTime() - start) / 1e9;
                        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f acc %.2f%% %.1f samples/s",
                                lossSum / to, 100.0 * correct / to, to / secs));
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Evaluation ev = test == null ? null : evaluate(model, test, 256);
            if (ev != null && evaluations != null) {
                evaluations.accept(ev);
            }
            double testAcc = ev == null ? Double.NaN : ev.accuracy();
            EpochMetrics m = new EpochMetrics(epoch + 1, lossSum / n, (double) correct / n, testAcc, n / seconds,
                    seconds, opt.learningRate());
            history.add(m);
            if (afterEpoch != null) {
                afterEpoch.accept(m);
            }
        }
        return history;
    }

    private static ProgressBar bar(String task, int max) {
        return org.myelin.learning.train.ProgressBars.open(task, max, " samples", 1);
    }

    /** The evaluation forward pass (folded layers, running statistics) over {@code data} in batches. */
    public static Evaluation evaluate(MetaSpikeFormer model, LabelledData data, int batch) {
        SdtSpec spec = model.spec();
        int per = spec.channels() * spec.size() * spec.size();
        int n = data.size();
        int classes = spec.classes();
        int[] predictions = new int[n];
        float[] logits = new float[n * classes];
        Map<String, long[]> spikes = new LinkedHashMap<>();
        Map<String, Long> neurons = new LinkedHashMap<>();
        long correct = 0;
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            float[] x = java.util.Arrays.copyOfRange(data.values(), from * per, to * per);
            MetaSpikeFormer.Forward f = model.forward(Tape.inference(), x, to - from, false);
            System.arraycopy(f.logits().data(), 0, logits, from * classes, (to - from) * classes);
            int[] p = Losses.argmax(f.logits());
            for (int i = from; i < to; i++) {
                predictions[i] = p[i - from];
                correct += predictions[i] == data.labels()[i] ? 1 : 0;
            }
            for (var e : f.spikes().entrySet()) {
                long[] all = spikes.computeIfAbsent(e.getKey(), k -> new long[n]);
                System.arraycopy(e.getValue(), 0, all, from, to - from);
            }
            neurons.putAll(f.neurons());
        }
        return new Evaluation((double) correct / Math.max(1, n), predictions, logits, spikes, neurons);
    }
}
