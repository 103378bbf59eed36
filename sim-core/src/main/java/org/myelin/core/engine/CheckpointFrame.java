package org.myelin.core.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.network.Network;

/**
 * What every engine's checkpoint holds before the engine's own state, written and checked in one place: the
 * header ({@link Checkpoint}: writer, network fingerprint, the next step), the engine mode that wrote it (section
 * {@code frame.mode}, text), and the spikes of the last step that are not yet delivered (section
 * {@code frame.pending}: global indices, ascending, a population's neurons from {@link Network#offset}, generators
 * after all neurons; a generator with multiplicity is repeated once per event). A checkpoint is restored only by the same writer and mode, for the same network; everything is
 * checked before the engine changes any state.
 */
public final class CheckpointFrame {
    private static final String MODE = "frame.mode";
    private static final String PENDING = "frame.pending";

    private CheckpointFrame() {
    }

    /** A new checkpoint of {@code network} at {@code step}, written by {@code writer} running in {@code mode}. */
    public static Checkpoint begin(String writer, String mode, Network network, long step) {
        Checkpoint c = new Checkpoint(writer, network, step);
        c.put(MODE, mode.getBytes(StandardCharsets.UTF_8));
        return c;
    }

    /** The mode that wrote {@code c}; a checkpoint without a frame is refused. */
    public static String mode(Checkpoint c) {
        if (!c.has(MODE)) {
            throw new MyelinException("checkpoint has no engine frame (section '" + MODE + "'): it was written by an"
                    + " older version of Myelin or by something other than an engine");
        }
        return new String(c.bytes(MODE, -1), StandardCharsets.UTF_8);
    }

    /**
     * Checks that {@code c} was written by {@code writer} in {@code mode} for {@code network}; {@code describe} says
     * in words what a mode is, for the refusal.
     */
    public static void require(Checkpoint c, String writer, String mode, Network network,
                               java.util.function.UnaryOperator<String> describe) {
        c.requireFor(writer, network);
        String found = mode(c);
        if (!found.equals(mode)) {
            throw new MyelinException("checkpoint was written by " + describe.apply(found) + ", this network runs in "
                    + describe.apply(mode) + "; compile with the same mode and accumulation to restore it");
        }
    }

    /** Adds the last step's spikes not yet delivered: {@code spikes[0, count)}, global indices ascending. */
    public static void putPending(Checkpoint c, int[] spikes, int count) {
        c.put(PENDING, Arrays.copyOf(spikes, count));
    }

    /**
     * The last step's spikes not yet delivered, checked: ascending, each index below the network's neurons plus
     * generators.
     */
    public static int[] pending(Checkpoint c, Network network) {
        int[] spikes = c.ints(PENDING);
        int neurons = network.neuronCount();
        int all = neurons + network.sourceCount();
        for (int k = 0; k < spikes.length; k++) {
            // a neuron spikes once a step; a generator with multiplicity is listed once per event
            boolean repeatAllowed = k > 0 && spikes[k] == spikes[k - 1] && spikes[k] >= neurons
                    && multiplicity(network, spikes[k] - neurons);
            if (spikes[k] < 0 || spikes[k] >= all || (k > 0 && spikes[k] <= spikes[k - 1] && !repeatAllowed)) {
                throw new MyelinException("checkpoint: section '" + PENDING + "' must hold ascending indices in [0, "
                        + all + ") (repeated only for a generator with multiplicity), found " + spikes[k]
                        + " at position " + k);
            }
        }
        return spikes;
    }

    /** Whether generator {@code g} (counted over all sources) belongs to a Poisson source with multiplicity. */
    private static boolean multiplicity(Network network, int g) {
        for (var src : network.sources()) {
            if (g < src.size()) {
                return src instanceof org.myelin.core.network.PoissonSource ps && ps.multiplicity();
            }
            g -= src.size();
        }
        return false;
    }
}
