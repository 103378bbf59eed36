package org.myelin.core.connect;

import org.myelin.core.network.Network;
import org.myelin.core.network.Node;
import org.myelin.core.network.Projection;
import org.myelin.core.random.CounterRandom;

/**
 * Turns a projection into its synapses. The result is a pure function of the network's seed and the
 * projection: it can be run twice (count, then fill) and gives the same synapses on every backend.
 *
 * <p>Random streams are keyed by the projection's name: {@code name/connect} for the pairs (index: the source
 * for fixed probability, the target for fixed in-degree; counter: the draw), {@code name/weight} and
 * {@code name/delay} for the values (index: the synapse's ordinal in visiting order).
 *
 * <ul>
 * <li>Fixed probability: per source row, the gaps between connected targets are geometric (an exact
 * equivalent of one Bernoulli trial per pair that costs O(synapses), not O(pairs)); rows are visited in
 * source order and targets ascend within a row.</li>
 * <li>Fixed in-degree: per target, k distinct sources by Floyd's algorithm (or k independent draws with
 * multapses); targets ascend.</li>
 * <li>Convolution: rows in source order, each row's targets ascending, weights from the shared kernel.</li>
 * <li>Fixed total number: the row counts are the histogram of n uniform source draws ({@code name/connect-sources},
 * index: the draw), then each row's targets are uniform draws ({@code name/connect}, index: the row), ascending.</li>
 * </ul>
 */
public final class SynapseExpansion {
    private SynapseExpansion() {
    }

    /** The axis along which a rule's expansion can be split into independent parts. */
    public enum Order {
        /** By source row (all-to-all, one-to-one, fixed probability): a row's synapses depend on the row only. */
        SOURCES,
        /** By target (fixed in-degree: k synapses per target, ordinal = target * k + draw). */
        TARGETS,
        /** An explicit list: one part. */
        LIST
    }

    public static Order order(Projection p) {
        if (p.rule() instanceof Connectivity.Attention) {
            throw new org.myelin.core.MyelinException("projection '" + p.name() + "': spike attention has no fixed"
                    + " synapses (its weights are coincidence counts of each step); it runs on the cpu backend in CLOCK"
                    + " or EVENT_GRID mode");
        }
        if (p.rule() instanceof Connectivity.FixedInDegree) {
            return Order.TARGETS;
        }
        return p.rule() instanceof Connectivity.Explicit ? Order.LIST : Order.SOURCES;
    }

    /** Visits every synapse; with {@code withValues} false weights and delays are not drawn (counting). */
    public static void expand(Network network, Projection p, boolean withValues, SynapseVisitor visitor) {
        if (order(p) == Order.LIST) {
            Connectivity.Explicit e = (Connectivity.Explicit) p.rule();
            ValueSource values = new ValueSource(network.seed(), p, withValues, 0);
            for (int k = 0; k < e.pre().length; k++) {
                if (!withValues) {
                    visitor.synapse(e.pre()[k], e.post()[k], 0, 0);
                } else {
                    double w = e.weightsMv() != null ? e.weightsMv()[k] : values.weight(k);
                    double exact = e.delaySteps() != null ? e.delaySteps()[k] : values.exactDelay(k);
                    visitor.synapse(e.pre()[k], e.post()[k], w, ValueSource.rounded(exact), exact);
                }
            }
            return;
        }
        int size = order(p) == Order.SOURCES ? network.node(p.source()).size() : network.node(p.target()).size();
        expandRange(network, p, 0, size, 0, withValues, visitor);
    }

    /**
     * One independent part of the expansion: sources {@code [from, to)} for {@link Order#SOURCES} rules, targets
     * {@code [from, to)} for {@link Order#TARGETS}. Weight and delay ordinals start at {@code firstOrdinal}: the
     * number of synapses the parts before this one make (for fixed in-degree, {@code from * k}). Visiting all
     * parts in order is exactly {@link #expand}.
     */
    public static void expandRange(Network network, Projection p, int from, int to, long firstOrdinal,
                                   boolean withValues, SynapseVisitor visitor) {
        expandRange(network, p, from, to, firstOrdinal, withValues, 0, Integer.MAX_VALUE, visitor);
    }

