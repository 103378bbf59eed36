package org.myelin.viz.raster;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.myelin.core.MyelinException;
import org.myelin.core.monitor.SpikeRecord;

/**
 * A spike raster (time on x, neuron on y, one colour per group) above a population-rate histogram, rendered headless
 * to PNG (Java2D) or SVG from one drawing on a {@link Canvas}. The spikes are binned by a {@link RasterGrid}, the
 * same as the live view draws: with more neurons than pixel rows (or steps than columns) every pixel counts the spikes
 * that fall into it, so nothing is lost.
 */
public final class RasterImage implements Figure {
    /** Above this many painted cells, an SVG embeds the raster as a PNG instead of one rectangle per cell. */
    static final int SVG_VECTOR_CELLS = Canvas.SVG_VECTOR_CELLS;

    /** The axes' grey: frames, ticks, labels. */
    private static final int AXES = 0x444444;

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

    /** Renders steps {@code [fromStep, toStep)} with step length {@code dtMs}: the drawing {@link #writePng} writes. */
    public BufferedImage render(long fromStep, long toStep, double dtMs) {
        Canvas.Png c = Canvas.png(width, height);
        draw(c, fromStep, toStep, dtMs);
        return c.image();
    }

    /** Renders and writes a PNG. */
    @Override
    public void writePng(Path file, long fromStep, long toStep, double dtMs) {
        Canvas c = Canvas.png(width, height);
        draw(c, fromStep, toStep, dtMs);
        c.write(file);
    }

    /**
     * Writes an SVG: axes, labels and the rate histogram as vectors; the raster as one rectangle per painted cell, or,
     * above {@value #SVG_VECTOR_CELLS} cells, as an embedded PNG of the same pixels.
     */
    @Override
    public void writeSvg(Path file, long fromStep, long toStep, double dtMs) {
        Canvas c = Canvas.svg(width, height);
        draw(c, fromStep, toStep, dtMs);
        c.write(file);
    }

    /** The figure, drawn once for either output: title, raster with group labels, rate histogram, time axis. */
    private void draw(Canvas c, long fromStep, long toStep, double dtMs) {
        Layout l = layout();
        RasterGrid grid = bin(l, fromStep, toStep);
        int[] argb = new int[l.plotW() * l.plotH()];
        grid.paint(argb, l.plotW(), 0, 0);
        c.pixels(l.left(), l.top(), l.plotW(), l.plotH(), argb, RasterGrid.BACKGROUND);
        c.frame(l.left(), l.top(), l.plotW(), l.plotH());
        c.boldText(l.left(), 25, 16, 0x222222, "start", title);
        for (int gi = 0; gi < groups.size(); gi++) {
            c.text(5, groupLabelY(l, grid, gi) + 4, 12, Palette.rgb(gi), "start", groups.get(gi).name());
        }
        int[] hist = histogram(grid, l.plotW());
        int max = 1;
        for (int h : hist) {
            max = Math.max(max, h);
        }
        int hBottom = l.hTop() + l.histH();
        // the histogram's bars, one pixel column each, as one filled outline along the baseline
        double[] xs = new double[2 * l.plotW() + 2];
        double[] ys = new double[2 * l.plotW() + 2];
        xs[0] = l.left();
        ys[0] = hBottom;
        for (int x = 0; x < l.plotW(); x++) {
            double y = hBottom - (double) hist[x] * l.histH() / max;
            xs[2 * x + 1] = l.left() + x;
            xs[2 * x + 2] = l.left() + x + 1;
            ys[2 * x + 1] = y;
            ys[2 * x + 2] = y;
        }
        xs[xs.length - 1] = l.left() + l.plotW();
        ys[ys.length - 1] = hBottom;
        c.fillPolygon(xs, ys, 0x555555);
        c.frame(l.left(), l.hTop(), l.plotW(), l.histH());
        c.text(5, l.hTop() + 12, 12, AXES, "start", String.format(Locale.ROOT, "%.0f Hz", peakHz(grid, hist, dtMs)));
        c.text(5, hBottom, 12, AXES, "start", "rate");
        long span = toStep - fromStep;
        for (int k = 0; k <= 5; k++) {
            double x = l.left() + k * l.plotW() / 5.0;
            c.line(x, hBottom, x, hBottom + 5, AXES, 1);
            c.text(x, hBottom + 20, 12, AXES, "middle",
                    String.format(Locale.ROOT, "%.0f", (fromStep + k * span / 5.0) * dtMs));
        }
        c.text(l.left() + l.plotW() / 2.0, height - 8, 12, AXES, "middle", "time (ms)");
    }

    private int groupLabelY(Layout l, RasterGrid grid, int gi) {
        double mid = grid.groupStart(gi) + groups.get(gi).size() / 2.0;
        return l.bottom() - (int) (mid * l.plotH() / Math.max(1, grid.neurons()));
    }
}
