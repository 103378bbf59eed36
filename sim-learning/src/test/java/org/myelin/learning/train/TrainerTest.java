package org.myelin.learning.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.core.random.CounterRandom;
import org.myelin.learning.model.MlpSpec;
import org.myelin.learning.model.ModelFile;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.neuron.Surrogate;
import org.myelin.learning.optim.LearningRateSchedule;
import org.myelin.learning.optim.Optimizer;
import org.myelin.learning.tensor.Parallel;
import org.myelin.learning.tensor.Tensor;

class TrainerTest {
    /** Four classes of 24 features: a class lights its own block of 6 features, plus noise. */
    static LabelledData clusters(int n, long seed) {
        float[] v = new float[n * 24];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = (int) (CounterRandom.bits(seed, 1, i, 0) >>> 62);
            for (int j = 0; j < 24; j++) {
                float noise = (float) CounterRandom.uniform(seed, 2, (long) i * 24 + j, 0) * 0.5f;
                v[i * 24 + j] = (j / 6 == y[i] ? 0.6f : 0f) + noise;
            }
        }
        return new LabelledData(v, y, 24, 4);
    }

    static MlpSpec spec(String neuron) {
        return new MlpSpec(24, new int[] {32, 4}, neuron, 0.9f, 0.8f, 1f, true, true, false, Surrogate.atan(2f),
                SpikingMlp.Readout.MEMBRANE_MEAN, 3);
    }

    static Trainer trainer(SpikingMlp m, int epochs, Path dir, Encoding enc) {
        Optimizer opt = Optimizer.adam(m.parameters(), LearningRateSchedule.cosine(5e-3, 5, epochs * 10L, 0), 0.9,
                0.999, 1e-8, 0);
        return new Trainer(m, opt, new TrainingConfig(epochs, 32, 6, 17, enc, dir, dir == null ? null
                : dir.resolve("metrics.jsonl"), false));
    }

    static float[][] weights(SpikingMlp m) {
        return m.parameters().stream().map(t -> t.data().clone()).toArray(float[][]::new);
    }

    @Test
    void learnsSeparableClassesWithEveryNeuronAndEncoding() {
        LabelledData train = clusters(320, 1);
        LabelledData test = clusters(160, 2);
        for (String neuron : new String[] {"leaky", "synaptic", "lif"}) {
            for (Encoding enc : Encoding.values()) {
                SpikingMlp m = spec(neuron).build();
                List<EpochMetrics> h = trainer(m, 6, null, enc).fit(train, test);
                assertTrue(h.get(5).testAccuracy() > 0.9, neuron + " " + enc + ": " + h.get(5));
                assertTrue(h.get(5).trainLoss() < h.get(0).trainLoss(), neuron + " " + enc + ": loss did not fall");
            }
        }
    }

    @Test
    void runsAreReproducibleBitForBitOnAnyThreadCount() {
        LabelledData train = clusters(320, 1);
        float[][][] w = new float[2][][];
        int keep = Parallel.threads();
        try {
            for (int run = 0; run < 2; run++) {
                Parallel.setThreads(run == 0 ? 1 : 3);
                SpikingMlp m = spec("leaky").build();
                trainer(m, 3, null, Encoding.RATE).fit(train, null);
                w[run] = weights(m);
            }
        } finally {
            Parallel.setThreads(keep);
        }
        for (int i = 0; i < w[0].length; i++) {
            assertArrayEquals(w[0][i], w[1][i]);
        }
    }

    @Test
    void aRunResumedFromEpochTwoEndsWithTheSameWeights(@TempDir Path dir) throws Exception {
        LabelledData train = clusters(320, 1);
        LabelledData test = clusters(100, 2);
        SpikingMlp whole = spec("leaky").build();
        Trainer t1 = trainer(whole, 4, dir.resolve("whole"), Encoding.RATE);
        t1.fit(train, test);
        assertEquals(4, Files.readAllLines(dir.resolve("whole/metrics.jsonl")).size());

        SpikingMlp first = spec("leaky").build();
        trainer(first, 4, dir.resolve("part"), Encoding.RATE).fitUntil(train, test, 2);
        SpikingMlp resumed = spec("leaky").build();
        Trainer t2 = trainer(resumed, 4, dir.resolve("part"), Encoding.RATE);
        t2.resume(dir.resolve("part/epoch-2.ckpt"), train.size());
        assertEquals(2, t2.epochsDone());
        t2.fit(train, test);
        float[][] a = weights(whole);
        float[][] b = weights(resumed);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], "parameter " + whole.parameters().get(i).name());
        }
        for (int e = 0; e < 4; e++) {
            assertEquals(t1.history().get(e).trainLoss(), t2.history().get(e).trainLoss());
            assertEquals(t1.history().get(e).testAccuracy(), t2.history().get(e).testAccuracy());
        }
    }

    @Test
    void aCheckpointOfAnotherConfigurationOrADamagedOneIsRefusedAndChangesNothing(@TempDir Path dir)
            throws Exception {
        LabelledData train = clusters(64, 1);
        trainer(spec("leaky").build(), 1, dir, Encoding.DIRECT).fit(train, null);
        Path ckpt = dir.resolve("epoch-1.ckpt");
        SpikingMlp other = spec("leaky").build();
        float[][] before = weights(other);
        Optimizer opt = Optimizer.adam(other.parameters(), LearningRateSchedule.constant(1e-3), 0.9, 0.999, 1e-8, 0);
        Trainer wrongBatch = new Trainer(other, opt, new TrainingConfig(1, 16, 6, 17, Encoding.DIRECT, null, null,
                false));
        var e = assertThrows(MyelinException.class, () -> wrongBatch.resume(ckpt, train.size()));
        assertTrue(e.getMessage().contains("another model or training configuration"), e.getMessage());
        byte[] bytes = Files.readAllBytes(ckpt);
        bytes[bytes.length / 2] ^= 0x10;
        Path damaged = dir.resolve("damaged.ckpt");
        Files.write(damaged, bytes);
        Trainer same = trainer(other, 1, null, Encoding.DIRECT);
        assertThrows(MyelinException.class, () -> same.resume(damaged, train.size()));
        float[][] after = weights(other);
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], after[i]);
        }
        assertEquals(0, same.epochsDone());
    }

    @Test
    void aSavedModelLoadsWithItsArchitectureAndWeights(@TempDir Path dir) {
        MlpSpec s = spec("synaptic");
        SpikingMlp m = s.build();
        trainer(m, 1, null, Encoding.DIRECT).fit(clusters(64, 1), null);
        ModelFile.save(dir.resolve("m.model"), s, m);
        ModelFile.Loaded back = ModelFile.load(dir.resolve("m.model"));
        assertEquals(s, back.spec());
        float[][] a = weights(m);
        float[][] b = weights(back.model());
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i]);
        }
        Tensor x = Tensor.of(clusters(8, 3).values(), 8, 24);
        assertArrayEquals(m.forward(org.myelin.learning.tensor.Tape.inference(), x, 6).logits().data(),
                back.model().forward(org.myelin.learning.tensor.Tape.inference(), x, 6).logits().data());
    }

    @Test
    void badDataIsRefusedWithTheReason() {
        var e = assertThrows(MyelinException.class, () -> new LabelledData(new float[10], new int[] {0, 5}, 5, 4));
        assertEquals("dataset: label 5 of sample 1 is outside [0, 4)", e.getMessage());
        SpikingMlp m = spec("leaky").build();
        var e2 = assertThrows(MyelinException.class, () -> trainer(m, 1, null, Encoding.DIRECT)
                .fit(new LabelledData(new float[10], new int[] {0, 1}, 5, 2), null));
        assertTrue(e2.getMessage().contains("5 features"), e2.getMessage());
    }
}
