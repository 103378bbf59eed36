package org.myelin.backend.cpu;

import org.myelin.core.connect.Connectivity;
import org.myelin.core.network.Network;

/**
 * Spike-driven attention ({@link Connectivity.Attention}) on the clock engine: before a step's spikes are delivered,
 * each worker counts, per head, the tokens where key i and value j both fired ({@code counts}, from every worker's
 * spike lists of that step: the same counts in every worker); then each query spike (i, n) adds {@code counts[i][j]}
 * to target (j, n) for the j of its head that the worker owns. The counts are whole numbers, so any order of
 * addition gives the same floats; the engine still adds them in its delivery order.
 */
final class AttentionSynapses {
    private final int keyFrom;
    private final int keyTo;
    private final int valueFrom;
    private final int valueTo;
    /** Population indices of keys and values (they update together with the queries). */
    final int keyPopulation;
    private final int heads;
    private final int d;
    private final int tokens;
    private final int targetOffset;
    final int delaySteps;
    /** Per worker: fired flags of keys and values and the counts (heads x d x d) of the step being delivered. */
    private final boolean[][] keyFired;
    private final boolean[][] valueFired;
    private final int[][] counts;
    private final int[][] keysAt;
    private final int[][] valuesAt;

    AttentionSynapses(Network net, Connectivity.Attention a, int sourceSize, int targetOffset, int delaySteps,
                      int workers) {
        keyPopulation = net.nodeIndex(a.keys());
        keyFrom = net.offset(keyPopulation);
        keyTo = keyFrom + sourceSize;
        int vp = net.nodeIndex(a.values());
        valueFrom = net.offset(vp);
        valueTo = valueFrom + sourceSize;
        heads = a.heads();
        d = a.headChannels();
        tokens = sourceSize / a.channels();
        this.targetOffset = targetOffset;
        this.delaySteps = delaySteps;
        keyFired = new boolean[workers][sourceSize];
        valueFired = new boolean[workers][sourceSize];
        counts = new int[workers][heads * d * d];
        keysAt = new int[workers][d];
        valuesAt = new int[workers][d];
    }

    /**
     * Counts the coincidences of the step whose spikes are in every worker's lists of parity {@code par}, for worker
     * {@code w}: the engine calls it before delivering that step, when the keys updated in it.
     */
    void count(int w, ClockWorker[] parts, int par) {
        for (ClockWorker u : parts) {
            mark(w, u.spikes[par], u.spikeCount[par]);
        }
        tally(w);
    }

    /** The same from one ascending list of a step's spikes (the event-grid engine's), for worker 0. */
    void count(int[] list, int count) {
        mark(0, list, count);
        tally(0);
    }

    private void mark(int w, int[] list, int count) {
        boolean[] kf = keyFired[w];
        boolean[] vf = valueFired[w];
        for (int s = 0; s < count; s++) {
            int g = list[s];
            if (g >= keyFrom && g < keyTo) {
                kf[g - keyFrom] = true;
            }
            if (g >= valueFrom && g < valueTo) {
                vf[g - valueFrom] = true;
            }
        }
    }

    private void tally(int w) {
        boolean[] kf = keyFired[w];
        boolean[] vf = valueFired[w];
        int[] c = counts[w];
        java.util.Arrays.fill(c, 0);
        int[] ks = keysAt[w];
        int[] vs = valuesAt[w];
        for (int h = 0; h < heads; h++) {
            int base = h * d * tokens;
            int cBase = h * d * d;
            for (int t = 0; t < tokens; t++) {
                int nk = 0;
                int nv = 0;
                for (int i = 0; i < d; i++) {
                    int at = base + i * tokens + t;
                    if (kf[at]) {
                        ks[nk++] = i;
                        kf[at] = false;
                    }
                    if (vf[at]) {
                        vs[nv++] = i;
                        vf[at] = false;
                    }
                }
                for (int x = 0; x < nk; x++) {
                    for (int z = 0; z < nv; z++) {
                        c[cBase + ks[x] * d + vs[z]]++;
                    }
                }
            }
        }
    }

    /** Channels of a head: the targets of a query spike are {@code target(row, j)} for j below it. */
    int headChannels() {
        return d;
    }

    /** Global index of query {@code row}'s j-th target (value channel j of its head, at its token). */
    int target(int row, int j) {
        int c = row / tokens;
        return targetOffset + ((c / d) * d + j) * tokens + row % tokens;
    }

    /** Worker 0's count for query {@code row} and value channel j of its head. */
    int countOf(int row, int j) {
        int c = row / tokens;
        return counts[0][(c / d) * d * d + (c % d) * d + j];
    }

    /**
     * Query {@code row}'s counts onto the targets in global range {@code [lo, hi)}: into {@code direct} times
     * {@code scale} (delay 1) or into {@code ring} at {@code slot}; returns the synapses added (those with a count).
     */
    int deliver(int w, int row, int lo, int hi, float[] direct, float scale, float[] ring, int slot) {
        int c = row / tokens;
        int t = row % tokens;
        int h = c / d;
        int i = c % d;
        int[] cnt = counts[w];
        int cBase = h * d * d + i * d;
        int added = 0;
        float[] dst = ring != null ? ring : direct;
        int off = (ring != null ? slot : 0) + targetOffset;
        float sc = ring != null ? 1f : scale;
        for (int j = 0; j < d; j++) {
            int target = (h * d + j) * tokens + t;
            int g = targetOffset + target;
            if (g < lo || g >= hi) {
                continue;
            }
            int n = cnt[cBase + j];
            if (n != 0) {
                dst[off + target] += n * sc;
                added++;
            }
        }
        return added;
    }
}
