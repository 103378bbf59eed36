package org.myelin.learning.train;

import java.util.List;
import org.myelin.core.MyelinException;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.neuron.LeakyNeuron;
import org.myelin.learning.neuron.SpikingLayer;
import org.myelin.learning.ops.Linear;
import org.myelin.learning.ops.MatrixKernels;
import org.myelin.learning.tensor.Tensor;

/**
 * Online training through time (Xiao et al., "Online training through time for spiking neural networks",
 * NeurIPS 2022), the OTTT_A form: the network runs forward one step at a time, a loss is taken at every step,
 * and each step's gradient goes back through the layers of that step only; the past enters through
 * presynaptic eligibility traces {@code a[t] = beta a[t-1] + x[t]} (beta of the receiving layer), so the weight
 * gradient of step t is {@code a[t]^T delta[t]} (and the bias's, {@code c[t] sum(delta[t])} with
 * {@code c[t] = beta c[t-1] + 1}). Gradients add up over the steps; the caller takes one optimiser step per
 * batch. Memory does not grow with the number of steps: nothing of past steps is stored but the traces.
 *
 * <p>The loss is the mean over steps of the cross-entropy of the output layer's instantaneous value (its
 * membrane potential for {@link SpikingMlp.Readout#MEMBRANE_MEAN}, else its spikes); the class scores
 * reported are that value summed over the steps. For a single non-resetting layer the traces make the
 * gradient exact (a test compares it with BPTT). Layers must be {@link LeakyNeuron}s without synaptic
 * current, recurrence or learned beta and threshold.
 */
public final class OnlineThroughTime {
    private final SpikingMlp model;
    private final LeakyNeuron[] layers;

    public OnlineThroughTime(SpikingMlp model) {
        this.model = model;
        List<SpikingLayer> ls = model.layers();
        this.layers = new LeakyNeuron[ls.size()];
        for (int l = 0; l < ls.size(); l++) {
            if (!(ls.get(l) instanceof LeakyNeuron n) || n.alpha() != null || n.recurrent() != null
                    || n.beta().requiresGrad() || n.threshold().requiresGrad()) {
                throw new MyelinException("online training: layer " + l + " is " + ls.get(l).describe()
                        + "; it needs leaky neurons without synaptic current, recurrence or learned beta and threshold");
            }
            layers[l] = n;
        }
    }

    /** The mean loss over steps and the class scores (batch, classes) of one batch. */
    public record Result(float loss, Tensor logits) {
    }

    /**
     * Sees, at every step and for every layer l, what enters layer l: the presynaptic activity {@code x}
     * (batch, width) and its eligibility trace {@code trace} (batch, width), the trace that the weight gradient
     * of the step is formed from. For a held input the first layer's trace is {@code c[t] x}; it is reported
     * as {@code x} itself at step 0 only (every later step would repeat it). Arrays are reused: copy what is kept.
     */
    @FunctionalInterface
    public interface StepObserver {
        void step(int t, int layer, float[] x, float[] trace, int batch, int width);
    }

    /**
     * Runs one batch: {@code input} is (batch, in), held for {@code steps} steps, or (time, batch, in).
     * Adds the gradients into the weights' and biases' gradient arrays.
     */
    public Result run(Tensor input, int[] labels, int steps) {
        return run(input, labels, steps, null, null);
    }

