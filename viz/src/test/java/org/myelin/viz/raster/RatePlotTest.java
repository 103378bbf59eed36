package org.myelin.viz.raster;

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
import org.myelin.core.monitor.SpikeRecord;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class RatePlotTest {
    private static final double DT = 0.1;
    private static final long STEPS = 2000;

    /** Three populations of 10 neurons, every neuron spiking every {@code every[g]} steps; bins of 4 ms (40 steps). */
    private static RatePlot plot() {
        String[] names = {"exc", "inh", "input"};
        int[] every = {8, 20, 40};
        RatePlot p = new RatePlot().title("rates <test>").size(600, 300).binMs(4);
        for (int g = 0; g < names.length; g++) {
            SpikeRecord r = new SpikeRecord();
            for (long t = 0; t < STEPS; t += every[g]) {
                for (int n = 0; n < 10; n++) {
                    r.add(t, n);
                }
            }
            p.add(names[g], r, 10);
        }
        return p;
    }

    @Test
    void seriesAreTheRatesOfEveryGroup() {
        RatePlot.Series s = plot().series(0, STEPS, DT);
        assertEquals(3, s.hz().length);
        assertEquals(STEPS / 40, s.startMs().length, "bins of 40 steps");
        // 1 spike per neuron every 0.8 ms, 2 ms and 4 ms: 1250, 500 and 250 Hz in every bin
        double[] want = {1250, 500, 250};
        for (int g = 0; g < 3; g++) {
            for (double v : s.hz()[g]) {
                assertEquals(want[g], v, 1e-9, "group " + g);
            }
        }
    }

    @Test
    void writesAPngAndAnSvgOfTheSameLines(@TempDir Path dir) throws Exception {
        RatePlot p = plot();
        Path png = dir.resolve("rates.png");
        Path svg = dir.resolve("rates.svg");
        p.write(png, 0, STEPS, DT);
        p.write(svg, 0, STEPS, DT);
        int bins = p.series(0, STEPS, DT).startMs().length;

        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "the PNG decodes");
        assertEquals(600, img.getWidth());
        assertEquals(300, img.getHeight());
        int left = 70;
        int top = 40;
        int plotW = 600 - left - 20;
        int plotH = 300 - top - 50;
        for (int g = 0; g < 3; g++) {
            // the line's own colour inside the plot, left of the legend (which is drawn in the same colours)
            int rgb = Palette.rgb(g);
            int n = 0;
            for (int y = top + 1; y < top + plotH; y++) {
                for (int x = left + 1; x < left + plotW - 130; x++) {
                    n += (img.getRGB(x, y) & 0xFFFFFF) == rgb ? 1 : 0;
                }
            }
            assertTrue(n >= plotW / 2, "group " + g + "'s line is drawn in its colour: " + n + " pixels");
        }

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile()); // well-formed
        NodeList lines = doc.getElementsByTagName("polyline");
        assertEquals(3, lines.getLength(), "one polyline per population");
        for (int g = 0; g < 3; g++) {
            Element l = (Element) lines.item(g);
            assertEquals(Palette.hex(Palette.rgb(g)), l.getAttribute("stroke"));
            assertEquals(bins, l.getAttribute("points").trim().split("\\s+").length, "one point per bin");
        }
        List<String> texts = new ArrayList<>();
        NodeList t = doc.getElementsByTagName("text");
        for (int i = 0; i < t.getLength(); i++) {
            texts.add(t.item(i).getTextContent());
        }
        for (String want : new String[] {"rates <test>", "exc", "inh", "input", "rate (Hz)", "time (ms)", "0", "200", "2000"}) {
            assertTrue(texts.contains(want), "text '" + want + "' in " + texts);
        }
        // 5 y ticks and 6 time ticks, each a tick mark and a label
        assertEquals(11, doc.getElementsByTagName("line").getLength());
        assertEquals(1 + 3 + 5 + 6 + 2, texts.size(), texts.toString());
    }

    @Test
    void renderIsThePngDrawing(@TempDir Path dir) throws Exception {
        RatePlot p = plot();
        Path png = dir.resolve("rates.png");
        p.writePng(png, 0, STEPS, DT);
        BufferedImage written = ImageIO.read(png.toFile());
        BufferedImage rendered = p.render(0, STEPS, DT);
        for (int y = 0; y < rendered.getHeight(); y++) {
            for (int x = 0; x < rendered.getWidth(); x++) {
                assertEquals(rendered.getRGB(x, y), written.getRGB(x, y), "pixel " + x + ", " + y);
            }
        }
    }

    @Test
    void refusesAnEmptyPlotOrTimeRange() {
        assertThrows(MyelinException.class, () -> new RatePlot().render(0, 10, DT));
        assertThrows(MyelinException.class, () -> plot().render(5, 5, DT));
        assertThrows(MyelinException.class, () -> new RatePlot().size(100, 100));
    }
}
