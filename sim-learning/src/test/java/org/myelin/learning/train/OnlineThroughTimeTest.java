package org.myelin.learning.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.learning.model.MlpSpec;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.neuron.LeakyNeuron;
import org.myelin.learning.neuron.Surrogate;
import org.myelin.learning.ops.Elementwise;
import org.myelin.learning.ops.Losses;
import org.myelin.learning.optim.LearningRateSchedule;
import org.myelin.learning.optim.Optimizer;
import org.myelin.learning.tensor.GradCheck;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

class OnlineThroughTimeTest {
    @Test
    void forOneNonResettingLayerTheTracesGiveTheExactGradient() {
        exactForOneLayer(GradCheck.fill(Tensor.zeros(6, 3, 7), 3, 0f, 1f));
        exactForOneLayer(GradCheck.fill(Tensor.zeros(3, 7), 4, 0f, 1f));
    }

    private static void exactForOneLayer(Tensor x) {
        SpikingMlp m = new SpikingMlp(7, new int[] {4}, (name, n) -> LeakyNeuron.builder(n).name(name)
                .beta(0.8f, false).reset(LeakyNeuron.Reset.NONE).build(), SpikingMlp.Readout.MEMBRANE_MEAN, 5);
        int[] labels = {2, 0, 3};
        new OnlineThroughTime(m).run(x, labels, 6);
        float[] onlineW = m.weights().get(0).grad().clone();
        float[] onlineB = m.biases().get(0).grad().clone();
        bpttOfTheSameLoss(m, x, labels, 6, null);
        float[] bpttW = m.weights().get(0).grad();
        float[] bpttB = m.biases().get(0).grad();
        for (int i = 0; i < bpttW.length; i++) {
            assertEquals(bpttW[i], onlineW[i], 1e-6 + 1e-4 * Math.abs(bpttW[i]), "weight " + i);
        }
        for (int i = 0; i < bpttB.length; i++) {
            assertEquals(bpttB[i], onlineB[i], 1e-6 + 1e-4 * Math.abs(bpttB[i]), "bias " + i);
        }
    }

    /**
     * Replaces the one layer's gradients by BPTT's of the loss online training takes: the mean over steps (and
     * samples) of the cross-entropy of the membrane, over the head's units (null: all).
     */
    private static void bpttOfTheSameLoss(SpikingMlp m, Tensor x, int[] labels, int steps, int[] head) {
        m.weights().get(0).zeroGrad();
        m.biases().get(0).zeroGrad();
        int b = labels.length;
        Tape tape = new Tape();
        Tensor u = m.forward(tape, x, steps).layers().get(0).membrane();
        int[] repeated = new int[steps * b];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(labels, 0, repeated, t * b, b);
        }
        Tensor scores = Elementwise.reshape(tape, u, steps * b, m.outputs());
        tape.backward(Losses.crossEntropy(tape, head == null ? scores : Elementwise.columns(tape, scores, head),
                repeated));
    }

    @Test
    void aHeadRestrictsTheLossToItsUnitsAndTheObserverSeesEveryStepsTrace() {
        Tensor x = GradCheck.fill(Tensor.zeros(5, 3, 7), 8, 0f, 1f);
        SpikingMlp m = new SpikingMlp(7, new int[] {4}, (name, n) -> LeakyNeuron.builder(n).name(name)
                .beta(0.8f, false).reset(LeakyNeuron.Reset.NONE).build(), SpikingMlp.Readout.MEMBRANE_MEAN, 6);
        int[] head = {3, 1};
        int[] labels = {1, 0, 1};                  // positions within the head: units 1, 3, 1
        float[] expected = new float[3 * 7];
        int[] seen = new int[1];
        new OnlineThroughTime(m).run(x, labels, 5, head, (t, l, in, trace, b, width) -> {
            assertEquals(0, l);
            assertEquals(3, b);
            assertEquals(7, width);
            for (int k = 0; k < expected.length; k++) {
                assertEquals(x.data()[t * 21 + k], in[k], 0f, "input of step " + t);
                expected[k] = 0.8f * expected[k] + x.data()[t * 21 + k];
                assertEquals(expected[k], trace[k], 1e-6f, "trace of step " + t);
            }
            seen[0]++;
        });
        assertEquals(5, seen[0]);
        float[] onlineW = m.weights().get(0).grad().clone();
        bpttOfTheSameLoss(m, x, labels, 5, head);
        float[] bpttW = m.weights().get(0).grad();
        for (int i = 0; i < bpttW.length; i++) {
            assertEquals(bpttW[i], onlineW[i], 1e-6 + 1e-4 * Math.abs(bpttW[i]), "weight " + i);
            if (i % 4 == 0 || i % 4 == 2) {
                assertEquals(0f, onlineW[i], "units outside the head get no gradient: weight " + i);
            }
        }
        var e = assertThrows(MyelinException.class, () -> new OnlineThroughTime(m).run(x, new int[] {2, 0, 1}, 5,
                head, null));
        assertTrue(e.getMessage().contains("label 2"), e.getMessage());
    }

    @Test
    void onlineTrainingLearnsSeparableClasses() {
        LabelledData train = TrainerTest.clusters(320, 1);
        LabelledData test = TrainerTest.clusters(160, 2);
        MlpSpec spec = new MlpSpec(24, new int[] {32, 4}, "leaky", 0.9f, 0.8f, 1f, false, false, false,
                Surrogate.atan(2f), SpikingMlp.Readout.MEMBRANE_MEAN, 3);
        SpikingMlp m = spec.build();
        Optimizer opt = Optimizer.adam(m.parameters(), LearningRateSchedule.constant(5e-3), 0.9, 0.999, 1e-8, 0);
        Trainer t = new Trainer(m, opt, new TrainingConfig(6, 32, 6, 17, Encoding.RATE, null, null, false,
                TrainingConfig.Method.ONLINE));
        List<EpochMetrics> h = t.fit(train, test);
        assertTrue(h.get(5).testAccuracy() > 0.9, h.get(5).toString());
    }

    @Test
    void dsrNeuronsLearnSeparableClasses() {
        LabelledData train = TrainerTest.clusters(320, 1);
        LabelledData test = TrainerTest.clusters(160, 2);
        for (String neuron : new String[] {"dsr-if", "dsr-lif"}) {
            MlpSpec spec = new MlpSpec(24, new int[] {32, 4}, neuron, 0.9f, 0.8f, 1f, false, true, false,
                    Surrogate.atan(2f), SpikingMlp.Readout.MEMBRANE_MEAN, 3);
            SpikingMlp m = spec.build();
            Optimizer opt = Optimizer.adam(m.parameters(), LearningRateSchedule.constant(5e-3), 0.9, 0.999, 1e-8, 0);
            List<EpochMetrics> h = new Trainer(m, opt, new TrainingConfig(8, 32, 8, 17, Encoding.DIRECT, null, null,
                    false)).fit(train, test);
            assertTrue(h.get(7).testAccuracy() > 0.9, neuron + ": " + h.get(7));
        }
    }

    @Test
    void layersOnlineTrainingCannotHandleAreRefused() {
        SpikingMlp m = TrainerTest.spec("synaptic").build();
        var e = assertThrows(MyelinException.class, () -> new OnlineThroughTime(m));
        assertTrue(e.getMessage().contains("without synaptic current"), e.getMessage());
    }
}
