package org.myelin.experiments.sdt;

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
import org.myelin.learning.model.ModelFile;
import org.myelin.learning.train.LabelledData;

class SdtExperimentTest {
    /** A two-stage model of 8 x 8 images, two epochs: what cli's tests train, smaller. */
    static SdtConfig small(Path data) {
        return SdtConfig.defaults(data.toString()).withBudget(2, 16, 2e-3, 2, 2, "4c1k3s2,8a1k3s2", 2, 2);
    }

    @Test
    void aTrainedModelRunsOnTheCoreWithTheTrainingGraphsPredictionsAndIsCosted(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("bands"));
        IdxFixture.writeSplit(data, "train", 96, 1);
        IdxFixture.writeSplit(data, "t10k", 24, 2);
        SdtConfig c = small(data);
        LabelledData[] d = c.load();
        List<String> lines = new ArrayList<>();
        Path saved = dir.resolve("sdt.model");
        SdtReport r = SdtExperiment.run("sdt", c.spec(3, SdtConfig.size(d[0])), c, d[0], d[1], lines::add, saved);
        assertEquals(2, r.history().size());
        assertEquals(24, r.checked());
        assertEquals(24, r.predictionsEqual());
        assertEquals(24, r.scoresEqual());
        assertEquals(0, r.spikeMismatches());
        assertTrue(r.coreAgrees());
        assertEquals(0, r.multipliesAfterFirst(), "spike-driven after the first layer");
        assertTrue(r.macsPerImage() > 0 && r.energyMicroJoules() > 0 && r.paperEnergyMicroJoules() > 0, r.json().toString());
        assertEquals(SdtEnergyModel.countedPj(r.macsPerImage(), r.acsPerImage()) * 1e-6, r.energyMicroJoules());
        assertTrue(r.json().toString().startsWith("{\"variant\":\"sdt\",\"spec\":\"model=sdt"), r.json().toString());
        assertTrue(lines.get(0).startsWith("sdt: ") && lines.get(1).startsWith("  epoch 1: loss"), lines.toString());
        // the saved model, checked again without training: the same accuracy and counters
        SdtReport again = SdtExperiment.evaluate("sdt", ModelFile.loadSdt(saved), saved, c, d[0], d[1], line -> { });
        assertEquals(r.accuracy(), again.accuracy());
        assertEquals(r.acsPerImage(), again.acsPerImage());
        assertEquals(0, again.history().size());
    }

    @Test
    void theAblationTrainsEveryVariantOnOneBudget(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("one"));
        IdxFixture.writeSplit(data, "x", 80, 3);
        Files.move(data.resolve("x-images-idx3-ubyte"), data.resolve("images-idx3-ubyte"));
        Files.move(data.resolve("x-labels-idx1-ubyte"), data.resolve("labels-idx1-ubyte"));
        SdtConfig c = small(data).withHoldout(20);
        LabelledData[] d = c.load();
        assertEquals(60, d[0].size());
        List<SdtReport> done = new ArrayList<>();
        List<SdtReport> r = SdtAblation.run(c, List.of("sdsa1", "transformer-only"), d, line -> { }, done::add);
        assertEquals(r, done);
        assertEquals("sdsa1", r.get(0).name());
        assertTrue(r.get(0).spec().toText().contains("attention=sdsa1"), r.get(0).spec().toText());
        assertTrue(r.get(1).spec().toText().contains("stages=4a1"), r.get(1).spec().toText());
        for (SdtReport v : r) {
            assertEquals(20, v.checked());
            assertTrue(v.coreAgrees(), v.json().toString());
        }
        MyelinException bad = assertThrows(MyelinException.class, () -> SdtAblation.specs(c, List.of("v3"), d));
        assertTrue(bad.getMessage().contains("unknown variant 'v3'"), bad.getMessage());
        MyelinException epochs = assertThrows(MyelinException.class, () -> c.withBudget(0, 16, 2e-3, 2, 2, "4c1",
                2, 2));
        assertEquals("sdt: epochs must be >= 1, was 0", epochs.getMessage());
    }
}
