package org.myelin.viz.raster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.myelin.core.MyelinException;

/**
 * Panels of y against x, one line each, written as SVG: a parameter sweep's accuracy against each swept parameter.
 * A panel's x axis is logarithmic when asked (and every x is positive).
 */
public final class LineChart {
    /** One panel: a title, axis labels and the points of its line, in x order. */
    public record Panel(String title, String xLabel, String yLabel, double[] x, double[] y, boolean logX) {
        public Panel {
            if (x.length != y.length || x.length == 0) {
                throw new MyelinException("line chart: panel '" + title + "' needs as many x as y values, at least one");
            }
            if (logX) {
                for (double v : x) {
                    if (!(v > 0)) {
                        throw new MyelinException("line chart: panel '" + title + "' has a logarithmic x axis but x = " + v);
                    }
                }
            }
        }
    }

    private final List<Panel> panels = new ArrayList<>();
    private final String title;

    public LineChart(String title) {
        this.title = title;
    }

    public LineChart panel(Panel p) {
        panels.add(p);
        return this;
    }

    /** Writes the panels side by side, sharing the y range. */
    public void writeSvg(Path file) {
        if (panels.isEmpty()) {
            throw new MyelinException("line chart: nothing to draw");
        }
        int pw = 300;
        int ph = 220;
        int left = 60;
        int top = 50;
        int gap = 40;
        int width = left + panels.size() * (pw + gap);
        int height = top + ph + 60;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Panel p : panels) {
            for (double v : p.y()) {
                yMin = Math.min(yMin, v);
                yMax = Math.max(yMax, v);
            }
        }
        if (yMax - yMin < 1e-9) {
            yMin -= 1;
            yMax += 1;
        }
        double pad = 0.05 * (yMax - yMin);
        yMin -= pad;
        yMax += pad;
        Svg s = new Svg(width, height);
        s.text(width / 2.0, 22, 15, "#000000", "middle", title);
        for (int k = 0; k < panels.size(); k++) {
            Panel p = panels.get(k);
            double x0 = left + k * (pw + gap);
            s.frame(x0, top, pw, ph);
            s.text(x0 + pw / 2.0, top - 8, 12, "#000000", "middle", p.title());
            s.text(x0 + pw / 2.0, top + ph + 40, 11, "#000000", "middle", p.xLabel());
            if (k == 0) {
                s.text(x0 - 45, top + ph / 2.0, 11, "#000000", "middle", p.yLabel());
            }
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double v : p.x()) {
                double t = p.logX() ? Math.log10(v) : v;
                lo = Math.min(lo, t);
                hi = Math.max(hi, t);
            }
            if (hi - lo < 1e-12) {
                lo -= 1;
                hi += 1;
            }
            double[] xs = new double[p.x().length];
            double[] ys = new double[p.x().length];
            for (int i = 0; i < xs.length; i++) {
                double t = p.logX() ? Math.log10(p.x()[i]) : p.x()[i];
                xs[i] = x0 + 10 + (pw - 20) * (t - lo) / (hi - lo);
                ys[i] = top + ph - ph * (p.y()[i] - yMin) / (yMax - yMin);
                s.rect(xs[i] - 2.5, ys[i] - 2.5, 5, 5, "#1f5fa8", 1);
                s.text(xs[i], top + ph + 16, 10, "#444444", "middle", label(p.x()[i]));
            }
            s.polyline(xs, ys, "#1f5fa8", 1.5);
            for (int g = 0; g <= 4; g++) {
                double v = yMin + (yMax - yMin) * g / 4;
                double y = top + ph - ph * g / 4.0;
                s.line(x0, y, x0 + 4, y, "#444444");
                if (k == 0) {
                    s.text(x0 - 6, y + 4, 10, "#444444", "end", String.format(Locale.ROOT, "%.1f", v));
                }
            }
        }
        s.write(file);
    }

    private static String label(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e7) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