    /**
     * As {@link #expandRange(Network, Projection, int, int, long, boolean, SynapseVisitor)}, visiting only the
     * synapses onto targets {@code [postFrom, postTo)} (the target's local indices): the others still take their
     * ordinals, so the visited synapses have exactly the values of the full expansion, but their weights and delays
     * are not drawn. This is how a process that owns a range of neurons builds only the synapses onto them.
     */
    public static void expandRange(Network network, Projection p, int from, int to, long firstOrdinal,
                                   boolean withValues, int postFrom, int postTo, SynapseVisitor visitor) {
        Node src = network.node(p.source());
        Node tgt = network.node(p.target());
        boolean same = src == tgt;
        long seed = network.seed();
        int connectStream = CounterRandom.streamOf(p.name() + "/connect");
        ValueSource values = new ValueSource(seed, p, withValues, firstOrdinal);
        values.postFrom = postFrom;
        values.postTo = postTo;
        int ns = src.size();
        int nt = tgt.size();
        Connectivity rule = p.rule();
        if (rule instanceof Connectivity.AllToAll a) {
            for (int i = from; i < to; i++) {
                for (int j = 0; j < nt; j++) {
                    if (a.allowSelf() || !same || i != j) {
                        values.emit(i, j, visitor);
                    }
                }
            }
        } else if (rule instanceof Connectivity.OneToOne) {
            for (int i = from; i < to; i++) {
                values.emit(i, i, visitor);
            }
        } else if (rule instanceof Connectivity.Convolution conv) {
            for (int i = from; i < to; i++) {
                final int pre = i;
                conv.row(i, (j, w) -> values.emit(pre, j, w, visitor));
            }
        } else if (rule instanceof Connectivity.FixedProbability fp) {
            fixedProbability(fp, from, to, nt, same, seed, connectStream, values, visitor);
        } else if (rule instanceof Connectivity.FixedInDegree fi) {
            fixedInDegree(fi, ns, from, to, same, seed, connectStream, values, visitor);
        } else if (rule instanceof Connectivity.FixedTotalNumber ft) {
            int[] counts = rowCounts(ft, seed, CounterRandom.streamOf(p.name() + "/connect-sources"), ns);
            boolean excludeSelf = same && !ft.allowSelf();
            int[] targets = new int[16];
            for (int i = from; i < to; i++) {
                int c = counts[i];
                if (targets.length < c) {
                    targets = new int[Math.max(c, 2 * targets.length)];
                }
                int available = nt - (excludeSelf && i < nt ? 1 : 0);
                for (int q = 0; q < c; q++) {
                    int t = (int) Math.floor(CounterRandom.uniform(seed, connectStream, i, q) * available);
                    targets[q] = excludeSelf && i < nt && t >= i ? t + 1 : t;
                }
                java.util.Arrays.sort(targets, 0, c);
                for (int q = 0; q < c; q++) {
                    values.emit(i, targets[q], visitor);
                }
            }
        } else {
            throw new IllegalStateException("expandRange: " + rule + " has no independent parts; use expand");
        }
    }

    /** Row counts of fixed-total-number rules, by (seed, stream, n, rows): drawn once, read by every part. */
    private static final java.util.Map<java.util.List<Long>, int[]> ROW_COUNTS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * How many of a fixed-total-number rule's synapses leave each source row: the histogram of n independent
     * uniform draws of the source (draw k: index k of the stream), counted in parallel chunks (the same for any
     * thread count: a sum of integers).
     */
    static int[] rowCounts(Connectivity.FixedTotalNumber ft, long seed, int stream, int rows) {
        java.util.List<Long> key = java.util.List.of(seed, (long) stream, ft.n(), (long) rows);
        int[] cached = ROW_COUNTS.get(key);
        if (cached != null) {
            return cached;
        }
        long n = ft.n();
        int chunks = (int) Math.max(1, Math.min(64, n / (1 << 20)));
        int[][] part = new int[chunks][];
        java.util.stream.IntStream.range(0, chunks).parallel().forEach(c -> {
            int[] h = new int[rows];
            for (long k = n * c / chunks; k < n * (c + 1) / chunks; k++) {
                h[(int) Math.floor(CounterRandom.uniform(seed, stream, k, 0) * rows)]++;
            }
            part[c] = h;
        });
        int[] counts = new int[rows];
        for (int[] h : part) {
            for (int r = 0; r < rows; r++) {
                counts[r] += h[r];
            }
        }
        if (ROW_COUNTS.size() > 512) {
            ROW_COUNTS.clear();
        }
        ROW_COUNTS.put(key, counts);
        return counts;
    }

    /** The number of synapses the projection makes. */
    public static long count(Network network, Projection p) {
        long[] n = {0};
        expand(network, p, false, (a, b, w, d) -> n[0]++);
        return n[0];
    }

