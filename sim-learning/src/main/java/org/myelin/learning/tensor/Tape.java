package org.myelin.learning.tensor;

import java.util.ArrayList;
import java.util.List;
import org.myelin.core.MyelinException;

/**
 * Records the backward step of every operation applied to tensors that take gradients, and runs them in
 * reverse ({@link #backward}). A tape serves one forward pass; {@link #backward} clears it. Operations
 * given {@link #inference()} record nothing.
 */
public final class Tape {
    /** The backward pass of one operation: reads its output's gradient, adds into its inputs' gradients. */
    @FunctionalInterface
    public interface Step {
        void backward();
    }

    private static final Tape INFERENCE = new Tape(false);
    private final List<Step> steps = new ArrayList<>();
    private final boolean recording;

    public Tape() {
        this(true);
    }

    private Tape(boolean recording) {
        this.recording = recording;
    }

    /** A tape that records nothing: forward passes only. */
    public static Tape inference() {
        return INFERENCE;
    }

    public boolean recording() {
        return recording;
    }

    /** Records {@code step} when this tape records and {@code output} takes gradients. */
    public void record(Tensor output, Step step) {
        if (recording && output.requiresGrad()) {
            steps.add(step);
        }
    }

    /** Operations recorded so far. */
    public int size() {
        return steps.size();
    }

    /**
     * Seeds d(loss)/d(loss) = 1 on a single-value {@code loss} and runs every recorded step in reverse.
     * Gradients add into the tensors' existing gradients (zero them between batches).
     */
    public void backward(Tensor loss) {
        if (loss.size() != 1) {
            throw new MyelinException("backward: the loss must hold one value, it has " + loss.size());
        }
        if (!loss.requiresGrad()) {
            throw new MyelinException("backward: the loss does not depend on any tensor that takes gradients");
        }
        loss.grad()[0] += 1f;
        for (int i = steps.size() - 1; i >= 0; i--) {
            steps.get(i).backward();
        }
        steps.clear();
    }

    /** Forgets the recorded steps without running them. */
    public void clear() {
        steps.clear();
    }
}
