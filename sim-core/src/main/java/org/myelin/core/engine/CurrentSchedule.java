package org.myelin.core.engine;

import java.util.Arrays;
import java.util.TreeSet;
import org.myelin.core.network.CurrentInput;
import org.myelin.core.network.Network;

/**
 * The steps at which a network's external currents take new values: step 0 (where every engine sets its first
 * currents, bias currents included) and every change step of every {@link CurrentInput}, ascending, each once.
 * Engines walk it with a cursor: {@link #cursorAt} where a run starts, {@link #changesAt} in each step.
 */
public final class CurrentSchedule {
    private final long[] steps;

    private CurrentSchedule(long[] steps) {
        this.steps = steps;
    }

    /** The schedule of {@code network}'s current inputs. */
    public static CurrentSchedule of(Network network) {
        TreeSet<Long> changes = new TreeSet<>();
        changes.add(0L);
        for (CurrentInput in : network.currents()) {
            for (long s : in.changeSteps()) {
                changes.add(s);
            }
        }
        return new CurrentSchedule(changes.stream().mapToLong(Long::longValue).toArray());
    }

    /** The cursor of a run that starts at {@code step}: the index of the first change at or after it. */
    public int cursorAt(long step) {
        int k = Arrays.binarySearch(steps, step);
        return k >= 0 ? k : -k - 1;
    }

    /** Whether the change at {@code cursor} is due in step {@code n} (then the caller moves the cursor on). */
    public boolean changesAt(int cursor, long n) {
        return cursor < steps.length && steps[cursor] == n;
    }

    /** Whether the currents change in step {@code n} (for engines without a cursor). */
    public boolean contains(long n) {
        return Arrays.binarySearch(steps, n) >= 0;
    }

    /** The number of change steps, step 0 included. */
    public int size() {
        return steps.length;
    }

    /**
     * The global indices of the neurons that current inputs feed, input by input in declaration order (a neuron fed
     * by several inputs appears once per input): the neurons an event-driven engine visits when the currents change.
     */
    public static int[] fedNeurons(Network network) {
        int n = 0;
        for (var in : network.currents()) {
            n += in.neurons() == null ? network.node(in.target()).size() : in.neurons().length;
        }
        int[] out = new int[n];
        int at = 0;
        for (var in : network.currents()) {
            int off = network.offset(in.target());
            int count = in.neurons() == null ? network.node(in.target()).size() : in.neurons().length;
            for (int k = 0; k < count; k++) {
                out[at++] = off + (in.neurons() == null ? k : in.neurons()[k]);
            }
        }
        return out;
    }
}
