package org.myelin.viz.raster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.core.monitor.SpikeRecord;

class RasterImageTest {
    @Test
    void spikesAreDrawnWhereTheyBelongAndNowhereElse() {
        SpikeRecord r = new SpikeRecord();
        r.add(500, 0);
        BufferedImage img = new RasterImage().size(400, 300).add("only", r, 1).render(0, 1000, 0.1);
        int left = 70;
        int plotW = 400 - 20 - left;
        int x = left + 500 * plotW / 1000;
        int top = 40;
        int bottom = 300 - 50 - 60 - 20;
        int colored = 0;
        for (int y = top + 1; y < bottom; y++) {
            for (int xx = left + 1; xx < left + plotW; xx++) {
                if (img.getRGB(xx, y) != 0xFFFFFFFF) {
                    colored++;
                    assertEquals(x, xx, "only the spike's column is coloured");
                }
            }
        }
        // one neuron spans the whole plot height: its spike is a dot of at most MAX_DOT pixels at the bottom
        assertTrue(colored >= 1 && colored <= RasterGrid.MAX_DOT, "one dot marks the one spike: " + colored);
    }

    @Test
    void writesAPngThatReadsBack(@TempDir Path dir) throws Exception {
        SpikeRecord r = new SpikeRecord();
        for (int i = 0; i < 100; i++) {
            r.add(i * 10L, i % 20);
        }
        Path f = dir.resolve("raster.png");
        new RasterImage().title("test").add("a", r, 20).writePng(f, 0, 1000, 0.1);
        BufferedImage back = ImageIO.read(f.toFile());
        assertEquals(1200, back.getWidth());
        assertNotEquals(0, Files.size(f));
    }

    @Test
    void svgHasOneCellPerPaintedPixelAndTheLabels(@TempDir Path dir) throws Exception {
        SpikeRecord r = new SpikeRecord();
        r.add(100, 3);
        r.add(100, 3);
        r.add(700, 12);
        Path f = dir.resolve("raster.svg");
        new RasterImage().title("a <b> & c").size(400, 300).add("pop", r, 20).write(f, 0, 1000, 0.1);
        String svg = Files.readString(f);
        assertTrue(svg.startsWith("<?xml") && svg.trim().endsWith("</svg>"), "a whole SVG document");
        assertTrue(svg.contains("a &lt;b&gt; &amp; c"), "title escaped");
        assertTrue(svg.contains(">pop</text>"), "group label");
        int cells = svg.split("width=\"1.00\" height=\"1.00\"", -1).length - 1;
        assertTrue(cells >= 2 && cells <= 2 * RasterGrid.MAX_DOT * RasterGrid.MAX_DOT, "two spike dots: " + cells);
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(f.toFile()); // well-formed XML
    }

    @Test
    void theRateHistogramIsDrawnInBothOutputs(@TempDir Path dir) throws Exception {
        SpikeRecord r = new SpikeRecord();
        for (int i = 0; i < 1000; i += 5) {
            r.add(i, i % 20);
        }
        RasterImage ri = new RasterImage().size(400, 300).add("pop", r, 20);
        BufferedImage img = ri.render(0, 1000, 0.1);
        int left = 70;
        int plotW = 400 - 20 - left;
        int histTop = 300 - 50 - 60;
        int bars = 0;
        for (int y = histTop + 1; y < histTop + 60; y++) {
            for (int x = left + 1; x < left + plotW; x++) {
                bars += (img.getRGB(x, y) & 0xFFFFFF) == 0x555555 ? 1 : 0;
            }
        }
        assertTrue(bars > plotW, "the histogram's bars are filled: " + bars + " pixels");
        Path f = dir.resolve("raster.svg");
        ri.writeSvg(f, 0, 1000, 0.1);
        org.w3c.dom.Document doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(f.toFile());
        org.w3c.dom.NodeList poly = doc.getElementsByTagName("polygon");
        assertEquals(1, poly.getLength(), "the histogram is one filled polygon");
        assertEquals(2 * plotW + 2, ((org.w3c.dom.Element) poly.item(0)).getAttribute("points").trim()
                .split("\\s+").length, "two corners per pixel column, and the baseline's ends");
    }

    @Test
    void anUnknownFigureExtensionIsRefused(@TempDir Path dir) {
        SpikeRecord r = new SpikeRecord();
        r.add(1, 0);
        MyelinException e = assertThrows(MyelinException.class,
                () -> new RasterImage().add("a", r, 1).write(dir.resolve("x.jpg"), 0, 10, 0.1));
        assertTrue(e.getMessage().contains(".png or .svg"), e.getMessage());
    }

    @Test
    void refusesAnEmptyTimeRange() {
        assertThrows(MyelinException.class, () -> new RasterImage().render(5, 5, 0.1));
    }
}
