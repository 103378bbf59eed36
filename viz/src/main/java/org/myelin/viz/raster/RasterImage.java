package org.myelin.viz.raster;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.myelin.core.MyelinException;
import org.myelin.core.monitor.SpikeRecord;

/**
 * A spike raster (time on x, neuron on y, one colour per group) above a population-rate histogram, rendered headless
 * to PNG (Java2D) or SVG. The spikes are binned by a {@link RasterGrid}, the same as the live view draws: with more
 * neurons than pixel rows (or steps than columns) every pixel counts the spikes that fall into it, so nothing is lost.
 */
public final class RasterImage implements Figure {
    /** Above this many painted cells, an SVG embeds the raster as a PNG instead of one rectangle per cell. */
    static final int SVG_VECTOR_CELLS = 200_000;

    private final List<Group> groups = new ArrayList<>();
    private String title = "";
    private int width = 1200;
    private int height = 800;

    private record Group(String name, SpikeRecord spikes, int size) {
    }

    /** Where things go, for one image size. */
    private record Layout(int left, int top, int plotW, int plotH, int hTop, int histH) {
        int bottom() {
            return top + plotH;
        }
    }

    public RasterImage title(String t) {
        title = t;
        return this;
    }

    public RasterImage size(int w, int h) {
        if (w < 200 || h < 200) {
            throw new MyelinException("raster image: width and height must be >= 200 px, were " + w + " x " + h);
        }
        width = w;
        height = h;
        return this;
    }

    /** Adds a group of {@code size} neurons, drawn above the groups added before it. */
    public RasterImage add(String name, SpikeRecord spikes, int size) {
        groups.add(new Group(name, spikes, size));
        return this;
    }

    private Layout layout() {
        int left = 70;
        int top = 40;
        int histH = (int) (height * 0.2);
        int bottom = height - 50 - histH - 20;
        return new Layout(left, top, width - 20 - left, bottom - top, bottom + 20, histH);
    }

    private RasterGrid bin(Layout l, long fromStep, long toStep) {
        if (toStep <= fromStep) {
            throw new MyelinException("raster image: toStep must be > fromStep, were " + fromStep + " and " + toStep);
        }
        if (groups.isEmpty()) {
            throw new MyelinException("raster image: add at least one group of neurons");
        }
        int[] sizes = groups.stream().mapToInt(Group::size).toArray();
        RasterGrid grid = new RasterGrid(l.plotW(), l.plotH(), sizes, Palette.first(sizes.length));
        grid.view(fromStep, toStep - fromStep, 0, grid.neurons());
        for (int gi = 0; gi < groups.size(); gi++) {
            SpikeRecord r = groups.get(gi).spikes();
            int base = grid.groupStart(gi);
            for (int i = 0; i < r.size(); i++) {
                grid.add(r.step(i), base + r.neuron(i));
            }
        }
        return grid;
    }

    /** Spikes per pixel column of the histogram, all groups together. */
    private static int[] histogram(RasterGrid grid, int plotW) {
        int[] h = new int[plotW];
        int[] sum = new int[grid.timeBins()];
        for (int t = 0; t < sum.length; t++) {
            for (int g = 0; g < grid.groups(); g++) {
                sum[t] += grid.groupCount(g, t);
            }
        }
        for (int x = 0; x < plotW; x++) {
            h[x] = sum[(int) ((long) x * sum.length / plotW)];
        }
        return h;
    }

    /** Peak population rate, Hz, of the histogram's fullest time bin. */
    private static double peakHz(RasterGrid grid, int[] hist, double dtMs) {
        int max = 1;
        for (int v : hist) {
            max = Math.max(max, v);
        }
        long bin = grid.binSteps(0);
        return max / (grid.neurons() * bin * dtMs / 1000.0);
    }

    /** Renders steps {@code [fromStep, toStep)} with step length {@code dtMs}. */
    public BufferedImage render(long fromStep, long toStep, double dtMs) {
        Layout l = layout();
        RasterGrid grid = bin(l, fromStep, toStep);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int[] pixels = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        grid.paint(pixels, width, l.left(), l.top());
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(l.left(), l.top(), l.plotW(), l.plotH());
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, l.left(), 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int gi = 0; gi < groups.size(); gi++) {
            g.setColor(new Color(Palette.rgb(gi)));
            g.drawString(groups.get(gi).name(), 5, groupLabelY(l, grid, gi) + 4);
        }
        int[] hist = histogram(grid, l.plotW());
        int max = 1;
        for (int h : hist) {
            max = Math.max(max, h);
        }
        g.setColor(new Color(0x555555));
        int hBottom = l.hTop() + l.histH();
        for (int x = 0; x < l.plotW(); x++) {
            int h = (int) ((long) hist[x] * l.histH() / max);
            if (h > 0) {
                g.drawLine(l.left() + x, hBottom, l.left() + x, hBottom - h);
            }
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(l.left(), l.hTop(), l.plotW(), l.histH());
        g.drawString(String.format(Locale.ROOT, "%.0f Hz", peakHz(grid, hist, dtMs)), 5, l.hTop() + 12);
        g.drawString("rate", 5, hBottom);
        long span = toStep - fromStep;
        for (int k = 0; k <= 5; k++) {
            int x = l.left() + k * l.plotW() / 5;
            g.drawLine(x, hBottom, x, hBottom + 5);
            g.drawString(String.format(Locale.ROOT, "%.0f", (fromStep + k * span / 5.0) * dtMs), x - 10, hBottom + 20);
        }
        g.drawString("time (ms)", l.left() + l.plotW() / 2 - 25, height - 8);
        g.dispose();
        return img;
    }

