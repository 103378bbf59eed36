package org.myelin.backend.cpu;

import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.FixedPoint;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.ParallelExpansion;
import org.myelin.core.model.Receptor;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;
import org.myelin.core.network.Transmission;

/**
 * The synapses of one projection, CSR by source: row {@code r} (the source's local index) holds the global
 * indices of its targets, ascending, with their weights and delays. A weight or delay that is the same for
 * every synapse is stored once, not per synapse, so CUBA-like projections cost 4 bytes per synapse.
 *
 * <p>Because targets ascend within a row, the targets owned by worker {@code t} (a contiguous range of
 * neurons) form one piece of each row: {@code split[r * (threads + 1) + t]} up to
 * {@code split[r * (threads + 1) + t + 1]}.
 *
 * <p>Built in two passes over the deterministic expansion (count, then fill): no per-synapse objects.
 */
final class ProjectionSynapses {

    final int sourceNode;
    final int sourceOffset;
    /** Index of the target population (populations come first among nodes). */
    final int targetPopulation;
    final boolean inhibitory;
    final int[] rowStart;
    final int[] target;
    /** Per-synapse weights, or null when every synapse has {@link #weightMv}. */
    final float[] weight;
    final float weightMv;
    /** Per-synapse delays in steps (byte or short), or both null when every synapse has {@link #delaySteps}. */
    final byte[] delayByte;
    final short[] delayShort;
    final int delaySteps;
    final int maxDelay;
    /**
     * Per-synapse delays in steps before rounding, or null when every delay is a whole number of steps: only the
     * event-driven precise mode reads them.
     */
    final float[] exactDelay;
    /** Fixed-point weights ({@link FixedPoint}): per synapse, or null with {@link #weightFixedConstant}. */
    final int[] weightFixed;
    final int weightFixedConstant;
    final int[] split;
    final int threads;
    /** Set when the synapses are computed outside the engine; the engine then delivers through it. */
    ExternalSynapses external;
    /** Set for a plastic projection on the clock engine: its learning state (its weights are per synapse). */
    PlasticSynapses plastic;

    /** The shortest delay of any synapse, in steps ({@link Integer#MAX_VALUE} with no synapses). */
    final int minDelay;
    /** A convolution kept as its kernel (the CSR arrays are then empty), or null. */
    final ConvolutionSynapses conv;
    /** Spike attention, whose weights are counted each step (the CSR arrays are then empty), or null. */
    final AttentionSynapses attention;
    /** Whether the synapses carry the source's membrane potential in every step ({@link Transmission#MEMBRANE}). */
    final boolean membrane;

    ProjectionSynapses(Network net, Projection p, int[] threadStart, boolean fixedPoint) {
        this(net, p, threadStart, fixedPoint, 0, Integer.MAX_VALUE, false, false);
    }

    /**
     * With {@code compact}, a convolution with one delay is kept as its kernel ({@link ConvolutionSynapses}) and spike
     * attention is counted per step ({@link AttentionSynapses}).
     */
    ProjectionSynapses(Network net, Projection p, int[] threadStart, boolean fixedPoint, boolean compact) {
        this(net, p, threadStart, fixedPoint, 0, Integer.MAX_VALUE, compact, compact);
    }

    /** For the event-grid engine: convolutions expanded into synapse lists, spike attention counted per step. */
    static ProjectionSynapses forGrid(Network net, Projection p, int[] whole) {
        return new ProjectionSynapses(net, p, whole, false, 0, Integer.MAX_VALUE, false, true);
    }

    /** Whether {@code p} can be kept as a kernel: a convolution whose synapses all have one delay. */
    static boolean compactConvolution(Projection p) {
        return p.rule() instanceof Connectivity.Convolution && p.delaySteps().min() == p.delaySteps().max()
                && p.plasticity() == null;
    }

    ProjectionSynapses(Network net, Projection p, int[] threadStart, boolean fixedPoint, int ownFirst, int ownEnd) {
        this(net, p, threadStart, fixedPoint, ownFirst, ownEnd, false, false);
    }

