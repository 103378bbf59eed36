package org.myelin.experiments.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.experiments.IdxFixture;
import org.myelin.experiments.mlp.MlpConfig;
import org.myelin.experiments.mlp.MlpTraining;
import org.myelin.learning.model.SpikingMlp;

class CompressionStudyTest {
    /** A 64-24-3 MLP trained for the core (reset in the spiking step, spike-count readout), saved to {@code file}. */
    static Path trainedMlp(Path data, Path file) {
        MlpConfig d = MlpConfig.defaults(data.toString()).withBudget(2, 4, 16, new int[] {24}, 5e-3);
        MlpTraining.run(new MlpConfig(d.data(), d.epochs(), d.timeSteps(), d.batchSize(), d.hidden(), d.neuron(),
                d.beta(), d.alpha(), d.threshold(), false, false, false, true, d.surrogate(),
                SpikingMlp.Readout.SPIKE_COUNT, d.method(), d.encoding(), d.optimizer(), d.lr(), d.schedule(), 0, 0, 0.9,
                1, Integer.MAX_VALUE, Integer.MAX_VALUE, null, null, null, null, file, false), line -> { });
        return file;
    }

    @Test
    void everyVariantRunsOnTheSameWindowsAndTheChosenOnesWindowsAreGiven(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("bands"));
        IdxFixture.writeSplit(data, "train", 240, 1);
        IdxFixture.writeSplit(data, "t10k", 60, 2);
        Path model = trainedMlp(data, dir.resolve("m.model"));
        CompressionConfig c = new CompressionConfig(model, data.toString(), 40, 4, 20, 60, 4, 0.5, true);
        CompressionResult r = CompressionStudy.run(c);
        assertEquals(40, r.windows());
        assertEquals(5, r.variants().size());
        assertEquals("int8", r.variants().get(0).name());
        assertTrue(r.floatAccuracy() > 0.6, "the float32 model: " + r.floatAccuracy());
        assertTrue(Math.abs(r.accuracy(0) - r.floatAccuracy()) <= 0.1, "int8 keeps the accuracy: " + r.accuracy(0));
        assertTrue(r.variants().get(4).nonZero() < r.variants().get(0).nonZero(), "80 % pruned holds fewer weights");
        assertTrue(r.variants().get(1).parameterBytes() < r.variants().get(0).parameterBytes(), "int4 is smaller");
        assertTrue(r.variants().get(0).decay().startsWith("beta 1 - 2^-"), r.variants().get(0).decay());
        ByteBuffer head = ByteBuffer.wrap(r.windowBytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(40, head.getInt());
        assertEquals(4, head.getInt(), "steps per window");
        assertEquals(64, head.getInt(), "inputs");
        assertEquals(12 + 40 * 4 * 64, r.windowBytes().length, "one byte per spike input");
        assertEquals(40, r.expected().split("\n").length);
        assertEquals(r.floatCorrect(), CompressionStudy.run(c).floatCorrect(), "the same windows again");
    }
}
