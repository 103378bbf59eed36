package org.myelin.backend.cpu;

import org.myelin.core.network.Network;

/**
 * The generators' spikes on the clock engine, drawn by the workers together: slice t (one per worker, or a single one
 * that worker 0 draws) covers a contiguous range of the generators, and keeps its list of each step parity. Read in
 * slice order, the lists are one ascending list of global indices, the same list a single draw gives, so the
 * delivery order and the spikes do not depend on the number of slices.
 */
final class ClockSources {
    final SourceGenerator generator;
    private final int slices;
    private final int[] sliceStart;
    /** [slice][parity]: the slice's spikes of the last step of that parity. */
    private final int[][][] spikes;
    private final int[][] count;
    /** The global index of generator 0: the network's neuron count. */
    private final int firstGlobal;

    /** {@code slices} slices of about equal numbers of generators. */
    ClockSources(Network network, int slices) {
        generator = new SourceGenerator(network, slices);
        firstGlobal = network.neuronCount();
        this.slices = slices;
        int g = generator.generators();
        sliceStart = new int[slices + 1];
        for (int t = 0; t <= slices; t++) {
            sliceStart[t] = (int) ((long) g * t / slices);
        }
        spikes = new int[slices][2][];
        count = new int[slices][2];
        for (int t = 0; t < slices; t++) {
            int max = t == 0 && slices == 1 ? SourceGenerator.maxSpikes(network)
                    : generator.maxSpikes(sliceStart[t], sliceStart[t + 1]);
            spikes[t][0] = new int[max];
            spikes[t][1] = new int[max];
        }
    }

    int slices() {
        return slices;
    }

    /** Whether there are generators at all. */
    boolean any() {
        return generator.generators() > 0;
    }

    /** Slice {@code slice} draws its generators' spikes of step n into its list of parity {@code par}. */
    void draw(int slice, long n, int par) {
        count[slice][par] = generator.spikes(n, spikes[slice][par], 0, sliceStart[slice], sliceStart[slice + 1], slice);
    }

    /** Slice {@code slice}'s list of parity {@code par} (valid up to {@link #count}). */
    int[] list(int slice, int par) {
        return spikes[slice][par];
    }

    int count(int slice, int par) {
        return count[slice][par];
    }

    /** All slices' spikes of parity {@code par}, in order, copied into {@code into} from {@code at}; the new end. */
    int copy(int par, int[] into, int at) {
        int c = at;
        for (int t = 0; t < slices; t++) {
            System.arraycopy(spikes[t][par], 0, into, c, count[t][par]);
            c += count[t][par];
        }
        return c;
    }

    /** Sets the lists of parity {@code par} to {@code all} (a restored step's generator spikes, ascending). */
    void load(int par, int[] all) {
        int k = 0;
        for (int t = 0; t < slices; t++) {
            int hi = generatorIndexEnd(t);
            int c = 0;
            while (k < all.length && all[k] < hi) {
                spikes[t][par][c++] = all[k++];
            }
            count[t][par] = c;
        }
    }

    /** The global index just after slice t's generators (generators follow the neurons). */
    private int generatorIndexEnd(int t) {
        return firstGlobal + sliceStart[t + 1];
    }

    /** Forgets the spike trains' positions (after a restore). */
    void rewind() {
        generator.rewind();
    }
}
