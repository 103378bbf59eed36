package org.myelin.viz.live;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import org.myelin.viz.raster.Palette;
import org.myelin.viz.raster.RasterGrid;

/** The live view's two plots under the raster: population rates and membrane traces, drawn on their canvases. */
final class LivePlots {
    private LivePlots() {
    }

    /** Clears a plot canvas to white with a grey frame and returns its context. */
    private static GraphicsContext clear(Canvas c) {
        GraphicsContext g = c.getGraphicsContext2D();
        g.setFill(Color.WHITE);
        g.fillRect(0, 0, c.getWidth(), c.getHeight());
        g.setStroke(Color.gray(0.6));
        g.setLineWidth(1);
        g.strokeRect(0.5, 0.5, c.getWidth() - 1, c.getHeight() - 1);
        return g;
    }

    private static Color fx(int rgb, double opacity) {
        return Color.rgb((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF, opacity);
    }

    /** The population rates of the visible window, 1 ms bins or coarser, one line per group. */
    static void rates(Canvas rates, SimulationDriver.Run run, RasterGrid grid, long visibleEnd) {
        GraphicsContext g = clear(rates);
        double w = rates.getWidth();
        double h = rates.getHeight();
        double dt = run.network().dtMs();
        int bins = grid.timeBins();
        long perBin = Math.max(1, grid.spanSteps() / bins);
        int agg = (int) Math.max(1, Math.ceil(LiveView.RATE_BIN_MS / (perBin * dt)));
        int points = (bins + agg - 1) / agg;
        double[][] hz = new double[run.groups().length][points];
        double max = 1;
        for (int gi = 0; gi < hz.length; gi++) {
            int size = run.groupSizes()[gi];
            for (int p = 0; p < points; p++) {
                int c = 0;
                long steps = 0;
                for (int t = p * agg; t < Math.min(bins, (p + 1) * agg); t++) {
                    if (grid.binStart(t) >= visibleEnd) {
                        break;
                    }
                    c += grid.groupCount(gi, t);
                    steps += grid.binSteps(t);
                }
                hz[gi][p] = steps == 0 ? Double.NaN : c / (size * steps * dt / 1000.0);
                if (hz[gi][p] > max) {
                    max = hz[gi][p];
                }
            }
        }
        g.setFont(Font.font(11));
        g.setFill(Color.gray(0.3));
        g.fillText(String.format(Locale.ROOT, "%.0f Hz", max), 4, 12);
        double[] xs = new double[points];
        double[] ys = new double[points];
        for (int gi = 0; gi < hz.length; gi++) {
            int n = 0;
            for (int p = 0; p < points; p++) {
                if (Double.isNaN(hz[gi][p])) {
                    break;
                }
                xs[n] = (p + 0.5) * agg * w / bins;
                ys[n] = h - 2 - hz[gi][p] / max * (h - 16);
                n++;
            }
            g.setStroke(fx(Palette.rgb(gi), 1.0));
            g.setLineWidth(1.2);
            g.strokePolyline(xs, ys, n);
            g.setFill(g.getStroke());
            g.fillText(run.groups()[gi], w - 90, 14 + 13 * gi);
        }
    }

    /** The traced neurons' last samples, newest at the right. */
    static void traces(Canvas traces, SimulationDriver driver, RasterGrid grid, double dtMs) {
        GraphicsContext g = clear(traces);
        double w = traces.getWidth();
        double h = traces.getHeight();
        List<SimulationDriver.Trace> ts = driver.traces();
        if (ts.isEmpty()) {
            return;
        }
        long[] steps = new long[SimulationDriver.TRACE_SAMPLES];
        double[] vals = new double[SimulationDriver.TRACE_SAMPLES];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        long newest = 0;
        int[] counts = new int[ts.size()];
        long[][] allS = new long[ts.size()][];
        double[][] allV = new double[ts.size()][];
        for (int k = 0; k < ts.size(); k++) {
            int n = ts.get(k).copy(steps, vals);
            counts[k] = n;
            allS[k] = Arrays.copyOf(steps, n);
            allV[k] = Arrays.copyOf(vals, n);
            for (int i = 0; i < n; i++) {
                lo = Math.min(lo, vals[i]);
                hi = Math.max(hi, vals[i]);
                newest = Math.max(newest, steps[i]);
            }
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        long window = SimulationDriver.TRACE_SAMPLES;
        g.setFont(Font.font(11));
        for (int k = 0; k < ts.size(); k++) {
            double[] xs = new double[counts[k]];
            double[] ys = new double[counts[k]];
            for (int i = 0; i < counts[k]; i++) {
                xs[i] = w - (double) (newest - allS[k][i]) / window * w;
                ys[i] = h - 4 - (allV[k][i] - lo) / (hi - lo) * (h - 20);
            }
            Color c = fx(Palette.rgb(grid.group(ts.get(k).layoutIndex())), 1.0 - 0.18 * k);
            g.setStroke(c);
            g.setLineWidth(1.2);
            g.strokePolyline(xs, ys, counts[k]);
            g.setFill(c);
            g.fillText(String.format(Locale.ROOT, "%s[%d]", ts.get(k).population(), ts.get(k).neuron()), 4 + 110 * k, 12);
        }
        g.setFill(Color.gray(0.3));
        g.fillText(String.format(Locale.ROOT, "%.1f .. %.1f mV, last %.0f ms", lo, hi, window * dtMs),
                w - 230, 12);
    }
}
