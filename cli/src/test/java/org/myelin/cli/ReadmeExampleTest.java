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
import org.junit.jupiter.api.Assumptions;
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
        // the snnTorch graph at its repository path, which the program takes by default from the repository root
        Path snnTorch = Path.of("..", "nir", "src", "test", "resources", "fixtures", "frameworks",
                "snntorch_braille_subtract.nir").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(snnTorch), "the snnTorch fixture the tutorial reads: " + snnTorch);
        String printed = compileAndRun(dir, "docs/tutorials/nir.md", "docs-nir", "NirRoundTrip", out.toString(),
                snnTorch.toString());
        assertTrue(Files.size(out.resolve("network.nir")) > 0, "the NIR file is written");
        Matcher r = Pattern.compile("([ab]): (\\d+) spikes, the same after the round trip: (true|false)").matcher(printed);
        int populations = 0;
        while (r.find()) {
            populations++;
            assertTrue(Integer.parseInt(r.group(2)) > 10, printed);
            assertEquals("true", r.group(3), printed);
        }
        assertEquals(2, populations, printed);
        assertTrue(printed.contains("snntorch_braille_subtract.nir: NIR 0.2.0, recurrent: true"), printed);
        assertTrue(Pattern.compile("lif1\\.lif\\s+CubaLIF\\s+40 -> 40").matcher(printed).find(), printed);
        Matcher layer = Pattern.compile("(lif1\\.lif|lif2): (\\d+) neurons, (\\d+) spikes on the core, the same on"
                + " reference: (true|false)").matcher(printed);
        int layers = 0;
        while (layer.find()) {
            layers++;
            assertEquals(layer.group(1).equals("lif2") ? 7 : 40, Integer.parseInt(layer.group(2)), printed);
            assertTrue(Integer.parseInt(layer.group(3)) > 0, "the snnTorch graph fires on the core: " + printed);
            assertEquals("true", layer.group(4), printed);
        }
        assertEquals(2, layers, printed);
        assertTrue(printed.contains(", per output neuron ["), printed);
    }

    @Test
    void hlopTutorialForgetsLessThanFineTuningAndRunsOnTheCore(@TempDir Path dir) throws Exception {
        String printed = compileAndRun(dir, "docs/tutorials/hlop.md", "docs-hlop", "ContinualHlop");
        Matcher fine = Pattern.compile("fine-tuning: ACC ([0-9.]+) %, BWT (-?[0-9.]+) %").matcher(printed);
        Matcher hlop = Pattern.compile("HLOP: +ACC ([0-9.]+) %, BWT (-?[0-9.]+) %").matcher(printed);
        assertTrue(fine.find() && hlop.find(), printed);
        double fineBwt = Double.parseDouble(fine.group(2));
        double hlopBwt = Double.parseDouble(hlop.group(2));
        assertTrue(fineBwt < -15, "fine-tuning forgets: " + printed);
        assertTrue(hlopBwt > fineBwt + 15, "HLOP forgets clearly less: " + printed);
        assertTrue(Double.parseDouble(hlop.group(1)) > Double.parseDouble(fine.group(1)) + 5
                && Double.parseDouble(hlop.group(1)) > 60, "HLOP ends with the higher ACC: " + printed);
        Matcher core = Pattern.compile("task (\\d) on the core: (\\d+) of 20 samples with identical spikes"
                + " \\((\\d+) hidden spikes\\), (\\d+) of 20 with the same class").matcher(printed);
        int tasks = 0;
        while (core.find()) {
            tasks++;
            assertEquals("20", core.group(2), printed);
            assertEquals("20", core.group(4), printed);
            assertTrue(Integer.parseInt(core.group(3)) > 100, "the hidden layer spikes: " + printed);
        }
        assertEquals(3, tasks, printed);
    }

    @Test
    void l2muTutorialRunsTheCompressedModelOnTheBoardEmulator(@TempDir Path dir) throws Exception {
        // the emulator step builds firmware/host/emulator.c and needs a pty pair, as BoardTest does
        requireCommand(List.of("cc", "--version"), "no C compiler (cc) to build the board emulator");
        requireCommand(List.of("socat", "-V"), "no socat for the pseudo-terminal pair (apt-get install socat)");
        Path work = Files.createDirectory(dir.resolve("work"));
        String printed = compileAndRun(dir, "docs/tutorials/l2mu.md", "docs-l2mu", "L2muToBoard",
                Path.of("..", "firmware").toAbsolutePath().normalize().toString(), work.toString());
        Matcher trained = Pattern.compile("float test accuracy ([0-9.]+) %").matcher(printed);
        assertTrue(trained.find() && Double.parseDouble(trained.group(1)) > 70, "the L2MU learns (chance 14 %): "
                + printed);
        assertTrue(printed.contains("core: 10 of 10 windows with the training graph's spikes and class"), printed);
        Matcher board = Pattern.compile("board: (\\d+) of (\\d+) windows with the Java reference's counts; accuracy"
                + " ([0-9.]+) %").matcher(printed);
        assertTrue(board.find(), printed);
        assertEquals(board.group(2), board.group(1), "the emulator gives the fixed-point reference's counts: "
                + printed);
        assertTrue(Integer.parseInt(board.group(2)) > 50, printed);
        assertTrue(Double.parseDouble(board.group(3)) > 60, "the int8 model still classifies: " + printed);
        Matcher ops = Pattern.compile("per window (\\d+) accumulates, (\\d+) multiply-accumulates").matcher(printed);
        assertTrue(ops.find() && Long.parseLong(ops.group(1)) > 0 && Long.parseLong(ops.group(2)) > 0, printed);
    }

    @Test
    void lsmTutorialSweepsReadNoiseOnTheMemristorBackend(@TempDir Path dir) throws Exception {
        String printed = compileAndRun(dir, "docs/tutorials/lsm-memristor.md", "docs-lsm-memristor", "LsmMemristor");
        assertTrue(printed.contains("ideal devices give the cpu backend's counts: true"), printed);
        Matcher row = Pattern.compile("(?m)^(ideal[^ ]*) +test accuracy +([0-9.]+) %, ([0-9.]+) spikes per neuron")
                .matcher(printed);
        java.util.Map<String, Double> accuracy = new java.util.LinkedHashMap<>();
        while (row.find()) {
            accuracy.put(row.group(1), Double.parseDouble(row.group(2)));
            assertTrue(Double.parseDouble(row.group(3)) > 0.5, "the liquid spikes: " + printed);
        }
        assertEquals(List.of("ideal", "ideal,read=0.3", "ideal,read=1", "ideal,read=3", "ideal,read=10"),
                List.copyOf(accuracy.keySet()), printed);
        assertTrue(accuracy.get("ideal") > 70, "the ideal liquid classifies (chance 25 %): " + printed);
        assertTrue(accuracy.get("ideal,read=10") < accuracy.get("ideal") - 10, "strong read noise costs accuracy: "
                + printed);
        assertTrue(printed.contains("crossbar: 2 tiles"), printed);
    }

    @Test
    void sdtTutorialAddsOnlyAfterTheFirstLayer(@TempDir Path dir) throws Exception {
        String printed = compileAndRun(dir, "docs/tutorials/sdt.md", "docs-sdt", "SpikeDriven");
        Matcher acc = Pattern.compile("training graph ([0-9.]+) %, spike-driven engine ([0-9.]+) %, the same class on"
                + " (\\d+) of (\\d+) images").matcher(printed);
        assertTrue(acc.find(), printed);
        assertTrue(Double.parseDouble(acc.group(1)) > 70, "the transformer learns (chance 33 %): " + printed);
        assertEquals(acc.group(1), acc.group(2), printed);
        assertEquals(acc.group(4), acc.group(3), "the engine answers as the training graph: " + printed);
        Matcher layer = Pattern.compile("(?m)^  (\\S+) +(\\d+) +(\\d+) +(\\d+)$").matcher(printed);
        int layers = 0;
        long laterAcs = 0;
        boolean attention = false;
        while (layer.find()) {
            long macs = Long.parseLong(layer.group(2));
            if (layers == 0) {
                assertTrue(macs > 0, "the first layer multiplies: " + printed);
            } else {
                assertEquals(0, macs, layer.group(1) + " multiplies: " + printed);
                laterAcs += Long.parseLong(layer.group(3));
            }
            attention |= layer.group(1).endsWith(".attn") && Long.parseLong(layer.group(3)) > 0;
            layers++;
        }
        assertTrue(layers > 5 && laterAcs > 1000 && attention, "the later layers add, the attention too: " + printed);
        assertTrue(printed.contains("MACs after the first layer: 0;"), printed);
    }

    /** Skips with the reason when {@code command} cannot run, or fails under CI=true, where .ci/run installs it. */
    private static void requireCommand(List<String> command, String reason) {
        boolean ok;
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            ok = p.waitFor() == 0;
        } catch (java.io.IOException e) {
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        if (!ok) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(reason);
            }
            Assumptions.abort(reason);
        }
    }

    private static void assertPlausibleActivity(String printed) {
        Matcher r = Pattern.compile("exc: (\\d+) spikes, ([0-9.]+) Hz").matcher(printed);
        assertTrue(r.find(), printed);
        int spikes = Integer.parseInt(r.group(1));
        assertTrue(spikes > 800 && spikes < 800 * 100, "a plausible amount of activity: " + printed);
        assertTrue(List.of(printed.split("\n")).size() >= 1);
    }
}
