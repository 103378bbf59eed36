package org.myelin.core.backend;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.myelin.core.MyelinException;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.monitor.Recording;
import org.myelin.core.network.Network;

/** A network with its simulation state on one backend. Not thread-safe; close it to release workers. */
public interface CompiledNetwork extends AutoCloseable {

    Network network();

    /** The next step to be simulated (0 after compile). */
    long currentStep();

    /**
     * Simulates steps {@code fromStep} (which must be {@link #currentStep()}) up to, not including,
     * {@code toStep}, reporting to {@code recording}.
     */
    void advance(long fromStep, long toStep, Recording recording);

    /** Simulates {@code steps} more steps. */
    default void run(long steps, Recording recording) {
        if (steps < 0) {
            throw new MyelinException("steps must be >= 0, was " + steps);
        }
        advance(currentStep(), currentStep() + steps, recording);
    }

    /** What the network runs on, for reports: a processor, a GPU's name. */
    default String device() {
        return "cpu";
    }

    /** Worker threads in use. */
    default int threads() {
        return 1;
    }

    /**
     * The complete simulation state (not the recording) as a checkpoint, not yet written: what
     * {@link #checkpoint(java.nio.file.Path)} writes. Backends that cannot say so with the reason.
     */
    default Checkpoint snapshot() {
        throw new MyelinException("this backend cannot write checkpoints");
    }

    /**
     * Writes the complete simulation state (not the recording) to {@code file}, to be continued bit for bit
     * by {@link #restore}.
     */
    default void checkpoint(java.nio.file.Path file) {
        snapshot().write(file);
    }

    /**
     * Replaces this network's state with a checkpoint of the same network (compiled with any thread count).
     * A mismatched checkpoint is refused before anything is changed.
     */
    default void restore(Checkpoint checkpoint) {
        throw new MyelinException("this backend cannot restore checkpoints");
    }

    /** Reads {@code file} and restores it ({@link #restore(Checkpoint)}); a damaged file is refused first. */
    default void restore(java.nio.file.Path file) {
        restore(Checkpoint.read(file));
    }

    /**
     * As {@link #checkpoint(java.nio.file.Path)}, with the recording's monitor positions (the rate monitors' open
     * bins) in the same file, so that {@link #restore(java.nio.file.Path, Recording)} continues the recording too.
     */
    default void checkpoint(java.nio.file.Path file, Recording recording) {
        Checkpoint c = snapshot();
        Map<String, long[]> positions = recording.positions();
        String[] names = positions.keySet().toArray(new String[0]);
        double[] values = new double[2 * names.length];
        for (int k = 0; k < names.length; k++) {
            values[2 * k] = positions.get(names[k])[0];
            values[2 * k + 1] = positions.get(names[k])[1];
        }
        c.put("recording.rate-monitors", String.join("\n", names).getBytes(StandardCharsets.UTF_8));
        c.put("recording.rate-positions", values);
        c.write(file);
    }

    /**
     * As {@link #restore(java.nio.file.Path)}, and {@code recording} (new, not yet run) continues the monitors'
     * positions saved by {@link #checkpoint(java.nio.file.Path, Recording)}; a checkpoint without them is refused
     * before anything changes.
     */
    default void restore(java.nio.file.Path file, Recording recording) {
        Checkpoint c = Checkpoint.read(file);
        if (!c.has("recording.rate-monitors")) {
            throw new MyelinException("checkpoint holds no recording positions; it was written by checkpoint(file),"
                    + " restore it with restore(file)");
        }
        String joined = new String(c.bytes("recording.rate-monitors", -1), StandardCharsets.UTF_8);
        String[] names = joined.isEmpty() ? new String[0] : joined.split("\n");
        double[] values = c.doubles("recording.rate-positions", 2 * names.length);
        Map<String, long[]> positions = new LinkedHashMap<>();
        for (int k = 0; k < names.length; k++) {
            positions.put(names[k], new long[] {(long) values[2 * k], (long) values[2 * k + 1]});
        }
        restore(c);
        recording.resume(positions);
    }

    /**
     * Reads a state variable ({@code v}, {@code ge} or {@code gi}) of neurons of a population between two
     * {@code advance} calls: the values a {@link org.myelin.core.monitor.StateMonitor} sample of the last step would
     * hold (before the first step, the initial state). For interactive tools that choose neurons while the network
     * runs; a fixed set of neurons is cheaper to record with a state monitor. Backends that cannot read state say so.
     */
    default double[] read(String population, String variable, int[] neurons) {
        throw new MyelinException(device() + ": this backend cannot read state between steps; declare a state monitor");
    }

    /**
     * Sets the membrane potential {@code v} (mV, as {@link #read} gives it) of neurons of a population between two
     * {@code advance} calls: the next step starts from these values, and a membrane projection out of the population
     * carries them next. With {@link #restore} of a checkpoint taken before the first step, this presents one
     * network many inputs held in neurons (a layer's precomputed output) without compiling it again. A refractory
     * neuron still returns to the value it holds when its refractory period ends. Backends that cannot say so.
     */
    default void write(String population, int[] neurons, double[] vMv) {
        throw new MyelinException(device() + ": this backend cannot set state between steps");
    }

    /** Checks the arguments of {@link #read} and returns the population's node index; for implementations. */
    static int checkRead(Network network, String population, String variable, int[] neurons) {
        int node = network.nodeIndex(population);
        if (node < 0 || node >= network.populations().size()) {
            throw new MyelinException("read: '" + population + "' is not a population of this network");
        }
        if (!variable.equals("v") && !variable.equals("ge") && !variable.equals("gi")) {
            throw new MyelinException("read: variable must be v, ge or gi, was '" + variable + "'");
        }
        int size = network.populations().get(node).size();
        for (int i : neurons) {
            if (i < 0 || i >= size) {
                throw new MyelinException("read: neuron " + i + " is outside population '" + population + "' of size "
                        + size);
            }
        }
        return node;
    }

    /** Number of synapses instantiated. */
    long synapseCount();

    /** Bytes held for synapses and their delivery structures (not neuron state). */
    long synapseBytes();

    @Override
    void close();

    /** Checks the arguments of {@link #advance}; for implementations. */
    static void checkRange(CompiledNetwork c, long fromStep, long toStep) {
        if (fromStep != c.currentStep()) {
            throw new MyelinException("advance: fromStep must be the current step " + c.currentStep() + ", was "
                    + fromStep);
        }
        if (toStep < fromStep) {
            throw new MyelinException("advance: toStep must be >= fromStep " + fromStep + ", was " + toStep);
        }
    }

    /**
     * The current weights of a projection's synapses (those of a plastic projection change as the network runs),
     * between two {@code advance} calls. Backends that cannot read weights say so.
     */
    default SynapseWeights weights(String projection) {
        throw new MyelinException(device() + ": this backend cannot read synapse weights");
    }
}
