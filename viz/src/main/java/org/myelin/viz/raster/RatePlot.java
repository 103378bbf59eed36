package org.myelin.viz.raster;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.myelin.core.MyelinException;
import org.myelin.core.monitor.SpikeRecord;

/**
 * Population rates over time, one line per group (Hz, in bins of {@link #binMs}), rendered headless to PNG or SVG.
 * The bins are counted by a {@link RasterGrid}, as the live view's rate panel counts them.
 */
public final class RatePlot implements Figure {
    private final List<Group> groups = new ArrayList<>();
    private String title = "";
    private int width = 1000;
    private int height = 400;
    private double binMs = 0;

    private record Group(String name, SpikeRecord spikes, int size) {
    }

    /** Rates of every bin, Hz: {@code [group][bin]}, and the bins' start times in ms. */
    public record Series(double[] startMs, double[][] hz) {
    }

    public RatePlot title(String t) {
        title = t;
        return this;
    }

    public RatePlot size(int w, int h) {
        if (w < 200 || h < 150) {
            throw new MyelinException("rate plot: width must be >= 200 px and height >= 150 px, were " + w + " x " + h);
        }
        width = w;
        height = h;
        return this;
    }

    /** Bin width in ms; 0 (the default) picks about 200 bins, at least one step each. */
    public RatePlot binMs(double ms) {
        if (!(ms >= 0) || Double.isInfinite(ms)) {
            throw new MyelinException("rate plot: the bin width must be >= 0 ms, was " + ms);
        }
        binMs = ms;
        return this;
    }

    public RatePlot add(String name, SpikeRecord spikes, int size) {
        groups.add(new Group(name, spikes, size));
        return this;
    }

    /** The rates drawn for steps {@code [fromStep, toStep)}. */
    public Series series(long fromStep, long toStep, double dtMs) {
        if (toStep <= fromStep) {
            throw new MyelinException("rate plot: toStep must be > fromStep, were " + fromStep + " and " + toStep);
        }
        if (groups.isEmpty()) {
            throw new MyelinException("rate plot: add at least one group of neurons");
        }
        long span = toStep - fromStep;
        long binSteps = binMs > 0 ? Math.max(1, Math.round(binMs / dtMs)) : Math.max(1, span / 200);
        int bins = (int) Math.min(Integer.MAX_VALUE - 8, (span + binSteps - 1) / binSteps);
        int[] sizes = groups.stream().mapToInt(Group::size).toArray();
        RasterGrid grid = new RasterGrid(bins, 1, sizes, Palette.first(sizes.length));
        grid.view(fromStep, (long) bins * binSteps, 0, grid.neurons());
        for (int g = 0; g < groups.size(); g++) {
            SpikeRecord r = groups.get(g).spikes();
            int base = grid.groupStart(g);
            for (int i = 0; i < r.size(); i++) {
                grid.add(r.step(i), base + r.neuron(i));
            }
        }
        double[] start = new double[bins];
        double[][] hz = new double[groups.size()][bins];
        for (int t = 0; t < bins; t++) {
            start[t] = grid.binStart(t) * dtMs;
            long steps = Math.min(grid.binSteps(t), toStep - grid.binStart(t));
            for (int g = 0; g < groups.size(); g++) {
                hz[g][t] = grid.groupCount(g, t) / (sizes[g] * steps * dtMs / 1000.0);
            }
        }
        return new Series(start, hz);
    }

    /** Where the plot goes and its scales. */
    private record Frame(int left, int top, int plotW, int plotH, double yMax, double t0, double t1) {
        double x(double ms) {
            return left + (ms - t0) / (t1 - t0) * plotW;
        }

        double y(double hz) {
            return top + plotH - hz / yMax * plotH;
        }
    }

    private Frame frame(Series s, long fromStep, long toStep, double dtMs) {
        int left = 70;
        int top = 40;
        return new Frame(left, top, width - left - 20, height - top - 50, maxHz(s), fromStep * dtMs, toStep * dtMs);
    }

    private double maxHz(Series s) {
        double m = 1e-9;
        for (double[] row : s.hz()) {
            for (double v : row) {
                m = Math.max(m, v);
            }
        }
        return niceCeiling(m);
    }

