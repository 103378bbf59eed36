package org.myelin.backend.cpu;

import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.core.checkpoint.Checkpoint;

/**
 * The event-driven grid engine's input in flight: one list per step slot (step mod {@link #slots}, one more than the
 * longest delay) of (target, weight), the target's index negative - 1 for inhibitory input. Input is added in
 * delivery order and drained in the same order by the step it is due in, so a target sums it as the clock engine
 * does. Saved in checkpoints as three parallel arrays (slot, target, weight).
 */
final class DelayedInputLists {
    final int slots;
    private final int[][] target;
    private final float[][] weight;
    private final int[] count;

    DelayedInputLists(int maxDelay) {
        slots = maxDelay + 1;
        target = new int[slots][];
        weight = new float[slots][];
        count = new int[slots];
        for (int s = 0; s < slots; s++) {
            target[s] = new int[16];
            weight[s] = new float[16];
        }
    }

    /** Adds input due in the step of {@code slot}: {@code t} is the target (negative - 1: inhibitory). */
    void add(int slot, int t, float w) {
        int c = count[slot];
        if (c == target[slot].length) {
            target[slot] = Arrays.copyOf(target[slot], c * 2);
            weight[slot] = Arrays.copyOf(weight[slot], c * 2);
        }
        target[slot][c] = t;
        weight[slot][c] = w;
        count[slot] = c + 1;
    }

    /** Inputs due in step {@code n}; read them with {@link #target}/{@link #weight}, then {@link #clear}. */
    int count(int n) {
        return count[n % slots];
    }

    int[] targets(int n) {
        return target[n % slots];
    }

    float[] weights(int n) {
        return weight[n % slots];
    }

    void clear(int n) {
        count[n % slots] = 0;
    }

    /** Drops everything in flight. */
    void clearAll() {
        Arrays.fill(count, 0);
    }

    /** Writes the input in flight. */
    void save(Checkpoint c) {
        int total = 0;
        for (int s = 0; s < slots; s++) {
            total += count[s];
        }
        int[] slot = new int[total];
        int[] t = new int[total];
        float[] w = new float[total];
        int k = 0;
        for (int s = 0; s < slots; s++) {
            for (int j = 0; j < count[s]; j++, k++) {
                slot[k] = s;
                t[k] = target[s][j];
                w[k] = weight[s][j];
            }
        }
        c.put("event.delayed.slot", slot).put("event.delayed.target", t).put("event.delayed.weight", w);
    }

    /** The input in flight of a checkpoint, checked ({@link #read}) before it is applied ({@link #load}). */
    record Saved(int[] slot, int[] target, float[] weight) {
    }

    /** Reads and checks the input in flight of a checkpoint of a network of {@code neurons}; changes nothing. */
    Saved read(Checkpoint c, int neurons) {
        int[] slot = c.ints("event.delayed.slot");
        int[] t = c.ints("event.delayed.target", slot.length);
        float[] w = c.floats("event.delayed.weight", slot.length);
        for (int k = 0; k < slot.length; k++) {
            int i = t[k] < 0 ? -t[k] - 1 : t[k];
            if (slot[k] < 0 || slot[k] >= slots || i >= neurons) {
                throw new MyelinException("checkpoint: delayed input " + k + " (slot " + slot[k] + ", neuron " + i
                        + ") is out of range");
            }
        }
        return new Saved(slot, t, w);
    }

    /** Replaces the input in flight by {@code saved}. */
    void load(Saved saved) {
        clearAll();
        for (int k = 0; k < saved.slot().length; k++) {
            add(saved.slot()[k], saved.target()[k], saved.weight()[k]);
        }
    }
}
