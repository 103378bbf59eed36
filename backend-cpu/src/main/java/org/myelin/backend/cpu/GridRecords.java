package org.myelin.backend.cpu;

import org.myelin.core.backend.InitialState;
import org.myelin.core.network.Network;

/**
 * The event-grid engine's per-neuron state: one record of {@link #STRIDE} ints per neuron (floats stored as their
 * bits), so that delivering input and the visit that follows touch the same one or two cache lines: u (v - rest),
 * ge, gi, this step's excitatory and inhibitory input, last step visited, last frozen (refractory) step, scheduled
 * wake-up step.
 */
final class GridRecords {
    static final int U = 0;
    static final int GE = 1;
    static final int GI = 2;
    /** Excitatory and inhibitory input of the current step, summed before it is added (as the reference does). */
    static final int INE = 3;
    static final int INI = 4;
    static final int LAST = 5;
    static final int FROZEN = 6;
    static final int WAKE = 7;
    static final int STRIDE = 8;
    /**
     * In the FROZEN slot of a delayed-reset neuron (which has no refractory period, so the slot is otherwise -1): it
     * spiked at its last update and the reset is still to be taken off at the next one.
     */
    static final int PENDING_RESET = -2;
    /** No wake-up scheduled. */
    static final int NONE = Integer.MIN_VALUE;

    private GridRecords() {
    }

    /** The records at step 0: the initial state every float engine starts from, never visited, nothing scheduled. */
    static int[] initial(Network network) {
        int neurons = network.neuronCount();
        float[] u = new float[neurons];
        float[] ge = new float[neurons];
        float[] gi = new float[neurons];
        InitialState.fill(network, u, ge, gi);
        int[] st = new int[neurons * STRIDE];
        for (int i = 0; i < neurons; i++) {
            int b = i * STRIDE;
            st[b + U] = Float.floatToRawIntBits(u[i]);
            st[b + GE] = Float.floatToRawIntBits(ge[i]);
            st[b + GI] = Float.floatToRawIntBits(gi[i]);
            st[b + LAST] = -1;
            st[b + FROZEN] = -1;
            st[b + WAKE] = NONE;
        }
        return st;
    }
}
