package org.myelin.backend.cpu;

import org.myelin.core.backend.FixedPoint;
import org.myelin.core.connect.Connectivity;

/**
 * A convolution's synapses kept as its shared kernel ({@link Connectivity.Convolution}): a spike of source
 * {@code (c, y, x)} adds kernel weights to the output positions whose receptive field holds it, found from the
 * geometry, so the storage is the kernel's, not one entry per synapse. Targets are visited in the order the
 * expanded rule lists them (output channels of the group, rows, columns, all ascending), and each target gets one
 * weight per source, so every target's sum is the same as with the expanded synapses, for any thread count.
 */
final class ConvolutionSynapses {
    private final int cin;
    private final int h;
    private final int w;
    private final int k;
    private final int stride;
    private final int pad;
    private final int groupIn;
    private final int groupOut;
    private final int ho;
    private final int wo;
    /** Global index of the target population's first neuron. */
    private final int targetOffset;
    /**
     * The weights as (in/groups, k, k, out), float, and in fixed point as integers (null in float): a spike's output
     * channels at one position read them in a row.
     */
    private final float[] byChannel;
    private final int[] byChannelFixed;
    private final int cout;
    final int delaySteps;
    private final long synapses;

    ConvolutionSynapses(Connectivity.Convolution c, int targetOffset, int delaySteps, boolean fixedPoint,
                        String owner) {
        cin = c.inChannels();
        h = c.inHeight();
        w = c.inWidth();
        k = c.kernel();
        stride = c.stride();
        pad = c.padding();
        groupIn = c.groupInputs();
        groupOut = c.groupOutputs();
        ho = c.outHeight();
        wo = c.outWidth();
        this.targetOffset = targetOffset;
        this.delaySteps = delaySteps;
        double[] src = c.kernelMv();
        float[] kernel = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            kernel[i] = (float) src[i];
        }
        int[] kernelFixed = null;
        if (fixedPoint) {
            kernelFixed = new int[src.length];
            for (int i = 0; i < src.length; i++) {
                kernelFixed[i] = FixedPoint.toFixed(kernel[i], owner);
            }
        }
        cout = c.outChannels();
        byChannel = new float[kernel.length];
        byChannelFixed = kernelFixed == null ? null : new int[kernel.length];
        for (int o = 0; o < cout; o++) {
            for (int ci = 0; ci < groupIn; ci++) {
                for (int q = 0; q < k * k; q++) {
                    int from = (o * groupIn + ci) * k * k + q;
                    int to = (ci * k * k + q) * cout + o;
                    byChannel[to] = kernel[from];
                    if (byChannelFixed != null) {
                        byChannelFixed[to] = kernelFixed[from];
                    }
                }
            }
        }
        long n = 0;
        for (int y = 0; y < h; y++) {
            n += span(y, ho);
        }
        long rows = n;
        long cols = 0;
        for (int x = 0; x < w; x++) {
            cols += span(x, wo);
        }
        synapses = rows * cols * cin * groupOut;
    }

    /** Output positions along one axis whose field holds input position p. */
    private int span(int p, int out) {
        int lo = Math.max(0, ceilDiv(p + pad - k + 1, stride));
        int hi = Math.min(out - 1, Math.floorDiv(p + pad, stride));
        return Math.max(0, hi - lo + 1);
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    long synapses() {
        return synapses;
    }

    long bytes() {
        return 4L * byChannel.length * (byChannelFixed != null ? 2 : 1);
    }

    /**
     * Adds source {@code row}'s weights onto the targets in global range {@code [lo, hi)}: float weights times
     * {@code scale} into {@code direct} (delay 1) or unscaled into {@code ring} at {@code slot} (longer delays), or
     * the integer weights into {@code fixedRing} at {@code slot}; returns how many synapses it added.
     */
    int deliver(int row, int lo, int hi, float[] direct, float scale, float[] ring, int[] fixedRing, int slot) {
        int hw = h * w;
        int c = row / hw;
        int y = (row % hw) / w;
        int x = row % w;
        int oyLo = Math.max(0, ceilDiv(y + pad - k + 1, stride));
        int oyHi = Math.min(ho - 1, Math.floorDiv(y + pad, stride));
        int oxLo = Math.max(0, ceilDiv(x + pad - k + 1, stride));
        int oxHi = Math.min(wo - 1, Math.floorDiv(x + pad, stride));
        if (oyLo > oyHi || oxLo > oxHi) {
            return 0;
        }
        int plane = ho * wo;
        int o0 = (c / groupIn) * groupOut;
        int localLo = lo - targetOffset;
        int localHi = hi - targetOffset;
        int oFrom = Math.max(o0, Math.floorDiv(localLo, plane));
        int oTo = Math.min(o0 + groupOut, ceilDiv(localHi, plane));
        int ci = c % groupIn;
        int added = 0;
        int kk = k * k;
        // float: the ring adds the weight (times 1, the same float), delay 1 adds weight * scale
        float[] dst = fixedRing != null ? null : ring != null ? ring : direct;
        int off = (fixedRing != null || ring != null ? slot : 0) + targetOffset;
        float sc = ring != null ? 1f : scale;
        // output channels whose whole plane this worker owns, innermost; the others (at most two) checked per target
        int wholeFrom = Math.min(oTo, Math.max(oFrom, ceilDiv(localLo, plane)));
        int wholeTo = Math.max(wholeFrom, Math.min(oTo, Math.floorDiv(localHi, plane)));
        for (int oy = oyLo; oy <= oyHi; oy++) {
            int ky = y + pad - oy * stride;
            for (int ox = oxLo; ox <= oxHi; ox++) {
                int kx = x + pad - ox * stride;
                int pos = oy * wo + ox;
                int wAt = ((ci * k + ky) * k + kx) * cout;
                if (dst != null) {
                    for (int o = wholeFrom; o < wholeTo; o++) {
                        dst[off + o * plane + pos] += byChannel[wAt + o] * sc;
                    }
                } else {
                    for (int o = wholeFrom; o < wholeTo; o++) {
                        fixedRing[off + o * plane + pos] += byChannelFixed[wAt + o];
                    }
                }
                added += wholeTo - wholeFrom;
                for (int o = oFrom; o < oTo; o++) {
                    if (o >= wholeFrom && o < wholeTo) {
                        continue;
                    }
                    int t = o * plane + pos;
                    if (t < localLo || t >= localHi) {
                        continue;
                    }
                    if (dst != null) {
                        dst[off + t] += byChannel[wAt + o] * sc;
                    } else {
                        fixedRing[off + t] += byChannelFixed[wAt + o];
                    }
                    added++;
                }
            }
        }
        return added;
    }
}