    /**
     * As {@link #run(Tensor, int[], int)}, with the loss taken over the output units {@code head} only (a
     * task's own head in task-incremental learning: labels are positions within it; null for all units, the
     * class scores returned are always all units') and an optional observer of every layer's input and trace.
     */
    public Result run(Tensor input, int[] labels, int steps, int[] head, StepObserver observer) {
        boolean held = input.rank() == 2;
        int t1 = held ? steps : input.dim(0);
        int batch = held ? input.dim(0) : input.dim(1);
        int in0 = model.inputs();
        if (labels.length != batch) {
            throw new MyelinException("online training: " + batch + " samples but " + labels.length + " labels");
        }
        int depth = layers.length;
        List<Tensor> weights = model.weights();
        List<Tensor> biases = model.biases();
        int[] width = new int[depth + 1];
        width[0] = in0;
        for (int l = 0; l < depth; l++) {
            width[l + 1] = layers[l].features();
        }
        float[][] state = new float[depth][];
        float[][] membrane = new float[depth][];
        float[][] spikes = new float[depth][];
        float[][] trace = new float[depth][];
        float[] biasTrace = new float[depth];
        float[][] weightsT = new float[depth][];
        for (int l = 0; l < depth; l++) {
            state[l] = new float[batch * width[l + 1]];
            membrane[l] = new float[batch * width[l + 1]];
            spikes[l] = new float[batch * width[l + 1]];
            trace[l] = new float[batch * width[l]];
            weightsT[l] = new float[width[l] * width[l + 1]];
            Linear.Feedback f = model.feedback(l);
            float[] back = f == null ? weights.get(l).data() : f.matrix(weights.get(l).data());
            MatrixKernels.transpose(back, width[l], width[l + 1], weightsT[l]);
        }
        // A held input makes layer 0's current the same at every step and its trace a multiple of the input,
        // c[t] x: the current is computed once, and the weight gradient sum_t (c[t] x)^T delta[t] as
        // x^T (sum_t c[t] delta[t]) at the end.
        float[] heldCurrent = null;
        float[] heldDelta = null;
        if (held) {
            heldCurrent = new float[batch * width[1]];
            float[] bias = biases.get(0).data();
            for (int r = 0; r < batch; r++) {
                System.arraycopy(bias, 0, heldCurrent, r * width[1], width[1]);
            }
            MatrixKernels.multiply(input.data(), batch, in0, weights.get(0).data(), width[1], heldCurrent, true);
            heldDelta = new float[batch * width[1]];
        }
        int classes = width[depth];
        int[] units = head != null ? head : java.util.stream.IntStream.range(0, classes).toArray();
        for (int r = 0; r < batch; r++) {
            if (labels[r] < 0 || labels[r] >= units.length) {
                throw new MyelinException("online training: label " + labels[r] + " of sample " + r
                        + " is outside the " + units.length + " output units trained");
            }
        }
        for (int u : units) {
            if (u < 0 || u >= classes) {
                throw new MyelinException("online training: output unit " + u + " does not exist (" + classes
                        + " units)");
            }
        }
        boolean membraneOut = model.readout() == SpikingMlp.Readout.MEMBRANE_MEAN;
        float[] logits = new float[batch * classes];
        float[] current = new float[0];
        double loss = 0;
        for (int t = 0; t < t1; t++) {
            float[] x = held ? input.data() : java.util.Arrays.copyOfRange(input.data(), t * batch * in0,
                    (t + 1) * batch * in0);
            for (int l = 0; l < depth; l++) {
                float beta = Math.max(0f, Math.min(1f, layers[l].beta().data()[0]));
                biasTrace[l] = beta * biasTrace[l] + 1f;
                int out = width[l + 1];
                if (l == 0 && held) {
                    if (observer != null && t == 0) {
                        observer.step(t, 0, x, x, batch, width[0]);
                    }
                    layers[0].step(heldCurrent, state[0], membrane[0], spikes[0]);
                    x = spikes[0];
                    continue;
                }
                float[] tr = trace[l];
                for (int k = 0; k < tr.length; k++) {
                    tr[k] = beta * tr[k] + x[k];
                }
                if (observer != null) {
                    observer.step(t, l, x, tr, batch, width[l]);
                }
                if (current.length != batch * out) {
                    current = new float[batch * out];
                }
                float[] bias = biases.get(l).data();
                for (int r = 0; r < batch; r++) {
                    System.arraycopy(bias, 0, current, r * out, out);
                }
                MatrixKernels.multiply(x, batch, width[l], weights.get(l).data(), out, current, true);
                layers[l].step(current, state[l], membrane[l], spikes[l]);
                x = spikes[l];
            }
            float[] o = membraneOut ? membrane[depth - 1] : spikes[depth - 1];
            float[] delta = new float[batch * classes];
            for (int r = 0; r < batch; r++) {
                for (int c = 0; c < classes; c++) {
                    logits[r * classes + c] += o[r * classes + c];
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int q = 0; q < units.length; q++) {
                    max = Math.max(max, o[r * classes + units[q]]);
                }
                double z = 0;
                for (int q = 0; q < units.length; q++) {
                    z += Math.exp(o[r * classes + units[q]] - max);
                }
                loss -= o[r * classes + units[labels[r]]] - max - Math.log(z);
                for (int q = 0; q < units.length; q++) {
                    double p = Math.exp(o[r * classes + units[q]] - max) / z;
                    delta[r * classes + units[q]] = (float) ((p - (q == labels[r] ? 1 : 0)) / ((double) batch * t1));
                }
            }
            if (!membraneOut) {
                surrogateGate(layers[depth - 1], membrane[depth - 1], delta);
            }
            for (int l = depth - 1; l >= 0; l--) {
                int out = width[l + 1];
                Tensor w = weights.get(l);
                Tensor b = biases.get(l);
                if (w.requiresGrad() && l == 0 && held) {
                    float c = biasTrace[0];
                    for (int k = 0; k < delta.length; k++) {
                        heldDelta[k] += c * delta[k];
                    }
                } else if (w.requiresGrad()) {
                    MatrixKernels.multiplyTransposedLeft(trace[l], batch, width[l], delta, out, w.grad());
                }
                if (b.requiresGrad()) {
                    float[] gb = b.grad();
                    for (int r = 0; r < batch; r++) {
                        for (int c = 0; c < out; c++) {
                            gb[c] += biasTrace[l] * delta[r * out + c];
                        }
                    }
                }
                if (l > 0) {
                    float[] back = new float[batch * width[l]];
                    MatrixKernels.multiply(delta, batch, out, weightsT[l], width[l], back, false);
                    surrogateGate(layers[l - 1], membrane[l - 1], back);
                    delta = back;
                }
            }
        }
        if (held && weights.get(0).requiresGrad()) {
            MatrixKernels.multiplyTransposedLeft(input.data(), batch, in0, heldDelta, width[1],
                    weights.get(0).grad());
        }
        return new Result((float) (loss / ((double) batch * t1)), Tensor.of(logits, batch, classes));
    }

    /** g *= surrogate'(U - theta): the gradient of a spike taken back onto the membrane. */
    private static void surrogateGate(LeakyNeuron layer, float[] membrane, float[] g) {
        float[] ths = layer.threshold().data();
        int f = layer.features();
        for (int k = 0; k < g.length; k++) {
            g[k] *= layer.surrogate().derivative(membrane[k] - ths[ths.length == 1 ? 0 : k % f]);
        }
    }
}
