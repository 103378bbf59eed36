package org.myelin.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.core.fuzz.ReaderFuzz;

/** Sweep spec files over generated corruptions: each parses (and counts its points) or is refused in one line. */
class SweepSpecFuzzTest {
    @TempDir
    Path dir;

    private static void readWhole(Path f) {
        SweepSpec s = SweepSpec.read(f);
        for (int i = 0; i < Math.min(s.size(), 64); i++) {
            s.point(i);
        }
    }

    @Test
    void everyCorruptionParsesOrIsRefusedInOneLine() {
        byte[] a = """
                # a CUBA sweep on the crossbar
                experiment = cuba
                neurons = 2000
                duration = 0.1
                backend = memristor
                device = rram
                grid.read = 0, 0.02, 0.05, 0.1
                grid.seed = 1..25
                """.getBytes(StandardCharsets.UTF_8);
        byte[] b = "experiment = cuba\ngrid.neurons = 1000, 2000\ngrid.p = 0.01,0.02\n".getBytes(StandardCharsets.UTF_8);
        ReaderFuzz.ofFile("sweep-spec", dir, "fuzz.sweep", SweepSpecFuzzTest::readWhole).fixture(a).fixture(b).run();
    }

    @Test
    void rangesTooLongOrTooManyValuesAreRefusedByName() {
        MyelinException e = assertThrows(MyelinException.class,
                () -> SweepSpec.parse("grid.seed = 1..99999999999999999999999\n", "s.sweep"));
        assertTrue(e.getMessage().contains("s.sweep:1") && e.getMessage().contains("more than 18 digits"), e.getMessage());
        StringBuilder many = new StringBuilder();
        for (String key : new String[] {"seed", "neurons", "threads"}) {
            many.append("grid.").append(key).append(" = 1..400001\n");
        }
        e = assertThrows(MyelinException.class, () -> SweepSpec.parse(many.toString(), "m.sweep"));
        assertTrue(e.getMessage().contains("m.sweep:3") && e.getMessage().contains("values in all"), e.getMessage());
        assertEquals(100, SweepSpec.parse("grid.seed = 1..10\ngrid.neurons = 1..10\n", "ok").size());
    }
}
