package org.myelin.core.monitor;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.fuzz.ReaderFuzz;

/** Generated corruptions of valid binary spike files are refused with a MyelinException. */
class BinarySpikeFileFuzzTest {
    @TempDir
    Path dir;

    private Path fixture(String name, int steps) {
        Path f = dir.resolve(name);
        SpikeMonitor m = new SpikeMonitor("m", "n");
        try (BinarySpikeFile sink = new BinarySpikeFile(f, 0.1)) {
            for (int s = 0; s < steps; s++) {
                sink.spikes(m, 3L * s + s % 2, new int[] {s % 5, 7 + s, 300 + 11 * s}, 1 + s % 3);
            }
        }
        return f;
    }

    @Test
    void generatedCorruptionsAreRefusedWithAMyelinException() throws Exception {
        ReaderFuzz.ofFile("spike-file", dir, "fuzz.bin", BinarySpikeFile::read)
                .fixture(Files.readAllBytes(fixture("a.bin", 40))).fixture(Files.readAllBytes(fixture("b.bin", 3)))
                .regressions("/fuzz/spike-file").run();
    }
}
