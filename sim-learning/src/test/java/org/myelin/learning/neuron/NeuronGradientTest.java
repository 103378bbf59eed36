package org.myelin.learning.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.myelin.learning.ops.Elementwise;
import org.myelin.learning.tensor.GradCheck;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * The neuron layers' backward passes, checked against finite differences with the spike function replaced
 * by its smooth surrogate in the forward pass (the detached resets stay hard, as their gradient is cut).
 */
class NeuronGradientTest {
    @Test
    void surrogateDerivativesAreTheDerivativesOfTheirSmoothFunctions() {
        for (Surrogate s : new Surrogate[] {Surrogate.atan(2f), Surrogate.sigmoid(4f), Surrogate.fastSigmoid(5f),
                Surrogate.rectangular(1f)}) {
            for (float x = -1.3f; x <= 1.3f; x += 0.07f) {
                if (s.kind() == Surrogate.Kind.RECTANGULAR && Math.abs(Math.abs(x) - 0.5f) < 0.02f) {
                    continue;
                }
                double h = 1e-3;
                double numeric = (s.smooth((float) (x + h)) - s.smooth((float) (x - h))) / (2 * h);
                assertEquals(numeric, s.derivative(x), 2e-3 + 1e-2 * Math.abs(numeric), s + " at " + x);
            }
        }
    }

    private static void checkLeaky(String what, LeakyNeuron.Builder b, boolean held, boolean membraneToo) {
        LeakyNeuron layer = b.build();
        layer.smoothForTesting = true;
        if (layer.recurrent() != null) {
            GradCheck.fill(layer.recurrent(), 31, -0.4f, 0.4f);
        }
        // The detached reset is a step in U: keep every U away from the threshold so that the finite
        // differences do not straddle it.
        Tensor x = null;
        for (long seed = 21; x == null; seed++) {
            Tensor candidate = held ? GradCheck.param(seed, 0f, 0.8f, 3, 4)
                    : GradCheck.param(seed, -0.3f, 1.2f, 6, 3, 4);
            NeuronOutput o = layer.forward(Tape.inference(), candidate, 6);
            float[] th = layer.threshold().data();
            boolean clear = true;
            for (int i = 0; i < o.membrane().size(); i++) {
                clear &= Math.abs(o.membrane().data()[i] - th[th.length == 1 ? 0 : i % 4]) > 0.02f;
            }
            x = clear ? candidate : null;
        }
        Tensor input = x;
        List<Tensor> inputs = new ArrayList<>(layer.parameters());
        inputs.add(input);
        GradCheck.check(what, t -> {
            NeuronOutput out = layer.forward(t, input, 6);
            return membraneToo ? Elementwise.concatLast(t, out.spikes(), out.membrane()) : out.spikes();
        }, inputs, 1e-3, 2e-3, 1e-2);
    }

    @Test
    void leakyGradientsMatchFiniteDifferences() {
        for (LeakyNeuron.Reset r : LeakyNeuron.Reset.values()) {
            checkLeaky("leaky " + r, LeakyNeuron.builder(4).reset(r).beta(0.8f, true).threshold(0.7f, true),
                    false, true);
        }
        checkLeaky("leaky per neuron, held input", LeakyNeuron.builder(4).beta(0.85f, true).threshold(0.6f, true)
                .perNeuron(true).surrogate(Surrogate.fastSigmoid(3f)), true, false);
        checkLeaky("synaptic", LeakyNeuron.builder(4).synaptic(0.7f, true).beta(0.8f, true).threshold(0.9f, true)
                .surrogate(Surrogate.sigmoid(3f)), false, true);
        for (LeakyNeuron.Reset r : new LeakyNeuron.Reset[] {LeakyNeuron.Reset.SUBTRACT, LeakyNeuron.Reset.ZERO}) {
            checkLeaky("leaky immediate " + r, LeakyNeuron.builder(4).reset(r).resetDelay(false)
                    .beta(0.8f, true).threshold(0.7f, true), false, true);
            checkLeaky("recurrent leaky immediate " + r, LeakyNeuron.builder(4).reset(r).resetDelay(false)
                    .recurrent(true).beta(0.8f, true).threshold(0.7f, true), false, true);
        }
        checkLeaky("recurrent leaky", LeakyNeuron.builder(4).recurrent(true).beta(0.8f, true), false, false);
        checkLeaky("recurrent synaptic, zero reset", LeakyNeuron.builder(4).recurrent(true).synaptic(0.6f, false)
                .reset(LeakyNeuron.Reset.ZERO), false, true);
    }

    @Test
    void jellyLifGradientsMatchFiniteDifferences() {
        for (boolean decayInput : new boolean[] {true, false}) {
            for (float vReset : new float[] {0f, Float.NaN}) {
                for (boolean detach : new boolean[] {false, true}) {
                    JellyLifNeuron layer = new JellyLifNeuron(4, 2.5f, decayInput, 0.8f, vReset, detach,
                            Surrogate.sigmoid(4f));
                    layer.smoothForTesting = true;
                    Tensor x = GradCheck.param(23, -0.2f, 1.6f, 5, 3, 4);
                    GradCheck.check("lif decayInput=" + decayInput + " vReset=" + vReset + " detach=" + detach,
                            t -> {
                                NeuronOutput o = layer.forward(t, x, 0);
                                return Elementwise.concatLast(t, o.spikes(), o.membrane());
                            }, List.of(x), 1e-3, 2e-3, 1e-2);
                }
            }
        }
    }

    @Test
    void leakyForwardFollowsSnnTorchByHand() {
        LeakyNeuron layer = LeakyNeuron.builder(1).beta(0.5f, false).threshold(1f, false).build();
        Tensor x = Tensor.of(new float[] {1.2f, 0f, 0.9f, 0.9f, 0f}, 5, 1, 1);
        NeuronOutput o = layer.forward(Tape.inference(), x, 0);
        // U: 1.2 (spike); 0.6 - 1 = -0.4; -0.2 + 0.9 = 0.7; 0.35 + 0.9 = 1.25 (spike); 0.625 - 1 = -0.375
        assertArrayEquals(new float[] {1.2f, -0.4f, 0.7f, 1.25f, -0.375f}, o.membrane().data(), 1e-6f);
        assertArrayEquals(new float[] {1, 0, 0, 1, 0}, o.spikes().data());
    }

    @Test
    void jellyLifForwardFollowsSpikingJellyByHand() {
        JellyLifNeuron layer = JellyLifNeuron.withDefaults(1);
        Tensor x = Tensor.of(new float[] {1.5f, 1.5f, 2f, 0f}, 4, 1, 1);
        NeuronOutput o = layer.forward(Tape.inference(), x, 0);
        // H = V + (X - V)/2: 0.75; 0.75 + 0.375 = 1.125 (spike, V = 0); 1.0 (spike, >= 0); 0
        assertArrayEquals(new float[] {0.75f, 1.125f, 1f, 0f}, o.membrane().data(), 1e-6f);
        assertArrayEquals(new float[] {0, 1, 1, 0}, o.spikes().data());
    }
}
