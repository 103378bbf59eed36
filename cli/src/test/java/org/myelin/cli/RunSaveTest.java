package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.nir.Npy;

/** {@code myelin run --save DIR}: the recording as DIR/recording.npz and DIR/recording.h5. */
class RunSaveTest {
    @Test
    void theRecordingIsSavedAndItsSpikesAreTheRunsOwn(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("run", "cuba", "--duration", "0.05", "--save", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(out.resolve("recording.h5")) > 0);
        Map<String, Npy.Array> arrays = new HashMap<>();
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(out.resolve("recording.npz")))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                Path f = dir.resolve(e.getName());
                Files.write(f, z.readAllBytes());
                arrays.put(e.getName().replace(".npy", ""), Npy.read(f));
            }
        }
        int spikes = arrays.get("spikes.exc.t_ms").values().length + arrays.get("spikes.inh.t_ms").values().length;
        assertTrue(r.out().contains("spikes            " + spikes + "\n"), "the saved spikes are those reported: "
                + spikes + " in " + r.out());
        assertEquals(0.1, arrays.get("dt_ms").values()[0], 1e-12);
    }

    @Test
    void aFileWhereTheFolderShouldBeIsRefusedBeforeTheRun(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("taken"), "x");
        CliRun r = CliRun.of("run", "cuba", "--duration", "0.05", "--save", f.toString());
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("is a file"), r.err());
    }
}
