package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        h5pyWalksTheFile(dir, out.resolve("recording.h5"), spikes);
    }

    /**
     * HDF5's own library (through h5py) opens recording.h5 and visits every object in it, reading each dataset whole;
     * the spike groups hold the spikes the run reported. Skipped where python3-h5py is missing (.ci/run installs it).
     */
    private static void h5pyWalksTheFile(Path dir, Path h5, int spikes) throws Exception {
        assumeTrue(python("h5py"), "python3-h5py is not installed here (.ci/run installs it)");
        Path script = dir.resolve("walk.py");
        Files.writeString(script, String.join("\n",
                "import sys, h5py",
                "f = h5py.File(sys.argv[1], 'r')",
                "seen = []",
                "def visit(name, obj):",
                "    if isinstance(obj, h5py.Dataset):",
                "        obj[()]",
                "    dict(obj.attrs)",
                "    seen.append(name)",
                "f.visititems(visit)",
                "assert 'spikes/exc/t_ms' in seen and 'spikes/inh/t_ms' in seen, seen",
                "print(len(f['spikes/exc/t_ms']) + len(f['spikes/inh/t_ms']), len(seen))"));
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), h5.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python timed out");
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), printed);
        assertEquals(String.valueOf(spikes), printed.split(" ")[0], printed);
    }

    private static boolean python(String module) {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import " + module).redirectErrorStream(true)
                    .start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void aFileWhereTheFolderShouldBeIsRefusedBeforeTheRun(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("taken"), "x");
        CliRun r = CliRun.of("run", "cuba", "--duration", "0.05", "--save", f.toString());
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("is a file"), r.err());
    }
}
