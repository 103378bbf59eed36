package org.myelin.viz.raster;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.myelin.core.MyelinException;

/** Writing figures: PNG or SVG by the file's extension. */
public final class Figures {
    private Figures() {
    }

    /** True for {@code .svg}, false for {@code .png}; any other extension is refused with a message. */
    public static boolean isSvg(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".svg")) {
            return true;
        }
        if (n.endsWith(".png")) {
            return false;
        }
        throw new MyelinException("figure " + file + ": the name must end in .png or .svg");
    }

    static void writePng(BufferedImage img, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                java.nio.file.Files.createDirectories(parent);
            }
            if (!ImageIO.write(img, "png", file.toFile())) {
                throw new MyelinException("no PNG writer available for " + file);
            }
        } catch (IOException e) {
            throw new MyelinException("cannot write image " + file + ": " + e.getMessage(), e);
        }
    }
}
