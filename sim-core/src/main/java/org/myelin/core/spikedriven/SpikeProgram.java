package org.myelin.core.spikedriven;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.myelin.core.MyelinException;

/**
 * A feed-forward spike-driven network run for {@link #steps()} time steps on a static input, as a list of
 * nodes in evaluation order; node 0 is the {@link Input}. Every node's value is a (channels, height, width)
 * map per time step. Only a convolution fed by the input multiplies (real pixels by weights); every other
 * layer consumes spikes, so its weighted sums are additions of weights selected by spikes, and the attention
 * nodes count coincident spikes. The class scores are the output {@link Dense} node's values summed over the
 * time steps.
 *
 * <p>The neurons ({@link Fire}) are SpikingJelly's LIF with tau 2, input decay, hard reset to 0:
 * {@code H = V + (X - V) * 0.5}, spike when {@code H - threshold >= 0}, then {@code V = H (1 - S)}, V = 0 at the
 * first step. Each node's arithmetic order is fixed (see the node types), so a backend reproduces the float
 * values of the graph the program was exported from.
 */
public final class SpikeProgram {
    /** A node of the program. */
    public sealed interface Node permits Input, Conv, Fire, Add, Attention, TokenCount, Gate, Pool, Dense {
        String name();
    }

    /** The static input, repeated at every step. */
    public record Input(String name, int channels, int height, int width) implements Node {
    }

    /**
     * Convolution (cross-correlation) with zero padding and groups: weights (out, in/groups, k, k), bias (out).
     * Each output is summed from 0 over its receptive field in increasing (channel, row, column) order of the
     * input, zero inputs skipped, then the bias is added.
     */
    public record Conv(String name, int input, int out, int kernel, int stride, int padding, int groups,
                       float[] weights, float[] bias) implements Node {
    }

    /** A layer of LIF neurons (tau 2, input decay, hard reset to 0) firing at {@code threshold}. */
    public record Fire(String name, int input, float threshold) implements Node {
    }

    /** {@code a + b} (a membrane shortcut). */
    public record Add(String name, int a, int b) implements Node {
    }

    /**
     * Spike-driven linear attention of binary q, k, v (SDSA-3 without its scale): per head of d = C/heads
     * channels, {@code A[i][j]} counts the tokens where key i and value j both fire, and the output at (j, n)
     * sums {@code A[i][j]} over the queries i firing at token n.
     */
    public record Attention(String name, int q, int k, int v, int heads) implements Node {
    }

    /** Per channel, the number of tokens where both k and v fire (SDSA-1); shape (C, 1, 1). */
    public record TokenCount(String name, int k, int v) implements Node {
    }

    /** q where the channel's mask (a (C, 1, 1) spike map) fires, else 0. */
    public record Gate(String name, int q, int mask) implements Node {
    }

    /** Sum over space, in row-major order from 0; shape (C, 1, 1). (A mean is a sum read at a scaled threshold.) */
    public record Pool(String name, int input) implements Node {
    }

    /**
     * Linear layer on the flattened input: weights (in, out), bias (out); each output starts from its bias and
     * adds the weights of the firing inputs in increasing order.
     */
    public record Dense(String name, int input, int out, float[] weights, float[] bias) implements Node {
    }

    private final List<Node> nodes;
    private final int[][] shapes;
    private final int steps;

    /**
     * @param nodes evaluation order; node 0 is the input, every other node reads earlier nodes only, and the
     *              last node is the {@link Dense} output
     * @param steps time steps the input is presented
     */
    public SpikeProgram(List<Node> nodes, int steps) {
        if (nodes.isEmpty() || !(nodes.get(0) instanceof Input)) {
            throw new MyelinException("spike program: node 0 must be the input");
        }
        if (!(nodes.get(nodes.size() - 1) instanceof Dense)) {
            throw new MyelinException("spike program: the last node must be the output layer (dense)");
        }
        if (steps < 1) {
            throw new MyelinException("spike program: steps must be >= 1, was " + steps);
        }
        this.nodes = Collections.unmodifiableList(new ArrayList<>(nodes));
        this.steps = steps;
        this.shapes = new int[nodes.size()][];
        for (int i = 0; i < nodes.size(); i++) {
            shapes[i] = shapeOf(i, nodes.get(i));
        }
    }

    private int[] in(int self, int ref, String what) {
        if (ref < 0 || ref >= self) {
            throw new MyelinException("spike program: node " + self + " (" + nodes.get(self).name() + ") reads "
                    + what + " node " + ref + ", which is not an earlier node");
        }
        return shapes[ref];
    }

    private boolean spiking(int ref) {
        Node n = nodes.get(ref);
        return n instanceof Fire || n instanceof Gate;
    }

