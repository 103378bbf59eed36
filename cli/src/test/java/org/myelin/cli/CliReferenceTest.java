package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The CLI reference page, docs/cli.md, is {@code myelin --help} and every subcommand's usage as picocli renders
 * them. The committed page must equal what the program prints; {@code -Dmyelin.regenerateDocs=true} rewrites it.
 */
class CliReferenceTest {
    /** Fixed so that the page does not depend on the terminal that runs the build. */
    static final int WIDTH = 110;
    static final Path PAGE = Path.of("..", "docs", "cli.md");

    /** The whole page: a heading and a usage block per command, depth first in the order of {@code --help}. */
    static String render() {
        StringWriter sink = new StringWriter();
        CommandLine root = Main.commandLine(new PrintWriter(sink), new PrintWriter(sink));
        StringBuilder page = new StringBuilder();
        page.append("# CLI reference\n\n")
                .append("Generated from the program by `CliReferenceTest` (cli/src/test): every command's `--help`, as\n")
                .append("`myelin` prints it. Do not edit by hand; after changing a command, regenerate with\n\n")
                .append("    mvn -B -o -pl cli -am test -Dtest=CliReferenceTest -Dsurefire.failIfNoSpecifiedTests=false"
                        + " -Dmyelin.regenerateDocs=true\n\n")
                .append("How the commands fit together, with examples: [Using the command line](cli-guide.md).\n");
        walk(root, "myelin", page);
        return page.toString();
    }

    private static void walk(CommandLine cl, String path, StringBuilder page) {
        cl.setUsageHelpWidth(WIDTH);
        cl.setUsageHelpAutoWidth(false);
        String usage = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
        page.append("\n## ").append(path).append("\n\n```text\n").append(strip(usage)).append("\n```\n");
        for (var e : cl.getSubcommands().entrySet()) {
            if (List.of(e.getValue().getCommandSpec().aliases()).contains(e.getKey())) {
                continue;
            }
            walk(e.getValue(), path + " " + e.getKey(), page);
        }
    }

    /** Trailing spaces off every line, and no blank lines at the end. */
    private static String strip(String s) {
        return s.lines().map(String::stripTrailing).reduce((a, b) -> a + "\n" + b).orElse("").stripTrailing();
    }

    @Test
    void committedPageMatchesTheProgramsHelp() throws IOException {
        String now = render();
        if (Boolean.getBoolean("myelin.regenerateDocs")) {
            Files.writeString(PAGE, now, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(PAGE)) {
            fail(PAGE.normalize() + " is missing; write it with: mvn -B -o -pl cli -am test -Dtest=CliReferenceTest"
                    + " -Dsurefire.failIfNoSpecifiedTests=false -Dmyelin.regenerateDocs=true");
        }
        String committed = Files.readString(PAGE, StandardCharsets.UTF_8);
        if (!committed.equals(now)) {
            fail("docs/cli.md differs from the program's --help (" + firstDifference(committed, now) + "); regenerate"
                    + " it with: mvn -B -o -pl cli -am test -Dtest=CliReferenceTest"
                    + " -Dsurefire.failIfNoSpecifiedTests=false -Dmyelin.regenerateDocs=true (and commit the page)");
        }
    }

    private static String firstDifference(String committed, String now) {
        List<String> a = committed.lines().toList();
        List<String> b = now.lines().toList();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String x = i < a.size() ? a.get(i) : "(end of page)";
            String y = i < b.size() ? b.get(i) : "(end of output)";
            if (!x.equals(y)) {
                return "line " + (i + 1) + ": page has \"" + x + "\", the program prints \"" + y + "\"";
            }
        }
        return "line endings differ";
    }
}
