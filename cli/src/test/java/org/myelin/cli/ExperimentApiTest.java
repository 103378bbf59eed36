package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.datasets.event.EventStream;
import org.myelin.datasets.nmnist.NmnistFormat;
import org.myelin.datasets.ntidigits.NtidigitsFile;
import org.myelin.experiments.bench.BenchmarkRun;
import org.myelin.experiments.edge.CompressionConfig;
import org.myelin.experiments.edge.CompressionResult;
import org.myelin.experiments.edge.CompressionStudy;
import org.myelin.experiments.hlop.HlopConfig;
import org.myelin.experiments.hlop.HlopExperiment;
import org.myelin.experiments.hlop.HlopResult;
import org.myelin.experiments.l2mu.L2muConfig;
import org.myelin.experiments.l2mu.L2muExperiment;
import org.myelin.experiments.l2mu.L2muResult;
import org.myelin.experiments.lsm.LsmConfig;
import org.myelin.experiments.lsm.LsmExperiment;
import org.myelin.experiments.lsm.LsmResult;
import org.myelin.experiments.lsm.LsmSweep;
import org.myelin.experiments.lsm.LsmZeroShot;
import org.myelin.experiments.lsm.ZeroShotConfig;
import org.myelin.experiments.lsm.ZeroShotResult;
import org.myelin.experiments.mlp.MlpConfig;
import org.myelin.experiments.mlp.MlpEvaluation;
import org.myelin.experiments.mlp.MlpTraining;
import org.myelin.experiments.mlp.MlpTrainingResult;
import org.myelin.experiments.nir.NirFilesConfig;
import org.myelin.experiments.nir.NirFilesExperiment;
import org.myelin.experiments.sdt.SdtAblation;
import org.myelin.experiments.sdt.SdtConfig;
import org.myelin.experiments.sdt.SdtExperiment;
import org.myelin.experiments.sdt.SdtReport;
import org.myelin.learning.lmu.L2mu;
import org.myelin.learning.train.Encoding;
import org.myelin.learning.train.LabelledData;

/**
 * Every experiment command prints what the Java API's result record holds for the same settings: the command is an
 * adapter, the experiment is the library's.
 */
class ExperimentApiTest {
    /** The text of a JSON field as a parser reads it (a number, a string with its quotes, an array). */
    static String field(String json, String key) {
        com.fasterxml.jackson.databind.JsonNode v = JsonResult.parse(json).get(key);
        if (v == null) {
            throw new AssertionError(key + " missing in " + json);
        }
        return v.toString();
    }

    static String lastLine(String out) {
        String[] lines = out.trim().split("\n");
        return lines[lines.length - 1];
    }

    /** A number as the JSON results write it: every digit (Double.toString). */
    private static String exact(double v) {
        return Double.toString(v);
    }

    /**
     * An N-MNIST-format folder (Train/<digit>/*.bin, Test/<digit>/*.bin): a sample of digit d is 150 events over
     * 100 ms on the rows 12 + 2 (d % 5) .. 13 + 2 (d % 5) of the centre, ON for d < 5 and OFF above, plus noise.
     */
    static Path images(Path dir, int[] digits, int trainPer, int testPer) throws Exception {
        Random r = new Random(3);
        for (String split : new String[] {"Train", "Test"}) {
            int n = digits.length * (split.equals("Train") ? trainPer : testPer);
            for (int i = 0; i < n; i++) {
                int d = digits[i % digits.length];
                EventStream s = new EventStream(NmnistFormat.SIZE, NmnistFormat.SIZE, 150);
                for (int k = 0; k < 150; k++) {
                    boolean noise = r.nextInt(5) == 0;
                    int y = noise ? 9 + r.nextInt(16) : 12 + 2 * (d % 5) + r.nextInt(2);
                    int x = 9 + r.nextInt(16);
                    s.add(k * 660L + r.nextInt(600), x, y, d < 5 ? 1 : 0);
                }
                Path folder = Files.createDirectories(dir.resolve(split).resolve(Integer.toString(d)));
                NmnistFormat.write(s, folder.resolve(String.format("%05d.bin", i)));
            }
        }
        return dir;
    }

