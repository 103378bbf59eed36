package org.myelin.backend.cpu;

import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.engine.CheckpointFrame;
import org.myelin.core.network.Network;

/**
 * The cpu backend's engine modes as its checkpoints name them (the frame's mode, {@link CheckpointFrame}), so that
 * another engine refuses a checkpoint clearly.
 */
final class CpuEngineModes {
    static final String WRITER = "cpu";
    static final String CLOCK_FLOAT = "clock-float";
    static final String CLOCK_FIXED = "clock-fixed";
    static final String EVENT_GRID = "event-grid";
    static final String EVENT_PRECISE = "event-precise";

    private CpuEngineModes() {
    }

    static String describe(String mode) {
        return switch (mode) {
            case CLOCK_FLOAT -> "the clock-driven mode with float accumulation";
            case CLOCK_FIXED -> "the clock-driven mode with fixed-point accumulation";
            case EVENT_GRID -> "the event-driven grid mode (EVENT_GRID)";
            case EVENT_PRECISE -> "the event-driven precise mode (EVENT_PRECISE)";
            default -> "an unknown engine mode '" + mode + "'";
        };
    }

    /** A new cpu checkpoint of {@code network} at {@code step}, written in {@code mode}. */
    static Checkpoint begin(String mode, Network network, long step) {
        return CheckpointFrame.begin(WRITER, mode, network, step);
    }

    /** Refuses a checkpoint of another network or written by another engine, naming both engines. */
    static void require(Checkpoint c, Network network, String expected) {
        CheckpointFrame.require(c, WRITER, expected, network, CpuEngineModes::describe);
    }
}
