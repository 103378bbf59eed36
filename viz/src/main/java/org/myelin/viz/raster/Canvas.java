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
    /** Above this many painted cells, {@link #pixels} on an SVG canvas embeds a PNG instead of one rectangle a cell. */
    int SVG_VECTOR_CELLS = 200_000;

    void text(double x, double y, int size, int rgb, String anchor, String s);

    /** {@link #text} in bold (figure titles). */
    void boldText(double x, double y, int size, int rgb, String anchor, String s);

    void line(double x1, double y1, double x2, double y2, int rgb, double width);

    void polyline(double[] xs, double[] ys, int rgb, double width);

    void fillRect(double x, double y, double w, double h, int rgb);

    /** The closed polygon through {@code (xs[i], ys[i])}, filled. */
    void fillPolygon(double[] xs, double[] ys, int rgb);

    /**
     * A {@code w} x {@code h} block of pixels ({@code argb}, row by row) drawn pixel for pixel with its top left at
     * the integer {@code (x, y)}; pixels of {@code background} are left undrawn on a vector canvas, which draws the
     * others as one rectangle each, or as an embedded PNG above {@link #SVG_VECTOR_CELLS} of them.
     */
    void pixels(int x, int y, int w, int h, int[] argb, int background);

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
            public void boldText(double x, double y, int size, int rgb, String anchor, String t) {
                s.boldText(x, y, size, Palette.hex(rgb), anchor, t);
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
            public void fillPolygon(double[] xs, double[] ys, int rgb) {
                s.polygon(xs, ys, Palette.hex(rgb));
            }

            @Override
            public void pixels(int x, int y, int w, int h, int[] argb, int background) {
                int painted = 0;
                for (int i = 0; i < w * h; i++) {
                    if (argb[i] != background) {
                        painted++;
                    }
                }
                if (painted > SVG_VECTOR_CELLS) {
                    s.image(x, y, rgbImage(w, h, argb));
                    return;
                }
                for (int r = 0; r < h; r++) {
                    for (int q = 0; q < w; q++) {
                        int p = argb[r * w + q];
                        if (p != background) {
                            s.rect(x + q, y + r, 1, 1, Palette.hex(p), 1);
                        }
                    }
                }
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
    static Png png(int width, int height) {
        return new Png(width, height);
    }

    /** {@code argb} (row by row, {@code w} wide) as an RGB image. */
    private static BufferedImage rgbImage(int w, int h, int[] argb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, argb, 0, w);
        return img;
    }

    /** The Java2D canvas: draws on a white RGB image, antialiased. */
    final class Png implements Canvas {
        private final BufferedImage img;
        private final Graphics2D g;

        private Png(int width, int height) {
            img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
        }

        @Override
        public void text(double x, double y, int size, int rgb, String anchor, String t) {
            text(x, y, new Font(Font.SANS_SERIF, Font.PLAIN, size), rgb, anchor, t);
        }

        @Override
        public void boldText(double x, double y, int size, int rgb, String anchor, String t) {
            text(x, y, new Font(Font.SANS_SERIF, Font.BOLD, size), rgb, anchor, t);
        }

        private void text(double x, double y, Font font, int rgb, String anchor, String t) {
            g.setFont(font);
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
            g.setColor(new Color(rgb));
            g.setStroke(new BasicStroke((float) width));
            g.draw(path(xs, ys, false));
        }

        @Override
        public void fillRect(double x, double y, double w, double h, int rgb) {
            g.setColor(new Color(rgb));
            g.fill(new Rectangle2D.Double(x, y, w, h));
        }

        @Override
        public void fillPolygon(double[] xs, double[] ys, int rgb) {
            g.setColor(new Color(rgb));
            g.fill(path(xs, ys, true));
        }

        @Override
        public void pixels(int x, int y, int w, int h, int[] argb, int background) {
            g.drawImage(rgbImage(w, h, argb), x, y, null);
        }

        @Override
        public void frame(double x, double y, double w, double h) {
            g.setColor(new Color(0x444444));
            g.setStroke(new BasicStroke(1f));
            g.draw(new Rectangle2D.Double(x, y, w, h));
        }

        /** What was drawn; the canvas takes no more drawing after this. */
        BufferedImage image() {
            g.dispose();
            return img;
        }

        @Override
        public void write(Path file) {
            Figures.writePng(image(), file);
        }

        private static Path2D.Double path(double[] xs, double[] ys, boolean closed) {
            Path2D.Double p = new Path2D.Double();
            for (int i = 0; i < xs.length; i++) {
                if (i == 0) {
                    p.moveTo(xs[i], ys[i]);
                } else {
                    p.lineTo(xs[i], ys[i]);
                }
            }
            if (closed) {
                p.closePath();
            }
            return p;
        }
    }
}