    /** Spoken-digit-like event streams: digit d excites cochlea channels 6d .. 6d + 9, a sweep up in time. */
    static Path audio(Path dir, int[] digits, int trainPer, int testPer) {
        Map<String, List<Map.Entry<String, EventStream>>> splits = new LinkedHashMap<>();
        for (String split : new String[] {"train", "test"}) {
            List<Map.Entry<String, EventStream>> list = new ArrayList<>();
            int n = digits.length * (split.equals("train") ? trainPer : testPer);
            for (int i = 0; i < n; i++) {
                int d = digits[i % digits.length];
                EventStream s = new EventStream(64, 1, 200);
                for (int k = 0; k < 200; k++) {
                    int ch = (6 * d + (k * 10 / 200 + i + k) % 10) % 64;
                    s.add(k * 1500L + (i * 37L + k * 11L) % 700, ch, 0, 1);
                }
                list.add(Map.entry("spk" + i + "-" + (d == 0 ? "z" : Integer.toString(d)), s));
            }
            splits.put(split, list);
        }
        Path f = dir.resolve("digits.h5");
        NtidigitsFile.write(f, splits);
        return f;
    }

    @Test
    void lsmClassificationFromTheCommandLineIsTheApisRun(@TempDir Path dir) {
        Path audio = audio(dir, new int[] {0, 1, 2, 3}, 10, 5);
        CliRun cli = CliRun.of("experiment", "lsm", "--modality", "audio", "--data", audio.toString(), "--train", "40",
                "--test", "20", "--neurons", "40", "--bins", "30", "--json");
        assertEquals(0, cli.code(), cli.err());
        LsmResult api = LsmExperiment.classify(LsmConfig.audio(audio).withSamples(40, 20, null).withLiquid(16, 30, 40));
        String json = lastLine(cli.out());
        assertEquals(exact(api.trainAccuracy()), field(json, "train_accuracy"));
        assertEquals(exact(api.testAccuracy()), field(json, "test_accuracy"));
        assertEquals(exact(api.spikesPerNeuron()), field(json, "spikes_per_neuron"));
    }

    @Test
    void lsmSweepFromTheCommandLineIsTheApisRun(@TempDir Path dir) throws Exception {
        Path audio = audio(dir, new int[] {0, 1, 2}, 6, 3);
        Path prefix = dir.resolve("sweep");
        CliRun cli = CliRun.of("experiment", "lsm", "--modality", "audio", "--data", audio.toString(), "--train", "18",
                "--test", "9", "--neurons", "20", "--bins", "20", "--backend", "memristor", "--sweep", "levels=2,16",
                "--sweep-out", prefix.toString());
        assertEquals(0, cli.code(), cli.err());
        LsmSweep.Result api = LsmSweep.run(LsmConfig.audio(audio).withSamples(18, 9, null).withLiquid(16, 20, 20)
                .withBackend("memristor", null, LsmConfig.Weights.GAUSSIAN), java.util.List.of("levels=2,16"), r -> { });
        String noTime = "(,[0-9.]+),[0-9.]+(,[0-9.]+)$";
        java.util.List<String> rows = Files.readAllLines(Path.of(prefix + ".csv"));
        String[] expected = api.csv().split("\n");
        assertEquals(expected.length, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(expected[i].replaceAll(noTime, "$1,T$2"), rows.get(i).replaceAll(noTime, "$1,T$2"));
        }
    }

