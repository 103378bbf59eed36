package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code --seed} and {@code --threads} are declared once (SharedOptions) and keep each command's own default. */
class SharedOptionsTest {
    private static CommandLine root() {
        StringWriter sink = new StringWriter();
        return Main.commandLine(new PrintWriter(sink), new PrintWriter(sink));
    }

    private static void walk(CommandLine cl, String path, List<String> found, List<String> problems) {
        for (OptionSpec o : cl.getCommandSpec().options()) {
            if (o.longestName().equals("--seed") || o.longestName().equals("--threads")) {
                found.add(path + " " + o.longestName());
                if (o.descriptionKey() == null || !o.descriptionKey().startsWith("myelin.shared.")) {
                    problems.add(path + " " + o.longestName() + " is declared by the command, not by SharedOptions");
                }
            }
        }
        cl.getSubcommands().forEach((name, sub) -> {
            if (!List.of(sub.getCommandSpec().aliases()).contains(name)) {
                walk(sub, path + " " + name, found, problems);
            }
        });
    }

    @Test
    void everySeedAndThreadsOptionIsTheSharedOne() {
        List<String> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        walk(root(), "myelin", found, problems);
        assertTrue(found.size() >= 20, "expected the shared options on many commands, found " + found);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static String defaultOf(String option, String... command) {
        CommandLine cl = root();
        for (String c : command) {
            cl = cl.getSubcommands().get(c);
        }
        return cl.getCommandSpec().findOption(option).defaultValueString();
    }

    @Test
    void eachCommandKeepsItsOwnDefault() {
        assertEquals("12345", defaultOf("--seed", "bench", "cuba"));
        assertEquals("1", defaultOf("--threads", "bench", "cuba"));
        assertEquals("1", defaultOf("--seed", "train", "mlp"));
        assertEquals("0", defaultOf("--threads", "train", "mlp"));
        assertEquals("12345", defaultOf("--seed", "run"));
        assertEquals("12345", defaultOf("--seed", "view"));
        assertEquals("1", defaultOf("--threads", "view"));
        assertEquals("10", defaultOf("--seed", "experiment", "lsm"));
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out), new PrintWriter(new StringWriter()));
        cl.execute("bench", "cuba", "--help");
        assertTrue(out.toString().contains("(default: 12345)"), out.toString());
    }

    @Test
    void threadsOutsideTheRangeIsBadInput() {
        CliRun r = CliRun.of("bench", "cuba", "--threads", "-1");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--threads must be in [0, 1024], was -1"), r.err());
    }
}
