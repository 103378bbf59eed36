package org.myelin.viz.live;

import org.myelin.core.MyelinException;
import org.myelin.core.connect.SynapseExpansion;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

/**
 * A projection's weights as a heat map: the source neurons binned into rows, the targets into columns, each cell the
 * summed weight of the synapses in it (mV; several synapses between the same pair add). Drawn blue (negative) to white
 * (0) to red (positive), scaled to the largest magnitude. For a crossbar backend the same map shows the weights the
 * devices hold when it is built from the mapped network.
 */
public final class WeightMap {
    private final double[] sum;
    private final int rows;
    private final int cols;
    private final long synapses;
    private final double maxAbs;
    private final String title;

    private WeightMap(double[] sum, int rows, int cols, long synapses, String title) {
        this.sum = sum;
        this.rows = rows;
        this.cols = cols;
        this.synapses = synapses;
        this.title = title;
        double m = 0;
        for (double v : sum) {
            m = Math.max(m, Math.abs(v));
        }
        maxAbs = m;
    }

    /** Bins projection {@code index} of {@code network} into at most {@code maxRows} x {@code maxCols} cells. */
    public static WeightMap of(Network network, int index, int maxRows, int maxCols) {
        if (index < 0 || index >= network.projections().size()) {
            throw new MyelinException("weight map: no projection " + index + "; the network has "
                    + network.projections().size());
        }
        Projection p = network.projections().get(index);
        int pre = network.node(p.source()).size();
        int post = network.node(p.target()).size();
        int rows = Math.min(maxRows, pre);
        int cols = Math.min(maxCols, post);
        double[] sum = new double[rows * cols];
        long[] count = {0};
        SynapseExpansion.expand(network, p, true, (i, j, w, d) -> {
            int r = (int) ((long) i * rows / pre);
            int c = (int) ((long) j * cols / post);
            sum[r * cols + c] += w;
            count[0]++;
        });
        return new WeightMap(sum, rows, cols, count[0], p.source() + " \u2192 " + p.target());
    }

    /** A label for projection {@code index}: "source → target". */
    public static String label(Network network, int index) {
        Projection p = network.projections().get(index);
        return index + ": " + p.source() + " \u2192 " + p.target();
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public long synapses() {
        return synapses;
    }

    public double maxAbs() {
        return maxAbs;
    }

    public String title() {
        return title;
    }

    /** Summed weight of cell (row {@code r} = source bin, column {@code c} = target bin). */
    public double cell(int r, int c) {
        return sum[r * cols + c];
    }

    /** ARGB pixels, one per cell, source bin 0 at the top. */
    public int[] pixels() {
        int[] px = new int[rows * cols];
        for (int k = 0; k < px.length; k++) {
            double a = maxAbs == 0 ? 0 : sum[k] / maxAbs;
            int fade = (int) Math.round(255 * (1 - Math.min(1, Math.abs(a))));
            px[k] = a >= 0 ? 0xFF000000 | 0xFF0000 | fade << 8 | fade : 0xFF000000 | fade << 16 | fade << 8 | 0xFF;
        }
        return px;
    }
}
