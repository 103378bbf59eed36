package org.myelin.core.connect;

import java.util.stream.IntStream;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

/**
 * A projection's synapses counted and then filled in parallel, in independent parts
 * ({@link SynapseExpansion#expandRange}); every row comes out in exactly the sequential expansion's order.
 * Construction counts the synapses per part and source row; {@link #fill} then writes them at the positions a
 * caller's CSR gives.
 */
public final class ParallelExpansion {
    /** Receives a synapse and the position it goes to. */
    @FunctionalInterface
    public interface PositionedVisitor {
        void synapse(int position, int pre, int post, double weightMv, int delaySteps);

        /** With the delay before rounding (see {@link SynapseVisitor}); by default it is dropped. */
        default void synapse(int position, int pre, int post, double weightMv, int delaySteps,
                             double exactDelaySteps) {
            synapse(position, pre, post, weightMv, delaySteps);
        }
    }

    private static final int PARALLELISM = Runtime.getRuntime().availableProcessors();

    private final Network net;
    private final Projection p;
    private final SynapseExpansion.Order order;
    private final int rows;
    private final int parts;
    private final int[] partStart;
    private final int[][] partCounts;
    private final long[] partOrdinal;
    private final long[] rowCounts;
    /** Only synapses onto these targets (local indices) are counted and filled. */
    private final int postFrom;
    private final int postTo;

    public ParallelExpansion(Network net, Projection p) {
        this(net, p, 0, Integer.MAX_VALUE);
    }

    /**
     * Only the synapses onto targets {@code [postFrom, postTo)} (the target node's local indices), with the values
     * they have in the full expansion: a process owning those neurons builds its part of the network alone.
     */
    public ParallelExpansion(Network net, Projection p, int postFrom, int postTo) {
        this.postFrom = postFrom;
        this.postTo = postTo;
        this.net = net;
        this.p = p;
        this.order = SynapseExpansion.order(p);
        this.rows = net.node(p.source()).size();
        int size = order == SynapseExpansion.Order.TARGETS ? net.node(p.target()).size() : rows;
        // at most 2^25 per-part row counters (128 MiB) in all
        this.parts = order == SynapseExpansion.Order.LIST ? 1
                : Math.max(1, Math.min(Math.min(size / 1024, 4 * PARALLELISM), (1 << 25) / Math.max(1, rows)));
        partStart = new int[parts + 1];
        for (int c = 0; c <= parts; c++) {
            partStart[c] = (int) ((long) size * c / parts);
        }
        partCounts = new int[parts][rows];
        long[] partTotal = new long[parts];
        IntStream.range(0, parts).parallel().forEach(c -> {
            int[] pc = partCounts[c];
            long[] all = {0};
            // every synapse takes an ordinal; only owned ones are counted in their rows
            visit(c, 0, false, 0, Integer.MAX_VALUE, (a, b, x, y) -> {
                all[0]++;
                if (b >= postFrom && b < postTo) {
                    pc[a]++;
                }
            });
            partTotal[c] = all[0];
        });
        rowCounts = new long[rows];
        partOrdinal = new long[parts + 1];
        for (int c = 0; c < parts; c++) {
            for (int r = 0; r < rows; r++) {
                rowCounts[r] += partCounts[c][r];
            }
            partOrdinal[c + 1] = partOrdinal[c] + partTotal[c];
        }
    }

    private void visit(int part, long firstOrdinal, boolean withValues, int from, int to, SynapseVisitor v) {
        if (order == SynapseExpansion.Order.LIST) {
            SynapseExpansion.expand(net, p, withValues, from == 0 && to == Integer.MAX_VALUE ? v : new SynapseVisitor() {
                @Override
                public void synapse(int a, int b, double w, int d) {
                    if (b >= from && b < to) {
                        v.synapse(a, b, w, d);
                    }
                }

                @Override
                public void synapse(int a, int b, double w, int d, double exact) {
                    if (b >= from && b < to) {
                        v.synapse(a, b, w, d, exact);
                    }
                }
            });
        } else {
            SynapseExpansion.expandRange(net, p, partStart[part], partStart[part + 1], firstOrdinal, withValues, from,
                    to, v);
        }
    }

    /** Source rows (the source node's size). */
    public int rows() {
        return rows;
    }

    /** Synapses of source row r (onto the owned targets). */
    public long count(int r) {
        return rowCounts[r];
    }

    /** All synapses (of the projection, owned or not). */
    public long total() {
        return partOrdinal[parts];
    }

    /**
     * Visits every synapse, with values, in parallel parts; row r's synapses get positions {@code rowCursor[r]},
     * {@code rowCursor[r] + 1}, ..., in sequential order, and {@code rowCursor[r]} is left past them.
     */
    public void fill(int[] rowCursor, PositionedVisitor visitor) {
        int[][] cursors = new int[parts][];
        for (int c = 0; c < parts; c++) {
            cursors[c] = new int[rows];
        }
        for (int r = 0; r < rows; r++) {
            int at = rowCursor[r];
            for (int c = 0; c < parts; c++) {
                cursors[c][r] = at;
                at += partCounts[c][r];
            }
            rowCursor[r] = at;
        }
        IntStream.range(0, parts).parallel().forEach(c -> {
            int[] cursor = cursors[c];
            visit(c, partOrdinal[c], true, postFrom, postTo, new SynapseVisitor() {
                @Override
                public void synapse(int a, int b, double w, int d) {
                    visitor.synapse(cursor[a]++, a, b, w, d);
                }

                @Override
                public void synapse(int a, int b, double w, int d, double exact) {
                    visitor.synapse(cursor[a]++, a, b, w, d, exact);
                }
            });
        });
    }
}
