package org.myelin.experiments.lsm;

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

class LsmExperimentTest {
    @Test
    void audioLiquidsTellTheChannelBandsApartTheSameWayTwice(@TempDir Path dir) {
        LsmConfig c = LsmConfig.audio(EventFixture.audio(dir, new int[] {0, 1, 2, 3}, 10, 5)).withSamples(40, 20, null)
                .withLiquid(16, 30, 40);
        LsmResult r = LsmExperiment.classify(c);
        assertEquals(40, r.trainSamples());
        assertEquals(20, r.testSamples());
        assertEquals(64, r.liquid().inputs());
        assertTrue(r.testAccuracy() > 0.6, "four channel bands told apart: " + r.testAccuracy());
        assertTrue(r.spikesPerNeuron() > 0, "the liquid fires");
        assertEquals(0, r.crossbar().runs(), "no crossbar on the cpu");
        LsmResult again = LsmExperiment.classify(c);
        assertEquals(r.testAccuracy(), again.testAccuracy());
        assertEquals(r.features().spikes(), again.features().spikes());
        assertArrayEquals(r.features().xte()[0], again.features().xte()[0]);
    }

    @Test
    void theIdealCrossbarGivesTheCpusReadoutAndReportsEverySample(@TempDir Path dir) throws Exception {
        Path images = EventFixture.images(Files.createDirectories(dir.resolve("events")), new int[] {0, 1, 2, 5, 6},
                10, 2);
        LsmConfig cpu = LsmConfig.image(images).withSamples(30, 10, 15).withLiquid(8, 20, 30);
        LsmResult a = LsmExperiment.classify(cpu);
        LsmResult b = LsmExperiment.classify(cpu.withBackend("memristor", "ideal", LsmConfig.Weights.GAUSSIAN));
        assertEquals("validation", cpu.evaluatedOn());
        assertEquals(15, a.testSamples());
        assertEquals(a.trainAccuracy(), b.trainAccuracy());
        assertEquals(a.testAccuracy(), b.testAccuracy());
        assertEquals(45, b.crossbar().runs(), "one crossbar run per sample");
        assertTrue(LsmExperiment.describe(cpu, a.liquid(), a.features()).startsWith("LSM (image) on cpu: 64 inputs"
                + " (8x8 crop), 30 neurons, 20 bins, decay 0.9, Vth 5.0; 30 train / 15 validation samples"));
    }

    @Test
    void aDeviceSweepGivesOneRowPerValue(@TempDir Path dir) {
        LsmConfig c = LsmConfig.audio(EventFixture.audio(dir, new int[] {0, 1, 2}, 6, 3)).withSamples(18, 9, null)
                .withLiquid(16, 20, 20).withBackend("memristor", null, LsmConfig.Weights.GAUSSIAN);
        List<LsmSweep.Row> seen = new ArrayList<>();
        LsmSweep.Result r = LsmSweep.run(c, List.of("levels=2,16", "t=1000"), seen::add);
        assertEquals(3, r.rows().size());
        assertEquals(r.rows(), seen, "each row reported as it is done");
        assertEquals("pcm-like,levels=16", r.rows().get(1).device());
        assertEquals("pcm-like@1000", r.rows().get(2).device());
        assertTrue(r.rows().get(0).energyPerSampleNj() > 0, r.rows().toString());
        String[] csv = r.csv().split("\n");
        assertEquals("parameter,value,device,train_accuracy,test_accuracy,spikes_per_neuron,sim_s,"
                + "energy_per_sample_nj", csv[0]);
        assertTrue(csv[1].startsWith("levels,2,\"pcm-like,levels=2\","), csv[1]);
        MyelinException cpu = assertThrows(MyelinException.class, () -> LsmSweep.run(c.withBackend("cpu", null,
                LsmConfig.Weights.GAUSSIAN), List.of("levels=2"), row -> { }));
        assertTrue(cpu.getMessage().contains("--backend memristor"), cpu.getMessage());
    }

    @Test
    void zeroShotRetrievalChoosesItsStepsOnTrainingDataAndScoresEightAndNine(@TempDir Path dir) throws Exception {
        int[] digits = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        Path images = EventFixture.images(Files.createDirectories(dir.resolve("events")), digits, 6, 2);
        Path audio = EventFixture.audio(dir, digits, 6, 2);
        LsmConfig image = LsmConfig.image(images).withSamples(54, 18, null).withLiquid(16, 20, 30);
        ZeroShotConfig z = ZeroShotConfig.defaults(image, audio).withHeads(30, new int[] {50, 100}, 2, 16);
        List<String> lines = new ArrayList<>();
        ZeroShotResult r = LsmZeroShot.run(z, lines::add);
        assertEquals(7, lines.size(), "two liquids' statistics, two liquids described, the heads, a line per head"
                + " seed: " + lines);
        assertTrue(lines.get(0).startsWith("image liquid (gaussian): input weights: mean"), lines.get(0));
        assertTrue(lines.get(1).contains("training counts: rate"), lines.get(1));
        assertTrue(lines.get(4).startsWith("heads: fc-gelu, 64-wide embeddings, temperature 1.0, batches of 16"),
                lines.get(4));
        assertTrue(lines.get(5).startsWith("head seed 10: validation zero-shot"), lines.get(5));
        assertEquals(2, r.chosenSteps().length);
        for (int k = 0; k < 2; k++) {
            assertTrue(r.chosenSteps()[k] == 50 || r.chosenSteps()[k] == 100);
            assertTrue(r.inClass()[k] >= 0 && r.inClass()[k] <= 1 && r.outClass()[k] >= 0 && r.outClass()[k] <= 1);
            assertTrue(r.outClass()[k] <= r.bestOutOnTest());
        }
        assertEquals((r.inClass()[0] + r.inClass()[1]) / 2, r.inClassMean(), 1e-12);
        assertEquals(54, r.imageFeatures().xtr().length);
        assertEquals(54, r.audioFeatures().xtr().length, "the whole audio training split");
        MyelinException noAudio = assertThrows(MyelinException.class, () -> ZeroShotConfig.defaults(image, null));
        assertTrue(noAudio.getMessage().contains("--audio-data"), noAudio.getMessage());
    }

    @Test
    void aBadSettingIsRefusedWithItsNameAndValue(@TempDir Path dir) {
        MyelinException e = assertThrows(MyelinException.class, () -> LsmConfig.image(dir).withLiquid(8, 0, 30));
        assertEquals("lsm: bins must be >= 1, was 0", e.getMessage());
    }
}
