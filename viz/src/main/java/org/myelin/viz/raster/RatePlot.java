package org.myelin.viz.raster;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.myelin.core.MyelinException;
import org.myelin.core.monitor.SpikeRecord;

/**
 * Population rates over time, one line per group (Hz, in bins of {@link #binMs}), rendered headless to PNG or SVG
 * from one drawing on a {@link Canvas}.
 * The bins are counted by a {@link RasterGrid}, as the live view's rate panel counts them.
 */
public final class RatePlot implements Figure {
    /** The axes' grey: frame, ticks, tick labels. */
    private static final int AXES = 0x444444;

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

    /** Renders steps {@code [fromStep, toStep)} as an image, the same drawing as {@link #writePng}. */
    public BufferedImage render(long fromStep, long toStep, double dtMs) {
        Canvas.Png c = Canvas.png(width, height);
        draw(c, fromStep, toStep, dtMs);
        return c.image();
    }

    @Override
    public void writePng(Path file, long fromStep, long toStep, double dtMs) {
        Canvas c = Canvas.png(width, height);
        draw(c, fromStep, toStep, dtMs);
        c.write(file);
    }

    /** Writes the plot as SVG: every line a vector polyline. */
    @Override
    public void writeSvg(Path file, long fromStep, long toStep, double dtMs) {
        Canvas c = Canvas.svg(width, height);
        draw(c, fromStep, toStep, dtMs);
        c.write(file);
    }

    /** The plot, drawn once for either output: title, one line per group with its legend entry, axes, ticks, labels. */
    private void draw(Canvas c, long fromStep, long toStep, double dtMs) {
        Series s = series(fromStep, toStep, dtMs);
        Frame f = frame(s, fromStep, toStep, dtMs);
        c.boldText(f.left(), 25, 16, 0x222222, "start", title);
        for (int gi = 0; gi < groups.size(); gi++) {
            double[] hz = s.hz()[gi];
            double[] xs = new double[hz.length];
            double[] ys = new double[hz.length];
            for (int t = 0; t < hz.length; t++) {
                xs[t] = f.x(s.startMs()[t]);
                ys[t] = f.y(hz[t]);
            }
            int rgb = Palette.rgb(gi);
            c.polyline(xs, ys, rgb, 1.5);
            c.text(f.left() + f.plotW() - 120, f.top() + 16 + 16 * gi, 12, rgb, "start", groups.get(gi).name());
        }
        c.frame(f.left(), f.top(), f.plotW(), f.plotH());
        for (int k = 0; k <= 4; k++) {
            double y = f.top() + f.plotH() - k * f.plotH() / 4.0;
            c.line(f.left() - 5, y, f.left(), y, AXES, 1);
            c.text(5, y + 4, 12, AXES, "start", tick(f.yMax() * k / 4));
        }
        for (int k = 0; k <= 5; k++) {
            double x = f.left() + k * f.plotW() / 5.0;
            c.line(x, f.top() + f.plotH(), x, f.top() + f.plotH() + 5, AXES, 1);
            c.text(x, f.top() + f.plotH() + 20, 12, AXES, "middle",
                    String.format(Locale.ROOT, "%.0f", f.t0() + k * (f.t1() - f.t0()) / 5));
        }
        c.text(5, f.top() - 8, 12, AXES, "start", "rate (Hz)");
        c.text(f.left() + f.plotW() / 2.0, height - 8, 12, AXES, "middle", "time (ms)");
    }
}
