package org.myelin.viz.raster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.myelin.core.MyelinException;

/**
 * Panels of y against x, written as PNG or SVG from one drawing (a {@link Canvas}): a parameter sweep's accuracy
 * against each swept parameter, or a training run's loss and accuracy per epoch. A panel holds one or more
 * {@link Series}; where a series has several y values at one x (a sweep's repeats), it is drawn as their mean with an
 * error bar of one standard deviation. A panel's x axis is logarithmic when asked (and every x is positive). The
 * panels share one y range unless {@link #ownYRanges()} gives each its own.
 */
public final class LineChart {
    /**
     * One line: its name (shown in the panel's legend when the panel has several) and, per distinct x in increasing
     * order, the mean of its y values, their sample standard deviation (0 for a single value) and their count.
     */
    public record Series(String name, double[] x, double[] mean, double[] sd, int[] count) {
        /** Validates the arrays (equal lengths, at least one point). */
        public Series {
            if (x.length == 0 || mean.length != x.length || sd.length != x.length || count.length != x.length) {
                throw new MyelinException("line chart: series '" + name + "' needs as many means, sds and counts as x"
                        + " values, at least one");
            }
        }

        /**
         * The series of the points {@code (x[i], y[i])}: points that share an x are repeats, reduced to their mean and
         * standard deviation. Points whose y is not a number (a measurement that was not made) are left out.
         */
        public static Series of(String name, double[] x, double[] y) {
            if (x.length != y.length) {
                throw new MyelinException("line chart: series '" + name + "' has " + x.length + " x and " + y.length
                        + " y values");
            }
            TreeMap<Double, List<Double>> at = new TreeMap<>();
            for (int i = 0; i < x.length; i++) {
                if (!Double.isNaN(y[i])) {
                    at.computeIfAbsent(x[i], k -> new ArrayList<>()).add(y[i]);
                }
            }
            if (at.isEmpty()) {
                throw new MyelinException("line chart: series '" + name + "' has no point with a y value");
            }
            int n = at.size();
            double[] xs = new double[n];
            double[] mean = new double[n];
            double[] sd = new double[n];
            int[] count = new int[n];
            int k = 0;
            for (var e : at.entrySet()) {
                List<Double> v = e.getValue();
                double m = v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                double ss = v.stream().mapToDouble(d -> (d - m) * (d - m)).sum();
                xs[k] = e.getKey();
                mean[k] = m;
                sd[k] = v.size() > 1 ? Math.sqrt(ss / (v.size() - 1)) : 0;
                count[k] = v.size();
                k++;
            }
            return new Series(name, xs, mean, sd, count);
        }
    }

    /** One panel: a title, axis labels and its series. */
    public record Panel(String title, String xLabel, String yLabel, List<Series> series, boolean logX) {
        /** Validates the panel: at least one series, and positive x values on a logarithmic axis. */
        public Panel {
            series = List.copyOf(series);
            if (series.isEmpty()) {
                throw new MyelinException("line chart: panel '" + title + "' has no series");
            }
            if (logX) {
                for (Series s : series) {
                    for (double v : s.x()) {
                        if (!(v > 0)) {
                            throw new MyelinException("line chart: panel '" + title
                                    + "' has a logarithmic x axis but x = " + v);
                        }
                    }
                }
            }
        }

        /** A panel of one series through {@code (x[i], y[i])}; repeated x values give a mean with an error bar. */
        public Panel(String title, String xLabel, String yLabel, double[] x, double[] y, boolean logX) {
            this(title, xLabel, yLabel, List.of(Series.of(yLabel, x, y)), logX);
        }
    }

    private static final int PANEL_W = 300;
    private static final int PANEL_H = 220;
    private static final int LEFT = 60;
    private static final int TOP = 50;

    private final List<Panel> panels = new ArrayList<>();
    private final String title;
    private boolean sharedY = true;

    /** An empty chart with this title. */
    public LineChart(String title) {
        this.title = title;
    }

    /** Adds a panel, drawn right of the ones before it. */
    public LineChart panel(Panel p) {
        panels.add(p);
        return this;
    }

    /** Gives every panel its own y range and tick labels (for panels of different quantities, e.g. loss and accuracy). */
    public LineChart ownYRanges() {
        sharedY = false;
        return this;
    }

    /** The panels, in order. */
    public List<Panel> panels() {
        return List.copyOf(panels);
    }

    /** PNG or SVG, chosen by the file name's extension (anything else is refused with a message). */
    public void write(Path file) {
        if (Figures.isSvg(file)) {
            writeSvg(file);
        } else {
            writePng(file);
        }
    }

    /** Writes the panels side by side as SVG. */
    public void writeSvg(Path file) {
        Canvas c = Canvas.svg(width(), height());
        draw(c);
        c.write(file);
    }

    /** Writes the panels side by side as PNG. */
    public void writePng(Path file) {
        Canvas c = Canvas.png(width(), height());
        draw(c);
        c.write(file);
    }

