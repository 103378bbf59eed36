package org.myelin.learning.hlop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.random.CounterRandom;
import org.myelin.learning.export.NetworkExport;
import org.myelin.learning.lmu.L2muExport;
import org.myelin.learning.train.LabelledData;

/**
 * A model trained by HLOP's continual learning (DSR-LIF hidden layers with the rate backward, the OTTT leaky
 * neurons, BPTT's snnTorch leaky neurons with their delayed reset, or the reference's BPTT neuron (SpikingJelly's LIF,
 * tau 2, decay_input false, soft reset), and the non-spiking membrane read-out) runs on the core: every hidden layer's spikes equal the training
 * graph's on every test sample of every task, and so do the class scores and the answer within the task's head.
 */
class HlopCoreTest {

    /** Four classes of noisy prototypes (20 features in [0, 1]); split into two tasks of two classes. */
    private static LabelledData data(int n, long seed) {
        int f = 20;
        float[] v = new float[n * f];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % 4;
            labels[i] = c;
            for (int j = 0; j < f; j++) {
                double proto = (j % 4 == c ? 0.8 : 0.1) + 0.1 * (j % 3);
                v[i * f + j] = (float) Math.max(0, Math.min(1, proto + 0.25 * (CounterRandom.uniform(seed, 2, i * f
                        + j, 0) - 0.5)));
            }
        }
        return new LabelledData(v, labels, f, 4);
    }

    @ParameterizedTest
    @EnumSource(value = ContinualLearning.Neurons.class, names = {"DSR", "OTTT", "BPTT", "BPTT_LIF"})
    void aTrainedHlopModelRunsOnTheCoreWithTheTrainingGraphsSpikes(ContinualLearning.Neurons neurons) {
        List<ContinualLearning.Task> tasks = ContinualLearning.split(data(160, 1), data(40, 2), 2);
        ContinualLearning.Settings s = new ContinualLearning.Settings(new int[] {48}, neurons, neurons
                == ContinualLearning.Neurons.DSR ? 20 : 6, 16, 0.05, 6, 3, new int[] {8, 6}, new int[][] {{4, 4}},
                new float[] {0.01f, 0.01f}, 2, 0, 0);
        ContinualLearning.Result r = ContinualLearning.run(tasks, ContinualLearning.Method.HLOP, s, null);
        assertTrue(r.acc() > 0.6, "training must have worked (chance 0.5 per head): " + r.acc());
        long spikes = 0;
        int samples = 0;
        for (ContinualLearning.Task task : tasks) {
            for (int i = 0; i < 10; i++) {
                L2muExport.Agreement a = NetworkExport.verify(r.model(), ContinualLearning.testSample(task.test(), i,
                        s), s.timeSteps(), Backends.find("cpu"), new SimulationConfig(1), task.classes());
                assertTrue(a.identical(), task.name() + " sample " + i + ": " + a.differing() + " of " + a.spikes()
                        + " spikes differ; first: " + a.firstDifference());
                assertEquals(a.graphClass(), a.coreClass(), task.name() + " sample " + i);
                org.junit.jupiter.api.Assertions.assertArrayEquals(a.graphScores(), a.coreScores(), task.name()
                        + " sample " + i + ": read-out scores");
                spikes += a.spikes();
                samples++;
            }
        }
        assertTrue(spikes > 4L * samples, "the hidden layer must spike: " + spikes + " over " + samples + " samples");
    }
}
