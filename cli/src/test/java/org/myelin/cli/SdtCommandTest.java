package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.learning.model.ModelFile;

/** {@code train sdt} and {@code experiment sdt-ablation} on small 8 x 8 IDX images written by the test. */
class SdtCommandTest {
    private static double field(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([0-9.]+)").matcher(json);
        assertTrue(m.find(), key + " missing in " + json);
        return Double.parseDouble(m.group(1));
    }

    private static final String[] SMALL = {"--stages", "4c1k3s2,8a1k3s2", "--heads", "2", "--mlp-ratio", "2",
        "--steps", "2", "--epochs", "4", "--batch-size", "16", "--no-progress", "--warmup", "2", "--lr", "2e-3"};

    private static String[] args(String[] head, String... tail) {
        String[] all = new String[head.length + SMALL.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(SMALL, 0, all, head.length, SMALL.length);
        System.arraycopy(tail, 0, all, head.length + SMALL.length, tail.length);
        return all;
    }

    @Test
    void trainsExportsAndChecksOnTheCore(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("bands"));
        TrainCommandTest.writeSplit(data, "train", 160, 1);
        TrainCommandTest.writeSplit(data, "t10k", 40, 2);
        Path json = dir.resolve("r.json");
        Path model = dir.resolve("sdt.model");
        CliRun r = CliRun.of(args(new String[] {"train", "sdt", "--data", data.toString()}, "--json-file",
                json.toString(), "--save", model.toString()));
        assertEquals(0, r.code(), r.err() + r.out());
        String line = Files.readString(json);
        assertEquals(40, field(line, "core_checked"));
        assertEquals(40, field(line, "core_predictions_equal"));
        assertEquals(40, field(line, "core_scores_equal"));
        assertEquals(0, field(line, "core_spike_count_mismatches"));
        assertEquals(0, field(line, "multiplies_after_first_layer"));
        assertTrue(field(line, "acs_per_image") > 0 && field(line, "macs_per_image") > 0, line);
        assertTrue(r.out().contains("predictions equal 40/40"), r.out());
        assertTrue(ModelFile.isSdt(model));
        assertEquals((long) field(line, "parameters"), ModelFile.loadSdt(model).parameterCount());
        // the saved model, checked again without training: the same accuracy and counters
        Path again = dir.resolve("again.json");
        CliRun check = CliRun.of("train", "sdt", "--data", data.toString(), "--model", model.toString(), "--json-file",
                again.toString(), "--no-progress");
        assertEquals(0, check.code(), check.err() + check.out());
        String second = Files.readString(again);
        for (String key : new String[] {"test_accuracy", "acs_per_image", "macs_per_image", "core_predictions_equal"}) {
            assertEquals(field(line, key), field(second, key), key);
        }
    }

    @Test
    void ablationRunsEveryVariantOnOneBudget(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("one"));
        // a single images/labels pair: the last --holdout images are the test set
        TrainCommandTest.writeSplit(data, "x", 100, 3);
        Files.move(data.resolve("x-images-idx3-ubyte"), data.resolve("images-idx3-ubyte"));
        Files.move(data.resolve("x-labels-idx1-ubyte"), data.resolve("labels-idx1-ubyte"));
        CliRun r = CliRun.of(args(new String[] {"experiment", "sdt-ablation", "--data", data.toString(),
            "--holdout", "30", "--variants", "v2,sdsa1,no-repconv,transformer-only"}, "--json"));
        assertEquals(0, r.code(), r.err() + r.out());
        var variants = JsonResult.lastLine(r.out()).get("variants");
        assertEquals(4, variants.size());
        for (var v : variants) {
            assertEquals(30, v.get("core_predictions_equal").asInt(), v.toString());
            assertEquals(0, v.get("core_spike_count_mismatches").asInt(), v.toString());
        }
        assertTrue(variants.get(1).get("spec").asText().contains("attention=sdsa1")
                && variants.get(2).get("spec").asText().contains("repconv=false")
                && variants.get(3).get("spec").asText().contains("stages=4a1"), variants.toString());
        assertTrue(r.out().contains("| transformer-only |"), r.out());
        CliRun bad = CliRun.of("experiment", "sdt-ablation", "--data", data.toString(), "--holdout", "30",
                "--variants", "v3");
        assertTrue(bad.code() != 0 && (bad.err() + bad.out()).contains("unknown variant"), bad.err());
    }
}