    /**
     * Only the synapses onto neurons {@code [ownFirst, ownEnd)} (global indices): the part of a network that one rank
     * of a distributed run owns, built without the others.
     */
    private ProjectionSynapses(Network net, Projection p, int[] threadStart, boolean fixedPoint, int ownFirst,
                               int ownEnd, boolean kernels, boolean counted) {
        threads = threadStart.length - 1;
        sourceNode = net.nodeIndex(p.source());
        sourceOffset = net.offset(sourceNode);
        inhibitory = p.receptor() == Receptor.INHIBITORY;
        targetPopulation = net.nodeIndex(p.target());
        membrane = p.transmission() == Transmission.MEMBRANE;
        int rows = net.node(p.source()).size();
        int tgtOff = net.offset(p.target());
        int targets = net.node(p.target()).size();
        if (counted && p.rule() instanceof Connectivity.Attention && p.delaySteps().min() != p.delaySteps().max()) {
            throw new MyelinException("projection '" + p.name() + "': spike attention needs one delay for all its"
                    + " synapses");
        }
        if (counted && p.rule() instanceof Connectivity.Attention && fixedPoint) {
            throw new MyelinException("projection '" + p.name() + "': spike attention adds its counts in float;"
                    + " fixed-point accumulation cannot take it");
        }
        if ((kernels && compactConvolution(p)) || (counted && p.rule() instanceof Connectivity.Attention)) {
            int d = (int) Math.max(1, Math.min(Projection.MAX_DELAY_STEPS, Math.round(p.delaySteps().min())));
            conv = p.rule() instanceof Connectivity.Convolution c ? new ConvolutionSynapses(c, tgtOff, d, fixedPoint,
                    "projection '" + p.name() + "'") : null;
            attention = p.rule() instanceof Connectivity.Attention a
                    ? new AttentionSynapses(net, a, rows, tgtOff, d, threads) : null;
            rowStart = new int[rows + 1];
            target = new int[0];
            weight = null;
            weightMv = Float.NaN;
            delayByte = null;
            delayShort = null;
            delaySteps = d;
            maxDelay = d;
            minDelay = d;
            exactDelay = null;
            weightFixed = null;
            weightFixedConstant = 0;
            split = new int[0];
            return;
        }
        conv = null;
        attention = null;
        ParallelExpansion expansion = ownFirst <= tgtOff && ownEnd >= tgtOff + targets
                ? new ParallelExpansion(net, p)
                : new ParallelExpansion(net, p, (int) Math.max(0, Math.min(targets, (long) ownFirst - tgtOff)),
                        (int) Math.max(0, Math.min(targets, (long) ownEnd - tgtOff)));
        rowStart = new int[rows + 1];
        long acc = 0;
        for (int r = 0; r < rows; r++) {
            acc += expansion.count(r);
            if (acc > Integer.MAX_VALUE - 8) {
                throw new MyelinException("projection '" + p.name() + "': the cpu backend holds at most "
                        + (Integer.MAX_VALUE - 8) + " synapses per projection; split it into several projections");
            }
            rowStart[r + 1] = (int) acc;
        }
        int total = (int) acc;
        target = new int[total];
        float[] w = new float[total];
        short[] d = new short[total];
        float[] exact = new float[total];
        boolean[] fractional = new boolean[1];
        expansion.fill(Arrays.copyOf(rowStart, rows), new ParallelExpansion.PositionedVisitor() {
            @Override
            public void synapse(int k, int a, int b, double wt, int dl) {
                target[k] = tgtOff + b;
                w[k] = (float) wt;
                d[k] = (short) dl;
                exact[k] = dl;
            }

            @Override
            public void synapse(int k, int a, int b, double wt, int dl, double ex) {
                synapse(k, a, b, wt, dl);
                exact[k] = (float) Math.max(1, ex);
                if (exact[k] != dl) {
                    fractional[0] = true;
                }
            }
        });
        exactDelay = fractional[0] ? exact : null;
        sortRows(rows, w, d, exactDelay);
        boolean sameW = true;
        boolean sameD = true;
        int max = total == 0 ? 1 : d[0];
        int min = total == 0 ? Integer.MAX_VALUE : d[0];
        for (int k = 1; k < total; k++) {
            sameW &= Float.floatToRawIntBits(w[k]) == Float.floatToRawIntBits(w[0]);
            sameD &= d[k] == d[0];
            max = Math.max(max, d[k]);
            min = Math.min(min, d[k]);
        }
        maxDelay = Math.max(1, max);
        minDelay = min;
        if (sameW && p.plasticity() == null) {
            weight = null;
            weightMv = total == 0 ? 0f : w[0];
        } else {
            weight = w;
            weightMv = Float.NaN;
        }
        String owner = "projection '" + p.name() + "'";
        if (!fixedPoint) {
            weightFixed = null;
            weightFixedConstant = 0;
        } else if (weight == null) {
            weightFixed = null;
            weightFixedConstant = FixedPoint.toFixed(weightMv, owner);
        } else {
            weightFixed = new int[total];
            for (int k = 0; k < total; k++) {
                weightFixed[k] = FixedPoint.toFixed(weight[k], owner);
            }
            weightFixedConstant = 0;
        }
        if (sameD) {
            delayByte = null;
            delayShort = null;
            delaySteps = total == 0 ? 1 : d[0];
        } else if (max <= Byte.MAX_VALUE) {
            delayByte = new byte[total];
            for (int k = 0; k < total; k++) {
                delayByte[k] = (byte) d[k];
            }
            delayShort = null;
            delaySteps = 0;
        } else {
            delayByte = null;
            delayShort = d;
            delaySteps = 0;
        }
        split = new int[rows * (threads + 1)];
        for (int r = 0; r < rows; r++) {
            int base = r * (threads + 1);
            split[base] = rowStart[r];
            for (int t = 1; t < threads; t++) {
                split[base + t] = lowerBound(target, split[base + t - 1], rowStart[r + 1], threadStart[t]);
            }
            split[base + threads] = rowStart[r + 1];
        }
    }

