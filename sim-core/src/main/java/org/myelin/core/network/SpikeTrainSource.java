package org.myelin.core.network;

import java.util.Arrays;

/**
 * Given spikes: generator {@code neurons[k]} spikes in step {@code steps[k]}. Stored sorted by (step, neuron);
 * a generator cannot spike twice in one step.
 */
public record SpikeTrainSource(String name, int size, int[] neurons, long[] steps) implements SpikeSource {

    public int spikeCount() {
        return neurons.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpikeTrainSource s && s.name.equals(name) && s.size == size
                && Arrays.equals(s.neurons, neurons) && Arrays.equals(s.steps, steps);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(steps);
    }

    @Override
    public String toString() {
        return "SpikeTrainSource[" + name + ", size=" + size + ", spikes=" + neurons.length + "]";
    }
}
