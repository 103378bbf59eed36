package org.myelin.experiments.hlop;

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
import org.myelin.learning.hlop.ContinualLearning;

class HlopExperimentTest {
    /** Two permuted tasks of 160 / 80 images on a 64-16-3 network, as cli's tests run them. */
    static HlopConfig small(Path data) {
        return HlopConfig.defaults(data.toString()).withSize(2, 160, 80, new int[] {16}, new int[] {8, 4},
                new int[][] {{4, 2}}, new float[] {0.01f, 0.01f}, 4);
    }

    @Test
    void hlopOnTwoPermutedTasksGivesAFullAccuracyMatrixAndTheSameNumbersTwice(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("bands"));
        IdxFixture.writeSplit(data, "train", 240, 1);
        HlopConfig c = small(data);
        List<String> lines = new ArrayList<>();
        HlopResult r = HlopExperiment.run(c, lines::add);
        assertEquals("test", r.evaluatedOn());
        assertEquals(2, r.tasks().tasks().size());
        assertTrue(r.tasks().description().startsWith("permuted MNIST: 2 tasks, 160 train / 80 test"),
                r.tasks().description());
        double[][] acc = r.run().accuracy();
        assertEquals(2, acc.length);
        assertEquals((acc[1][0] + acc[1][1]) / 2, r.acc(), 1e-12, "ACC: the mean of the last row");
        assertEquals(acc[1][0] - acc[0][0], r.bwt(), 1e-12, "BWT: the first task's change");
        for (double[] row : acc) {
            for (double a : row) {
                assertEquals(Math.rint(a * 80), a * 80, 1e-9, "a fraction of the 80 test images: " + a);
                assertTrue(a >= 0 && a <= 1, "an accuracy: " + a);
            }
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("after")), lines.toString());
        HlopResult again = HlopExperiment.run(c, line -> { });
        for (int i = 0; i < acc.length; i++) {
            assertArrayEquals(acc[i], again.run().accuracy()[i], "same seed, same accuracies");
        }
    }

    @Test
    void aBadSettingIsRefusedWithItsNameAndValue(@TempDir Path dir) {
        HlopConfig d = HlopConfig.defaults(dir.toString());
        MyelinException e = assertThrows(MyelinException.class, () -> d.withSize(0, 160, 80, new int[] {16},
                new int[] {8, 4}, new int[][] {{4, 2}}, new float[] {0.01f, 0.01f}, 4));
        assertEquals("hlop: tasks must be >= 1, was 0", e.getMessage());
        MyelinException layers = assertThrows(MyelinException.class, () -> d.withSize(2, 160, 80, new int[] {16},
                new int[] {8}, new int[][] {{4, 2}}, new float[] {0.01f, 0.01f}, 4));
        assertTrue(layers.getMessage().contains("one value per linear layer (2)"), layers.getMessage());
        MyelinException held = assertThrows(MyelinException.class, () -> HlopExperiment.prepare(
                d.withMethod(ContinualLearning.Method.GPM).withSize(2, 0, 80, new int[] {16}, new int[] {8, 4},
                        new int[][] {{4, 2}}, new float[] {0.01f, 0.01f}, 4)));
        assertEquals("hlop: train must be >= 1 (or null for the default), was 0", held.getMessage());
    }
}
