package org.myelin.viz.raster;

import java.util.Arrays;
import org.myelin.core.MyelinException;

/**
 * Spikes binned for drawing: a grid of time bins (columns) by neuron bins (rows) holding spike counts, and per group
 * (population) the spike count of every time bin, for rate plots. It is what the live view and the headless images
 * draw, so both show the same thing.
 *
 * <p>The view spans steps {@code [fromStep, fromStep + spanSteps)} and neurons {@code [neuronFrom, neuronTo)} (indices
 * in the layout: groups stacked in the order given). With more steps than pixel columns, or more neurons than pixel
 * rows, each bin counts everything that falls into it (a density, nothing lost); with fewer, a bin is a band of pixels
 * and a spike is drawn as a dot of at most {@link #MAX_DOT} pixels in it. When {@code spanSteps} is a multiple of the
 * column count, {@link #scrollTo} moves the view by whole columns without re-binning what stays visible.
 *
 * <p>Painting writes ARGB pixels into an {@code int[]}: no object per spike, one pass per frame.
 */
public final class RasterGrid {
    /** Largest dot, in pixels, when a bin is wider or taller than a pixel. */
    public static final int MAX_DOT = 3;
    /** Background colour (opaque white). */
    public static final int BACKGROUND = 0xFFFFFFFF;

    private final int width;
    private final int height;
    private final int[] groupStart;
    private final int[] groupColour;
    private final int neurons;
    private long fromStep;
    private long spanSteps;
    private int neuronFrom;
    private int neuronTo;
    private int timeBins;
    private int neuronBins;
    private int rot;
    private int[] counts = new int[0];
    private int[][] groupCounts;
    private int[] binGroup = new int[0];
    private long total;

    /**
     * @param width      pixel columns of the drawing area
     * @param height     pixel rows
     * @param groupSizes neurons per group, stacked bottom-up in this order
     * @param colours    RGB colour per group
     */
    public RasterGrid(int width, int height, int[] groupSizes, int[] colours) {
        if (width < 1 || height < 1) {
            throw new MyelinException("raster grid: width and height must be >= 1 px, were " + width + " x " + height);
        }
        if (groupSizes.length == 0 || colours.length != groupSizes.length) {
            throw new MyelinException("raster grid: one colour per group, and at least one group");
        }
        this.width = width;
        this.height = height;
        groupStart = new int[groupSizes.length + 1];
        for (int g = 0; g < groupSizes.length; g++) {
            if (groupSizes[g] < 1) {
                throw new MyelinException("raster grid: group " + g + " has " + groupSizes[g] + " neurons");
            }
            groupStart[g + 1] = groupStart[g] + groupSizes[g];
        }
        groupColour = colours.clone();
        neurons = groupStart[groupSizes.length];
        groupCounts = new int[groupSizes.length][];
        view(0, 1, 0, neurons);
    }

    /** Sets the view and empties the grid. */
    public void view(long from, long span, int nFrom, int nTo) {
        if (span < 1) {
            throw new MyelinException("raster grid: the time span must be >= 1 step, was " + span);
        }
        if (nFrom < 0 || nTo > neurons || nTo <= nFrom) {
            throw new MyelinException("raster grid: neuron range [" + nFrom + ", " + nTo + ") is not inside [0, "
                    + neurons + ")");
        }
        fromStep = from;
        spanSteps = span;
        neuronFrom = nFrom;
        neuronTo = nTo;
        timeBins = (int) Math.min(width, span);
        neuronBins = Math.min(height, nTo - nFrom);
        if (counts.length != timeBins * neuronBins) {
            counts = new int[timeBins * neuronBins];
        } else {
            Arrays.fill(counts, 0);
        }
        for (int g = 0; g < groupCounts.length; g++) {
            groupCounts[g] = new int[timeBins];
        }
        binGroup = new int[neuronBins];
        for (int b = 0; b < neuronBins; b++) {
            int n = nFrom + (int) ((long) b * (nTo - nFrom) / neuronBins);
            binGroup[b] = group(n);
        }
        rot = 0;
        total = 0;
    }

    /** The group (population) that holds layout index {@code neuron}. */
    public int group(int neuron) {
        int g = Arrays.binarySearch(groupStart, neuron);
        return g >= 0 ? Math.min(g, groupStart.length - 2) : -g - 2;
    }

    /** Layout index of the first neuron of group {@code g}. */
    public int groupStart(int g) {
        return groupStart[g];
    }

    public int groups() {
        return groupStart.length - 1;
    }

    public int neurons() {
        return neurons;
    }

    public long fromStep() {
        return fromStep;
    }

    public long spanSteps() {
        return spanSteps;
    }

    public int neuronFrom() {
        return neuronFrom;
    }

