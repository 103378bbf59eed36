package org.myelin.backend.opencl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.FixedPoint;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.ParallelExpansion;
import org.myelin.core.model.Receptor;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

/**
 * The synapses of a network as the OpenCL kernels read them: one CSR over all rows (neurons, then source channels),
 * merged across projections (the kernels' atomics make the order within a row irrelevant). A target is coded as
 * {@code 2 * neuron + receptor}; weights are fixed point ({@link FixedPoint}), one per row when every source's
 * projections share one constant weight (CUBA), else one per synapse; delays are one constant when every projection
 * has the same constant delay, else one short per synapse.
 */
final class ClSynapses {
    /** Row r's synapses are {@code [start[r], start[r + 1])}. */
    final int[] start;
    /** Per synapse: 2 * target neuron + receptor (0 excitatory, 1 inhibitory). */
    final int[] codes;
    /** Per synapse fixed-point weights, or null when {@link #rowWeights} holds them. */
    final int[] weights;
    /** Per row fixed-point weight (when {@link #weights} is null). */
    final int[] rowWeights;
    /** Per synapse delay in steps. */
    final short[] delays;
    final long count;
    /** The ring buffers' slots: the largest delay plus one. */
    final int ringSlots;
    /** 1: one weight per row; 0: one per synapse. */
    final int weightMode;
    /** The delay every synapse has, or 0 when they differ. */
    final int constDelay;
    /** Device bytes of the synapse arrays. */
    final long bytes;

    ClSynapses(Network network, int rows, int neurons) {
        long[] counts = new long[rows + 1];
        int maxDelay = 1;
        boolean constantDelay = true;
        int firstDelay = -1;
        List<ParallelExpansion> expansions = new ArrayList<>();
        for (Projection p : network.projections()) {
            int off = network.offset(p.source());
            ParallelExpansion e = new ParallelExpansion(network, p);
            expansions.add(e);
            for (int r = 0; r < e.rows(); r++) {
                counts[off + r + 1] += e.count(r);
            }
            if (!p.delaySteps().isConstant() || p.rule() instanceof Connectivity.Explicit) {
                constantDelay = false;
            } else {
                int d = (int) Math.round(p.delaySteps().min());
                constantDelay &= firstDelay < 0 || firstDelay == d;
                firstDelay = d;
            }
        }
        boolean perRowWeight = oneWeightPerSource(network);
        rowWeights = new int[rows];
        start = new int[rows + 1];
        long total = 0;
        for (int r = 0; r < rows; r++) {
            total += counts[r + 1];
            if (total > Integer.MAX_VALUE - 8) {
                throw new MyelinException("opencl backend: at most " + (Integer.MAX_VALUE - 8) + " synapses, this network"
                        + " has more");
            }
            start[r + 1] = (int) total;
        }
        count = total;
        codes = new int[(int) total];
        int[] fill = Arrays.copyOf(start, rows);
        weights = perRowWeight ? null : new int[(int) total];
        delays = new short[(int) total];
        for (int q = 0; q < network.projections().size(); q++) {
            Projection p = network.projections().get(q);
            int off = network.offset(p.source());
            int tgt = network.offset(p.target());
            int rec = p.receptor() == Receptor.INHIBITORY ? 1 : 0;
            String owner = "projection '" + p.name() + "'";
            int constW = perRowWeight ? FixedPoint.toFixed(p.weightMv().min(), owner) : 0;
            ParallelExpansion e = expansions.get(q);
            int[] cursor = Arrays.copyOfRange(fill, off, off + e.rows());
            e.fill(cursor, (k, a, b, w, d) -> {
                codes[k] = 2 * (tgt + b) + rec;
                if (weights != null) {
                    weights[k] = FixedPoint.toFixed(w, owner);
                } else {
                    rowWeights[off + a] = constW;
                }
                delays[k] = (short) d;
            });
            System.arraycopy(cursor, 0, fill, off, e.rows());
        }
        for (short d : delays) {
            maxDelay = Math.max(maxDelay, d);
        }
        ringSlots = maxDelay + 1;
        if ((long) ringSlots * neurons > Integer.MAX_VALUE) {
            throw new MyelinException("opencl backend: ring buffers of " + ringSlots + " slots x " + neurons
                    + " neurons exceed 2^31 entries; reduce the largest delay (" + maxDelay + " steps)");
        }
        weightMode = perRowWeight ? 1 : 0;
        constDelay = constantDelay ? Math.max(1, firstDelay) : 0;
        bytes = 4L * total + (weights != null ? 4L * total : 4L * rows) + (constDelay == 0 ? 2L * total : 0)
                + 4L * (rows + 1);
    }

    /** Whether every source's projections share one constant weight, so that one weight per row is enough. */
    private static boolean oneWeightPerSource(Network network) {
        Map<String, Double> weightOfSource = new HashMap<>();
        for (Projection p : network.projections()) {
            if (!p.weightMv().isConstant() || p.rule() instanceof Connectivity.Explicit) {
                return false;
            }
            Double w = weightOfSource.putIfAbsent(p.source(), p.weightMv().min());
            if (w != null && w != p.weightMv().min()) {
                return false;
            }
        }
        return true;
    }
}
