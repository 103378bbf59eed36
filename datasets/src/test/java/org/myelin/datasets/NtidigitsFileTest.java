package org.myelin.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.datasets.event.EventStream;
import org.myelin.datasets.ntidigits.NtidigitsFile;

class NtidigitsFileTest {
    private static Path fixture() throws Exception {
        return Path.of(NtidigitsFileTest.class.getResource("/fixtures/ntidigits-small.h5").toURI());
    }

    @Test
    void samplesDigitsAndEventsReadAsWritten() throws Exception {
        try (NtidigitsFile f = NtidigitsFile.open(fixture(), "train")) {
            assertEquals(3, f.samples());
            assertEquals("ae-o", f.id(0));
            assertEquals(10, f.isolatedLabel(0), "oh");
            assertEquals("1z3", f.digits(1));
            assertEquals(-1, f.isolatedLabel(1), "a sequence");
            assertEquals(7, f.isolatedLabel(2));
            EventStream s = f.sample(0);
            assertEquals(3, s.size());
            assertEquals(1000, s.timeUs(0));
            assertEquals(63, s.x(1));
            assertEquals(250_000, s.timeUs(2));
        }
        try (NtidigitsFile f = NtidigitsFile.open(fixture(), "test")) {
            assertEquals(0, f.isolatedLabel(0), "zero");
            assertEquals(3, f.sample(0).x(2));
        }
    }

    @Test
    void aWrongSplitOrFileIsRefused() throws Exception {
        MyelinException e = assertThrows(MyelinException.class, () -> NtidigitsFile.open(fixture(), "valid"));
        assertTrue(e.getMessage().contains("split must be train or test"), e.getMessage());
        Path shd = Path.of(NtidigitsFileTest.class.getResource("/fixtures/shd-3-samples.h5").toURI());
        e = assertThrows(MyelinException.class, () -> NtidigitsFile.open(shd, "train"));
        assertTrue(e.getMessage().contains("HDF5 path /train_labels is missing"), e.getMessage());
    }
}
