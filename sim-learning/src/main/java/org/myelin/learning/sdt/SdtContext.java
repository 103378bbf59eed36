package org.myelin.learning.sdt;

import java.util.LinkedHashMap;
import java.util.Map;
import org.myelin.learning.neuron.JellyLifNeuron;
import org.myelin.learning.neuron.Surrogate;
import org.myelin.learning.ops.Elementwise;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * What one forward pass of a {@link MetaSpikeFormer} carries through its layers: the tape, training or evaluation,
 * whether evaluation uses the folded convolutions, the sequence's steps and batch, and the spike counts of every
 * neuron layer.
 */
final class SdtContext {
    final Tape tape;
    final boolean training;
    final boolean folded;
    final int steps;
    final int batch;
    /** Gradient checks: smooth spikes and frozen batch-norm statistics. */
    final boolean smooth;
    final Map<String, long[]> spikes = new LinkedHashMap<>();
    final Map<String, Long> neurons = new LinkedHashMap<>();

    SdtContext(Tape tape, boolean training, boolean foldedEvaluation, int steps, int batch, boolean smooth) {
        this.tape = tape;
        this.training = training;
        this.folded = !training && foldedEvaluation;
        this.steps = steps;
        this.batch = batch;
        this.smooth = smooth;
    }

    /** LIF over a (T*B, ...) tensor; the spikes have its shape. */
    Tensor fire(String name, Tensor x, float threshold) {
        return fire(name, x, threshold, 4f);
    }

    /** As {@link #fire(String, Tensor, float)} with the sigmoid surrogate's slope {@code alpha}. */
    Tensor fire(String name, Tensor x, float threshold, float alpha) {
        int features = x.size() / (steps * batch);
        Tensor seq = Elementwise.reshape(tape, x, steps, batch, features);
        JellyLifNeuron lif = smooth
                ? new JellyLifNeuron(features, 2f, true, threshold, 0f, false, Surrogate.sigmoid(alpha))
                        .smoothForGradientChecks()
                : new JellyLifNeuron(features, 2f, true, threshold, 0f, true, Surrogate.sigmoid(alpha));
        Tensor s = lif.forward(tape, seq, steps).spikes();
        long[] counts = new long[batch];
        float[] d = s.data();
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int base = (t * batch + b) * features;
                long n = 0;
                for (int k = 0; k < features; k++) {
                    n += d[base + k] != 0f ? 1 : 0;
                }
                counts[b] += n;
            }
        }
        if (spikes.containsKey(name)) {
            throw new IllegalStateException("two neuron layers named " + name);
        }
        spikes.put(name, counts);
        neurons.put(name, (long) features * steps);
        return Elementwise.reshape(tape, s, x.shape());
    }
}
