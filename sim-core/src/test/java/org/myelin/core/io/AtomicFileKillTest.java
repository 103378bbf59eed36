package org.myelin.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.checkpoint.Checkpoint;

/**
 * A process killed (SIGKILL) while it writes a large checkpoint leaves a whole checkpoint behind: the previous one or a
 * completed newer one, never a part.
 */
class AtomicFileKillTest {
    private static final int VALUES = 8 << 20;

    @TempDir
    Path dir;

    @Test
    void aKillDuringTheWriteLeavesAWholeCheckpoint() throws Exception {
        Path file = dir.resolve("run.ckpt");
        new Checkpoint("kill-test", new byte[32], 1).put("v", new float[] {1}).write(file);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int round = 0; round < 3; round++) {
            Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    CheckpointWriterProcess.class.getName(), file.toString(), Integer.toString(VALUES))
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("writing"), "the writer started: " + line);
            Thread.sleep(40 + 90L * round);
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            Checkpoint c = Checkpoint.read(file);
            float[] v = c.floats("v");
            assertEquals(c.step() == 1 ? 1 : VALUES, v.length, "round " + round + ": step " + c.step());
            assertEquals((float) c.step(), v[v.length - 1], "round " + round + ": the last value is the step's");
        }
    }
}