    /** Synapses in the CSR arrays (0 for a convolution kept as its kernel: see {@link #synapseCount}). */
    int synapses() {
        return target.length;
    }

    /** Synapses the projection makes, however they are kept. */
    long synapseCount() {
        return conv != null ? conv.synapses() : target.length;
    }

    /** Synapses of all projections. */
    static long synapses(ProjectionSynapses[] all) {
        long n = 0;
        for (ProjectionSynapses q : all) {
            n += q.synapseCount();
        }
        return n;
    }

    /** Bytes of all projections' synapse and delivery structures. */
    static long bytes(ProjectionSynapses[] all) {
        long n = 0;
        for (ProjectionSynapses q : all) {
            n += q.bytes();
        }
        return n;
    }

    long bytes() {
        if (conv != null) {
            return conv.bytes();
        }
        if (attention != null) {
            return 0;
        }
        long perSynapse = 4L + (weight != null ? 4 : 0) + (exactDelay != null ? 4 : 0) + (weightFixed != null ? 4 : 0) + (delayByte != null ? 1 : 0) + (delayShort != null ? 2 : 0);
        return perSynapse * target.length + 4L * rowStart.length + 4L * split.length;
    }

    private static int lowerBound(int[] a, int from, int to, int key) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Stable sort of every row by target (ties keep expansion order). */
    private void sortRows(int rows, float[] weight, short[] delays, float[] exactDelays) {
        long[] keys = new long[0];
        float[] w = new float[0];
        short[] d = new short[0];
        float[] x = new float[0];
        for (int r = 0; r < rows; r++) {
            int a = rowStart[r];
            int b = rowStart[r + 1];
            boolean sorted = true;
            for (int k = a + 1; k < b && sorted; k++) {
                sorted = target[k - 1] <= target[k];
            }
            if (sorted) {
                continue;
            }
            int len = b - a;
            if (keys.length < len) {
                keys = new long[len];
                w = new float[len];
                d = new short[len];
                x = new float[exactDelays != null ? len : 0];
            }
            for (int k = 0; k < len; k++) {
                keys[k] = ((long) target[a + k] << 32) | k;
                w[k] = weight[a + k];
                d[k] = delays[a + k];
                if (exactDelays != null) {
                    x[k] = exactDelays[a + k];
                }
            }
            Arrays.sort(keys, 0, len);
            for (int k = 0; k < len; k++) {
                int src = (int) keys[k];
                target[a + k] = (int) (keys[k] >>> 32);
                weight[a + k] = w[src];
                delays[a + k] = d[src];
                if (exactDelays != null) {
                    exactDelays[a + k] = x[src];
                }
            }
        }
    }

    /** Per node of the network (populations, then sources), the projections it is the source of, in order. */
    static ProjectionSynapses[][] bySourceNode(Network network, ProjectionSynapses[] projections) {
        ProjectionSynapses[][] out = new ProjectionSynapses[network.nodes().size()][];
        for (int node = 0; node < out.length; node++) {
            final int nd = node;
            out[node] = Arrays.stream(projections).filter(q -> q.sourceNode == nd).toArray(ProjectionSynapses[]::new);
        }
        return out;
    }

