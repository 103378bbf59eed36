package org.myelin.experiments.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.experiments.IdxFixture;
import org.myelin.learning.train.Encoding;

class MlpTrainingTest {
    static Path dataset(Path dir) throws Exception {
        Path d = Files.createDirectories(dir.resolve("bands"));
        IdxFixture.writeSplit(d, "train", 240, 1);
        IdxFixture.writeSplit(d, "t10k", 90, 2);
        return d;
    }

    /** Three epochs of a 64-24-3 network, T = 4, rate-coded: what cli's tests train. */
    static MlpConfig small(Path data) {
        return MlpConfig.defaults(data.toString()).withBudget(3, 4, 16, new int[] {24}, 5e-3);
    }

    @Test
    void aResumedRunEndsWithTheWholeRunsWeightsAndTheSavedModelEvaluates(@TempDir Path dir) throws Exception {
        Path data = dataset(dir);
        List<String> lines = new ArrayList<>();
        Path whole = dir.resolve("whole.model");
        MlpTrainingResult r = MlpTraining.run(small(data).withCheckpoints(null, null, null, whole), lines::add);
        assertEquals(3, r.history().size());
        assertEquals(240, r.trainSize());
        assertTrue(r.testAccuracy() > 0.9, "the bands are told apart: " + r.testAccuracy());
        assertTrue(lines.get(0).contains(": 240 train, 90 test samples;") && lines.get(3).startsWith("epoch 3:"),
                lines.toString());
        Path ck = dir.resolve("ck");
        MlpTrainingResult part = MlpTraining.run(small(data).withCheckpoints(ck, null, 1, null), line -> { });
        assertEquals(1, part.history().size());
        Path resumed = dir.resolve("resumed.model");
        MlpTrainingResult rest = MlpTraining.run(small(data).withCheckpoints(null, ck.resolve("epoch-1.ckpt"), null,
                resumed), line -> { });
        assertEquals(1, rest.resumedAfter());
        assertEquals(r.testAccuracy(), rest.testAccuracy());
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(resumed), "the same weights");
        MlpEvaluation.Result e = MlpEvaluation.run(whole, data.toString(), 4, Encoding.RATE, 50);
        assertEquals(50, e.samples());
        assertTrue(e.accuracy() > 0.8, "the saved model: " + e.accuracy());
        assertEquals(e.accuracy(), MlpEvaluation.run(whole, data.toString(), 4, Encoding.RATE, 50).accuracy());
    }

    @Test
    void dsrTrainingUsesDsrNeuronsAndTheMembraneReadout(@TempDir Path dir) throws Exception {
        MlpConfig c = small(dataset(dir)).withMethod(MlpConfig.Method.DSR, MlpConfig.Schedule.CONSTANT);
        assertEquals("dsr-if", c.neuron());
        MlpTrainingResult r = MlpTraining.run(c, line -> { });
        assertEquals(3, r.history().size());
        assertTrue(r.spec().toString().contains("dsr-if"), r.spec().toString());
        MyelinException e = assertThrows(MyelinException.class, () -> small(dir).withBudget(0, 4, 16,
                new int[] {24}, 5e-3));
        assertTrue(e.getMessage().startsWith("mlp: epochs, timeSteps, batchSize, trainLimit and testLimit must be"
                + " >= 1, were 0, 4, 16,"), e.getMessage());
    }
}
