package org.myelin.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.core.random.CounterRandom;

/** Round trips of random rasters through the binary spike file, and refusal of damaged files. */
class BinarySpikeFileTest {
    @TempDir
    Path dir;

    private static SpikeRecord write(Path f, long seed) {
        SpikeMonitor m = new SpikeMonitor("m", "n");
        SpikeRecord expected = new SpikeRecord();
        int[] buf = new int[5000];
        try (BinarySpikeFile sink = new BinarySpikeFile(f, 0.1)) {
            long step = (long) (CounterRandom.uniform(seed, 0, 0, 0) * 3);
            for (int k = 0; k < 300; k++) {
                int count = (int) (CounterRandom.uniform(seed, 1, k, 0) * 40);
                int c = 0;
                for (int n = 0; n < 5000 && c < count; n++) {
                    if (CounterRandom.uniform(seed, 2, k, n) < count / 5000.0 * 1.5) {
                        buf[c++] = n;
                    }
                }
                sink.spikes(m, step, buf, c);
                for (int i = 0; i < c; i++) {
                    expected.add(step, buf[i]);
                }
                // gaps of every size, including far beyond one varint byte
                step += 1 + (long) (Math.pow(CounterRandom.uniform(seed, 3, k, 0), 8) * 1e9);
            }
        }
        return expected;
    }

    @RepeatedTest(20)
    void everySpikeComesBackExactlyOnce(RepetitionInfo info) {
        Path f = dir.resolve("s" + info.getCurrentRepetition() + ".bin");
        SpikeRecord expected = write(f, info.getCurrentRepetition());
        assertEquals(expected, BinarySpikeFile.read(f));
    }

    @Test
    void aTruncatedFileIsRefusedWithItsOffset() throws Exception {
        Path f = dir.resolve("t.bin");
        write(f, 3);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 5));
        MyelinException e = assertThrows(MyelinException.class, () -> BinarySpikeFile.read(f));
        assertTrue(e.getMessage().contains("truncated at byte " + (all.length - 5)), e.getMessage());
    }

    @Test
    void aFileOfAnotherKindIsRefused() throws Exception {
        Path f = dir.resolve("x.bin");
        Files.writeString(f, "step,time_ms,monitor,neuron\n");
        MyelinException e = assertThrows(MyelinException.class, () -> BinarySpikeFile.read(f));
        assertTrue(e.getMessage().contains("expected magic \"MYLNSPK1\" at byte 0"), e.getMessage());
    }

    @Test
    void aDamagedTrailerIsRefused() throws Exception {
        Path f = dir.resolve("d.bin");
        write(f, 4);
        byte[] all = Files.readAllBytes(f);
        all[all.length - 1] ^= 1;
        Files.write(f, all);
        MyelinException e = assertThrows(MyelinException.class, () -> BinarySpikeFile.read(f));
        assertTrue(e.getMessage().contains("trailer says"), e.getMessage());
    }
}
