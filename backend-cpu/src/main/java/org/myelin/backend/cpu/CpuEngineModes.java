package org.myelin.backend.cpu;

import org.myelin.core.MyelinException;
import org.myelin.core.checkpoint.Checkpoint;

/** The engine a cpu checkpoint was written by (its "mode" section), so that another engine refuses it clearly. */
final class CpuEngineModes {
    static final int CLOCK_FLOAT = 0;
    static final int CLOCK_FIXED = 1;
    static final int EVENT_GRID = 2;
    static final int EVENT_PRECISE = 3;

    private CpuEngineModes() {
    }

    static String describe(int mode) {
        return switch (mode) {
            case CLOCK_FLOAT -> "the clock-driven mode with float accumulation";
            case CLOCK_FIXED -> "the clock-driven mode with fixed-point accumulation";
            case EVENT_GRID -> "the event-driven grid mode (EVENT_GRID)";
            case EVENT_PRECISE -> "the event-driven precise mode (EVENT_PRECISE)";
            default -> "an unknown engine mode " + mode;
        };
    }

    /** Refuses a checkpoint written by another engine, naming both. */
    static void require(Checkpoint c, int expected) {
        int mode = c.ints("mode", 1)[0];
        if (mode != expected) {
            throw new MyelinException("checkpoint was written by " + describe(mode) + ", this network runs in "
                    + describe(expected) + "; compile with the same mode and accumulation to restore it");
        }
    }
}
