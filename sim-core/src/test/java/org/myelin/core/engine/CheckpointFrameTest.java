package org.myelin.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.model.LifModel;
import org.myelin.core.network.Network;

class CheckpointFrameTest {
    private static Network net(int size) {
        return Network.builder().dtMs(1).spikeTrain("g", 2, new int[] {0}, new long[] {3})
                .population("p", size, LifModel.builder().build()).build();
    }

    @Test
    void modeAndPendingSpikesSurviveAFile(@TempDir Path dir) {
        Network net = net(5);
        Checkpoint c = CheckpointFrame.begin("cpu", "clock-float", net, 42);
        CheckpointFrame.putPending(c, new int[] {1, 4, 6, 99}, 3); // neurons 1 and 4, generator 6 (= 5 + 1)
        Path f = dir.resolve("x.ckpt");
        c.write(f);
        Checkpoint r = Checkpoint.read(f);
        CheckpointFrame.require(r, "cpu", "clock-float", net, m -> m);
        assertEquals("clock-float", CheckpointFrame.mode(r));
        assertEquals(42, r.step());
        assertArrayEquals(new int[] {1, 4, 6}, CheckpointFrame.pending(r, net));
    }

    @Test
    void anotherModeIsRefusedNamingBoth() {
        Network net = net(5);
        Checkpoint c = CheckpointFrame.begin("cpu", "event-grid", net, 0);
        MyelinException e = assertThrows(MyelinException.class,
                () -> CheckpointFrame.require(c, "cpu", "clock-float", net, m -> "<" + m + ">"));
        assertTrue(e.getMessage().contains("<event-grid>") && e.getMessage().contains("<clock-float>"), e.getMessage());
    }

    @Test
    void anotherNetworkOrWriterIsRefused() {
        Checkpoint c = CheckpointFrame.begin("cpu", "clock-float", net(5), 0);
        assertThrows(MyelinException.class, () -> CheckpointFrame.require(c, "cpu", "clock-float", net(6), m -> m));
        assertThrows(MyelinException.class, () -> CheckpointFrame.require(c, "opencl", "clock-float", net(5), m -> m));
    }

    @Test
    void pendingSpikesOutOfOrderOrRangeAreRefused() {
        Network net = net(5);
        for (int[] bad : new int[][] {{3, 2}, {1, 1}, {-1}, {7}}) {
            Checkpoint c = CheckpointFrame.begin("cpu", "clock-float", net, 0);
            CheckpointFrame.putPending(c, bad, bad.length);
            MyelinException e = assertThrows(MyelinException.class, () -> CheckpointFrame.pending(c, net));
            assertTrue(e.getMessage().contains("frame.pending"), e.getMessage());
        }
    }

    @Test
    void aCheckpointWithoutFrameIsRefusedClearly() {
        Checkpoint c = new Checkpoint("cpu", net(5), 0);
        MyelinException e = assertThrows(MyelinException.class, () -> CheckpointFrame.mode(c));
        assertTrue(e.getMessage().contains("no engine frame"), e.getMessage());
    }
}
