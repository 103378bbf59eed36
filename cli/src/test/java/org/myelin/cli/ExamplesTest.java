package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runnable programs of examples/java are the code the README and the tutorials show, character for character, so
 * the one piece of code that {@link ReadmeExampleTest} compiles and runs from the pages is the one a user runs with
 * {@code java -cp cli/target/myelin.jar examples/java/NAME.java}; every example belongs to a page.
 */
class ExamplesTest {
    /** Example class, page and marker of its code block. */
    private static final Map<String, String[]> PAGES = Map.of(
            "QuickStart", new String[] {"README.md", "readme-example"},
            "FirstNetwork", new String[] {"docs/tutorials/first-network.md", "docs-first-network"},
            "TrainAndRun", new String[] {"docs/tutorials/classifier.md", "docs-training-example"},
            "ContinualHlop", new String[] {"docs/tutorials/hlop.md", "docs-hlop"},
            "L2muToBoard", new String[] {"docs/tutorials/l2mu.md", "docs-l2mu"},
            "LsmMemristor", new String[] {"docs/tutorials/lsm-memristor.md", "docs-lsm-memristor"},
            "SpikeDriven", new String[] {"docs/tutorials/sdt.md", "docs-sdt"},
            "NirRoundTrip", new String[] {"docs/tutorials/nir.md", "docs-nir"},
            "Ranks", new String[] {"docs/tutorials/ranks.md", "docs-ranks"});

    private static String block(String page, String marker) throws IOException {
        String text = Files.readString(Path.of("..", page));
        Matcher m = Pattern.compile("<!-- " + marker + " -->\\s*```java\\n(.*?)```", Pattern.DOTALL).matcher(text);
        assertTrue(m.find(), page + " has the Java block marked " + marker);
        return m.group(1);
    }

    @Test
    void everyExampleIsThePagesCodeAndEveryPageHasItsExample() throws IOException {
        Path dir = Path.of("..", "examples", "java");
        TreeSet<String> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java"))
                    .map(n -> n.substring(0, n.length() - 5)).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(new TreeSet<>(PAGES.keySet()), files, "examples/java holds exactly the pages' programs");
        assertTrue(files.size() >= 8, "at least 8 examples: " + files);
        for (var e : PAGES.entrySet()) {
            String example = Files.readString(dir.resolve(e.getKey() + ".java"));
            assertEquals(block(e.getValue()[0], e.getValue()[1]), example, "examples/java/" + e.getKey()
                    + ".java differs from the code of " + e.getValue()[0] + "; copy one to the other");
            assertTrue(example.contains("class " + e.getKey()), e.getKey() + " declares its class");
        }
        String readme = Files.readString(Path.of("..", "examples", "README.md"));
        for (String name : files) {
            assertTrue(readme.contains("java/" + name + ".java"), "examples/README.md lists " + name);
        }
    }
}
