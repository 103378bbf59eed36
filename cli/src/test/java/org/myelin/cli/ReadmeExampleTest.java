package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java examples in README.md and in the documentation pages, compiled and run as they stand. */
class ReadmeExampleTest {
    /**
     * Compiles the Java block marked {@code marker} in {@code file} (relative to the repository root) as class
     * {@code name}, runs it, returns its output.
     */
    private String compileAndRun(Path dir, String file, String marker, String name, String... args)
            throws Exception {
        String text = Files.readString(Path.of("..", file));
        Matcher m = Pattern.compile("<!-- " + marker + " -->\\s*```java\\n(.*?)```", Pattern.DOTALL).matcher(text);
        assertTrue(m.find(), file + " has the Java example marked " + marker);
        Path src = dir.resolve(name + ".java");
        Files.writeString(src, m.group(1));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diag = new ByteArrayOutputStream();
        int rc = javac.run(null, diag, diag, "-classpath", System.getProperty("java.class.path"), "-d",
                dir.toString(), src.toString());
        assertEquals(0, rc, "javac: " + diag.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            Method main = cl.loadClass(name).getMethod("main", String[].class);
            main.invoke(null, (Object) args);
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void classifierTutorialCompilesRunsAndLearns(@TempDir Path dir) throws Exception {
        String printed = compileAndRun(dir, "docs/tutorials/classifier.md", "docs-training-example", "TrainAndRun");
        Matcher acc = Pattern.compile("test accuracy ([0-9.]+) %").matcher(printed);
        assertTrue(acc.find(), printed);
        assertTrue(Double.parseDouble(acc.group(1)) > 90, printed);
        Matcher spikes = Pattern.compile("output spikes on the core: (\\d+)").matcher(printed);
        assertTrue(spikes.find() && Integer.parseInt(spikes.group(1)) > 0, printed);
    }

    @Test
    void readmeExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
        assertPlausibleActivity(compileAndRun(dir, "README.md", "readme-example", "QuickStart"));
    }

    @Test
    void populationsPageExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
        assertPlausibleActivity(compileAndRun(dir, "docs/concepts/populations.md", "docs-populations-example",
                "QuickStart"));
    }

    @Test
    void firstNetworkTutorialWritesItsRasterAndRates(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectory(dir.resolve("figures"));
        String printed = compileAndRun(dir, "docs/tutorials/first-network.md", "docs-first-network", "FirstNetwork",
                out.toString());
        Matcher r = Pattern.compile("exc: (\\d+) spikes, inh: (\\d+) spikes").matcher(printed);
        assertTrue(r.find(), printed);
        assertTrue(Integer.parseInt(r.group(1)) > 0 && Integer.parseInt(r.group(2)) > 0, printed);
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(out.resolve("raster.png").toFile());
        assertTrue(png != null && png.getWidth() > 100 && png.getHeight() > 100, "raster.png is an image");
        String svg = Files.readString(out.resolve("rates.svg"));
        assertTrue(svg.startsWith("<?xml") || svg.startsWith("<svg"), "rates.svg is SVG");
        assertTrue(svg.contains("<polyline") || svg.contains("<path"), "rates.svg draws the rates: " + svg.length());
    }

    @Test
    void ranksTutorialGivesEveryRankTheSingleProcesssSpikes(@TempDir Path dir) throws Exception {
        String printed = compileAndRun(dir, "docs/tutorials/ranks.md", "docs-ranks", "Ranks");
        Matcher r = Pattern.compile("rank (\\d): (\\d+) spikes, identical to one process: (true|false)").matcher(printed);
        int ranks = 0;
        while (r.find()) {
            ranks++;
            assertTrue(Integer.parseInt(r.group(2)) > 1000, printed);
            assertEquals("true", r.group(3), printed);
        }
        assertEquals(3, ranks, printed);
        assertTrue(printed.contains("exchanges every 5 steps"), printed);
    }

    @Test
    void nirTutorialRoundTripsToTheSameSpikes(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));
        String printed = compileAndRun(dir, "docs/tutorials/nir.md", "docs-nir", "NirRoundTrip", out.toString());
        assertTrue(Files.size(out.resolve("network.nir")) > 0, "the NIR file is written");
        Matcher r = Pattern.compile("([ab]): (\\d+) spikes, the same after the round trip: (true|false)").matcher(printed);
        int populations = 0;
        while (r.find()) {
            populations++;
            assertTrue(Integer.parseInt(r.group(2)) > 10, printed);
            assertEquals("true", r.group(3), printed);
        }
        assertEquals(2, populations, printed);
    }

    private static void assertPlausibleActivity(String printed) {
        Matcher r = Pattern.compile("exc: (\\d+) spikes, ([0-9.]+) Hz").matcher(printed);
        assertTrue(r.find(), printed);
        int spikes = Integer.parseInt(r.group(1));
        assertTrue(spikes > 800 && spikes < 800 * 100, "a plausible amount of activity: " + printed);
        assertTrue(List.of(printed.split("\n")).size() >= 1);
    }
}
