package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void benchCubaJsonIsTheLastLineAndHasEveryField() {
        CliRun r = run("bench", "cuba", "--neurons", "1000", "--duration", "0.2", "--threads", "2", "--seed", "3",
                "--json");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        String json = lines[lines.length - 1];
        for (String key : new String[] {"neurons", "synapses", "spikes", "mean_rate_hz", "isi_cv", "build_s", "sim_s",
            "synaptic_events_per_s", "neuron_updates_per_s", "bytes_per_synapse", "threads", "backend", "seed",
            "spike_checksum"}) {
            assertTrue(json.contains("\"" + key + "\":"), "JSON has " + key + ": " + json);
        }
        assertTrue(json.startsWith("{") && json.endsWith("}"), json);
        assertEquals(1000, number(json, "neurons"), 0);
        assertEquals(2, number(json, "threads"), 0);
        assertTrue(number(json, "spikes") > 0, json);
        assertTrue(number(json, "bytes_per_synapse") <= 10, json);
    }

    @Test
    void sameSeedGivesTheSameChecksumWhateverTheThreadCount() {
        CliRun one = run("bench", "cuba", "--neurons", "2000", "--duration", "0.3", "--threads", "1", "--json");
        CliRun two = run("bench", "cuba", "--neurons", "2000", "--duration", "0.3", "--threads", "2", "--json");
        assertEquals(checksum(one.out()), checksum(two.out()));
    }

    private static String checksum(String out) {
        Matcher m = Pattern.compile("\"spike_checksum\":\"([0-9a-f]{16})\"").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([-0-9.eE+]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void badValuesGiveOneLineOnStderrAndExitCodeTwo() {
        for (String[] args : new String[][] {
            {"bench", "cuba", "--neurons", "-5"},
            {"bench", "cuba", "--neurons", "lots"},
            {"bench", "cuba", "--threads", "-1"},
            {"bench", "cuba", "--duration", "0"},
            {"bench", "cuba", "--backend", "quantum"},
            {"bench", "cuba", "--frobnicate"},
            {"bench", "nest"},
            {"demo", "--threads", "2000"}}) {
            CliRun r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + " -> " + r.err());
            String err = r.err().strip();
            assertFalse(err.isEmpty(), String.join(" ", args));
            assertEquals(1, err.lines().count(), "one line: " + err);
            assertTrue(err.startsWith("myelin: "), err);
            assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        }
    }

    @Test
    void unknownBackendMessageListsTheAvailableOnes() {
        CliRun r = run("bench", "cuba", "--backend", "quantum");
        assertTrue(r.err().contains("cpu") && r.err().contains("reference"), r.err());
    }

    @Test
    void demoPrintsTheReportAndWritesTheRaster(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("raster.png");
        CliRun r = run("demo", "--output", png.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.err());
        for (String s : new String[] {"neurons", "synapses", "spikes", "mean rate", "build time", "simulation time",
            "real-time factor"}) {
            assertTrue(r.out().contains(s), "report has " + s + ":\n" + r.out());
        }
        assertTrue(Files.size(png) > 1000);
        assertEquals(1200, ImageIO.read(png.toFile()).getWidth());
    }

    @Test
    void dataInfoDescribesEventAndIdxFiles() {
        CliRun r = run("data", "info", "../datasets/src/test/resources/fixtures/nmnist-5-events.bin");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("34 x 34 sensor, 4 events (2 ON, 2 OFF)"), r.out());
        CliRun l = run("data", "info", "../datasets/src/test/resources/fixtures/labels-3-idx1-ubyte");
        assertTrue(l.out().contains("labels: 1:1 2:1 7:1"), l.out());
        CliRun bad = run("data", "info", "no-such-file.bin");
        assertEquals(2, bad.code());
    }

    @Test
    void dataInfoGivesTheStatisticsOfAnNmnistFolder(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 4; i++) {
            org.myelin.datasets.event.EventStream s = new org.myelin.datasets.event.EventStream(34, 34, 4);
            for (int k = 0; k <= i; k++) {
                s.add(100_000L * k, k, k, k % 2);
            }
            Path f = dir.resolve(i < 2 ? "Train" : "Test").resolve(Integer.toString(i)).resolve("0000" + i + ".bin");
            Files.createDirectories(f.getParent());
            org.myelin.datasets.nmnist.NmnistFormat.write(s, f);
        }
        CliRun r = run("data", "info", dir.toString());
        assertEquals(0, r.code(), r.err());
        // Train: 1 and 2 events (mean 1.5, sd 0.5), durations 0 and 100 ms; Test: 3 and 4 events, 200 and 300 ms
        assertTrue(r.out().contains("N-MNIST Train: per class [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]"), r.out());
        assertTrue(r.out().contains("2 samples, 2 events per sample (sd 1), 50.0 ms per sample, ON fraction 0.333"),
                r.out());
        assertTrue(r.out().contains("4 events per sample (sd 1), 250.0 ms per sample, ON fraction 0.429, 0.0 Hz per"
                + " channel (1156 channels)"), r.out());
    }

    @Test
    void dataFetchListsTheCatalogueAndRefusesUncheckedUrls() {
        CliRun list = run("data", "fetch", "--list");
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("nmnist") && list.out().contains("train.zip, test.zip")
                && list.out().contains("UCI publishes NO checksum"), list.out());
        CliRun unknown = run("data", "fetch", "n-caltech101");
        assertTrue(unknown.code() != 0 && unknown.err().contains("known: mnist, fashion-mnist"), unknown.err());
        CliRun unchecked = run("data", "fetch", "http://127.0.0.1:1/x.bin");
        assertEquals(2, unchecked.code());
        assertTrue(unchecked.err().contains("exactly one of --sha256 or --md5"), unchecked.err());
        CliRun noConsent = run("data", "fetch", "wisdm", "--cache", "target/never");
        assertTrue(noConsent.code() != 0 && noConsent.err().contains("fetch needs --unverified"), noConsent.err());
    }

    @Test
    void benchSparseRunsInClockAndEventModesWithTheSameSpikes() {
        String[] checksums = new String[2];
        String[] modes = {"clock", "event"};
        for (int k = 0; k < 2; k++) {
            CliRun r = run("bench", "sparse", "--neurons", "3000", "--duration", "0.1", "--mode", modes[k], "--json");
            assertEquals(0, r.code(), r.err());
            String[] lines = r.out().strip().split("\n");
            String json = lines[lines.length - 1];
            assertTrue(json.contains("\"benchmark\":\"sparse\"") && json.contains("\"mode\":\"" + modes[k] + "\"")
                    && json.contains("\"input_events_per_neuron_ms\":"), json);
            assertTrue(number(json, "spikes") > 0, json);
            checksums[k] = checksum(json);
        }
        assertEquals(checksums[0], checksums[1], "the same spikes in both modes");
        CliRun bad = run("bench", "sparse", "--mode", "sometimes");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("engine mode must be clock, event, precise or auto"), bad.err());
    }

    @Test
    void nirInfoDescribesAFileAndRefusesABadOne() {
        CliRun r = run("nir", "info", "../nir/src/test/resources/fixtures/lif.nir");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("lif.nir: NIR 0.1.1, 4 nodes, 3 edges, feed-forward")
                && r.out().contains("LIF       in 1, out 1") && r.out().contains("input -> 0  (1 value)"), r.out());
        CliRun bad = run("nir", "info", "../nir/src/test/resources/fixtures/missing-field.nir");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("field 'bias' is missing"), bad.err());
    }

    @Test
    void theNirFilesExperimentChecksEveryFileOfAFolder(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // the project's own fixtures (the published files are used the same way, from ../shared/data/nir)
        for (String f : new String[] {"lif.nir", "rnn_subgraph.nir"}) {
            Files.copy(Path.of("../nir/src/test/resources/fixtures", f), dir.resolve(f));
        }
        CliRun r = run("experiment", "nir-files", "--data", dir.toString(), "--steps", "50");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("| lif.nir | 4 | 3 | same graph | 1 | 1 |"), r.out());
        assertTrue(r.out().contains("| rnn_subgraph.nir | 10 | 9 | same graph, 4 dangling edges kept | 11 | ")
                && r.out().split("\\| yes \\|", -1).length == 3, "both export and import to the same spikes: " + r.out());
    }

    @Test
    void deployAndBoardSayWhatIsWrongWithoutABoard(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        CliRun r = run("deploy", "--port", dir.resolve("ttyX").toString(), dir.resolve("none.img").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no model image at"), r.err());
        Path junk = dir.resolve("junk.img");
        Files.writeString(junk, "not an image at all, but long enough to have a header and a hash.....");
        r = run("deploy", "--port", dir.resolve("ttyX").toString(), junk.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not a Myelin model image"), r.err());
        r = run("board", "info", "--port", dir.resolve("ttyX").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("serial port"), r.err());
    }

    @Test
    void backendsAreListed() {
        CliRun r = run("backends");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("cpu") && r.out().contains("reference"), r.out());
    }

    @Test
    void versionIsThePomsAndNamesTheJava() throws Exception {
        CliRun r = run("--version");
        assertEquals(0, r.code(), r.err());
        // the version the build filtered in: the parent pom's, whatever it is now
        String pom = Files.readString(Path.of("../pom.xml"));
        Matcher m = Pattern.compile("<artifactId>myelin-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(), "the parent pom's version");
        assertTrue(r.out().startsWith("myelin " + m.group(1) + "\n"), r.out());
        assertTrue(r.out().contains("Java " + System.getProperty("java.version")), r.out());
    }
}
