package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code data fetch} draws the shared progress bar ({@code ProgressBars}, behind {@code --progress}): with
 * {@code --progress} a bar for the file on stderr; without a terminal and without the flag, none.
 */
class DataFetchProgressTest {
    /** Runs the command with System.err captured (the bar writes there); returns the run and what System.err got. */
    private static String[] fetch(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        CliRun r;
        try (PrintStream p = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setErr(p);
            r = CliRun.of(args);
        } finally {
            System.setErr(saved);
        }
        assertEquals(0, r.code(), r.err());
        return new String[] {r.out(), captured.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void theBarShowsWithProgressAndNotInARedirectedStderr(@TempDir Path dir) throws Exception {
        byte[] data = new byte[3_000_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Path src = Files.write(dir.resolve("blob.bin"), data);
        String[] with = fetch("data", "fetch", src.toUri().toString(), "--unverified", "--cache",
                dir.resolve("a").toString(), "--progress");
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("a").resolve("blob.bin")));
        assertTrue(with[1].contains("blob.bin") && with[1].contains("MB") && with[1].contains("100%"),
                "the shared bar, finished: " + with[1]);
        String[] without = fetch("data", "fetch", src.toUri().toString(), "--unverified", "--cache",
                dir.resolve("b").toString());
        assertFalse(without[1].contains("\r") || without[1].contains("MB"), "no bar frames: " + without[1]);
        assertTrue(without[0].strip().endsWith("blob.bin"), without[0]);
    }
}
