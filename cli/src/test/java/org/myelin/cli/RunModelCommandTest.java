package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code myelin run MODEL --data DATA}: a trained model's test set on the core, compared with the framework's. */
class RunModelCommandTest {
    private static Path mlp(Path dir) throws IOException {
        Path d = Files.createDirectories(dir.resolve("bands"));
        TrainCommandTest.writeSplit(d, "train", 240, 1);
        TrainCommandTest.writeSplit(d, "t10k", 60, 2);
        Path model = dir.resolve("mlp.model");
        CliRun train = CliRun.of("train", "mlp", "--data", d.toString(), "--epochs", "2", "--hidden", "24",
                "--time-steps", "4", "--batch-size", "16", "--lr", "5e-3", "--no-progress", "--encoding", "rate",
                "--save", model.toString());
        assertEquals(0, train.code(), train.err());
        return model;
    }

    @Test
    void aSavedMlpClassifiesItsTestSetOnTheCoreInClockAndEventModes(@TempDir Path dir) throws IOException {
        Path model = mlp(dir);
        String data = dir.resolve("bands").toString();
        JsonNode clock = null;
        for (String mode : new String[] {"clock", "event-grid"}) {
            CliRun r = CliRun.of("run", model.toString(), "--data", data, "--test-limit", "30", "--mode", mode,
                    "--threads", "1", "--json");
            assertEquals(0, r.code(), r.err());
            JsonNode j = JsonResult.lastLine(r.out());
            for (String k : new String[] {"accuracy", "samples", "backend", "mode", "spikes", "synaptic_ops",
                "wall_s", "mismatches", "framework_accuracy"}) {
                assertTrue(j.has(k), k + " in " + j);
            }
            assertEquals("mlp", j.get("model").asText());
            assertEquals(30, j.get("samples").asInt());
            assertEquals("cpu", j.get("backend").asText());
            assertEquals(mode.equals("clock") ? "clock" : "event", j.get("mode").asText());
            assertEquals(0, j.get("mismatches").asInt(), r.out());
            assertEquals(30, j.get("identical_samples").asInt(), r.out());
            assertEquals(j.get("framework_accuracy").asDouble(), j.get("accuracy").asDouble(), 0.0);
            assertTrue(j.get("spikes").asLong() > 0 && j.get("synaptic_ops").asLong() > 0, j.toString());
            assertTrue(r.out().contains("30 samples on cpu (mode " + j.get("mode").asText() + "): core accuracy"),
                    r.out());
            if (clock == null) {
                clock = j;
            } else {
                assertEquals(clock.get("accuracy").asDouble(), j.get("accuracy").asDouble(), 0.0);
                assertEquals(clock.get("spikes").asLong(), j.get("spikes").asLong(), "same spikes in both engines");
            }
        }
    }