    @Test
    void lsmZeroShotFromTheCommandLineIsTheApisRun(@TempDir Path dir) throws Exception {
        int[] digits = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        Path images = images(Files.createDirectories(dir.resolve("events")), digits, 6, 2);
        Path audio = audio(dir, digits, 6, 2);
        CliRun cli = CliRun.of("experiment", "lsm", "--task", "zeroshot", "--data", images.toString(), "--audio-data",
                audio.toString(), "--train", "54", "--test", "18", "--neurons", "30", "--bins", "20", "--audio-neurons",
                "30", "--steps", "50,100", "--batch", "16", "--head-seeds", "2", "--json");
        assertEquals(0, cli.code(), cli.err());
        ZeroShotResult api = LsmZeroShot.run(ZeroShotConfig.defaults(LsmConfig.image(images).withSamples(54, 18, null)
                .withLiquid(16, 20, 30), audio).withHeads(30, new int[] {50, 100}, 2, 16), line -> { });
        String json = lastLine(cli.out());
        assertEquals(exact(api.inClassMean()), field(json, "in_class"));
        assertEquals(exact(api.outClassMean()), field(json, "out_class"));
        assertEquals(java.util.Arrays.toString(api.chosenSteps()).replace(" ", ""), field(json, "steps"));
        assertEquals(java.util.Arrays.toString(api.outClass()).replace(" ", ""), field(json, "out_class_per_seed"));
    }