    /** A tick label without trailing zeros: 2.5, 10, 0.25. */
    static String tick(double v) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
    }

    static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double f : new double[] {1, 2, 2.5, 5, 10}) {
            if (f * p >= v) {
                return f * p;
            }
        }
        return 10 * p;
    }

    public BufferedImage render(long fromStep, long toStep, double dtMs) {
        Series s = series(fromStep, toStep, dtMs);
        Frame f = frame(s, fromStep, toStep, dtMs);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.DARK_GRAY);
        g.drawString(title, f.left(), 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int gi = 0; gi < groups.size(); gi++) {
            Path2D.Double p = new Path2D.Double();
            double[] hz = s.hz()[gi];
            for (int t = 0; t < hz.length; t++) {
                double x = f.x(s.startMs()[t]);
                double y = f.y(hz[t]);
                if (t == 0) {
                    p.moveTo(x, y);
                } else {
                    p.lineTo(x, y);
                }
            }
            g.setColor(new Color(Palette.rgb(gi)));
            g.setStroke(new BasicStroke(1.5f));
            g.draw(p);
            g.drawString(groups.get(gi).name(), f.left() + f.plotW() - 120, f.top() + 16 + 16 * gi);
        }
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.DARK_GRAY);
        g.drawRect(f.left(), f.top(), f.plotW(), f.plotH());
        for (int k = 0; k <= 4; k++) {
            int y = f.top() + f.plotH() - k * f.plotH() / 4;
            g.drawLine(f.left() - 5, y, f.left(), y);
            g.drawString(tick(f.yMax() * k / 4), 5, y + 4);
        }
        for (int k = 0; k <= 5; k++) {
            int x = f.left() + k * f.plotW() / 5;
            g.drawLine(x, f.top() + f.plotH(), x, f.top() + f.plotH() + 5);
            g.drawString(String.format(Locale.ROOT, "%.0f", f.t0() + k * (f.t1() - f.t0()) / 5), x - 10, f.top() + f.plotH() + 20);
        }
        g.drawString("rate (Hz)", 5, f.top() - 8);
        g.drawString("time (ms)", f.left() + f.plotW() / 2 - 25, height - 8);
        g.dispose();
        return img;
    }

    @Override
    public void writePng(Path file, long fromStep, long toStep, double dtMs) {
        Figures.writePng(render(fromStep, toStep, dtMs), file);
    }

    /** Writes the plot as SVG: every line a vector polyline. */
    @Override
    public void writeSvg(Path file, long fromStep, long toStep, double dtMs) {
        Series s = series(fromStep, toStep, dtMs);
        Frame f = frame(s, fromStep, toStep, dtMs);
        Svg svg = new Svg(width, height);
        svg.text(f.left(), 25, 16, "#222222", "start", title);
        for (int gi = 0; gi < groups.size(); gi++) {
            double[] hz = s.hz()[gi];
            double[] xs = new double[hz.length];
            double[] ys = new double[hz.length];
            for (int t = 0; t < hz.length; t++) {
                xs[t] = f.x(s.startMs()[t]);
                ys[t] = f.y(hz[t]);
            }
            String colour = Palette.hex(Palette.rgb(gi));
            svg.polyline(xs, ys, colour, 1.5);
            svg.text(f.left() + f.plotW() - 120, f.top() + 16 + 16 * gi, 12, colour, "start", groups.get(gi).name());
        }
        svg.frame(f.left(), f.top(), f.plotW(), f.plotH());
        for (int k = 0; k <= 4; k++) {
            double y = f.top() + f.plotH() - k * f.plotH() / 4.0;
            svg.line(f.left() - 5, y, f.left(), y, "#444444");
            svg.text(5, y + 4, 12, "#444444", "start", tick(f.yMax() * k / 4));
        }
        for (int k = 0; k <= 5; k++) {
            double x = f.left() + k * f.plotW() / 5.0;
            svg.line(x, f.top() + f.plotH(), x, f.top() + f.plotH() + 5, "#444444");
            svg.text(x, f.top() + f.plotH() + 20, 12, "#444444", "middle", String.format(Locale.ROOT, "%.0f", f.t0() + k * (f.t1() - f.t0()) / 5));
        }
        svg.text(5, f.top() - 8, 12, "#444444", "start", "rate (Hz)");
        svg.text(f.left() + f.plotW() / 2.0, height - 8, 12, "#444444", "middle", "time (ms)");
        svg.write(file);
    }
}
