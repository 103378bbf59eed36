package org.myelin.learning.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myelin.learning.ops.Elementwise;
import org.myelin.learning.ops.Reductions;
import org.myelin.learning.tensor.GradCheck;
import org.myelin.learning.tensor.Parallel;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/** The row-wise fast path of {@link LeakyNeuron} gives the same bits as the general path. */
class LeakyPathsTest {
    private static float[][] run(LeakyNeuron.Reset reset, boolean held, boolean general, Surrogate s) {
        LeakyNeuron layer = LeakyNeuron.builder(50).beta(0.85f, true).threshold(0.9f, true).reset(reset)
                .surrogate(s).build();
        layer.generalForTesting = general;
        Tensor x = held ? GradCheck.param(3, -0.2f, 0.6f, 7, 50) : GradCheck.param(4, -0.5f, 1.5f, 9, 7, 50);
        Tape tape = new Tape();
        NeuronOutput o = layer.forward(tape, x, 9);
        Tensor w = GradCheck.fill(Tensor.zeros(9, 7, 50), 5, -1f, 1f);
        Tensor loss = Elementwise.add(tape, Reductions.sum(tape, Elementwise.mul(tape, o.spikes(), w)),
                Reductions.sum(tape, Elementwise.mul(tape, o.membrane(), w)));
        tape.backward(loss);
        return new float[][] {o.spikes().data(), o.membrane().data(), x.grad(), layer.beta().grad(),
            layer.threshold().grad()};
    }

    @Test
    void fastPathMatchesGeneralPathBitForBit() {
        int keep = Parallel.threads();
        try {
            for (int threads : new int[] {1, 3}) {
                Parallel.setThreads(threads);
                for (LeakyNeuron.Reset r : LeakyNeuron.Reset.values()) {
                    for (boolean held : new boolean[] {true, false}) {
                        for (Surrogate s : new Surrogate[] {Surrogate.atan(2f), Surrogate.sigmoid(5f),
                                Surrogate.fastSigmoid(10f), Surrogate.rectangular(0.8f)}) {
                            float[][] fast = run(r, held, false, s);
                            float[][] slow = run(r, held, true, s);
                            float spikes = 0;
                            for (float v : fast[0]) {
                                spikes += v;
                            }
                            assertTrue(spikes > 0, "the case must spike");
                            for (int i = 0; i < fast.length; i++) {
                                assertArrayEquals(slow[i], fast[i], r + " held=" + held + " " + s + " array " + i);
                            }
                        }
                    }
                }
            }
        } finally {
            Parallel.setThreads(keep);
        }
    }
}
