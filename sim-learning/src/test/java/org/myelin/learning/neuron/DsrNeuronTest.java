package org.myelin.learning.neuron;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.myelin.learning.ops.Reductions;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * DSR's rate-domain backward: for long sequences the output rate of an IF neuron is clamp(input rate, 0,
 * theta), and the custom gradient is that clamp's derivative.
 */
class DsrNeuronTest {
    private static Tensor constant(int steps, float... rates) {
        float[] d = new float[steps * rates.length];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(rates, 0, d, t * rates.length, rates.length);
        }
        return Tensor.result(d, true, steps, 1, rates.length);
    }

    @Test
    void ifOutputRateIsTheClampedInputRate() {
        DsrNeuron n = DsrNeuron.of(4, false, 1f, 0f, 0f, 0.5f, false, 1f, 0.01f);
        Tensor x = constant(2000, -0.3f, 0.25f, 0.8f, 1.7f);
        Tensor rate = Reductions.meanFirst(Tape.inference(), n.forward(Tape.inference(), x, 0).spikes());
        assertEquals(0f, rate.data()[0], 1e-3);
        assertEquals(0.25f, rate.data()[1], 1e-3);
        assertEquals(0.8f, rate.data()[2], 1e-3);
        assertEquals(1f, rate.data()[3], 1e-3);
    }

    @Test
    void ifGradientIsTheClampsDerivativeSpreadOverSteps() {
        DsrNeuron n = DsrNeuron.of(3, false, 1f, 0f, 0f, 0.5f, true, 1f, 0.01f);
        Tensor x = constant(10, 0.4f, 1.5f, -0.2f);
        Tape tape = new Tape();
        Tensor rate = Reductions.meanFirst(tape, n.forward(tape, x, 0).spikes());
        tape.backward(Reductions.sum(tape, rate));
        // d(sum of mean rates)/dx[t] = 1/T inside [0, theta], 0 outside; d/dtheta = 1 for the neuron above
        assertEquals(0.1f, x.grad()[0], 1e-6);
        assertEquals(0f, x.grad()[1], 1e-6);
        assertEquals(0f, x.grad()[2], 1e-6);
        assertEquals(1f, n.threshold().grad()[0], 1e-6);
    }

    @Test
    void lifOutputRateFollowsTheInputAndItsGradientIsTheWeightedRatesOverTau() {
        DsrNeuron n = DsrNeuron.of(1, true, 1f, 2f, 0.05f, 0.3f, false, 1f, 0.1f);
        Tensor x = constant(400, 12f);
        Tape tape = new Tape();
        Tensor out = n.forward(tape, x, 0).spikes();
        Tensor r = DsrNeuron.weightedRate(tape, out, 2f, 0.05f);
        // output rate (s / dt per step) of b u + (1 - b) x with b = exp(-dt/tau): about x (1 - b) / dt = x / tau
        assertEquals(12f * (1 - Math.exp(-0.025)) / 0.05, r.data()[0], 0.35);
        tape.backward(Reductions.sum(tape, r));
        // the output gradient's weighted mean times T, over tau, spread evenly over the T steps: sum(w^2) / tau
        float[] w = DsrNeuron.rateWeights(400, 2f, 0.05f);
        double sumSquares = 0;
        for (float v : w) {
            sumSquares += v * v;
        }
        assertEquals(sumSquares / 2, x.grad()[0], 1e-7);
        assertEquals(sumSquares / 2, x.grad()[399], 1e-7);
    }
}