    /** Per node, the end (exclusive) of its global index range. */
    static int[] nodeEnds(Network network) {
        int[] end = new int[network.nodes().size()];
        for (int node = 0; node < end.length; node++) {
            end[node] = network.offset(node) + network.nodes().get(node).size();
        }
        return end;
    }

    /**
     * Offers every projection's synapses to {@code f} ({@link ExternalSynapses}); binds those it takes (they are then
     * computed outside the engine at every step) and returns them in order.
     */
    static ProjectionSynapses[] bindExternal(Network network, ProjectionSynapses[] projections, int[] threadStart,
                                             boolean fixedPoint,
                                             java.util.function.Function<ExternalSynapses.Layout, ExternalSynapses> f) {
        java.util.List<ProjectionSynapses> bound = new java.util.ArrayList<>();
        for (int k = 0; k < projections.length; k++) {
            ProjectionSynapses q = projections[k];
            org.myelin.core.network.Projection p = network.projections().get(k);
            float[] w = q.weight != null ? q.weight.clone() : new float[q.synapses()];
            if (q.weight == null) {
                java.util.Arrays.fill(w, q.weightMv);
            }
            int[] delays = new int[q.synapses()];
            for (int s = 0; s < delays.length; s++) {
                delays[s] = q.delaySteps >= 1 ? q.delaySteps : q.delayByte != null ? q.delayByte[s] : q.delayShort[s];
            }
            ExternalSynapses e = f.apply(new ExternalSynapses.Layout(p, network.node(p.source()).size(),
                    network.offset(p.target()), network.node(p.target()).size(), q.rowStart.clone(), q.target.clone(),
                    w, delays, threadStart.clone(), network.dtMs()));
            if (e == null) {
                continue;
            }
            if (fixedPoint) {
                throw new MyelinException("projection '" + p.name() + "': synapses computed outside the engine add"
                        + " float values; fixed-point accumulation cannot take them");
            }
            q.external = e;
            bound.add(q);
        }
        return bound.toArray(ProjectionSynapses[]::new);
    }

    /** The longest row of the projections (0 for none). */
    static int longestRow(ProjectionSynapses[] projections) {
        int longest = 0;
        for (ProjectionSynapses q : projections) {
            for (int r = 0; r + 1 < q.rowStart.length; r++) {
                longest = Math.max(longest, q.rowStart[r + 1] - q.rowStart[r]);
            }
        }
        return longest;
    }

    /** A projection's synapses as its rule expands them (its weights are fixed). */
    private static org.myelin.core.backend.SynapseWeights expandedWeights(Network net, Projection p) {
        int n = Math.toIntExact(org.myelin.core.connect.SynapseExpansion.count(net, p));
        int[] src = new int[n];
        int[] tgt = new int[n];
        double[] w = new double[n];
        int[] at = {0};
        org.myelin.core.connect.SynapseExpansion.expand(net, p, true, (a, b, wt, d) -> {
            src[at[0]] = a;
            tgt[at[0]] = b;
            w[at[0]++] = (float) wt;
        });
        return new org.myelin.core.backend.SynapseWeights(p.name(), src, tgt, w);
    }

    /** The synapses of the projection named {@code projection} with their current weights (source, target local). */
    static org.myelin.core.backend.SynapseWeights weights(Network net, ProjectionSynapses[] projections,
                                                        String projection) {
        for (int k = 0; k < projections.length; k++) {
            if (net.projections().get(k).name().equals(projection)) {
                ProjectionSynapses q = projections[k];
                if (q.conv != null) {
                    return expandedWeights(net, net.projections().get(k));
                }
                if (q.attention != null) {
                    throw new MyelinException("weights: projection '" + projection + "' is spike attention, whose"
                            + " weights are counted anew in every step");
                }
                int n = q.synapses();
                int[] src = new int[n];
                int[] tgt = new int[n];
                double[] w = new double[n];
                int tgtOff = net.offset(net.projections().get(k).target());
                for (int r = 0; r + 1 < q.rowStart.length; r++) {
                    for (int s = q.rowStart[r]; s < q.rowStart[r + 1]; s++) {
                        src[s] = r;
                        tgt[s] = q.target[s] - tgtOff;
                        w[s] = q.weight == null ? q.weightMv : q.weight[s];
                    }
                }
                return new org.myelin.core.backend.SynapseWeights(projection, src, tgt, w);
            }
        }
        throw new MyelinException("weights: no projection '" + projection + "'; projections: "
                + net.projections().stream().map(org.myelin.core.network.Projection::name).toList());
    }
}
