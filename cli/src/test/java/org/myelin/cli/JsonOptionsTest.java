package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --json} and {@code --json-file}: the same options, the same behaviour, valid JSON, on every command. */
class JsonOptionsTest {
    @Test
    void jsonIsTheLastStdoutLineAndTheFileHoldsTheSameObject(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cuba.json");
        CliRun r = CliRun.of("bench", "cuba", "--neurons", "500", "--duration", "0.05", "--no-warmup", "--json",
                "--json-file", file.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode printed = JsonResult.lastLine(r.out());
        assertEquals(500, printed.get("neurons").asInt());
        assertTrue(printed.get("spike_checksum").asText().matches("[0-9a-f]{16}"), printed.toString());
        assertEquals(printed, JsonResult.parse(Files.readString(file)));
        assertFalse(Files.list(dir).anyMatch(p -> p.toString().endsWith(".part")), "no temporary file left");
    }

    @Test
    void theFileAloneKeepsTheHumanReportOnStdout(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cuba.json");
        CliRun r = CliRun.of("bench", "cuba", "--neurons", "500", "--duration", "0.05", "--no-warmup", "--json-file",
                file.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("CUBA  neurons 500"), r.out());
        assertTrue(r.out().contains(file.toAbsolutePath().toString()), "says where the JSON went: " + r.out());
        assertEquals(500, JsonResult.parse(Files.readString(file)).get("neurons").asInt());
    }

    @Test
    void runOfABuiltInNetworkEndsWithItsJsonObjectAsTheBenchCommandsDo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.json");
        CliRun r = CliRun.of("run", "cuba", "--neurons", "500", "--duration", "0.05", "--json", "--json-file",
                file.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode n = JsonResult.lastLine(r.out());
        assertEquals("cuba", n.get("network").asText());
        assertEquals(500, n.get("neurons").asInt());
        assertTrue(r.out().contains("  spikes            " + n.get("spikes").asInt() + "\n"), "the JSON's spikes are"
                + " the report's: " + r.out());
        assertEquals(n, JsonResult.parse(Files.readString(file)));
        CliRun sparse = CliRun.of("run", "sparse", "--neurons", "1000", "--duration", "0.01", "--json");
        assertEquals(0, sparse.code(), sparse.err());
        assertEquals("sparse", JsonResult.lastLine(sparse.out()).get("network").asText());
    }

    @Test
    void aNumberThatIsNotFiniteIsNullNotNaN() {
        // a network that hardly spikes in 2 ms: no neuron has an inter-spike interval, so the ISI CV is not a number
        CliRun r = CliRun.of("bench", "sparse", "--neurons", "1000", "--synapses", "1", "--active-fraction", "1e-6",
                "--duration", "0.002", "--json");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("NaN"), r.out());
        JsonNode n = JsonResult.lastLine(r.out());
        assertTrue(n.get("isi_cv").isNull(), n.toString());
    }

    @Test
    void anUnwritableJsonFileIsRefusedBeforeAnyWork(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-folder").resolve("r.json");
        long t = System.nanoTime();
        CliRun r = CliRun.of("bench", "cuba", "--neurons", "200000", "--json-file", missing.toString());
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().startsWith("myelin: --json-file ") && r.err().contains("does not exist"), r.err());
        assertTrue((System.nanoTime() - t) < 20e9, "refused before building a 200k-neuron network");
        CliRun folder = CliRun.of("bench", "cuba", "--json-file", dir.toString());
        assertEquals(Main.BAD_INPUT, folder.code(), folder.err());
        assertTrue(folder.err().contains("is a folder"), folder.err());
    }

    @Test
    void everyCommandWithAJsonResultTakesBothOptionsWithTheSameMeaning() {
        List<String> withJson = new ArrayList<>();
        walk(Main.commandLine(new java.io.PrintWriter(java.io.Writer.nullWriter()),
                new java.io.PrintWriter(java.io.Writer.nullWriter())), withJson);
        assertTrue(withJson.size() >= 8, withJson.toString());
        for (String c : withJson) {
            assertTrue(!c.endsWith("(--json takes a value)") && !c.endsWith("(no --json-file)"), c);
        }
    }

    private static void walk(CommandLine cl, List<String> found) {
        CommandLine.Model.CommandSpec s = cl.getCommandSpec();
        CommandLine.Model.OptionSpec json = s.findOption("--json");
        if (json != null) {
            String name = s.qualifiedName();
            if (json.arity().max() > 0) {
                name += " (--json takes a value)";
            } else if (s.findOption("--json-file") == null) {
                name += " (no --json-file)";
            }
            found.add(name);
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            walk(sub, found);
        }
    }
}
