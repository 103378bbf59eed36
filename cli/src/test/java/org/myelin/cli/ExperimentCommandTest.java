package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentCommandTest {
    @Test
    void hlopRunsAndPrintsTheAccuracyMatrixAsJson(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("bands"));
        TrainCommandTest.writeSplit(data, "train", 240, 1);
        for (String method : new String[] {"hlop", "finetune", "ewc", "gpm", "multitask"}) {
            CliRun r = CliRun.of("experiment", "hlop", "--data", data.toString(), "--method", method, "--tasks", "2",
                    "--train", "160", "--test", "80", "--hidden", "16", "--lateral", "8,4", "--lateral-added", "4,2",
                    "--hebbian-lr", "0.01,0.01", "--time-steps", "4", "--json");
            assertEquals(0, r.code(), r.err());
            String[] lines = r.out().trim().split("\n");
            String json = lines[lines.length - 1];
            assertTrue(json.startsWith("{\"benchmark\":\"pmnist\",\"method\":\"" + method + "\""), json);
            assertTrue(json.contains("\"acc\":") && json.contains("\"bwt\":") && json.contains("\"accuracy\":[["),
                    json);
        }
        CliRun report = CliRun.of("experiment", "hlop", "--data", data.toString(), "--tasks", "2", "--train", "160",
                "--test", "80", "--hidden", "16", "--lateral", "8,4", "--lateral-added", "4,2", "--hebbian-lr",
                "0.01,0.01", "--time-steps", "4", "--normalize", "--subspace-report", "--lr-schedule", "cosine", "--json");
        assertEquals(0, report.code(), report.err());
        assertTrue(report.out().contains("pixels standardised with the training images' mean"), report.out());
        assertTrue(report.out().contains("SGD lr 0.1 (cosine to 0 over each task)"), report.out());
        assertTrue(report.out().contains("  layer 1: 6 rows hold"), report.out());
        String[] lines = report.out().trim().split("\n");
        String json = lines[lines.length - 1];
        assertTrue(json.contains("\"subspace\":[{\"task\":0,\"layer\":0,\"rows\":8,\"captured\":")
                && json.contains("{\"task\":1,\"layer\":1,\"rows\":6,"), json);
        for (String trainer : new String[] {"bptt", "ottt"}) {
            CliRun r = CliRun.of("experiment", "hlop", "--data", data.toString(), "--trainer", trainer, "--tasks", "2",
                    "--feedback", trainer.equals("bptt") ? "random" : "sign",
                    "--train", "160", "--test", "80", "--hidden", "16", "--lateral", "8,4", "--lateral-added", "4,2",
                    "--hebbian-lr", "0.01,0.01", "--time-steps", "4", "--json",
                    "--hebbian-signal", trainer.equals("bptt") ? "rate" : "steps");
            assertEquals(0, r.code(), r.err());
            String[] out = r.out().trim().split("\n");
            String last = out[out.length - 1];
            assertTrue(last.contains("\"trainer\":\"" + trainer + "\"") && last.contains("\"hidden\":[16],"
                    + "\"time_steps\":4,\"epochs_per_task\":1,\"lr\":0.1,\"task_lr_scale\":[],\"lateral\":[8,4],"
                    + "\"lateral_added\":[[4,2]],\"hebbian_signal\":\""
                    + (trainer.equals("bptt") ? "rate" : "steps") + "\""), last);
        }
        CliRun held = CliRun.of("experiment", "hlop", "--data", data.toString(), "--tasks", "2", "--train", "160",
                "--validation", "40", "--hidden", "16", "--lateral", "8,4", "--lateral-added", "4,2", "--hebbian-lr",
                "0.01,0.01", "--time-steps", "4", "--task-lr-scale", "1,0.5", "--json");
        assertEquals(0, held.code(), held.err());
        assertTrue(held.out().contains("SGD lr 0.1 times [1.0, 0.5] by task")
                && held.out().contains("\"task_lr_scale\":[1.0,0.5]"), held.out());
        assertTrue(held.out().contains("120 train / 40 validation images each"), held.out());
        assertTrue(held.out().contains("\"evaluated_on\":\"validation\""), held.out());
        assertTrue(held.out().contains("\"hebbian_signal\":\"rate\""), "DSR's reference signal: " + held.out());
        CliRun badSignal = CliRun.of("experiment", "hlop", "--data", data.toString(), "--hebbian-signal", "spikes");
        assertEquals(2, badSignal.code());
        assertTrue(badSignal.err().contains("--hebbian-signal must be rate or steps"), badSignal.err());
        CliRun badScale = CliRun.of("experiment", "hlop", "--data", data.toString(), "--tasks", "2", "--train",
                "160", "--test", "80", "--hidden", "16", "--lateral", "8,4", "--lateral-added", "4,2",
                "--hebbian-lr", "0.01,0.01", "--task-lr-scale", "1,0");
        assertEquals(2, badScale.code());
        assertTrue(badScale.err().contains("learning-rate factor must be > 0"), badScale.err());
        CliRun tooMany = CliRun.of("experiment", "hlop", "--data", data.toString(), "--train", "160", "--validation",
                "160");
        assertEquals(2, tooMany.code());
        assertTrue(tooMany.err().contains("--validation must be"), tooMany.err());
        // the trained models of every trainer run as core networks with the training graph's spikes and answers
        for (String trainer : new String[] {"dsr", "ottt", "bptt"}) {
            CliRun core = CliRun.of("experiment", "hlop", "--data", data.toString(), "--trainer", trainer, "--tasks",
                    "2", "--train", "160", "--test", "80", "--hidden", "16", "--lateral", "8,4", "--lateral-added",
                    "4,2", "--hebbian-lr", "0.01,0.01", "--time-steps", "8", "--core-check", "5", "--json");
            assertEquals(0, core.code(), core.err());
            assertTrue(core.out().contains("\"core_samples\":10,\"core_identical\":10,\"core_same_class\":10")
                    && core.out().contains("\"core_differing\":0") && core.out().contains("\"core_mode\":\"CLOCK\""),
                    trainer + ": " + core.out());
        }
        CliRun negative = CliRun.of("experiment", "hlop", "--data", data.toString(), "--core-check", "-1");
        assertEquals(2, negative.code());
        assertTrue(negative.err().contains("--core-check must be >= 0"), negative.err());
        CliRun bad = CliRun.of("experiment", "hlop", "--data", data.toString(), "--method", "ewc2");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--method must be"), bad.err());
    }
}
