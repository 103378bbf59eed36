package org.myelin.learning.hlop;

import org.myelin.learning.hlop.ContinualLearning.Settings;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.ops.Losses;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;
import org.myelin.learning.train.Encoding;
import org.myelin.learning.train.LabelledData;

/**
 * What EWC keeps of one finished task: the diagonal empirical Fisher of the weights on the task and the weights
 * themselves, the anchor of the quadratic penalty (lambda / 2) sum F (w - w_task)^2 that later tasks pay.
 *
 * @param fisher  per layer, the mean squared batch gradient of each weight
 * @param weights per layer, the weights when the task ended
 */
record EwcAnchor(float[][] fisher, float[][] weights) {
    /** The diagonal empirical Fisher of the weights on (at most 1,024 samples of) a task, and the weights. */
    static EwcAnchor of(SpikingMlp model, LabelledData data, int[] classes, Settings s) {
        int layers = model.layers().size();
        float[][] f = new float[layers][];
        float[][] w = new float[layers][];
        for (int l = 0; l < layers; l++) {
            f[l] = new float[model.weights().get(l).size()];
            w[l] = model.weights().get(l).data().clone();
        }
        int[] order = new int[Math.min(1024, data.size())];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int batches = 0;
        for (int from = 0; from < order.length; from += s.batchSize()) {
            int to = Math.min(order.length, from + s.batchSize());
            Tensor x = Encoding.DIRECT.encode(data, order, from, to, s.timeSteps(), s.seed(), 0);
            int[] labels = new int[to - from];
            for (int i = from; i < to; i++) {
                labels[i - from] = ContinualLearning.headLabel(data.labels()[i], classes);
            }
            Tape tape = new Tape();
            Tensor logits = model.forward(tape, x, s.timeSteps()).logits();
            Tensor loss = Losses.crossEntropy(tape, ContinualLearning.head(tape, logits, classes), labels);
            for (Tensor p : model.weights()) {
                p.zeroGrad();
            }
            tape.backward(loss);
            for (int l = 0; l < layers; l++) {
                float[] g = model.weights().get(l).grad();
                for (int k = 0; k < g.length; k++) {
                    f[l][k] += g[k] * g[k];
                }
            }
            batches++;
        }
        for (float[] fl : f) {
            for (int k = 0; k < fl.length; k++) {
                fl[k] /= batches;
            }
        }
        for (Tensor p : model.weights()) {
            p.zeroGrad();
        }
        return new EwcAnchor(f, w);
    }

    /** Adds the penalty's gradient, lambda F (w - w_task), to the weights' gradients. */
    void addPenaltyGradient(SpikingMlp model, float lambda) {
        int layers = model.layers().size();
        for (int l = 0; l < layers; l++) {
            float[] w = model.weights().get(l).data();
            float[] g = model.weights().get(l).grad();
            for (int k = 0; k < w.length; k++) {
                g[k] += lambda * fisher[l][k] * (w[k] - weights[l][k]);
            }
        }
    }
}
