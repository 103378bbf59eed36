package org.myelin.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.datasets.event.EventStream;
import org.myelin.datasets.shd.ShdFile;

class ShdFileTest {
    private static Path fixture() throws Exception {
        return Path.of(ShdFileTest.class.getResource("/fixtures/shd-3-samples.h5").toURI());
    }

    @Test
    void samplesLabelsAndSpikesReadAsWritten() throws Exception {
        try (ShdFile f = ShdFile.open(fixture())) {
            assertEquals(3, f.samples());
            assertEquals(3, f.label(0));
            assertEquals(19, f.label(1));
            EventStream s = f.sample(0);
            assertEquals(3, s.size());
            assertEquals(0, s.timeUs(0));
            assertEquals(12_500, s.timeUs(1));
            assertEquals(699, s.x(1));
            assertEquals(500_000, s.timeUs(2));
            assertEquals(0, f.sample(1).size());
            assertEquals(11, f.sample(2).x(1));
        }
    }

    @Test
    void filesThatAreNotShdAreRefusedNamingThePath(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.h5");
        Files.writeString(junk, "not hdf5");
        MyelinException e = assertThrows(MyelinException.class, () -> ShdFile.open(junk));
        assertTrue(e.getMessage().contains("not a readable HDF5 file"), e.getMessage());
        Path idx = Path.of(ShdFileTest.class.getResource("/fixtures/labels-3-idx1-ubyte").toURI());
        assertThrows(MyelinException.class, () -> ShdFile.open(idx));
        Path noSpikes = Path.of(ShdFileTest.class.getResource("/fixtures/shd-no-spikes.h5").toURI());
        try (ShdFile f = ShdFile.open(noSpikes)) {
            assertEquals(2, f.samples());
            MyelinException m = assertThrows(MyelinException.class, () -> f.sample(0));
            assertTrue(m.getMessage().contains("HDF5 path /spikes/times is missing"), m.getMessage());
        }
    }
}