    private int gap() {
        return sharedY ? 40 : 75;
    }

    private int width() {
        return LEFT + panels.size() * (PANEL_W + gap());
    }

    private int height() {
        return TOP + PANEL_H + 60;
    }

    /** The y range {lo, hi} of these panels, error bars included, padded by 5 %. */
    private static double[] yRange(List<Panel> ps) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Panel p : ps) {
            for (Series s : p.series()) {
                for (int i = 0; i < s.x().length; i++) {
                    lo = Math.min(lo, s.mean()[i] - s.sd()[i]);
                    hi = Math.max(hi, s.mean()[i] + s.sd()[i]);
                }
            }
        }
        if (!(hi - lo >= 1e-9)) {
            lo -= 1;
            hi += 1;
        }
        double pad = 0.05 * (hi - lo);
        return new double[] {lo - pad, hi + pad};
    }

    private void draw(Canvas c) {
        if (panels.isEmpty()) {
            throw new MyelinException("line chart: nothing to draw");
        }
        c.text(width() / 2.0, 22, 15, 0x000000, "middle", title);
        double[] shared = yRange(panels);
        for (int k = 0; k < panels.size(); k++) {
            Panel p = panels.get(k);
            double[] yr = sharedY ? shared : yRange(List.of(p));
            double x0 = LEFT + k * (PANEL_W + gap());
            drawPanel(c, p, x0, yr[0], yr[1], k == 0 || !sharedY);
        }
    }

    private static void drawPanel(Canvas c, Panel p, double x0, double yMin, double yMax, boolean yTicks) {
        c.frame(x0, TOP, PANEL_W, PANEL_H);
        c.text(x0 + PANEL_W / 2.0, TOP - 8, 12, 0x000000, "middle", p.title());
        c.text(x0 + PANEL_W / 2.0, TOP + PANEL_H + 40, 11, 0x000000, "middle", p.xLabel());
        if (yTicks) {
            c.text(x0 - 45, TOP - 8, 11, 0x000000, "start", p.yLabel());
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : p.series()) {
            for (double v : s.x()) {
                double t = p.logX() ? Math.log10(v) : v;
                lo = Math.min(lo, t);
                hi = Math.max(hi, t);
            }
        }
        if (hi - lo < 1e-12) {
            lo -= 1;
            hi += 1;
        }
        java.util.Set<Double> labelled = new java.util.HashSet<>();
        for (int si = 0; si < p.series().size(); si++) {
            Series s = p.series().get(si);
            int rgb = Palette.rgb(si);
            double[] xs = new double[s.x().length];
            double[] ys = new double[s.x().length];
            for (int i = 0; i < xs.length; i++) {
                double t = p.logX() ? Math.log10(s.x()[i]) : s.x()[i];
                xs[i] = x0 + 10 + (PANEL_W - 20) * (t - lo) / (hi - lo);
                ys[i] = y(s.mean()[i], yMin, yMax);
                if (s.sd()[i] > 0) { // one standard deviation either side, with caps
                    double a = y(s.mean()[i] - s.sd()[i], yMin, yMax);
                    double b = y(s.mean()[i] + s.sd()[i], yMin, yMax);
                    c.line(xs[i], a, xs[i], b, rgb, 1);
                    c.line(xs[i] - 4, a, xs[i] + 4, a, rgb, 1);
                    c.line(xs[i] - 4, b, xs[i] + 4, b, rgb, 1);
                }
                c.fillRect(xs[i] - 2.5, ys[i] - 2.5, 5, 5, rgb);
                if (labelled.add(xs[i]) && (xs.length <= 12 || i % Math.max(1, xs.length / 10) == 0)) {
                    c.text(xs[i], TOP + PANEL_H + 16, 10, 0x444444, "middle", label(s.x()[i]));
                }
            }
            c.polyline(xs, ys, rgb, 1.5);
            if (p.series().size() > 1) {
                // the legend, bottom right (where rising curves, such as accuracies, leave room)
                c.text(x0 + PANEL_W - 8, TOP + PANEL_H - 10 - 14 * (p.series().size() - 1 - si), 11, rgb, "end",
                        s.name());
            }
        }
        double step = RatePlot.niceCeiling((yMax - yMin) / 5); // ticks at round values: 1, 2, 2.5 or 5 times 10^k
        for (long g = (long) Math.ceil(yMin / step); g * step <= yMax; g++) {
            double v = g * step;
            double y = y(v, yMin, yMax);
            c.line(x0, y, x0 + 4, y, 0x444444, 1);
            if (yTicks) {
                c.text(x0 - 6, y + 4, 10, 0x444444, "end", RatePlot.tick(g == 0 ? 0 : v));
            }
        }
    }

    private static double y(double v, double yMin, double yMax) {
        return TOP + PANEL_H - PANEL_H * (v - yMin) / (yMax - yMin);
    }

    private static String label(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e7) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.3g", v)).stripTrailingZeros().toPlainString();
    }
}
