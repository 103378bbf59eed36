package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train mlp} and {@code eval} on a small MNIST-like IDX dataset written by the test. */
class TrainCommandTest {
    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** 8 x 8 images of three classes: a bright row band at a class-specific height, plus noise. */
    static void writeSplit(Path dir, String split, int n, long seed) throws IOException {
        java.util.Random r = new java.util.Random(seed);
        writeIdx(dir, split, n, i -> r.nextInt(3), (c, y, x) -> Math.min(255, (y / 3 == c ? 160 : 0) + r.nextInt(90)));
    }

    /** A pixel of an 8 x 8 image of class c. */
    interface Pixel {
        int at(int c, int y, int x);
    }

    /** IDX images (8 x 8) and labels: sample i of class classOf(i), its pixels row by row. */
    static void writeIdx(Path dir, String split, int n, java.util.function.IntUnaryOperator classOf, Pixel pixel)
            throws IOException {
        try (DataOutputStream img = new DataOutputStream(Files.newOutputStream(dir.resolve(split
                + "-images-idx3-ubyte"))); DataOutputStream lab = new DataOutputStream(Files.newOutputStream(
                        dir.resolve(split + "-labels-idx1-ubyte")))) {
            img.writeInt(0x803);
            img.writeInt(n);
            img.writeInt(8);
            img.writeInt(8);
            lab.writeInt(0x801);
            lab.writeInt(n);
            for (int i = 0; i < n; i++) {
                int c = classOf.applyAsInt(i);
                lab.writeByte(c);
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        img.writeByte(pixel.at(c, y, x));
                    }
                }
            }
        }
    }

    private static Path dataset(Path dir) throws IOException {
        Path d = Files.createDirectories(dir.resolve("bands"));
        writeSplit(d, "train", 240, 1);
        writeSplit(d, "t10k", 90, 2);
        return d;
    }

    private static double lastTestAccuracy(String out) {
        Matcher m = Pattern.compile("test accuracy ([0-9.]+) %").matcher(out);
        double last = -1;
        while (m.find()) {
            last = Double.parseDouble(m.group(1));
        }
        return last;
    }

    @Test
    void trainsSavesEvaluatesAndResumesExactly(@TempDir Path dir) throws Exception {
        Path data = dataset(dir);
        String[] common = {"train", "mlp", "--data", data.toString(), "--epochs", "3", "--hidden", "24",
            "--time-steps", "4", "--batch-size", "16", "--lr", "5e-3", "--no-progress", "--encoding", "rate"};
        CliRun whole = run(concat(common, "--save", dir.resolve("whole.model").toString(), "--metrics",
                dir.resolve("m.jsonl").toString()));
        assertEquals(0, whole.code(), whole.err());
        assertTrue(whole.out().contains("epoch 3: train loss"), whole.out());
        assertTrue(lastTestAccuracy(whole.out()) > 90, whole.out());
        assertEquals(3, Files.readAllLines(dir.resolve("m.jsonl")).size());

        CliRun eval = run("eval", "--model", dir.resolve("whole.model").toString(), "--data", data.toString(),
                "--time-steps", "4", "--encoding", "rate");
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("test accuracy"), eval.out());

        CliRun part = run(concat(common, "--checkpoint-dir", dir.resolve("ck").toString(), "--stop-after", "1"));
        assertEquals(0, part.code(), part.err());
        assertTrue(part.out().contains("epoch 1:") && !part.out().contains("epoch 2:"), part.out());
        CliRun rest = run(concat(common, "--resume", dir.resolve("ck/epoch-1.ckpt").toString(), "--save",
                dir.resolve("resumed.model").toString()));
        assertEquals(0, rest.code(), rest.err());
        assertTrue(rest.out().contains("resumed from"), rest.out());
        assertEquals(lastTestAccuracy(whole.out()), lastTestAccuracy(rest.out()));
        assertArrayEquals(Files.readAllBytes(dir.resolve("whole.model")),
                Files.readAllBytes(dir.resolve("resumed.model")), "the resumed run must end with the same weights");
    }

    @Test
    void aTrainedRecurrentCubaModelExportsToNirAndRunsIdenticallyFromTheFile(@TempDir Path dir) throws Exception {
        Path data = dataset(dir);
        Path model = dir.resolve("cuba.model");
        CliRun t = run("train", "mlp", "--data", data.toString(), "--epochs", "2", "--hidden", "20", "--time-steps", "6",
                "--batch-size", "16", "--lr", "5e-3", "--no-progress", "--encoding", "rate", "--neuron", "synaptic",
                "--recurrent", "--immediate-reset", "--readout", "count", "--save", model.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(lastTestAccuracy(t.out()) > 60, t.out());
        Path nir = dir.resolve("cuba.nir");
        CliRun e = run("nir", "export", "--model", model.toString(), "--out", nir.toString(), "--verify-data",
                data.toString(), "--verify-samples", "15", "--time-steps", "6");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("recurrent") && e.out().contains("verified: 15 test samples"), e.out());
        CliRun info = run("nir", "info", nir.toString());
        assertTrue(info.out().contains("CubaLIF") && info.out().contains("layer0 -> layer0"), info.out());
        // a model with snnTorch's delayed reset runs on the core but has no NIR form: the export says why
        Path delayed = dir.resolve("delayed.model");
        assertEquals(0, run("train", "mlp", "--data", data.toString(), "--epochs", "1", "--hidden", "8", "--time-steps",
                "4", "--no-progress", "--encoding", "rate", "--readout", "count", "--save", delayed.toString()).code());
        CliRun plain = run("nir", "export", "--model", delayed.toString(), "--out", dir.resolve("x.nir").toString());
        assertEquals(2, plain.code());
        assertTrue(plain.err().contains("reset_delay") && plain.err().contains("--immediate-reset"), plain.err());
    }

    @Test
    void theLiquidStateMachineRunsOnCpuAndTheIdealCrossbarAlike(@TempDir Path dir) throws Exception {
        Path d = Files.createDirectories(dir.resolve("bands"));
        writeSplit(d, "train", 120, 1);
        Path events = dir.resolve("events");
        CliRun make = run("data", "make", "nmnist-like", "--images", d.resolve("train-images-idx3-ubyte").toString(),
                "--labels", d.resolve("train-labels-idx1-ubyte").toString(), "--out", events.toString());
        assertEquals(0, make.code(), make.err());
        String[] common = {"experiment", "lsm", "--data", events.toString(), "--train", "60", "--validation", "30",
            "--crop", "8", "--neurons", "40", "--bins", "20", "--json"};
        CliRun cpu = run(common);
        assertEquals(0, cpu.code(), cpu.err());
        assertTrue(cpu.out().contains("validation accuracy") && cpu.out().contains("\"validation_accuracy\""),
                cpu.out());
        CliRun ideal = run(concat(common, "--backend", "memristor", "--device", "ideal"));
        assertEquals(0, ideal.code(), ideal.err());
        String a = cpu.out().replaceAll("(?s).*(linear readout[^\n]*).*", "$1");
        String b = ideal.out().replaceAll("(?s).*(linear readout[^\n]*).*", "$1");
        assertEquals(a, b, "the ideal crossbar gives the cpu's spikes, so the same readout");
        assertTrue(cpu.out().contains("\"crossbar\":null") && ideal.out().contains("\"crossbar\":{\"runs\":90,"),
                "the crossbar's report for the 90 samples: " + ideal.out());
        CliRun rram = run(concat(common, "--backend", "memristor", "--device", "rram", "--weights", "switching"));
        assertEquals(0, rram.code(), rram.err());
        Matcher energy = Pattern.compile("\"energy_per_run_nj\":([0-9.]+)").matcher(rram.out());
        assertTrue(rram.out().contains("switching weights") && rram.out().contains("crossbar: 2 tiles, 90 runs")
                && energy.find() && Double.parseDouble(energy.group(1)) > 0, rram.out());
    }

    /** Spoken-digit-like event streams of digits 0-3: digit d excites cochlea channels 5d .. 5d + 9. */
    private static Path audioFile(Path dir) {
        return audioFile(dir, new int[] {0, 1, 2, 3}, 10, 5);
    }

    /** Spoken-digit-like event streams: digit d excites cochlea channels 6d .. 6d + 9, a sweep up in time. */
    private static Path audioFile(Path dir, int[] digits, int trainPer, int testPer) {
        java.util.Map<String, java.util.List<java.util.Map.Entry<String, org.myelin.datasets.event.EventStream>>> splits =
                new java.util.LinkedHashMap<>();
        for (String split : new String[] {"train", "test"}) {
            java.util.List<java.util.Map.Entry<String, org.myelin.datasets.event.EventStream>> list =
                    new java.util.ArrayList<>();
            int n = digits.length * (split.equals("train") ? trainPer : testPer);
            for (int i = 0; i < n; i++) {
                int d = digits[i % digits.length];
                var s = new org.myelin.datasets.event.EventStream(64, 1, 200);
                for (int k = 0; k < 200; k++) {
                    int ch = (6 * d + (k * 10 / 200 + i + k) % 10) % 64;
                    s.add(k * 1500L + (i * 37L + k * 11L) % 700, ch, 0, 1);
                }
                list.add(java.util.Map.entry("spk" + i + "-" + (d == 0 ? "z" : Integer.toString(d)), s));
            }
            splits.put(split, list);
        }
        Path f = dir.resolve("digits.h5");
        org.myelin.datasets.ntidigits.NtidigitsFile.write(f, splits);
        return f;
    }

    @Test
    void zeroShotRetrievalTrainsOnDigitsOneToSevenAndTestsEightAndNine(@TempDir Path dir) throws Exception {
        // images: digit c (1-9) is a bright row band (rows of 8 x 8 images) written as IDX, then made N-MNIST-like
        Path d = Files.createDirectories(dir.resolve("digits"));
        java.util.Random noise = new java.util.Random(5);
        writeIdx(d, "train", 180, i -> 1 + i % 9, (c, y, x) -> Math.min(255, ((c <= 8 ? y == c - 1 : x == 3) ? 200 : 0)
                + noise.nextInt(40)));
        Path events = dir.resolve("events");
        CliRun make = run("data", "make", "nmnist-like", "--images", d.resolve("train-images-idx3-ubyte").toString(),
                "--labels", d.resolve("train-labels-idx1-ubyte").toString(), "--out", events.toString());
        assertEquals(0, make.code(), make.err());
        Path audio = audioFile(dir, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 8, 4);
        CliRun r = run("experiment", "lsm", "--task", "zeroshot", "--data", events.toString(), "--audio-data",
                audio.toString(), "--train", "140", "--test", "36", "--crop", "34", "--neurons", "40", "--bins", "20",
                "--audio-neurons", "40", "--steps", "100,300", "--batch", "32", "--head-seeds", "2", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("validation zero-shot (trained on 1-5") && r.out().contains("out-class (digits 8-9")
                && r.out().contains("\"task\":\"zeroshot\"") && r.out().contains("\"out_class\":"), r.out());
        Matcher in = Pattern.compile("\"in_class\":([0-9.]+)").matcher(r.out());
        assertTrue(in.find() && Double.parseDouble(in.group(1)) > 0.3, "in-class retrieval above chance (0.14): "
                + r.out());
        CliRun noAudio = run("experiment", "lsm", "--task", "zeroshot", "--data", events.toString());
        assertEquals(2, noAudio.code());
        assertTrue(noAudio.err().contains("--audio-data"), noAudio.err());
    }

    @Test
    void anAudioLsmReadsNTidigitsFiles(@TempDir Path dir) throws IOException {
        CliRun r = run("experiment", "lsm", "--modality", "audio", "--data", audioFile(dir).toString(), "--train", "40",
                "--test", "20", "--neurons", "40", "--bins", "30", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("LSM (audio)") && r.out().contains("64 inputs (cochlea channels)")
                && r.out().contains("decay 0.97, Vth 5.3") && r.out().contains("\"modality\":\"audio\""), r.out());
        Matcher m = Pattern.compile("test accuracy ([0-9.]+) %").matcher(r.out());
        assertTrue(m.find() && Double.parseDouble(m.group(1)) > 60, "four channel bands told apart: " + r.out());
        // a device sweep on the crossbar model: one row per value, CSV and SVG
        Path prefix = dir.resolve("sweep");
        CliRun sw = run("experiment", "lsm", "--modality", "audio", "--data", dir.resolve("digits.h5").toString(),
                "--train", "40", "--test", "20", "--neurons", "40", "--bins", "30", "--backend", "memristor",
                "--sweep", "levels=2,16", "--sweep", "t=1,100000", "--sweep-out", prefix.toString());
        assertEquals(0, sw.code(), sw.err());
        java.util.List<String> rows = Files.readAllLines(Path.of(prefix + ".csv"));
        assertEquals(5, rows.size(), String.join("\n", rows));
        assertTrue(rows.get(1).startsWith("levels,2,\"pcm-like,levels=2\",") && rows.get(4).startsWith(
                "t,100000,\"pcm-like@100000\","), String.join("\n", rows));
        String svg = Files.readString(Path.of(prefix + ".svg"));
        assertTrue(svg.startsWith("<?xml") && svg.contains(">levels<") && svg.contains("t (log scale)"), svg);
        CliRun cpuSweep = run("experiment", "lsm", "--modality", "audio", "--data", dir.resolve("digits.h5").toString(),
                "--sweep", "levels=2", "--sweep-out", prefix.toString());
        assertEquals(2, cpuSweep.code());
        assertTrue(cpuSweep.err().contains("--backend memristor"), cpuSweep.err());
        CliRun bad = run("experiment", "lsm", "--modality", "smell", "--data", dir.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("image or audio"), bad.err());
    }

    @Test
    void aTrainedModelIsCompressedIntoAnImageThatChecksItself(@TempDir Path dir) throws Exception {
        Path data = dataset(dir);
        Path model = dir.resolve("m.model");
        assertEquals(0, run("train", "mlp", "--data", data.toString(), "--epochs", "3", "--hidden", "24", "--time-steps",
                "6", "--batch-size", "16", "--lr", "5e-3", "--no-progress", "--encoding", "rate", "--readout", "count",
                "--immediate-reset", "--save", model.toString()).code());
        Path img = dir.resolve("m.img");
        CliRun c = run("edge", "compress", "--model", model.toString(), "--data", data.toString(), "--samples", "90",
                "--time-steps", "6", "--bits", "4", "--prune", "0.5", "--out", img.toString());
        assertEquals(0, c.code(), c.err());
        Matcher f = Pattern.compile("\\| float32 \\| ([0-9.]+) %").matcher(c.out());
        Matcher q = Pattern.compile("\\| int8 \\| ([0-9.]+) %").matcher(c.out());
        assertTrue(f.find() && q.find(), c.out());
        assertTrue(Double.parseDouble(f.group(1)) > 60 && Math.abs(Double.parseDouble(f.group(1))
                - Double.parseDouble(q.group(1))) <= 5, "int8 close to float32: " + c.out());
        CliRun info = run("edge", "info", img.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("format version 2") && info.out().contains("int4 weights"), info.out());
        byte[] b = Files.readAllBytes(img);
        b[b.length / 2] ^= 0x01;
        Files.write(img, b);
        CliRun bad = run("edge", "info", img.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("fails its CRC-32"), bad.err());
    }

    @Test
    void aTrainedL2muIsSavedAndCompressedWithItsSensorValuesOnTheBoard(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("l2mu.model");
        CliRun t = run("train", "l2mu", "--subjects", "5", "--seconds", "12", "--epochs", "2", "--order", "3",
                "--hidden", "16", "--memory", "6", "--lr", "5e-3", "--batch-size", "32", "--immediate-reset", "--save",
                model.toString());
        assertEquals(0, t.code(), t.err());
        Path img = dir.resolve("l2mu.img");
        Path win = dir.resolve("w.bin");
        CliRun c = run("edge", "compress", "--model", model.toString(), "--subjects", "5", "--seconds", "12", "--out",
                img.toString(), "--windows-out", win.toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("L2MU(lif") && c.out().contains("SYNTHETIC") && c.out().contains("| int4 |"),
                c.out());
        Matcher mac = Pattern.compile("\\| int8 \\| [0-9.]+ % \\| \\d+ \\| \\d+ \\| [0-9]+ / [0-9]+ \\| ([0-9]+) \\|")
                .matcher(c.out());
        // without the input module u (6) and h (16) multiply in the 6 channels in each of 40 steps (zeros skipped)
        assertTrue(mac.find() && Long.parseLong(mac.group(1)) <= 40L * 6 * 22 && Long.parseLong(mac.group(1)) > 40L * 5
                * 22, "multiply-accumulates per window: " + c.out());
        long n = Files.size(win);
        assertTrue(n > 12 && (n - 12) % (40 * 6 * 2) == 0, "int16 value windows: " + n);
        CliRun info = run("edge", "info", img.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("6 channels of Q8 values") && info.out().contains("(6 blocks)")
                && info.out().contains("layer 2 (previous step)"), info.out());
        CliRun mlpOnly = run("eval", "--model", model.toString());
        assertTrue(mlpOnly.code() != 0 && mlpOnly.err().contains("holds an L2MU"), mlpOnly.err());
    }

    @Test
    void l2muTrainsOnWisdmFilesInTheRealFormatAndOnSyntheticData() {
        // the WISDM reader's fixture: two subjects' raw watch files (accel and gyro), activities F and R
        CliRun w = run("train", "l2mu", "--data", "wisdm:../datasets/src/test/resources/fixtures/wisdm", "--epochs",
                "2", "--order", "3", "--hidden", "12", "--memory", "6", "--stride", "10", "--json");
        assertEquals(0, w.code(), w.err());
        assertTrue(w.out().contains("WISDM watch data") && w.out().contains("(subjects [1600])")
                && w.out().contains("(subjects [1601])"), w.out());
        assertTrue(w.out().contains("\"synthetic\":false") && w.out().contains("\"neuron\":\"lif\""), w.out());
        CliRun s = run("train", "l2mu", "--subjects", "6", "--seconds", "20", "--epochs", "4", "--order", "4",
                "--hidden", "24", "--memory", "8", "--lr", "5e-3", "--batch-size", "32");
        assertEquals(0, s.code(), s.err());
        Matcher m = Pattern.compile("test accuracy ([0-9.]+) % after 4 epochs").matcher(s.out());
        assertTrue(m.find() && Double.parseDouble(m.group(1)) > 40, "well above chance (14 %): " + s.out());
        // trained with the core's reset, the model runs as core networks with the training graph's spikes
        CliRun c = run("train", "l2mu", "--subjects", "4", "--seconds", "10", "--epochs", "1", "--order", "3",
                "--hidden", "16", "--memory", "6", "--neuron", "cuba", "--encoder", "single", "--immediate-reset",
                "--core-check", "6", "--json");
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("\"core_windows\":6,\"core_identical\":6,\"core_same_class\":6")
                && c.out().contains("\"core_differing\":0"), c.out());
        // snnTorch's delayed reset (no --immediate-reset) in the event-driven grid engine: the same spikes
        CliRun e = run("train", "l2mu", "--subjects", "4", "--seconds", "10", "--epochs", "1", "--order", "3",
                "--hidden", "16", "--memory", "6", "--neuron", "lif", "--core-check", "4",
                "--core-mode", "EVENT_GRID", "--json");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("\"core_windows\":4,\"core_identical\":4,\"core_same_class\":4")
                && e.out().contains("\"core_mode\":\"EVENT_GRID\""), e.out());
        CliRun ann = run("train", "l2mu", "--epochs", "1", "--neuron", "ann", "--core-check", "3");
        assertEquals(2, ann.code());
        assertTrue(ann.err().contains("the ANN baseline has no spikes"), ann.err());
        CliRun bad = run("train", "l2mu", "--data", "wisdm:/nonexistent");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("at least 2 subjects"), bad.err());
    }

    @Test
    void onlineAndDsrMethodsTrain(@TempDir Path dir) throws Exception {
        Path data = dataset(dir);
        for (String method : new String[] {"online", "dsr"}) {
            CliRun r = run("train", "mlp", "--data", data.toString(), "--epochs", "8", "--hidden", "24",
                    "--time-steps", "8", "--batch-size", "16", "--lr", "1e-2", "--schedule", "constant", "--no-progress",
                    "--method", method);
            assertEquals(0, r.code(), r.err());
            assertTrue(lastTestAccuracy(r.out()) > 85, method + ": " + r.out());
        }
    }

    @Test
    void badOptionsGiveOneLineAndExitCodeTwo(@TempDir Path dir) throws Exception {
        Path data = dataset(dir);
        CliRun r = run("train", "mlp", "--data", data.toString(), "--neuron", "izhikevich", "--no-progress");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("myelin: model: neuron must be leaky, synaptic, lif, dsr-if or dsr-lif"), r.err());
        CliRun missing = run("train", "mlp", "--data", dir.resolve("nowhere").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("neither fashion-mnist nor a folder"), missing.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
