package org.myelin.core.connect;

import java.util.Arrays;
import org.myelin.core.MyelinException;

/**
 * Which (source, target) pairs a projection connects. Rules are values; {@link SynapseExpansion} turns
 * them into synapses.
 */
public sealed interface Connectivity {

    static Connectivity allToAll() {
        return new AllToAll(true);
    }

    static Connectivity oneToOne() {
        return new OneToOne();
    }

    /** Every pair independently with probability p; self-connections allowed (as Brian2's CUBA). */
    static Connectivity fixedProbability(double p) {
        return new FixedProbability(p, true);
    }

    /** Every target gets exactly k distinct sources, drawn uniformly. */
    static Connectivity fixedInDegree(int k) {
        return new FixedInDegree(k, true, false);
    }

    /**
     * Exactly {@code n} synapses between the two nodes, each pair drawn uniformly and independently (multapses
     * allowed), without self-connections when source and target are the same node: NEST's
     * {@code fixed_total_number} with {@code allow_multapses=True, allow_autapses=False}, as the cortical
     * microcircuit uses it.
     */
    static Connectivity fixedTotalNumber(long n) {
        return new FixedTotalNumber(n, false);
    }

    /**
     * Explicit synapses: {@code pre[i] -> post[i]}. {@code weightsMv} and {@code delaySteps} may be null, and
     * then the projection's weight and delay distributions apply.
     */
    static Connectivity explicit(int[] pre, int[] post, double[] weightsMv, int[] delaySteps) {
        return new Explicit(pre.clone(), post.clone(), weightsMv == null ? null : weightsMv.clone(),
                delaySteps == null ? null : delaySteps.clone());
    }

    /** Checks the rule against the sizes it connects; {@code sameNode} when source and target coincide. */
    void validate(String owner, int sourceSize, int targetSize, boolean sameNode);

    record AllToAll(boolean allowSelf) implements Connectivity {
        public AllToAll withoutSelfConnections() {
            return new AllToAll(false);
        }

        @Override
        public void validate(String owner, int sourceSize, int targetSize, boolean sameNode) {
        }
    }

    record OneToOne() implements Connectivity {
        @Override
        public void validate(String owner, int sourceSize, int targetSize, boolean sameNode) {
            if (sourceSize != targetSize) {
                throw new MyelinException(owner + ": one-to-one needs equal sizes, source has " + sourceSize
                        + " neurons and target " + targetSize);
            }
        }
    }

    record FixedProbability(double p, boolean allowSelf) implements Connectivity {
        public FixedProbability withoutSelfConnections() {
            return new FixedProbability(p, false);
        }

        @Override
        public void validate(String owner, int sourceSize, int targetSize, boolean sameNode) {
            if (!(p >= 0 && p <= 1)) {
                throw new MyelinException(owner + ": connection probability must be in [0, 1], was " + p);
            }
        }
    }

    record FixedInDegree(int k, boolean allowSelf, boolean allowMultapses) implements Connectivity {
        public FixedInDegree withoutSelfConnections() {
            return new FixedInDegree(k, false, allowMultapses);
        }

        public FixedInDegree withMultapses() {
            return new FixedInDegree(k, allowSelf, true);
        }

        @Override
        public void validate(String owner, int sourceSize, int targetSize, boolean sameNode) {
            int available = sourceSize - (sameNode && !allowSelf ? 1 : 0);
            if (k < 0) {
                throw new MyelinException(owner + ": in-degree must be >= 0, was " + k);
            }
            if (!allowMultapses && k > available) {
                throw new MyelinException(owner + ": in-degree must be <= " + available
                        + " (distinct sources available), was " + k);
            }
            if (allowMultapses && k > 0 && available == 0) {
                throw new MyelinException(owner + ": in-degree " + k + " needs at least one source, found none");
            }
        }
    }

    /**
     * {@code n} synapses, each (source, target) pair uniform over the allowed pairs, independently of the others.
     * Expanded by source row: the row counts are those of n independent uniform source draws, and each row's
     * targets are drawn uniformly and independently (ascending within the row), which gives the same distribution.
     */
    record FixedTotalNumber(long n, boolean allowSelf) implements Connectivity {
        public FixedTotalNumber withSelfConnections() {
            return new FixedTotalNumber(n, true);
        }

        @Override
        public void validate(String owner, int sourceSize, int targetSize, boolean sameNode) {
            if (n < 0 || n > Integer.MAX_VALUE - 8) {
                throw new MyelinException(owner + ": total number of synapses must be in [0, " + (Integer.MAX_VALUE - 8)
                        + "], was " + n);
            }
            long pairs = (long) sourceSize * targetSize - (sameNode && !allowSelf ? Math.min(sourceSize, targetSize)
                    : 0);
            if (n > 0 && pairs == 0) {
                throw new MyelinException(owner + ": " + n + " synapses need at least one allowed pair, found none");
            }
        }
    }

    record Explicit(int[] pre, int[] post, double[] weightsMv, int[] delaySteps) implements Connectivity {
        @Override
        public void validate(String owner, int sourceSize, int targetSize, boolean sameNode) {
            if (pre.length != post.length) {
                throw new MyelinException(owner + ": explicit lists need as many targets as sources, got "
                        + pre.length + " sources and " + post.length + " targets");
            }
            if (weightsMv != null && weightsMv.length != pre.length) {
                throw new MyelinException(owner + ": explicit weights must have " + pre.length + " entries, had "
                        + weightsMv.length);
            }
            if (delaySteps != null && delaySteps.length != pre.length) {
                throw new MyelinException(owner + ": explicit delays must have " + pre.length + " entries, had "
                        + delaySteps.length);
            }
            for (int i = 0; i < pre.length; i++) {
                if (pre[i] < 0 || pre[i] >= sourceSize) {
                    throw new MyelinException(owner + ": synapse " + i + ": source index must be in [0, "
                            + (sourceSize - 1) + "], was " + pre[i]);
                }
                if (post[i] < 0 || post[i] >= targetSize) {
                    throw new MyelinException(owner + ": synapse " + i + ": target index must be in [0, "
                            + (targetSize - 1) + "], was " + post[i]);
                }
                if (weightsMv != null && !Double.isFinite(weightsMv[i])) {
                    throw new MyelinException(owner + ": synapse " + i + ": weight must be finite, was "
                            + weightsMv[i] + " mV");
                }
                if (delaySteps != null && delaySteps[i] < 1) {
                    throw new MyelinException(owner + ": synapse " + i + ": delay must be >= 1 step, was "
                            + delaySteps[i]);
                }
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Explicit e && Arrays.equals(pre, e.pre) && Arrays.equals(post, e.post)
                    && Arrays.equals(weightsMv, e.weightsMv) && Arrays.equals(delaySteps, e.delaySteps);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(pre) * 31 + Arrays.hashCode(post);
        }

        @Override
        public String toString() {
            return "Explicit[" + pre.length + " synapses]";
        }
    }
}
