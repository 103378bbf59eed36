package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Walks the whole command tree of {@code myelin}: every option and positional parameter is described, and every
 * command's summary (the first line of its description, which {@code --help} lists beside the command's name) is a
 * whole sentence.
 */
class HelpTextTest {
    private static void walk(CommandLine cl, String path, List<String> problems) {
        CommandSpec spec = cl.getCommandSpec();
        String[] description = spec.usageMessage().description();
        if (description.length == 0 || description[0].isBlank()) {
            problems.add(path + ": no description");
        } else if (!sentence(description[0])) {
            problems.add(path + ": summary is not a whole sentence: \"" + description[0] + "\"");
        }
        for (OptionSpec o : spec.options()) {
            String[] d = o.description();
            if (d.length == 0 || String.join("", d).isBlank()) {
                problems.add(path + " " + o.longestName() + ": no description");
            }
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            String[] d = p.description();
            if (d.length == 0 || String.join("", d).isBlank()) {
                problems.add(path + " " + p.paramLabel() + ": no description");
            }
        }
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getValue().getCommandSpec().aliases().length > 0
                    && List.of(e.getValue().getCommandSpec().aliases()).contains(e.getKey())) {
                continue;
            }
            walk(e.getValue(), path + " " + e.getKey(), problems);
        }
    }

    /** Ends with a full stop that is not an abbreviation's (a summary cut at "e.g." is not a sentence). */
    private static boolean sentence(String line) {
        String t = line.strip();
        return t.endsWith(".") && !t.endsWith("e.g.") && !t.endsWith("i.e.") && !t.endsWith("etc.");
    }

    @Test
    void everyOptionIsDescribedAndEverySummaryIsASentence() {
        StringWriter sink = new StringWriter();
        CommandLine root = Main.commandLine(new PrintWriter(sink), new PrintWriter(sink));
        List<String> problems = new ArrayList<>();
        walk(root, "myelin", problems);
        assertTrue(problems.isEmpty(), problems.size() + " help-text problems:\n" + String.join("\n", problems));
    }

    @Test
    void everyHelpRendersWithoutAWarning() {
        StringWriter sink = new StringWriter();
        CommandLine root = Main.commandLine(new PrintWriter(sink), new PrintWriter(sink));
        List<String> problems = new ArrayList<>();
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            render(root, "myelin", problems);
        } finally {
            System.setErr(err);
        }
        String w = warnings.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(problems.isEmpty() && w.isEmpty(), String.join("\n", problems) + "\n" + w);
    }

    private static void render(CommandLine cl, String path, List<String> problems) {
        try {
            String usage = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
            if (usage.isBlank()) {
                problems.add(path + ": empty help");
            }
        } catch (RuntimeException e) {
            problems.add(path + ": help fails: " + e);
        }
        for (var e : cl.getSubcommands().entrySet()) {
            render(e.getValue(), path + " " + e.getKey(), problems);
        }
    }
}
