package org.myelin.experiments.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.EngineMode;
import org.myelin.experiments.IdxFixture;
import org.myelin.experiments.l2mu.HarWindows;
import org.myelin.experiments.l2mu.L2muConfig;
import org.myelin.experiments.l2mu.L2muExperiment;
import org.myelin.experiments.mlp.MlpConfig;
import org.myelin.experiments.mlp.MlpEvaluation;
import org.myelin.experiments.mlp.MlpTraining;
import org.myelin.learning.lmu.L2muTraining;
import org.myelin.learning.model.ModelFile;
import org.myelin.learning.train.Encoding;

/** Tiny models trained here, then classified on the cpu backend's engines, sample by sample. */
class CoreRunTest {
    private static Path trainMlp(Path dir, Encoding encoding) throws IOException {
        Path data = Files.createDirectories(dir.resolve("bands"));
        IdxFixture.writeSplit(data, "train", 240, 1);
        IdxFixture.writeSplit(data, "t10k", 60, 2);
        Path model = dir.resolve("mlp-" + encoding + ".model");
        MlpConfig d = MlpConfig.defaults(data.toString());
        MlpConfig c = new MlpConfig(d.data(), 2, 4, 16, new int[] {24}, "leaky", 0.9f, 0.8f, 1f, false, false, false,
                false, d.surrogate(), d.readout(), MlpConfig.Method.BPTT, encoding, MlpConfig.OptimizerKind.ADAM,
                5e-3, MlpConfig.Schedule.CONSTANT, 0, 0, 0.9, 3, Integer.MAX_VALUE, Integer.MAX_VALUE, null, null,
                null, null, model, false);
        MlpTraining.run(c, line -> { });
        return model;
    }

    @Test
    void anMlpClassifiesOnTheCoreAsTheFrameworkDoesInClockAndEventGridModes(@TempDir Path dir) throws IOException {
        for (Encoding enc : Encoding.values()) {
            Path model = trainMlp(dir, enc);
            assertEquals(new ModelFile.MlpInput(4, enc), ModelFile.mlpInput(model), "the file records T and coding");
            String data = dir.resolve("bands").toString();
            double framework = MlpEvaluation.run(model, data, 4, enc, 40).accuracy();
            for (EngineMode mode : new EngineMode[] {EngineMode.CLOCK, EngineMode.EVENT_GRID}) {
                List<String> lines = new ArrayList<>();
                CoreRunResult r = CoreRun.run(CoreRunConfig.of(model, data).on("cpu", mode).limit(40), lines::add);
                assertEquals(40, r.samples());
                assertEquals("mlp", r.model());
                assertEquals(0, r.mismatches(), enc + " " + mode);
                assertEquals(40, r.identicalSamples(), enc + " " + mode);
                assertEquals(0, r.spikeDifferences());
                assertEquals(r.frameworkAccuracy(), r.accuracy(), 0.0);
                assertEquals(framework, r.frameworkAccuracy(), 0.0, "the samples training tests on, coded alike");
                assertTrue(r.accuracy() > 0.5, "learnt something: " + r.accuracy());
                assertTrue(r.spikes() > 0 && r.synapticOps() > r.spikes(), r.spikes() + " / " + r.synapticOps());
                assertTrue(lines.get(0).contains("backend cpu, mode " + mode.cliName()), lines.get(0));
                assertEquals(11, lines.size(), "the setup and every 10 %: " + lines);
                assertTrue(lines.get(10).startsWith("  40 / 40 samples"), lines.get(10));
            }
        }
    }

    @Test
    void theSynapticEventsAreTheSpikesTimesTheirOutDegree(@TempDir Path dir) throws IOException {
        Path model = trainMlp(dir, Encoding.DIRECT);
        String data = dir.resolve("bands").toString();
        CoreRunResult one = CoreRun.run(CoreRunConfig.of(model, data).limit(1), line -> { });
        // direct input: layer 0 (24 neurons) sends to the 3 outputs; layer 0's bias comes in as a current, the
        // output layer's bias source (1 neuron, 3 synapses) fires in each of the T = 4 steps
        var loaded = ModelFile.load(model);
        var exported = org.myelin.learning.export.NetworkExport.export(loaded.model(),
                org.myelin.learning.tensor.Tensor.of(new float[64], 64), 4, 1.0);
        long nonZero = 0;
        for (var p : exported.network().projections()) {
            if (p.source().equals("layer0")) {
                nonZero = ((org.myelin.core.connect.Connectivity.Explicit) p.rule()).pre().length;
            }
        }
        assertTrue(nonZero > 0 && nonZero <= 72, "at most 24 x 3 synapses: " + nonZero);
        assertTrue(one.synapticOps() >= 12, "the bias events at least: " + one.synapticOps());
        assertTrue(one.synapticOps() <= one.spikes() * 3 + 12, one.spikes() + " spikes, " + one.synapticOps());
    }

