package org.myelin.viz.raster;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.myelin.core.MyelinException;

/** A small SVG document builder for the exported figures: text, lines, polylines, rectangles, embedded images. */
final class Svg {
    private final StringBuilder b = new StringBuilder();

    Svg(int width, int height) {
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">%n", width, height, width, height));
        b.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    }

    Svg text(double x, double y, int size, String colour, String anchor, String s) {
        b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" fill=\"%s\" text-anchor=\"%s\">%s"
                + "</text>%n", x, y, size, colour, anchor, escape(s)));
        return this;
    }

    Svg boldText(double x, double y, int size, String colour, String anchor, String s) {
        b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" font-weight=\"bold\""
                + " fill=\"%s\" text-anchor=\"%s\">%s</text>%n", x, y, size, colour, anchor, escape(s)));
        return this;
    }

    Svg line(double x1, double y1, double x2, double y2, String colour) {
        b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                x1, y1, x2, y2, colour));
        return this;
    }

    Svg line(double x1, double y1, double x2, double y2, String colour, double width) {
        b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                + " stroke-width=\"%.1f\"/>%n", x1, y1, x2, y2, colour, width));
        return this;
    }

    Svg frame(double x, double y, double w, double h) {
        b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                + "stroke=\"#444444\"/>%n", x, y, w, h));
        return this;
    }

    Svg rect(double x, double y, double w, double h, String fill, double opacity) {
        b.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"%s/>%n",
                x, y, w, h, fill, opacity < 1 ? String.format(Locale.ROOT, " fill-opacity=\"%.3f\"", opacity) : ""));
        return this;
    }

    /** A polyline through {@code (xs[i], ys[i])}. */
    Svg polyline(double[] xs, double[] ys, String colour, double width) {
        b.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"")
                .append(String.format(Locale.ROOT, "%.1f", width)).append("\" points=\"");
        for (int i = 0; i < xs.length; i++) {
            b.append(String.format(Locale.ROOT, "%.2f,%.2f ", xs[i], ys[i]));
        }
        b.append("\"/>\n");
        return this;
    }

    /** A filled polygon through {@code (xs[i], ys[i])}, closed. */
    Svg polygon(double[] xs, double[] ys, String fill) {
        b.append("<polygon stroke=\"none\" fill=\"").append(fill).append("\" points=\"");
        for (int i = 0; i < xs.length; i++) {
            b.append(String.format(Locale.ROOT, "%.2f,%.2f ", xs[i], ys[i]));
        }
        b.append("\"/>\n");
        return this;
    }

    /** Embeds {@code img} as a PNG at {@code (x, y)}, drawn pixel for pixel. */
    Svg image(double x, double y, BufferedImage img) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        b.append(String.format(Locale.ROOT, "<image x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" "
                + "style=\"image-rendering:pixelated\" href=\"data:image/png;base64,", x, y, img.getWidth(), img.getHeight()));
        b.append(Base64.getEncoder().encodeToString(png.toByteArray())).append("\"/>\n");
        return this;
    }

    void write(Path file) {
        b.append("</svg>\n");
        try {
            Files.writeString(file, b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MyelinException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
