package org.myelin.datasets.encode;

import java.util.Arrays;

/** Spikes as parallel arrays (generator index, step), the input of {@code Network.Builder.spikeTrain}. */
public record SpikeTrain(int size, int[] neurons, long[] steps) {

    public int spikeCount() {
        return neurons.length;
    }

    static SpikeTrain of(int size, int[] n, long[] s, int count) {
        return new SpikeTrain(size, Arrays.copyOf(n, count), Arrays.copyOf(s, count));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpikeTrain t && t.size == size && Arrays.equals(t.neurons, neurons)
                && Arrays.equals(t.steps, steps);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(neurons) * 31 + Arrays.hashCode(steps);
    }

    @Override
    public String toString() {
        return "SpikeTrain[" + size + " generators, " + neurons.length + " spikes]";
    }
}