    @Test
    void sdtTrainingAndTheAblationFromTheCommandLineAreTheApisRuns(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("bands"));
        TrainCommandTest.writeSplit(data, "train", 96, 1);
        TrainCommandTest.writeSplit(data, "t10k", 24, 2);
        String[] small = {"--stages", "4c1k3s2,8a1k3s2", "--heads", "2", "--mlp-ratio", "2", "--steps", "2",
            "--epochs", "2", "--batch-size", "16", "--no-progress", "--warmup", "2", "--lr", "2e-3", "--data",
            data.toString()};
        Path json = dir.resolve("sdt.json");
        CliRun cli = CliRun.of(concat(new String[] {"train", "sdt", "--json-file", json.toString()}, small));
        assertEquals(0, cli.code(), cli.err());
        SdtConfig c = SdtConfig.defaults(data.toString()).withBudget(2, 16, 2e-3, 2, 2, "4c1k3s2,8a1k3s2", 2, 2);
        LabelledData[] d = c.load();
        SdtReport api = SdtExperiment.run("sdt", c.spec(3, SdtConfig.size(d[0])), c, d[0], d[1], line -> { }, null);
        assertEquals(JsonResult.without(JsonResult.parse(api.json().toString()), "train_seconds"),
                JsonResult.without(JsonResult.parse(Files.readString(json)), "train_seconds"));
        Path file = dir.resolve("ablation.json");
        CliRun ablation = CliRun.of(concat(new String[] {"experiment", "sdt-ablation", "--variants", "sdsa1,no-repconv",
            "--json-file", file.toString(), "--json"}, small));
        assertEquals(0, ablation.code(), ablation.err());
        List<SdtReport> reports = SdtAblation.run(c, List.of("sdsa1", "no-repconv"), d, line -> { }, r -> { });
        var written = JsonResult.parse(Files.readString(file)).get("variants");
        assertEquals(written, JsonResult.lastLine(ablation.out()).get("variants"), "the file holds the printed object");
        assertEquals(2, written.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(JsonResult.without(JsonResult.parse(reports.get(i).json().toString()), "train_seconds"),
                    JsonResult.without(written.get(i), "train_seconds"));
        }
    }

    static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void l2muTrainingFromTheCommandLineIsTheApisRun() {
        CliRun cli = CliRun.of("train", "l2mu", "--subjects", "4", "--seconds", "10", "--epochs", "1", "--order", "3",
                "--hidden", "16", "--memory", "6", "--neuron", "cuba", "--encoder", "single", "--immediate-reset",
                "--core-check", "6", "--json");
        assertEquals(0, cli.code(), cli.err());
        L2muResult api = L2muExperiment.run(L2muConfig.defaults("synthetic-har").withSize(1, 3, 16, 6)
                .withSyntheticData(4, 10).withCoreCheck(L2mu.Neuron.CUBA, L2mu.Encoder.SINGLE, 6), line -> { });
        String json = lastLine(cli.out());
        assertEquals(exact(api.testAccuracy()), field(json, "test_accuracy"));
        assertEquals(Long.toString(api.model().parameterCount()), field(json, "parameters"));
        assertEquals(Integer.toString(api.data().train().size()), field(json, "train_windows"));
        assertEquals(exact(api.core().accuracy()), field(json, "core_accuracy"));
        assertEquals(Long.toString(api.core().spikes()), field(json, "core_spikes"));
    }

    @Test
    void nirFilesFromTheCommandLineIsTheApisRun(@TempDir Path dir) throws Exception {
        for (String f : new String[] {"lif.nir", "rnn_subgraph.nir"}) {
            Files.copy(Path.of("../nir/src/test/resources/fixtures", f), dir.resolve(f));
        }
        CliRun cli = CliRun.of("experiment", "nir-files", "--data", dir.toString(), "--steps", "40", "--rate", "0.3");
        assertEquals(0, cli.code(), cli.err());
        List<NirFilesExperiment.Row> api = NirFilesExperiment.run(new NirFilesConfig(dir, 0.1, 40, 0.3, 20_000_000),
                row -> { });
        String[] lines = cli.out().trim().split("\n");
        assertEquals(2 + api.size(), lines.length);
        for (int i = 0; i < api.size(); i++) {
            NirFilesExperiment.Row r = api.get(i);
            String[] cells = lines[2 + i].split(" \\| ");
            assertEquals("| " + r.file(), cells[0]);
            assertEquals(Long.toString(r.neurons()), cells[4]);
            assertEquals(Long.toString(r.synapses()), cells[5]);
            assertEquals(Long.toString(r.inputSpikes()), cells[6]);
            assertEquals(Long.toString(r.spikes()), cells[7]);
        }
    }

    @Test
    void mlpTrainingAndEvaluationFromTheCommandLineAreTheApisRuns(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("bands"));
        TrainCommandTest.writeSplit(data, "train", 240, 1);
        TrainCommandTest.writeSplit(data, "t10k", 90, 2);
        Path model = dir.resolve("cli.model");
        CliRun cli = CliRun.of("train", "mlp", "--data", data.toString(), "--epochs", "2", "--hidden", "24",
                "--time-steps", "4", "--batch-size", "16", "--lr", "5e-3", "--no-progress", "--encoding", "rate",
                "--save", model.toString());
        assertEquals(0, cli.code(), cli.err());
        Path apiModel = dir.resolve("api.model");
        MlpTrainingResult api = MlpTraining.run(MlpConfig.defaults(data.toString()).withBudget(2, 4, 16,
                new int[] {24}, 5e-3).withCheckpoints(null, null, null, apiModel), line -> { });
        assertArrayEquals(Files.readAllBytes(apiModel), Files.readAllBytes(model), "the same trained weights");
        Matcher m = Pattern.compile("epoch 2: train loss ([0-9.]+), train accuracy ([0-9.]+) %, test accuracy ([0-9.]+)"
                + " %").matcher(cli.out());
        assertTrue(m.find(), cli.out());
        var last = api.history().get(1);
        assertEquals(String.format(Locale.ROOT, "%.4f", last.trainLoss()), m.group(1));
        assertEquals(String.format(Locale.ROOT, "%.2f", 100 * last.testAccuracy()), m.group(3));
        CliRun eval = CliRun.of("eval", "--model", model.toString(), "--data", data.toString(), "--time-steps", "4",
                "--encoding", "rate", "--test-limit", "60");
        assertEquals(0, eval.code(), eval.err());
        MlpEvaluation.Result e = MlpEvaluation.run(model, data.toString(), 4, Encoding.RATE, 60);
        assertTrue(eval.out().contains(String.format(Locale.ROOT, "test accuracy %.2f %% on 60 samples",
                100 * e.accuracy())), eval.out());
    }

    @Test
    void edgeCompressionFromTheCommandLineIsTheApisStudy(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("bands"));
        TrainCommandTest.writeSplit(data, "train", 240, 1);
        TrainCommandTest.writeSplit(data, "t10k", 60, 2);
        Path model = dir.resolve("m.model");
        assertEquals(0, CliRun.of("train", "mlp", "--data", data.toString(), "--epochs", "2", "--hidden", "24",
                "--time-steps", "4", "--batch-size", "16", "--lr", "5e-3", "--no-progress", "--encoding", "rate",
                "--immediate-reset", "--readout", "count", "--save", model.toString()).code());
        Path image = dir.resolve("m.img");
        CliRun cli = CliRun.of("edge", "compress", "--model", model.toString(), "--data", data.toString(),
                "--time-steps", "4", "--samples", "40", "--out", image.toString());
        assertEquals(0, cli.code(), cli.err());
        CompressionResult api = CompressionStudy.run(CompressionConfig.defaults(model).withData(data.toString(), 40,
                4));
        assertTrue(cli.out().contains(String.format(Locale.ROOT, "| float32 | %.2f %% | %d | %d |",
                100.0 * api.floatCorrect() / 40, api.floatBytes(), api.floatWeights())), cli.out());
        for (CompressionResult.Variant v : api.variants()) {
            assertTrue(cli.out().contains(String.format(Locale.ROOT, "| %s | %.2f %% | %d | %d | %.0f / %.0f | %.0f |",
                    v.name(), 100.0 * v.correct() / 40, v.parameterBytes(), v.nonZero(), v.denseAccumulates(),
                    v.nonZeroAccumulates(), v.macs())), v.name() + ": " + cli.out());
        }
        assertArrayEquals(org.myelin.backend.edge.ModelImage.write(api.chosen()), Files.readAllBytes(image));
    }

    @Test
    void benchCubaFromTheCommandLineIsTheApisRun() {
        CliRun cli = CliRun.of("bench", "cuba", "--neurons", "600", "--duration", "0.05", "--threads", "2",
                "--no-warmup", "--json");
        assertEquals(0, cli.code(), cli.err());
        BenchmarkRun api = BenchmarkRun.cuba(600, 0.05, new org.myelin.core.backend.SimulationConfig(2), 12345, "cpu",
                false, null);
        String json = lastLine(cli.out());
        assertEquals(String.format("\"%016x\"", org.myelin.core.analysis.SpikeStatistics.checksum(api.spikes())),
                field(json, "spike_checksum"));
        assertEquals(Long.toString(api.synapses()), field(json, "synapses"));
        assertEquals(Integer.toString(api.spikes().size()), field(json, "spikes"));
        assertEquals(Long.toString(api.steps()), field(json, "steps"));
    }

    @Test
    void hlopFromTheCommandLineIsTheApisRun(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("bands"));
        TrainCommandTest.writeSplit(data, "train", 240, 1);
        CliRun cli = CliRun.of("experiment", "hlop", "--data", data.toString(), "--method", "ewc", "--tasks", "2",
                "--train", "160", "--test", "80", "--hidden", "16", "--lateral", "8,4", "--lateral-added", "4,2",
                "--hebbian-lr", "0.01,0.01", "--time-steps", "4", "--json");
        assertEquals(0, cli.code(), cli.err());
        HlopResult api = HlopExperiment.run(HlopConfig.defaults(data.toString()).withSize(2, 160, 80,
                new int[] {16}, new int[] {8, 4}, new int[][] {{4, 2}}, new float[] {0.01f, 0.01f}, 4)
                .withMethod(org.myelin.learning.hlop.ContinualLearning.Method.EWC), line -> { });
        String json = lastLine(cli.out());
        assertEquals(exact(api.acc()), field(json, "acc"));
        assertEquals(exact(api.bwt()), field(json, "bwt"));
        double[][] r = api.run().accuracy();
        String matrix = "[[" + exact(r[0][0]) + "," + exact(r[0][1]) + "],[" + exact(r[1][0]) + "," + exact(r[1][1]) + "]]";
        assertEquals(matrix, field(json, "accuracy"));
    }
}
