package org.myelin.viz.raster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The sweep and training-curve charts: repeats as mean and sd, error bars, and both outputs from one drawing. */
class LineChartTest {
    private static Document svg(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(file.toFile());
    }

    private static List<String> texts(Document d) {
        List<String> t = new ArrayList<>();
        NodeList l = d.getElementsByTagName("text");
        for (int i = 0; i < l.getLength(); i++) {
            t.add(l.item(i).getTextContent());
        }
        return t;
    }

    /** The number of points of each polyline, in document order. */
    private static List<Integer> polylinePoints(Document d) {
        List<Integer> n = new ArrayList<>();
        NodeList l = d.getElementsByTagName("polyline");
        for (int i = 0; i < l.getLength(); i++) {
            n.add(((Element) l.item(i)).getAttribute("points").trim().split("\\s+").length);
        }
        return n;
    }

    @Test
    void repeatsAtOneXAreTheirMeanAndSampleSd() {
        LineChart.Series s = LineChart.Series.of("acc", new double[] {2, 1, 2, 1, 3}, new double[] {4, 1, 6, 3, Double.NaN});
        assertArrayEquals(new double[] {1, 2}, s.x(), "x sorted; the NaN point at x = 3 left out");
        assertArrayEquals(new double[] {2, 5}, s.mean(), 1e-12);
        assertArrayEquals(new double[] {Math.sqrt(2), Math.sqrt(2)}, s.sd(), 1e-12);
        assertArrayEquals(new int[] {2, 2}, s.count());
        assertEquals(0, LineChart.Series.of("one", new double[] {1}, new double[] {7}).sd()[0]);
    }

    @Test
    void aSweepWithRepeatsHasErrorBarsInSvgAndPng(@TempDir Path dir) throws Exception {
        // 3 noise levels x 4 seeds: the repeats of a level scatter around its mean
        double[] x = new double[12];
        double[] y = new double[12];
        for (int i = 0; i < 12; i++) {
            x[i] = new double[] {0.01, 0.1, 1}[i / 4];
            y[i] = 90 - 20 * (i / 4) + (i % 4) * 2;
        }
        LineChart c = new LineChart("accuracy against read noise")
                .panel(new LineChart.Panel("read", "read noise (log scale)", "accuracy (%)", x, y, true));
        Path svgFile = dir.resolve("sweep.svg");
        c.write(svgFile);
        Document d = svg(svgFile);
        assertEquals(List.of(3), polylinePoints(d), "one line through the three means");
        assertTrue(texts(d).containsAll(List.of("accuracy against read noise", "read", "read noise (log scale)",
                "accuracy (%)", "0.01", "0.1", "1")), texts(d).toString());
        // each mean has a bar and two caps in the series colour, beside the axes' ticks
        String colour = Palette.hex(Palette.rgb(0));
        int bars = 0;
        NodeList lines = d.getElementsByTagName("line");
        for (int i = 0; i < lines.getLength(); i++) {
            bars += colour.equals(((Element) lines.item(i)).getAttribute("stroke")) ? 1 : 0;
        }
        assertEquals(3 * 3, bars, "three error bars with two caps each");
        Path pngFile = dir.resolve("sweep.png");
        c.write(pngFile);
        BufferedImage img = ImageIO.read(pngFile.toFile());
        assertNotNull(img, "the PNG decodes");
        assertEquals(60 + 340, img.getWidth());
        assertEquals(330, img.getHeight());
        int coloured = 0;
        for (int py = 0; py < img.getHeight(); py++) {
            for (int px = 0; px < img.getWidth(); px++) {
                coloured += (img.getRGB(px, py) & 0xFFFFFF) == Palette.rgb(0) ? 1 : 0;
            }
        }
        assertTrue(coloured > 50, "the line, points and bars drawn in the series colour: " + coloured + " pixels");
    }

    @Test
    void trainingCurvesHoldLossAndBothAccuracies(@TempDir Path dir) throws Exception {
        int[] epoch = {1, 2, 3, 4};
        LineChart c = TrainingCurves.of("curves", epoch, new double[] {1.2, 0.8, 0.6, 0.5},
                new double[] {0.5, 0.7, 0.8, 0.85}, new double[] {0.45, 0.65, 0.75, 0.8});
        assertEquals(2, c.panels().size());
        assertEquals(List.of("train", "test"), c.panels().get(1).series().stream().map(LineChart.Series::name).toList());
        assertArrayEquals(new double[] {45, 65, 75, 80}, c.panels().get(1).series().get(1).mean(), 1e-9);
        Path svgFile = dir.resolve("curves.svg");
        c.write(svgFile);
        Document d = svg(svgFile);
        assertEquals(List.of(4, 4, 4), polylinePoints(d), "loss, train accuracy, test accuracy: four epochs each");
        assertTrue(texts(d).containsAll(List.of("loss", "accuracy", "training loss", "accuracy (%)", "train", "test",
                "epoch")), texts(d).toString());
        Path pngFile = dir.resolve("curves.png");
        c.write(pngFile);
        assertNotNull(ImageIO.read(pngFile.toFile()), "the PNG decodes");
        // without a test set (NaN accuracies) the accuracy panel has the training line only
        LineChart noTest = TrainingCurves.of("curves", epoch, new double[] {1, 1, 1, 1}, new double[] {0.1, 0.2, 0.3, 0.4},
                new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN});
        assertEquals(1, noTest.panels().get(1).series().size());
    }

    @Test
    void badInputIsRefusedWithAMessage(@TempDir Path dir) {
        assertThrows(MyelinException.class, () -> new LineChart("x").write(dir.resolve("a.png")));
        LineChart c = new LineChart("x").panel(new LineChart.Panel("p", "x", "y", new double[] {1}, new double[] {1},
                false));
        assertTrue(assertThrows(MyelinException.class, () -> c.write(dir.resolve("a.jpg"))).getMessage()
                .contains(".png or .svg"));
        assertThrows(MyelinException.class, () -> new LineChart.Panel("p", "x", "y", new double[] {0, 1},
                new double[] {1, 2}, true));
    }
}
