package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User errors are one line on stderr and exit code 2, unexpected ones one line and exit code 1; a stack trace only
 * with --debug.
 */
class ErrorHandlingTest {
    @TempDir
    Path dir;

    private static void assertBadInput(CliRun r, String expected) {
        assertEquals(2, r.code(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.startsWith("myelin: ") && err.contains(expected), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
    }

    @Test
    void mpiResumeFromAMissingFolderIsOneLine() {
        assertBadInput(CliRun.of("mpi", "cuba", "--neurons", "100", "--resume", dir.resolve("nonexistent").toString()),
                "no such folder");
        assertBadInput(CliRun.of("mpi", "cuba", "--neurons", "100", "--resume", dir.toString()), "no rank-0.ckpt");
    }

    @Test
    void nirRunIntoAFolderIsOneLineAndDebugShowsTheTrace() {
        String nir = "../nir/src/test/resources/fixtures/lif.nir";
        Path input = dir.resolve("in.csv");
        try {
            Files.writeString(input, "1.0\n0.5\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertBadInput(CliRun.of("nir", "run", nir, "--input", input.toString(), "--out", dir.toString()),
                "is a folder");
        CliRun debug = CliRun.of("nir", "run", nir, "--input", input.toString(), "--out", dir.toString(), "--debug");
        assertEquals(2, debug.code());
        assertTrue(debug.err().contains("is a folder") && debug.err().contains("\tat org.myelin."), debug.err());
    }

    @Test
    void eventModeWithSeveralThreadsIsRefused() {
        assertBadInput(CliRun.of("bench", "sparse", "--neurons", "1000", "--duration", "0.01", "--mode", "event",
                "--threads", "2"), "--mode event runs on one thread");
        assertBadInput(CliRun.of("run", "sparse", "--neurons", "1000", "--duration", "0.01", "--mode", "precise",
                "--threads", "2"), "--threads 2 was given");
        CliRun one = CliRun.of("bench", "sparse", "--neurons", "1000", "--duration", "0.01", "--mode", "event");
        assertEquals(0, one.code(), one.err());
    }

    @Test
    void dataFetchRefusesBadUrlsAndNamesInOneLine() throws Exception {
        Path cache = dir.resolve("cache");
        assertBadInput(CliRun.of("data", "fetch", dir.resolve("none.bin").toUri().toString(), "--unverified",
                "--cache", cache.toString()), "no such file");
        assertBadInput(CliRun.of("data", "fetch", "http://127.0.0.1:1/data/", "--unverified", "--cache",
                cache.toString()), "names no file");
        assertBadInput(CliRun.of("data", "fetch", "http://127.0.0.1:1/x.bin", "--name", "../..", "--unverified",
                "--cache", cache.toString()), "one plain name");
        assertBadInput(CliRun.of("data", "fetch", "ftp://127.0.0.1:1/x.bin", "--unverified", "--cache",
                cache.toString()), "scheme 'ftp' is not supported");
        Path src = dir.resolve("src.bin");
        Files.write(src, new byte[] {1, 2, 3});
        CliRun ok = CliRun.of("data", "fetch", src.toUri().toString(), "--unverified", "--cache", cache.toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(Files.exists(cache.resolve("src.bin")));
    }

    @Test
    void unexpectedErrorsExitOneAndPointToDebug() {
        StringWriter w = new StringWriter();
        assertEquals(1, Main.report(new IllegalStateException("a broken invariant"), new PrintWriter(w, true)));
        assertTrue(w.toString().contains("internal error: java.lang.IllegalStateException: a broken invariant;"
                + " run with --debug for the stack trace"), w.toString());
        w = new StringWriter();
        assertEquals(2, Main.report(new NoSuchFileException("/x/y.bin"), new PrintWriter(w, true)));
        assertEquals("myelin: no such file or folder: /x/y.bin", w.toString().strip());
        w = new StringWriter();
        assertEquals(2, Main.report(new java.io.UncheckedIOException(new java.nio.file.AccessDeniedException("/r")),
                new PrintWriter(w, true)));
        assertEquals("myelin: permission denied: /r", w.toString().strip());
    }

    private static void usageOfEvery(picocli.CommandLine cl, java.util.List<String> seen) {
        cl.getUsageMessage();
        seen.add(cl.getCommandSpec().qualifiedName());
        for (picocli.CommandLine sub : cl.getSubcommands().values()) {
            usageOfEvery(sub, seen);
        }
    }

    @Test
    void everyHelpTextFormatsWithoutPicocliWarnings() {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        java.util.List<String> seen = new java.util.ArrayList<>();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            usageOfEvery(Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())),
                    seen);
        } finally {
            System.setErr(saved);
        }
        assertTrue(seen.contains("myelin run") && seen.contains("myelin data make") && seen.size() > 25,
                seen.toString());
        String warnings = captured.toString(StandardCharsets.UTF_8);
        assertFalse(warnings.contains("picocli WARN"), warnings);
    }
}
