package org.myelin.viz.raster;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.myelin.core.MyelinException;
import org.myelin.core.monitor.SpikeRecord;

/**
 * A spike raster (time on x, neuron on y, one dot per spike, one colour per group) above a population-rate
 * histogram, rendered headless with Java2D. Large rasters are drawn as a density: every pixel counts the
 * spikes that fall into it, so nothing is lost when there are more neurons than pixel rows.
 */
public final class RasterImage {
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};

    private final List<Group> groups = new ArrayList<>();
    private String title = "";
    private int width = 1200;
    private int height = 800;

    private record Group(String name, SpikeRecord spikes, int size) {
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

    /** Renders steps {@code [fromStep, toStep)} with step length {@code dtMs}. */
    public BufferedImage render(long fromStep, long toStep, double dtMs) {
        if (toStep <= fromStep) {
            throw new MyelinException("raster image: toStep must be > fromStep, were " + fromStep + " and " + toStep);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int left = 70;
        int right = width - 20;
        int top = 40;
        int histH = (int) (height * 0.2);
        int bottom = height - 50 - histH - 20;
        int plotW = right - left;
        int plotH = bottom - top;
        int total = groups.stream().mapToInt(Group::size).sum();
        long span = toStep - fromStep;
        int[] histogram = new int[plotW];
        int base = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            Group grp = groups.get(gi);
            int[] density = new int[plotW * plotH];
            SpikeRecord r = grp.spikes();
            for (int i = 0; i < r.size(); i++) {
                long s = r.step(i);
                if (s < fromStep || s >= toStep) {
                    continue;
                }
                int x = (int) ((s - fromStep) * plotW / span);
                int y = plotH - 1 - (int) ((long) (base + r.neuron(i)) * plotH / Math.max(1, total));
                if (y >= 0 && y < plotH) {
                    density[y * plotW + x]++;
                }
                histogram[x]++;
            }
            Color c = PALETTE[gi % PALETTE.length];
            for (int y = 0; y < plotH; y++) {
                for (int x = 0; x < plotW; x++) {
                    int d = density[y * plotW + x];
                    if (d > 0) {
                        float a = Math.min(1f, 0.35f + 0.2f * d);
                        img.setRGB(left + x, top + y, blend(c, a));
                    }
                }
            }
            base += grp.size();
        }
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(left, top, plotW, plotH);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, left, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        base = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            Group grp = groups.get(gi);
            int yMid = bottom - (int) ((base + grp.size() / 2.0) * plotH / Math.max(1, total));
            g.setColor(PALETTE[gi % PALETTE.length]);
            g.drawString(grp.name(), 5, yMid + 4);
            base += grp.size();
        }
        int hTop = bottom + 20;
        int max = 1;
        for (int h : histogram) {
            max = Math.max(max, h);
        }
        g.setColor(new Color(0x555555));
        for (int x = 0; x < plotW; x++) {
            int h = histogram[x] * histH / max;
            g.drawLine(left + x, hTop + histH, left + x, hTop + histH - h);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(left, hTop, plotW, histH);
        double msPerPixel = span * dtMs / plotW;
        double peakHz = max / (Math.max(1, total) * msPerPixel / 1000.0);
        g.drawString(String.format(Locale.ROOT, "%.0f Hz", peakHz), 5, hTop + 12);
        g.drawString("rate", 5, hTop + histH);
        for (int k = 0; k <= 5; k++) {
            int x = left + k * plotW / 5;
            double ms = (fromStep + k * span / 5.0) * dtMs;
            g.drawLine(x, hTop + histH, x, hTop + histH + 5);
            g.drawString(String.format(Locale.ROOT, "%.0f", ms), x - 10, hTop + histH + 20);
        }
        g.drawString("time (ms)", left + plotW / 2 - 25, height - 8);
        g.dispose();
        return img;
    }

    /** Renders and writes a PNG. */
    public void writePng(Path file, long fromStep, long toStep, double dtMs) {
        BufferedImage img = render(fromStep, toStep, dtMs);
        try {
            if (!ImageIO.write(img, "png", file.toFile())) {
                throw new MyelinException("no PNG writer available for " + file);
            }
        } catch (IOException e) {
            throw new MyelinException("cannot write raster image " + file + ": " + e.getMessage(), e);
        }
    }

    private static int blend(Color c, float a) {
        int r = (int) (255 + (c.getRed() - 255) * a);
        int gr = (int) (255 + (c.getGreen() - 255) * a);
        int b = (int) (255 + (c.getBlue() - 255) * a);
        return (r << 16) | (gr << 8) | b;
    }
}
