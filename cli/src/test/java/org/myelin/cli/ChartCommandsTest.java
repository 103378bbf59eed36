package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The charts the commands write: {@code train mlp --curves} and {@code sweep --chart}, as PNG and as SVG. */
class ChartCommandsTest {
    private static Document svg(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static List<Integer> polylinePoints(Document d) {
        List<Integer> n = new ArrayList<>();
        NodeList l = d.getElementsByTagName("polyline");
        for (int i = 0; i < l.getLength(); i++) {
            n.add(((Element) l.item(i)).getAttribute("points").trim().split("\\s+").length);
        }
        return n;
    }

    private static String texts(Document d) {
        StringBuilder b = new StringBuilder();
        NodeList l = d.getElementsByTagName("text");
        for (int i = 0; i < l.getLength(); i++) {
            b.append('|').append(l.item(i).getTextContent());
        }
        return b.append('|').toString();
    }

    @Test
    void trainMlpWritesItsCurvesPerEpoch(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("bands"));
        TrainCommandTest.writeSplit(data, "train", 120, 1);
        TrainCommandTest.writeSplit(data, "t10k", 45, 2);
        for (String name : new String[] {"curves.svg", "curves.png"}) {
            Path out = dir.resolve(name);
            CliRun r = CliRun.of("train", "mlp", "--data", data.toString(), "--epochs", "3", "--hidden", "12",
                    "--time-steps", "4", "--batch-size", "16", "--no-progress", "--curves", out.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("curves: " + out), r.out());
            if (name.endsWith(".svg")) {
                Document d = svg(out);
                assertEquals(List.of(3, 3, 3), polylinePoints(d), "loss, train and test accuracy over three epochs");
                assertTrue(texts(d).contains("|loss|") && texts(d).contains("|accuracy (%)|")
                        && texts(d).contains("|test|"), texts(d));
            } else {
                BufferedImage img = ImageIO.read(out.toFile());
                assertNotNull(img, "the PNG decodes");
                assertTrue(img.getWidth() > 400 && img.getHeight() > 200);
            }
        }
        CliRun bad = CliRun.of("train", "mlp", "--data", data.toString(), "--epochs", "1", "--curves",
                dir.resolve("c.jpg").toString());
        assertEquals(Main.BAD_INPUT, bad.code());
        assertTrue(bad.err().contains(".png or .svg"), bad.err());
    }

    @Test
    void sweepChartsTheRepeatsOverSeedsAsMeanAndErrorBar(@TempDir Path dir) throws Exception {
        Path spec = Files.writeString(dir.resolve("p.sweep"), String.join("\n", "experiment = cuba",
                "neurons = 300", "duration = 0.02", "grid.p = 0.02, 0.05", "grid.seed = 1..3", ""));
        Path svgFile = dir.resolve("chart.svg");
        CliRun r = CliRun.of("sweep", spec.toString(), "--serial", "--chart", svgFile.toString());
        assertEquals(0, r.code(), r.err());
        Document d = svg(svgFile);
        assertEquals(List.of(2), polylinePoints(d), "one line through the two means of p (seeds are repeats)");
        assertTrue(texts(d).contains("|p|") && texts(d).contains("|rate_hz|"), texts(d));
        assertTrue(d.getElementsByTagName("line").getLength() > 6, "error bars beside the ticks");
        Path pngFile = dir.resolve("chart.png");
        CliRun png = CliRun.of("sweep", spec.toString(), "--serial", "--chart", pngFile.toString(), "--chart-y",
                "spikes");
        assertEquals(0, png.code(), png.err());
        assertNotNull(ImageIO.read(pngFile.toFile()), "the PNG decodes");
        CliRun unknown = CliRun.of("sweep", spec.toString(), "--serial", "--chart", pngFile.toString(), "--chart-y",
                "accuracy");
        assertFalse(unknown.code() == 0);
        assertTrue(unknown.err().contains("not a column"), unknown.err());
    }
}
