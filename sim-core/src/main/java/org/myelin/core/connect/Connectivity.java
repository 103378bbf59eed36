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

    /**
     * A 2-D convolution (cross-correlation) with one kernel shared by every output position: source neuron
     * {@code (c, y, x)} (index {@code (c * inHeight + y) * inWidth + x}) connects to target {@code (o, oy, ox)} of
     * output size {@code (outChannels, outHeight, outWidth)} where {@code y = oy * stride - padding + ky} and
     * {@code x = ox * stride - padding + kx} for kernel position {@code (ky, kx)}, with weight
     * {@code kernelMv[((o * (inChannels / groups) + c % (inChannels / groups)) * kernel + ky) * kernel + kx]} for the
     * output channels {@code o} of {@code c}'s group. Positions that fall into the zero padding make no synapse. The
     * projection's weight distribution is not used (the kernel gives the weights); its delays apply. Engines that
     * can keep the kernel once (the cpu engine's clock mode) do; the others expand it into synapses.
     *
     * @param kernelMv (outChannels, inChannels / groups, kernel, kernel) in mV (or nA, the target's units)
     */
    static Connectivity convolution(int inChannels, int inHeight, int inWidth, int outChannels, int kernel,
                                    int stride, int padding, int groups, double[] kernelMv) {
        return new Convolution(inChannels, inHeight, inWidth, outChannels, kernel, stride, padding, groups,
                kernelMv.clone());
    }

    /**
     * Spike-driven linear attention (SDSA-3 of Spike-driven Transformer V2, without its scale): the source is the
     * query population, and {@code keys} and {@code values} name two populations of the same size; all three hold
     * (channels, tokens) maps, channel-major ({@code c * tokens + n}), with the channels split into {@code heads} heads
     * of d channels. For a step's spikes, {@code A[i][j]} counts the tokens where key i and value j of one head both
     * fired, and a query spike (i, n) adds {@code A[i][j]} to target (j, n) for every j of its head, arriving after the
     * projection's delay: synapses whose weights are coincidence counts of the same step, additions of integers only.
     * The three populations must fire in the same steps (the same depth in a feed-forward network). There are no
     * fixed synapses to expand: engines that cannot compute the counts refuse the projection by name.
     */
    static Connectivity spikeAttention(String keys, String values, int heads, int channels) {
        return new Attention(keys, values, heads, channels);
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

    /** See {@link Connectivity#convolution}. */
    record Convolution(int inChannels, int inHeight, int inWidth, int outChannels, int kernel, int stride,
                       int padding, int groups, double[] kernelMv) implements Connectivity {
        public int outHeight() {
            return (inHeight + 2 * padding - kernel) / stride + 1;
        }

        public int outWidth() {
            return (inWidth + 2 * padding - kernel) / stride + 1;
        }

        /** Input channels per group. */
        public int groupInputs() {
            return inChannels / groups;
        }

        /** Output channels per group. */
        public int groupOutputs() {
            return outChannels / groups;
        }

        public int sourceSize() {
            return inChannels * inHeight * inWidth;
        }

        public int targetSize() {
            return outChannels * outHeight() * outWidth();
        }

        /** The weight of output channel o, input channel c, kernel position (ky, kx). */
        public double weight(int o, int c, int ky, int kx) {
            return kernelMv[((o * groupInputs() + c % groupInputs()) * kernel + ky) * kernel + kx];
        }

        /**
         * Visits the synapses of source neuron {@code source} in ascending target order: output channels of its
         * group, then rows, then columns.
         */
        public void row(int source, RowVisitor visitor) {
            int hw = inHeight * inWidth;
            int c = source / hw;
            int y = (source % hw) / inWidth;
            int x = source % inWidth;
            int ho = outHeight();
            int wo = outWidth();
            int o0 = (c / groupInputs()) * groupOutputs();
            // oy * stride = y + padding - ky for ky in [0, kernel): the rows oy in [oyLo, oyHi], ascending
            int oyLo = Math.max(0, ceilDiv(y + padding - kernel + 1, stride));
            int oyHi = Math.min(ho - 1, Math.floorDiv(y + padding, stride));
            int oxLo = Math.max(0, ceilDiv(x + padding - kernel + 1, stride));
            int oxHi = Math.min(wo - 1, Math.floorDiv(x + padding, stride));
            for (int o = o0; o < o0 + groupOutputs(); o++) {
                for (int oy = oyLo; oy <= oyHi; oy++) {
                    int ky = y + padding - oy * stride;
                    for (int ox = oxLo; ox <= oxHi; ox++) {
                        int kx = x + padding - ox * stride;
                        visitor.synapse((o * ho + oy) * wo + ox, weight(o, c, ky, kx));
                    }
                }
            }
        }

        private static int ceilDiv(int a, int b) {
            return -Math.floorDiv(-a, b);
        }

        /** Receives a synapse of {@link #row}: the target's local index and the weight. */
        @FunctionalInterface
        public interface RowVisitor {
            void synapse(int target, double weightMv);
        }

        @Override
        public void validate(String owner, int sourceSize, int targetSize, boolean sameNode) {
            if (inChannels < 1 || inHeight < 1 || inWidth < 1 || outChannels < 1 || kernel < 1 || stride < 1
                    || padding < 0 || groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
                throw new MyelinException(owner + ": convolution geometry must have positive sizes, kernel and stride,"
                        + " padding >= 0 and channels divisible by groups, was " + this);
            }
            if (outHeight() < 1 || outWidth() < 1) {
                throw new MyelinException(owner + ": convolution kernel " + kernel + " with padding " + padding
                        + " does not fit an input of " + inHeight + "x" + inWidth);
            }
            if (sourceSize != sourceSize()) {
                throw new MyelinException(owner + ": convolution input is " + inChannels + "x" + inHeight + "x"
                        + inWidth + " = " + sourceSize() + " neurons, the source has " + sourceSize);
            }
            if (targetSize != targetSize()) {
                throw new MyelinException(owner + ": convolution output is " + outChannels + "x" + outHeight() + "x"
                        + outWidth() + " = " + targetSize() + " neurons, the target has " + targetSize);
            }
            int expected = outChannels * groupInputs() * kernel * kernel;
            if (kernelMv == null || kernelMv.length != expected) {
                throw new MyelinException(owner + ": convolution kernel must have " + expected + " weights ("
                        + outChannels + "x" + groupInputs() + "x" + kernel + "x" + kernel + "), had "
                        + (kernelMv == null ? "none" : kernelMv.length));
            }
            for (int i = 0; i < kernelMv.length; i++) {
                if (!Double.isFinite(kernelMv[i])) {
                    throw new MyelinException(owner + ": convolution weight " + i + " must be finite, was "
                            + kernelMv[i]);
                }
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Convolution c && inChannels == c.inChannels && inHeight == c.inHeight
                    && inWidth == c.inWidth && outChannels == c.outChannels && kernel == c.kernel && stride == c.stride
                    && padding == c.padding && groups == c.groups && Arrays.equals(kernelMv, c.kernelMv);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(kernelMv) * 31 + inChannels * 7 + outChannels;
        }

        @Override
        public String toString() {
            return "Convolution[" + inChannels + "x" + inHeight + "x" + inWidth + " -> " + outChannels + ", kernel "
                    + kernel + ", stride " + stride + ", padding " + padding + ", groups " + groups + ", weights "
                    + Arrays.hashCode(kernelMv) + "]";
        }
    }

    /** See {@link Connectivity#spikeAttention}. */
    record Attention(String keys, String values, int heads, int channels) implements Connectivity {
        /** Channels per head. */
        public int headChannels() {
            return channels / heads;
        }

        @Override
        public void validate(String owner, int sourceSize, int targetSize, boolean sameNode) {
            if (keys == null || values == null) {
                throw new MyelinException(owner + ": spike attention needs its key and value populations, was "
                        + keys + " and " + values);
            }
            if (heads < 1 || channels < 1 || channels % heads != 0 || sourceSize % channels != 0) {
                throw new MyelinException(owner + ": spike attention needs channels divisible by heads and a source"
                        + " of channels x tokens neurons, was " + heads + " heads, " + channels + " channels, "
                        + sourceSize + " neurons");
            }
            if (targetSize != sourceSize) {
                throw new MyelinException(owner + ": spike attention's target must have the queries' size "
                        + sourceSize + ", had " + targetSize);
            }
        }
    }
}