    @Test
    void builtInNetworksStillRun() {
        CliRun r = CliRun.of("run", "cuba", "--neurons", "200", "--duration", "0.05");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("cuba: 200 neurons"), r.out());
        assertTrue(r.out().contains("spikes"), r.out());
    }

    @Test
    void optionsOfTheOtherKindOfRunAndMissingCapabilitiesAreRefusedByName(@TempDir Path dir) throws IOException {
        Path model = mlp(dir);
        String data = dir.resolve("bands").toString();
        CliRun raster = CliRun.of("run", model.toString(), "--data", data, "--raster", dir.resolve("r.png").toString());
        assertEquals(2, raster.code(), raster.out());
        assertTrue(raster.err().contains("--raster is an option of a built-in network's run"), raster.err());
        CliRun builtInData = CliRun.of("run", "cuba", "--data", data);
        assertEquals(2, builtInData.code());
        assertTrue(builtInData.err().contains("--data is an option of a model file's run"), builtInData.err());
        CliRun noData = CliRun.of("run", model.toString());
        assertEquals(2, noData.code());
        assertTrue(noData.err().contains("needs --data"), noData.err());
        CliRun precise = CliRun.of("run", model.toString(), "--data", data, "--mode", "precise", "--test-limit", "2");
        assertEquals(2, precise.code(), precise.out());
        assertTrue(precise.err().contains("mode precise (EVENT_PRECISE) cannot run mlp.model")
                && precise.err().contains("no continuous-time form"), precise.err());
        CliRun opencl = CliRun.of("run", model.toString(), "--data", data, "--backend", "opencl", "--test-limit", "2",
                "--json");
        if (opencl.code() == 0) {
            // an OpenCL platform (PoCL in CI): the model runs there; OpenCL sums in fixed point, so a spike may differ
            // from the float training graph's (one of 77 here), the answers do not
            assertTrue(opencl.out().contains("\"backend\":\"opencl\"") && opencl.out().contains("\"mismatches\":0")
                    && opencl.out().contains("\"spike_differences\":"), opencl.out());
        } else {
            assertEquals(2, opencl.code(), opencl.out());
            assertTrue(opencl.err().contains("OpenCL"), "without a platform the run says so: " + opencl.err());
        }
        CliRun missing = CliRun.of("run", dir.resolve("none.model").toString(), "--data", data);
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        CliRun steps = CliRun.of("run", model.toString(), "--data", "synthetic-har");
        assertEquals(2, steps.code());
        assertTrue(steps.err().contains("'synthetic-har' is neither fashion-mnist nor a folder"), steps.err());
    }

    @Test
    void aSavedL2muRunsItsTestWindowsOnTheCore(@TempDir Path dir) {
        Path model = dir.resolve("l2mu.model");
        CliRun train = CliRun.of("train", "l2mu", "--subjects", "4", "--seconds", "10", "--epochs", "1", "--order",
                "3", "--hidden", "16", "--memory", "6", "--save", model.toString());
        assertEquals(0, train.code(), train.err());
        CliRun r = CliRun.of("run", model.toString(), "--data", "synthetic-har", "--subjects", "4", "--seconds",
                "10", "--test-limit", "6", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = JsonResult.lastLine(r.out());
        assertEquals("l2mu", j.get("model").asText());
        assertEquals(6, j.get("samples").asInt());
        assertEquals(0, j.get("mismatches").asInt(), r.out());
        assertEquals(6, j.get("identical_samples").asInt(), r.out());
        CliRun steps = CliRun.of("run", model.toString(), "--data", "synthetic-har", "--time-steps", "4");
        assertEquals(2, steps.code());
        assertTrue(steps.err().contains("settings of a spiking MLP"), steps.err());
    }

    private static Path trainSdt(Path dir, Path data, String attention) {
        Path model = dir.resolve("sdt-" + attention + ".model");
        CliRun train = CliRun.of("train", "sdt", "--data", data.toString(), "--stages", "4c1k3s2,8a1k3s2", "--heads",
                "2", "--mlp-ratio", "2", "--steps", "2", "--epochs", "4", "--batch-size", "16", "--no-progress",
                "--warmup", "2", "--lr", "2e-3", "--attention", attention, "--save", model.toString());
        assertEquals(0, train.code(), train.err() + train.out());
        return model;
    }

    @Test
    void aSavedSpikeDrivenTransformerRunsAsACoreNetworkOrOnTheProgramRunner(@TempDir Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("bands"));
        TrainCommandTest.writeSplit(data, "train", 160, 1);
        TrainCommandTest.writeSplit(data, "t10k", 40, 2);
        Path sdsa1 = trainSdt(dir, data, "sdsa1");
        for (String backend : new String[] {"cpu", "spike-driven"}) {
            CliRun r = CliRun.of("run", sdsa1.toString(), "--data", data.toString(), "--test-limit", "20", "--backend",
                    backend, "--json");
            assertEquals(0, r.code(), r.err());
            JsonNode j = JsonResult.lastLine(r.out());
            assertEquals("sdt", j.get("model").asText());
            assertEquals(backend.equals("cpu") ? "clock" : "spike-driven program", j.get("mode").asText());
            assertEquals(20, j.get("samples").asInt());
            assertEquals(0, j.get("mismatches").asInt(), r.out());
            assertEquals(20, j.get("identical_samples").asInt(), r.out());
            assertEquals(j.get("framework_accuracy").asDouble(), j.get("accuracy").asDouble(), 0.0);
            assertTrue(j.get("spikes").asLong() > 0 && j.get("synaptic_ops").asLong() > 0, j.toString());
        }
        CliRun reference = CliRun.of("run", sdsa1.toString(), "--data", data.toString(), "--backend", "reference");
        assertEquals(2, reference.code());
        assertTrue(reference.err().contains("backend reference, mode clock (CLOCK) cannot run sdt-sdsa1.model: reference"
                + " engine: projection"), reference.err());
        assertTrue(reference.err().contains("carries membrane potentials"), reference.err());
        CliRun event = CliRun.of("run", sdsa1.toString(), "--data", data.toString(), "--mode", "event",
                "--test-limit", "20", "--json");
        assertEquals(0, event.code(), event.err());
        assertEquals(20, JsonResult.lastLine(event.out()).get("identical_samples").asInt(), event.out());
        CliRun auto = CliRun.of("run", sdsa1.toString(), "--data", data.toString(), "--mode", "auto");
        assertEquals(2, auto.code());
        assertTrue(auto.err().contains("mode auto (AUTO) cannot run sdt-sdsa1.model"), auto.err());
        Path sdsa3 = trainSdt(dir, data, "sdsa3");
        for (String backend : new String[] {"cpu", "spike-driven"}) {
            CliRun r = CliRun.of("run", sdsa3.toString(), "--data", data.toString(), "--test-limit", "20",
                    "--backend", backend, "--json");
            assertEquals(0, r.code(), r.err());
            JsonNode j = JsonResult.lastLine(r.out());
            assertEquals(0, j.get("mismatches").asInt(), r.out());
            assertEquals(20, j.get("identical_samples").asInt(), r.out());
        }
    }
}
