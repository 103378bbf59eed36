package org.myelin.core.io;

import java.nio.file.Path;
import org.myelin.core.checkpoint.Checkpoint;

/**
 * A child process for {@link AtomicFileKillTest}: writes ever newer large checkpoints to one file until it is killed.
 * Each holds a float section of {@code args[1]} values, all equal to the step, so a reader can tell a whole one.
 */
public final class CheckpointWriterProcess {
    private CheckpointWriterProcess() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        float[] v = new float[n];
        for (long step = 2; ; step++) {
            java.util.Arrays.fill(v, step);
            Checkpoint c = new Checkpoint("kill-test", new byte[32], step).put("v", v);
            System.out.println("writing " + step);
            System.out.flush();
            c.write(file);
        }
    }
}
