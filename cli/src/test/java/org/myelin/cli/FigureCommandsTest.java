package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} with headless figures, {@code demo --rates}, and {@code view --screenshot} (JavaFX headless). */
class FigureCommandsTest {

    @Test
    void runWritesRasterAndRatesAsPngAndSvg(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("raster.png");
        Path svg = dir.resolve("rates.svg");
        CliRun r = CliRun.of("run", "cuba", "--duration", "0.2", "--raster", png.toString(), "--rates", svg.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("spikes") && r.out().contains(png.toAbsolutePath().toString()), r.out());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1200, img.getWidth());
        String text = Files.readString(svg);
        assertTrue(text.contains("<polyline") && text.contains(">exc</text>") && text.contains(">inh</text>"), "rates SVG");
        Path rasterSvg = dir.resolve("raster.svg");
        r = CliRun.of("run", "sparse", "--neurons", "2000", "--active-fraction", "0.05", "--duration", "0.1",
                "--raster", rasterSvg.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(rasterSvg).contains("time (ms)"));
    }

    @Test
    void badFigureNamesAndNetworksAreRefusedBeforeTheRun(@TempDir Path dir) {
        CliRun r = CliRun.of("run", "cuba", "--raster", dir.resolve("x.gif").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(".png or .svg"), r.err());
        assertFalse(r.out().contains("spikes"), "no run: " + r.out());
        r = CliRun.of("run", "brunel");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown network 'brunel'") && r.err().contains("cuba"), r.err());
        r = CliRun.of("view", "cuba", "--speed", "-1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--speed"), r.err());
    }

    @Test
    void demoWritesRatesToo(@TempDir Path dir) throws Exception {
        Path raster = dir.resolve("r.svg");
        Path rates = dir.resolve("rates.png");
        CliRun r = CliRun.of("demo", "--raster", raster.toString(), "--rates", rates.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(raster).startsWith("<?xml"));
        assertEquals(1000, ImageIO.read(rates.toFile()).getWidth());
    }

    @Test
    void viewSavesAScreenshotOfTheLiveWindow(@TempDir Path dir) throws Exception {
        Path shot = dir.resolve("view.png");
        CliRun r = CliRun.of("view", "cuba", "--after", "100", "--width", "600", "--height", "300", "--screenshot",
                shot.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("window after 100.0 ms") && r.out().contains("0 dropped"), r.out());
        BufferedImage img = ImageIO.read(shot.toFile());
        assertTrue(img.getWidth() > 600 && img.getHeight() > 300, img.getWidth() + " x " + img.getHeight());
    }
}