    public int neuronTo() {
        return neuronTo;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int timeBins() {
        return timeBins;
    }

    /** Spikes counted in the view. */
    public long total() {
        return total;
    }

    /** Time bin of {@code step}, or -1 outside the view. */
    public int timeBin(long step) {
        long d = step - fromStep;
        if (d < 0 || d >= spanSteps) {
            return -1;
        }
        return (int) (d * timeBins / spanSteps);
    }

    /** Neuron bin of layout index {@code neuron}, or -1 outside the view. */
    public int neuronBin(int neuron) {
        if (neuron < neuronFrom || neuron >= neuronTo) {
            return -1;
        }
        return (int) ((long) (neuron - neuronFrom) * neuronBins / (neuronTo - neuronFrom));
    }

    /** Counts one spike; spikes outside the view are ignored. */
    public void add(long step, int neuron) {
        int t = timeBin(step);
        if (t < 0) {
            return;
        }
        int slot = slot(t);
        int g = group(neuron);
        groupCounts[g][slot]++;
        int b = neuronBin(neuron);
        if (b >= 0) {
            counts[b * timeBins + slot]++;
            total++;
        }
    }

    private int slot(int t) {
        int s = t + rot;
        return s >= timeBins ? s - timeBins : s;
    }

    /**
     * Moves the view to start at {@code newFrom}, keeping the bins still in view, when the span is a whole number of
     * steps per column and the move a whole number of columns; returns false (and changes nothing) otherwise, and the
     * caller re-bins. Moving forward empties the columns that come into view.
     */
    public boolean scrollTo(long newFrom) {
        if (spanSteps % timeBins != 0) {
            return false;
        }
        long per = spanSteps / timeBins;
        long d = newFrom - fromStep;
        if (d % per != 0) {
            return false;
        }
        long cols = d / per;
        if (cols == 0) {
            return true;
        }
        if (cols < 0) {
            return false;
        }
        if (cols >= timeBins) {
            view(newFrom, spanSteps, neuronFrom, neuronTo);
            return true;
        }
        for (int k = 0; k < cols; k++) {
            int s = slot(k);
            for (int b = 0; b < neuronBins; b++) {
                total -= counts[b * timeBins + s];
                counts[b * timeBins + s] = 0;
            }
            for (int[] gc : groupCounts) {
                gc[s] = 0;
            }
        }
        rot = (int) ((rot + cols) % timeBins);
        fromStep = newFrom;
        return true;
    }

    /** Spikes in time bin {@code t} and neuron bin {@code b} (bin 0 is the lowest neurons). */
    public int count(int t, int b) {
        return counts[b * timeBins + slot(t)];
    }

    /** Spikes of group {@code g} in time bin {@code t}, whatever the neuron range shown. */
    public int groupCount(int g, int t) {
        return groupCounts[g][slot(t)];
    }

    /** Steps covered by time bin {@code t}. */
    public long binSteps(int t) {
        long a = -Math.floorDiv(-(long) t * spanSteps, timeBins);
        long b = -Math.floorDiv(-(long) (t + 1) * spanSteps, timeBins);
        return b - a;
    }

    /** First step of time bin {@code t}. */
    public long binStart(int t) {
        return fromStep - Math.floorDiv(-(long) t * spanSteps, timeBins);
    }

    /** The layout index at pixel row {@code y} (0 at the top), or -1 outside. */
    public int neuronAt(int y) {
        if (y < 0 || y >= height) {
            return -1;
        }
        int span = neuronTo - neuronFrom;
        int n = neuronFrom + (int) ((long) (height - 1 - y) * span / height);
        return Math.min(n, neuronTo - 1);
    }

    /** The step at pixel column {@code x}, or -1 outside. */
    public long stepAt(int x) {
        if (x < 0 || x >= width) {
            return -1;
        }
        return fromStep + (long) x * spanSteps / width;
    }

    /**
     * Paints the grid into {@code argb} (row stride {@code stride}) with its top-left corner at {@code (x0, y0)}:
     * empty cells in {@link #BACKGROUND}, others in their group's colour, darker the more spikes they hold relative to
     * the fullest cell (log scale), so a single spike is visible next to a burst.
     */
    public void paint(int[] argb, int stride, int x0, int y0) {
        int max = 1;
        for (int c : counts) {
            max = Math.max(max, c);
        }
        int levels = Math.min(max, 256);
        int[][] lut = new int[groupColour.length][levels + 1];
        double logMax = Math.log1p(max);
        for (int g = 0; g < groupColour.length; g++) {
            for (int l = 1; l <= levels; l++) {
                double c = l == levels ? max : 1 + (double) (l - 1) * (max - 1) / Math.max(1, levels - 1);
                double a = max == 1 ? 1.0 : 0.35 + 0.65 * Math.log1p(c) / logMax;
                lut[g][l] = blend(groupColour[g], Math.min(1.0, a));
            }
        }
        // per pixel column: the grid slot it shows, or -1 where a wide bin's dot has ended
        int[] xSlot = new int[width];
        for (int x = 0; x < width; x++) {
            int t = (int) ((long) x * timeBins / width);
            long start = -Math.floorDiv(-(long) t * width, timeBins);
            xSlot[x] = x - start < MAX_DOT ? slot(t) : -1;
        }
        for (int y = 0; y < height; y++) {
            int fromBottom = height - 1 - y;
            int b = (int) ((long) fromBottom * neuronBins / height);
            long start = -Math.floorDiv(-(long) b * height, neuronBins);
            boolean yDot = fromBottom - start < MAX_DOT;
            int row = (y0 + y) * stride + x0;
            int base = b * timeBins;
            int[] l = lut[binGroup[b]];
            if (!yDot) {
                java.util.Arrays.fill(argb, row, row + width, BACKGROUND);
                continue;
            }
            for (int x = 0; x < width; x++) {
                int sl = xSlot[x];
                int c = sl >= 0 ? counts[base + sl] : 0;
                argb[row + x] = c == 0 ? BACKGROUND
                        : l[c >= max ? levels : 1 + (int) ((long) (c - 1) * (levels - 1) / Math.max(1, max - 1))];
            }
        }
    }

    private static int blend(int rgb, double a) {
        int r = (int) Math.round(255 + (((rgb >> 16) & 0xFF) - 255) * a);
        int g = (int) Math.round(255 + (((rgb >> 8) & 0xFF) - 255) * a);
        int b = (int) Math.round(255 + ((rgb & 0xFF) - 255) * a);
        return 0xFF000000 | (r << 16) | (g << 8) | b;
    }
}