    private static void fixedProbability(Connectivity.FixedProbability fp, int from, int to, int nt, boolean same,
                                         long seed, int stream, ValueSource values, SynapseVisitor visitor) {
        double p = fp.p();
        if (p <= 0) {
            return;
        }
        double logQ = Math.log1p(-p);
        for (int i = from; i < to; i++) {
            long j = -1;
            long draw = 0;
            while (true) {
                if (p >= 1) {
                    j++;
                } else {
                    double u = CounterRandom.uniformPositive(seed, stream, i, draw++);
                    double skip = Math.floor(Math.log(u) / logQ);
                    if (skip >= nt - j) {
                        break;
                    }
                    j += 1 + (long) skip;
                }
                if (j >= nt) {
                    break;
                }
                if (fp.allowSelf() || !same || j != i) {
                    values.emit(i, (int) j, visitor);
                }
            }
        }
    }

    private static void fixedInDegree(Connectivity.FixedInDegree fi, int ns, int from, int to, boolean same, long seed,
                                      int stream, ValueSource values, SynapseVisitor visitor) {
        int k = fi.k();
        boolean[] chosen = fi.allowMultapses() ? null : new boolean[ns];
        int[] picked = new int[k];
        for (int j = from; j < to; j++) {
            boolean excludeSelf = same && !fi.allowSelf();
            int available = ns - (excludeSelf ? 1 : 0);
            if (fi.allowMultapses()) {
                for (int r = 0; r < k; r++) {
                    int c = (int) Math.floor(CounterRandom.uniform(seed, stream, j, r) * available);
                    picked[r] = excludeSelf && c >= j ? c + 1 : c;
                }
            } else {
                // Floyd's algorithm: a uniform k-subset of [0, available) with k draws
                int r = 0;
                for (int m = available - k; m < available; m++) {
                    int c = (int) Math.floor(CounterRandom.uniform(seed, stream, j, r) * (m + 1));
                    int cand = excludeSelf && c >= j ? c + 1 : c;
                    int last = excludeSelf && m >= j ? m + 1 : m;
                    int take = chosen[cand] ? last : cand;
                    chosen[take] = true;
                    picked[r++] = take;
                }
                for (int q = 0; q < k; q++) {
                    chosen[picked[q]] = false;
                }
                java.util.Arrays.sort(picked, 0, k);
            }
            for (int q = 0; q < k; q++) {
                values.emit(picked[q], j, visitor);
            }
        }
    }

    /** Draws weights and delays by synapse ordinal. */
    private static final class ValueSource {
        private final long seed;
        private final Distribution weight;
        private final Distribution delay;
        private final int weightStream;
        private final int delayStream;
        private final boolean withValues;
        private long ordinal;
        /** Targets outside [postFrom, postTo) are skipped (their ordinals still count). */
        int postFrom = 0;
        int postTo = Integer.MAX_VALUE;

        ValueSource(long seed, Projection p, boolean withValues, long firstOrdinal) {
            this.ordinal = firstOrdinal;
            this.seed = seed;
            this.weight = p.weightMv();
            this.delay = p.delaySteps();
            this.weightStream = CounterRandom.streamOf(p.name() + "/weight");
            this.delayStream = CounterRandom.streamOf(p.name() + "/delay");
            this.withValues = withValues;
        }

        void emit(int pre, int post, SynapseVisitor v) {
            long k = ordinal++;
            if (post < postFrom || post >= postTo) {
                return;
            }
            if (withValues) {
                double exact = delay.sample(seed, delayStream, k);
                v.synapse(pre, post, weight(k), rounded(exact), exact);
            } else {
                v.synapse(pre, post, 0, 0);
            }
        }

        /** A synapse whose weight the rule gives (a convolution's kernel); its delay is drawn as usual. */
        void emit(int pre, int post, double weightMv, SynapseVisitor v) {
            long k = ordinal++;
            if (post < postFrom || post >= postTo) {
                return;
            }
            if (withValues) {
                double exact = delay.sample(seed, delayStream, k);
                v.synapse(pre, post, weightMv, rounded(exact), exact);
            } else {
                v.synapse(pre, post, 0, 0);
            }
        }

        double weight(long k) {
            return weight.sample(seed, weightStream, k);
        }

        double exactDelay(long k) {
            return delay.sample(seed, delayStream, k);
        }

        static int rounded(double exact) {
            long d = Math.round(exact);
            return (int) Math.max(1, Math.min(Projection.MAX_DELAY_STEPS, d));
        }
    }
}
