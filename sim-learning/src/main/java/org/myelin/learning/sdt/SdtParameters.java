package org.myelin.learning.sdt;

import java.util.ArrayList;
import java.util.List;
import org.myelin.core.random.CounterRandom;
import org.myelin.learning.tensor.Tensor;

/**
 * The trainable tensors and batch-norm buffers of a {@link MetaSpikeFormer}, in creation order, and their
 * initialisation (counter-based draws keyed by the model's seed and each tensor's name).
 */
final class SdtParameters {
    private final long seed;
    final List<Tensor> tensors = new ArrayList<>();
    final List<float[]> buffers = new ArrayList<>();
    final List<String> bufferNames = new ArrayList<>();

    SdtParameters(long seed) {
        this.seed = seed;
    }

    Tensor parameter(String name, int... shape) {
        Tensor t = Tensor.parameter(name, shape);
        tensors.add(t);
        return t;
    }

    void buffer(String name, float[] values) {
        buffers.add(values);
        bufferNames.add(name);
    }

    /** A conv weight (and bias) initialised as PyTorch's Conv2d: uniform in +-1/sqrt(fan in). */
    Tensor convWeight(String name, int out, int inPerGroup, int k) {
        Tensor w = parameter(name, out, inPerGroup, k, k);
        double bound = 1 / Math.sqrt(inPerGroup * k * k);
        int stream = CounterRandom.streamOf(name);
        for (int i = 0; i < w.size(); i++) {
            w.data()[i] = (float) ((2 * CounterRandom.uniform(seed, stream, i, 0) - 1) * bound);
        }
        return w;
    }

    Tensor convBias(String name, int out, int fanIn) {
        Tensor b = parameter(name, out);
        double bound = 1 / Math.sqrt(fanIn);
        int stream = CounterRandom.streamOf(name);
        for (int i = 0; i < out; i++) {
            b.data()[i] = (float) ((2 * CounterRandom.uniform(seed, stream, i, 0) - 1) * bound);
        }
        return b;
    }
}
