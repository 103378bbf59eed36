package org.myelin.viz.raster;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * What a chart draws on, the same calls for both outputs: {@link #svg} writes vector SVG (through {@link Svg}),
 * {@link #png} draws on an image with Java2D (headless), so a figure is drawn once and written as either.
 * Coordinates are pixels from the top left; colours are RGB ints; anchors are "start", "middle" or "end".
 */
interface Canvas {
    void text(double x, double y, int size, int rgb, String anchor, String s);

    void line(double x1, double y1, double x2, double y2, int rgb, double width);

    void polyline(double[] xs, double[] ys, int rgb, double width);

    void fillRect(double x, double y, double w, double h, int rgb);

    /** An unfilled rectangle in the axes' grey. */
    void frame(double x, double y, double w, double h);

    /** Writes what was drawn to {@code file}. */
    void write(Path file);

    /** A canvas that writes SVG. */
    static Canvas svg(int width, int height) {
        Svg s = new Svg(width, height);
        return new Canvas() {
            @Override
            public void text(double x, double y, int size, int rgb, String anchor, String t) {
                s.text(x, y, size, Palette.hex(rgb), anchor, t);
            }

            @Override
            public void line(double x1, double y1, double x2, double y2, int rgb, double width) {
                s.line(x1, y1, x2, y2, Palette.hex(rgb), width);
            }

            @Override
            public void polyline(double[] xs, double[] ys, int rgb, double width) {
                s.polyline(xs, ys, Palette.hex(rgb), width);
            }

            @Override
            public void fillRect(double x, double y, double w, double h, int rgb) {
                s.rect(x, y, w, h, Palette.hex(rgb), 1);
            }

            @Override
            public void frame(double x, double y, double w, double h) {
                s.frame(x, y, w, h);
            }

            @Override
            public void write(Path file) {
                s.write(file);
            }
        };
    }

    /** A canvas that draws on a white image and writes it as PNG. */
    static Canvas png(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        return new Canvas() {
            @Override
            public void text(double x, double y, int size, int rgb, String anchor, String t) {
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
                FontMetrics m = g.getFontMetrics();
                double w = m.stringWidth(t);
                double at = "middle".equals(anchor) ? x - w / 2 : "end".equals(anchor) ? x - w : x;
                g.setColor(new Color(rgb));
                g.drawString(t, (float) at, (float) y);
            }

            @Override
            public void line(double x1, double y1, double x2, double y2, int rgb, double width) {
                g.setColor(new Color(rgb));
                g.setStroke(new BasicStroke((float) width));
                g.draw(new Line2D.Double(x1, y1, x2, y2));
            }

            @Override
            public void polyline(double[] xs, double[] ys, int rgb, double width) {
                Path2D.Double p = new Path2D.Double();
                for (int i = 0; i < xs.length; i++) {
                    if (i == 0) {
                        p.moveTo(xs[i], ys[i]);
                    } else {
                        p.lineTo(xs[i], ys[i]);
                    }
                }
                g.setColor(new Color(rgb));
                g.setStroke(new BasicStroke((float) width));
                g.draw(p);
            }

            @Override
            public void fillRect(double x, double y, double w, double h, int rgb) {
                g.setColor(new Color(rgb));
                g.fill(new Rectangle2D.Double(x, y, w, h));
            }

            @Override
            public void frame(double x, double y, double w, double h) {
                g.setColor(new Color(0x444444));
                g.setStroke(new BasicStroke(1f));
                g.draw(new Rectangle2D.Double(x, y, w, h));
            }

            @Override
            public void write(Path file) {
                g.dispose();
                Figures.writePng(img, file);
            }
        };
    }
}