    @Test
    void aSingleImagesLabelsPairIsSplitFourFifthsToOneFifth(@TempDir Path dir) throws IOException {
        IdxFixture.writeSplit(dir, "all", 50, 4);
        Files.move(dir.resolve("all-images-idx3-ubyte"), dir.resolve("images-idx3-ubyte"));
        Files.move(dir.resolve("all-labels-idx1-ubyte"), dir.resolve("labels-idx1-ubyte"));
        var all = org.myelin.experiments.data.IdxDatasets.load(dir.resolve("images-idx3-ubyte"),
                dir.resolve("labels-idx1-ubyte"), Integer.MAX_VALUE);
        var split = org.myelin.experiments.data.IdxDatasets.trainTest(dir, Integer.MAX_VALUE, 7);
        assertEquals(40, split[0].size());
        assertEquals(7, split[1].size(), "the first 7 of the last 10");
        assertEquals(all.labels()[40], split[1].labels()[0]);
        assertEquals(all.values()[40 * 64 + 5], split[1].values()[5]);
    }

    @Test
    void preciseModeAndMissingBackendsAreRefusedByName(@TempDir Path dir) throws IOException {
        Path model = trainMlp(dir, Encoding.DIRECT);
        String data = dir.resolve("bands").toString();
        MyelinException precise = assertThrows(MyelinException.class, () -> CoreRun.run(CoreRunConfig.of(model,
                data).on("cpu", EngineMode.EVENT_PRECISE).limit(2), line -> { }));
        assertTrue(precise.getMessage().contains("mode precise (EVENT_PRECISE)")
                && precise.getMessage().contains("no continuous-time form"), precise.getMessage());
        MyelinException none = assertThrows(MyelinException.class, () -> CoreRun.run(CoreRunConfig.of(model,
                data).on("no-such", EngineMode.CLOCK), line -> { }));
        assertTrue(none.getMessage().contains("no backend named 'no-such'"), none.getMessage());
        MyelinException harForAnMlp = assertThrows(MyelinException.class, () -> CoreRun.run(CoreRunConfig.of(model,
                "synthetic-har"), line -> { }));
        assertTrue(harForAnMlp.getMessage().contains("'synthetic-har' is neither fashion-mnist nor a folder"),
                harForAnMlp.getMessage());
    }

    @Test
    void anL2muClassifiesItsTestWindowsOnTheCoreAsTheFrameworkDoes(@TempDir Path dir) {
        Path model = dir.resolve("l2mu.model");
        L2muConfig d = L2muConfig.defaults("synthetic-har").withSize(1, 3, 16, 6).withSyntheticData(4, 10);
        L2muExperiment.run(new L2muConfig(d.data(), d.neuron(), d.encoder(), d.epochs(), d.batchSize(), d.lr(),
                d.order(), d.theta(), d.hidden(), d.memory(), d.alpha(), d.immediateReset(), 0, model, d.stride(),
                d.subjects(), d.seconds(), d.seed(), d.trainLimit(), d.testLimit(), d.coreMode()), line -> { });
        var loaded = ModelFile.loadL2mu(model);
        L2muTraining eval = new L2muTraining(loaded.model(), 1e-3, 64, d.seed());
        eval.standardiseWith(loaded.mean(), loaded.std());
        HarWindows har = HarWindows.load("synthetic-har", 4, 10, 40, d.seed());
        double framework = eval.evaluate(har.test().spread(10));
        for (EngineMode mode : new EngineMode[] {EngineMode.CLOCK, EngineMode.EVENT_GRID}) {
            CoreRunResult r = CoreRun.run(CoreRunConfig.of(model, "synthetic-har").synthetic(4, 10).on("cpu", mode)
                    .limit(10), line -> { });
            assertEquals("l2mu", r.model());
            assertEquals(10, r.samples());
            assertEquals(0, r.mismatches(), mode.name());
            assertEquals(10, r.identicalSamples(), mode.name());
            assertEquals(r.frameworkAccuracy(), r.accuracy(), 0.0);
            assertEquals(framework, r.frameworkAccuracy(), 1e-12, "the windows and standardisation of training");
            assertTrue(r.spikes() > 0 && r.synapticOps() > 0);
        }
        MyelinException precise = assertThrows(MyelinException.class, () -> CoreRun.run(CoreRunConfig.of(model,
                "synthetic-har").synthetic(4, 10).on("cpu", EngineMode.EVENT_PRECISE).limit(1), line -> { }));
        assertTrue(precise.getMessage().contains("EVENT_PRECISE") && precise.getMessage().contains("continuous-time"),
                precise.getMessage());
    }
}