    private void requireSpikes(int self, int ref) {
        if (!spiking(ref)) {
            throw new MyelinException("spike program: node " + self + " (" + nodes.get(self).name()
                    + ") must read spikes, but node " + ref + " (" + nodes.get(ref).name() + ") is not a spiking layer");
        }
    }

    private int[] shapeOf(int i, Node n) {
        if (n instanceof Input x) {
            if (i != 0) {
                throw new MyelinException("spike program: only node 0 may be the input");
            }
            return new int[] {x.channels(), x.height(), x.width()};
        }
        if (i == 0) {
            throw new MyelinException("spike program: node 0 must be the input");
        }
        if (n instanceof Conv c) {
            int[] s = in(i, c.input(), "input");
            if (c.input() != 0) {
                requireSpikes(i, c.input());
            }
            int cin = s[0];
            if (c.groups() < 1 || cin % c.groups() != 0 || c.out() % c.groups() != 0 || c.kernel() < 1
                    || c.stride() < 1 || c.padding() < 0) {
                throw new MyelinException("spike program: convolution " + c.name() + " has a bad geometry");
            }
            int ho = (s[1] + 2 * c.padding() - c.kernel()) / c.stride() + 1;
            int wo = (s[2] + 2 * c.padding() - c.kernel()) / c.stride() + 1;
            if (c.weights().length != c.out() * (cin / c.groups()) * c.kernel() * c.kernel()
                    || c.bias().length != c.out() || ho < 1 || wo < 1) {
                throw new MyelinException("spike program: convolution " + c.name() + " weights or bias do not fit "
                        + cin + " input channels");
            }
            return new int[] {c.out(), ho, wo};
        }
        if (n instanceof Fire f) {
            return in(i, f.input(), "input").clone();
        }
        if (n instanceof Add a) {
            int[] x = in(i, a.a(), "a");
            int[] y = in(i, a.b(), "b");
            if (!java.util.Arrays.equals(x, y)) {
                throw new MyelinException("spike program: add " + a.name() + " of unequal shapes");
            }
            return x.clone();
        }
        if (n instanceof Attention a) {
            int[] q = in(i, a.q(), "q");
            if (!java.util.Arrays.equals(q, in(i, a.k(), "k")) || !java.util.Arrays.equals(q, in(i, a.v(), "v"))
                    || a.heads() < 1 || q[0] % a.heads() != 0) {
                throw new MyelinException("spike program: attention " + a.name() + " needs q, k, v of one shape whose"
                        + " channels split into " + a.heads() + " heads");
            }
            requireSpikes(i, a.q());
            requireSpikes(i, a.k());
            requireSpikes(i, a.v());
            return q.clone();
        }
        if (n instanceof TokenCount t) {
            int[] k = in(i, t.k(), "k");
            if (!java.util.Arrays.equals(k, in(i, t.v(), "v"))) {
                throw new MyelinException("spike program: token count " + t.name() + " of unequal shapes");
            }
            requireSpikes(i, t.k());
            requireSpikes(i, t.v());
            return new int[] {k[0], 1, 1};
        }
        if (n instanceof Gate g) {
            int[] q = in(i, g.q(), "q");
            int[] m = in(i, g.mask(), "mask");
            if (m[0] != q[0] || m[1] != 1 || m[2] != 1) {
                throw new MyelinException("spike program: gate " + g.name() + " needs a (" + q[0] + ", 1, 1) mask");
            }
            requireSpikes(i, g.q());
            requireSpikes(i, g.mask());
            return q.clone();
        }
        if (n instanceof Pool p) {
            return new int[] {in(i, p.input(), "input")[0], 1, 1};
        }
        Dense d = (Dense) n;
        int[] s = in(i, d.input(), "input");
        requireSpikes(i, d.input());
        int inputs = s[0] * s[1] * s[2];
        if (d.weights().length != inputs * d.out() || d.bias().length != d.out()) {
            throw new MyelinException("spike program: dense " + d.name() + " weights must be (" + inputs + ", "
                    + d.out() + ")");
        }
        return new int[] {d.out(), 1, 1};
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** (channels, height, width) of node {@code i}'s value. */
    public int[] shape(int i) {
        return shapes[i].clone();
    }

    /** Values of node {@code i} per step. */
    public int size(int i) {
        return shapes[i][0] * shapes[i][1] * shapes[i][2];
    }

    public int steps() {
        return steps;
    }

    public Input input() {
        return (Input) nodes.get(0);
    }

    /** Output classes. */
    public int classes() {
        return ((Dense) nodes.get(nodes.size() - 1)).out();
    }

    /** Trainable-equivalent parameters held: weights and biases of every layer. */
    public long parameters() {
        long n = 0;
        for (Node x : nodes) {
            if (x instanceof Conv c) {
                n += c.weights().length + c.bias().length;
            } else if (x instanceof Dense d) {
                n += d.weights().length + d.bias().length;
            }
        }
        return n;
    }

    /**
     * Convolution node {@code node}, which reads the input, on the static input {@code input}, into {@code y} (of
     * {@link #size}(node) values): each output summed from 0 over the non-zero inputs in row-major order, each input
     * times the weights it reaches, then the bias, as {@link Conv} defines it. Every backend that holds the first
     * layer computes it here, so all of them start from the same floats. Returns the multiply-accumulates.
     */
    public long firstLayer(int node, float[] input, float[] y) {
        if (!(nodes.get(node) instanceof Conv c) || c.input() != 0) {
            throw new MyelinException("spike program: node " + node + " is not a convolution of the input");
        }
        if (input.length != size(0)) {
            throw new MyelinException("spike program: the first layer takes " + size(0) + " inputs, got "
                    + input.length);
        }
        int[] active = new int[input.length];
        int count = 0;
        for (int q = 0; q < input.length; q++) {
            if (input[q] != 0f) {
                active[count++] = q;
            }
        }
        return convolve(node, active, count, input, y);
    }

    /**
     * Convolution node {@code node} over the listed active inputs {@code active[0, count)} (row-major order), into
     * {@code y}: from 0, each adds the weights it reaches into the outputs, as they are for spikes ({@code values}
     * null: accumulates), or times its value for the first layer's real input (multiply-accumulates); then the bias,
     * as {@link Conv} orders it. Returns the accumulates or multiply-accumulates.
     */
    public long convolve(int node, int[] active, int count, float[] values, float[] y) {
        if (!(nodes.get(node) instanceof Conv c)) {
            throw new MyelinException("spike program: node " + node + " is not a convolution");
        }
        if (y.length != size(node)) {
            throw new MyelinException("spike program: convolution " + c.name() + " has " + size(node)
                    + " outputs, got room for " + y.length);
        }
        int[] in = shapes[c.input()];
        int[] out = shapes[node];
        java.util.Arrays.fill(y, 0f);
        int plane = in[1] * in[2];
        int w = in[2];
        int cg = in[0] / c.groups();
        int og = c.out() / c.groups();
        int k = c.kernel();
        int ho = out[1];
        int wo = out[2];
        int stride = c.stride();
        int pad = c.padding();
        float[] wt = c.weights();
        long ops = 0;
        for (int n = 0; n < count; n++) {
            int idx = active[n];
            int ch = idx / plane;
            int iy = idx % plane / w;
            int ix = idx % w;
            int g = ch / cg;
            int ci = ch % cg;
            for (int a = 0; a < k; a++) {
                int ny = iy + pad - a;
                if (ny < 0 || ny % stride != 0 || ny / stride >= ho) {
                    continue;
                }
                for (int j = 0; j < k; j++) {
                    int nx = ix + pad - j;
                    if (nx < 0 || nx % stride != 0 || nx / stride >= wo) {
                        continue;
                    }
                    int pos = ny / stride * wo + nx / stride;
                    int wi = (ci * k + a) * k + j;
                    if (values == null) {
                        for (int o = g * og; o < (g + 1) * og; o++) {
                            y[o * ho * wo + pos] += wt[o * cg * k * k + wi];
                        }
                    } else {
                        float v = values[idx];
                        for (int o = g * og; o < (g + 1) * og; o++) {
                            y[o * ho * wo + pos] += v * wt[o * cg * k * k + wi];
                        }
                    }
                    ops += og;
                }
            }
        }
        int outPlane = ho * wo;
        for (int o = 0; o < c.out(); o++) {
            for (int q = 0; q < outPlane; q++) {
                y[o * outPlane + q] += c.bias()[o];
            }
        }
        return ops;
    }

    /**
     * Synaptic operations of node {@code i} per step if every input fired (dense FLOPs as the papers count
     * them: multiply-accumulates of a convolution or linear layer, pair counts of attention); 0 for neurons,
     * additions and pooling.
     */
    public long denseOps(int i) {
        Node n = nodes.get(i);
        if (n instanceof Conv c) {
            int[] o = shapes[i];
            int cin = shapes[c.input()][0];
            return (long) o[0] * o[1] * o[2] * (cin / c.groups()) * c.kernel() * c.kernel();
        }
        if (n instanceof Dense d) {
            return (long) size(d.input()) * d.out();
        }
        if (n instanceof Attention a) {
            int[] s = shapes[a.q()];
            long d = s[0] / a.heads();
            long tokens = (long) s[1] * s[2];
            return 2 * a.heads() * tokens * d * d;
        }
        if (n instanceof TokenCount t) {
            return size(t.k());
        }
        return 0;
    }
}
