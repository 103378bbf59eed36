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
        for (String trainer : new String[] {"dsr", "ottt", "bptt", "bptt-lif"}) {
            // bptt-lif: BPTT with the reference's neuron (SpikingJelly's LIF, tau 2, soft reset)
            String[] neuron = trainer.equals("bptt-lif") ? new String[] {"--neuron", "lif"} : new String[0];
            CliRun core = CliRun.of(concat(new String[] {"experiment", "hlop", "--data", data.toString(), "--trainer",
                    trainer.startsWith("bptt") ? "bptt" : trainer}, neuron, new String[] {"--tasks", "2", "--train",
                    "160", "--test", "80", "--hidden", "16", "--lateral", "8,4", "--lateral-added", "4,2", "--hebbian-lr", "0.01,0.01", "--time-steps", "8", "--core-check", "5",
                    "--json"}));
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

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }

    private static String lastLine(CliRun r) {
        String[] lines = r.out().trim().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void theReferencePresetRunsTheReferenceScriptsSettings(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("bands"));
        TrainCommandTest.writeSplit(data, "train", 240, 1);
        // every setting of spiking_train_pmnist_bptt.py (the data aside: 64 / 32 of the synthetic images per task)
        CliRun ref = CliRun.of("experiment", "hlop", "--data", data.toString(), "--preset", "reference", "--trainer",
                "bptt", "--train", "64", "--test", "32", "--json");
        assertEquals(0, ref.code(), ref.err());
        String json = lastLine(ref);
        assertTrue(ref.out().contains("preset reference: pkuxmq/HLOP-SNN 530b89a, spiking_train_pmnist_bptt.py\n"),
                ref.out());
        assertTrue(ref.out().contains("784-800-800-10, bptt (the reference's SpikingJelly LIF, tau 2), T=6, batch 64,"
                + " SGD lr 0.1, 1 epoch(s) per task; method hlop, projection lateral"), ref.out());
        assertTrue(json.contains("\"trainer\":\"bptt\",\"feedback\":\"exact\",\"hidden\":[800,800],\"time_steps\":6,"
                + "\"epochs_per_task\":1,\"lr\":0.1,\"task_lr_scale\":[],\"lateral\":[80,200,100],\"lateral_added\":"
                + "[[70,70,70],[70,70,70],[50,50,50],[50,50,50],[50,50,50],[30,30,30],[30,30,30],[30,30,30],[10,10,10]],"
                + "\"hebbian_signal\":\"steps\",\"preset\":\"reference\",\"preset_overrides\":[],\"neuron\":\"lif\","
                + "\"batch_size\":64,\"tasks\":10,\"hebbian_lr\":[0.001,0.01,0.01],\"hebbian_iterations\":5,"
                + "\"normalize\":true,\"lr_schedule\":\"constant\",\"projection\":\"lateral\",\"hlop_spiking\":false"),
                json);
        assertTrue(json.contains("\"accuracy\":[[") && json.contains("\"acc\":"), json);
        // DSR's script: T 20 and the weighted-rate signal; explicit options override the preset and are reported
        CliRun dsr = CliRun.of("experiment", "hlop", "--data", data.toString(), "--preset", "reference", "--tasks",
                "2", "--train", "64", "--test", "32", "--hidden", "16", "--lateral", "8,4", "--lateral-added", "4,2",
                "--hebbian-lr", "0.01,0.01", "--lr", "0.05", "--projection", "orthonormal", "--hlop-spiking",
                "--hlop-spiking-steps", "40", "--json");
        assertEquals(0, dsr.code(), dsr.err());
        String d = lastLine(dsr);
        assertTrue(dsr.out().contains("preset reference: pkuxmq/HLOP-SNN 530b89a, spiking_train_pmnist.py; overridden:"
                + " --tasks, --hidden, --lr, --lateral, --lateral-added, --hebbian-lr, --projection, --hlop-spiking"),
                dsr.out());
        assertTrue(d.contains("\"hidden\":[16],\"time_steps\":20,\"epochs_per_task\":1,\"lr\":0.05,")
                && d.contains("\"hebbian_signal\":\"rate\",\"preset\":\"reference\",\"preset_overrides\":[\"--tasks\","
                + "\"--hidden\",\"--lr\",\"--lateral\",\"--lateral-added\",\"--hebbian-lr\",\"--projection\","
                + "\"--hlop-spiking\"],\"neuron\":\"dsr\",\"batch_size\":64,\"tasks\":2,")
                && d.contains("\"normalize\":true,\"lr_schedule\":\"constant\",\"projection\":\"orthonormal\","
                + "\"hlop_spiking\":true,\"hlop_spiking_scale\":20.0,\"hlop_spiking_steps\":40.0"), d);
        // Myelin's defaults are the myelin preset, and BPTT keeps Myelin's leaky neuron there
        CliRun mine = CliRun.of("experiment", "hlop", "--data", data.toString(), "--trainer", "bptt", "--tasks", "2",
                "--train", "64", "--test", "32", "--hidden", "16", "--lateral", "8,4", "--lateral-added", "4,2",
                "--hebbian-lr", "0.01,0.01", "--time-steps", "4", "--json");
        assertEquals(0, mine.code(), mine.err());
        assertTrue(lastLine(mine).contains("\"preset\":\"myelin\",\"preset_overrides\":[],\"neuron\":\"leaky\"")
                && lastLine(mine).contains("\"normalize\":false,\"lr_schedule\":\"constant\",\"projection\":"
                + "\"orthonormal\",\"hlop_spiking\":false"), lastLine(mine));
        assertTrue(mine.out().contains("bptt (Myelin's leaky neuron, beta 0.9), T=4"), mine.out());
        String[][] refused = {
            {"--preset", "paper"}, {"--preset must be myelin or reference"},
            {"--projection", "qr"}, {"--projection must be orthonormal or lateral"},
            {"--neuron", "izhikevich", "--trainer", "bptt"}, {"--neuron must be leaky or lif"},
            {"--neuron", "lif"}, {"--neuron applies to --trainer bptt only"},
            {"--preset", "reference", "--benchmark", "split-fmnist"}, {"no split Fashion-MNIST script"},
            {"--hlop-spiking", "--hlop-spiking-steps", "0"}, {"--hlop-spiking-steps >= 1"},
        };
        for (int k = 0; k < refused.length; k += 2) {
            String[] args = new String[refused[k].length + 4];
            args[0] = "experiment";
            args[1] = "hlop";
            args[2] = "--data";
            args[3] = data.toString();
            System.arraycopy(refused[k], 0, args, 4, refused[k].length);
            CliRun r = CliRun.of(args);
            assertEquals(2, r.code(), String.join(" ", refused[k]));
            assertTrue(r.err().contains(refused[k + 1][0]), r.err());
        }
    }
}