    private int groupLabelY(Layout l, RasterGrid grid, int gi) {
        double mid = grid.groupStart(gi) + groups.get(gi).size() / 2.0;
        return l.bottom() - (int) (mid * l.plotH() / Math.max(1, grid.neurons()));
    }

    /** Renders and writes a PNG. */
    @Override
    public void writePng(Path file, long fromStep, long toStep, double dtMs) {
        Figures.writePng(render(fromStep, toStep, dtMs), file);
    }

    /**
     * Writes an SVG: axes, labels and the rate histogram as vectors; the raster as one rectangle per painted cell, or,
     * above {@value #SVG_VECTOR_CELLS} cells, as an embedded PNG of the same pixels.
     */
    @Override
    public void writeSvg(Path file, long fromStep, long toStep, double dtMs) {
        Layout l = layout();
        RasterGrid grid = bin(l, fromStep, toStep);
        Svg s = new Svg(width, height);
        s.text(l.left(), 25, 16, "#222222", "start", title);
        int[] argb = new int[l.plotW() * l.plotH()];
        grid.paint(argb, l.plotW(), 0, 0);
        int painted = 0;
        for (int p : argb) {
            if (p != RasterGrid.BACKGROUND) {
                painted++;
            }
        }
        if (painted > SVG_VECTOR_CELLS) {
            BufferedImage img = new BufferedImage(l.plotW(), l.plotH(), BufferedImage.TYPE_INT_RGB);
            img.setRGB(0, 0, l.plotW(), l.plotH(), argb, 0, l.plotW());
            s.image(l.left(), l.top(), img);
        } else {
            for (int y = 0; y < l.plotH(); y++) {
                for (int x = 0; x < l.plotW(); x++) {
                    int p = argb[y * l.plotW() + x];
                    if (p != RasterGrid.BACKGROUND) {
                        s.rect(l.left() + x, l.top() + y, 1, 1, Palette.hex(p), 1);
                    }
                }
            }
        }
        s.frame(l.left(), l.top(), l.plotW(), l.plotH());
        for (int gi = 0; gi < groups.size(); gi++) {
            s.text(5, groupLabelY(l, grid, gi) + 4, 12, Palette.hex(Palette.rgb(gi)), "start", groups.get(gi).name());
        }
        int[] hist = histogram(grid, l.plotW());
        int max = 1;
        for (int h : hist) {
            max = Math.max(max, h);
        }
        int hBottom = l.hTop() + l.histH();
        double[] xs = new double[2 * l.plotW()];
        double[] ys = new double[2 * l.plotW()];
        for (int x = 0; x < l.plotW(); x++) {
            double y = hBottom - (double) hist[x] * l.histH() / max;
            xs[2 * x] = l.left() + x;
            xs[2 * x + 1] = l.left() + x + 1;
            ys[2 * x] = y;
            ys[2 * x + 1] = y;
        }
        s.polyline(xs, ys, "#555555", 1);
        s.frame(l.left(), l.hTop(), l.plotW(), l.histH());
        s.text(5, l.hTop() + 12, 12, "#444444", "start", String.format(Locale.ROOT, "%.0f Hz", peakHz(grid, hist, dtMs)));
        s.text(5, hBottom, 12, "#444444", "start", "rate");
        long span = toStep - fromStep;
        for (int k = 0; k <= 5; k++) {
            double x = l.left() + k * l.plotW() / 5.0;
            s.line(x, hBottom, x, hBottom + 5, "#444444");
            s.text(x, hBottom + 20, 12, "#444444", "middle",
                    String.format(Locale.ROOT, "%.0f", (fromStep + k * span / 5.0) * dtMs));
        }
        s.text(l.left() + l.plotW() / 2.0, height - 8, 12, "#444444", "middle", "time (ms)");
        s.write(file);
    }
}
