package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README.md stays short, its test command is the one CI runs, and its relative links point at files that exist
 * (the docs site's own links are checked by {@code mkdocs build --strict}; README is not part of the site).
 */
class ReadmeShapeTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void readmeIsAtMost250Lines() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        assertTrue(lines.size() <= 250, "README.md has " + lines.size() + " lines; the rest belongs in docs/");
    }

    @Test
    void theFreshMachineCommandsAreTheDemoAndTheTestCommandThatCiRuns() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher section = Pattern.compile("(?s)## On a fresh machine[^\n]*\n(.*?)\n## ").matcher(readme);
        assertTrue(section.find(), "README.md has a section 'On a fresh machine'");
        List<String> commands = new ArrayList<>();
        for (String line : section.group(1).split("\n")) {
            if (line.startsWith("    ") && !line.isBlank()) {
                commands.add(line.strip());
            }
        }
        assertEquals(List.of("./myelin demo", "./mvnw -B verify"), commands);
        List<String> ci = Files.readAllLines(ROOT.resolve(".ci/run")).stream().map(String::strip).toList();
        assertTrue(ci.contains(commands.get(1)), ".ci/run runs README's test command '" + commands.get(1) + "'");
    }

    @Test
    void readmeAndChangelogLinksPointAtFilesThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        for (String file : List.of("README.md", "CHANGELOG.md")) {
            Matcher link = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)").matcher(Files.readString(ROOT.resolve(file)));
            while (link.find()) {
                String target = link.group(1);
                if (!target.contains("://") && !Files.exists(ROOT.resolve(target))) {
                    broken.add(file + " -> " + target);
                }
            }
        }
        assertEquals(List.of(), broken);
    }
}
