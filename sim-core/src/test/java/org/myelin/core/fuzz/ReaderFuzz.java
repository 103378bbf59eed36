package org.myelin.core.fuzz;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.myelin.core.MyelinException;

/**
 * A property over a file reader: on any corruption of its valid fixtures it returns normally or throws its documented
 * error type ({@link MyelinException} or a subtype) with a one-line message; anything else (an
 * {@link OutOfMemoryError}, a {@code NegativeArraySizeException}, an {@code IndexOutOfBoundsException}, a message
 * spread over lines) fails, naming the seed, the corruption and where the input was saved.
 *
 * <p>Each reader runs for {@code -Dmyelin.fuzz.seconds} (default 2) after every truncation of each fixture; the seeds
 * come from {@code -Dmyelin.fuzz.seed} (default: fixed per reader, so CI is repeatable). {@code -Dmyelin.fuzz.replay=S}
 * runs only the case of seed S. Failing inputs are written to {@code target/fuzz-failures/} to be committed as
 * regression fixtures.
 */
public final class ReaderFuzz {
    /** The reader under test, given the corrupted bytes. */
    @FunctionalInterface
    public interface Reader {
        void read(byte[] input) throws Exception;
    }

    /** A reader that reads files: the bytes are written to a file first. */
    @FunctionalInterface
    public interface FileReader {
        void read(Path file) throws Exception;
    }

    private final String name;
    private final Reader reader;
    private final Class<? extends RuntimeException> allowed;
    private final List<byte[]> fixtures = new ArrayList<>();
    private final List<Corruptions.Case> regressions = new ArrayList<>();

    private ReaderFuzz(String name, Reader reader, Class<? extends RuntimeException> allowed) {
        this.name = name;
        this.reader = reader;
        this.allowed = allowed;
    }

    /** Fuzzes a reader of bytes that may throw only {@code allowed}. */
    public static ReaderFuzz of(String name, Reader reader, Class<? extends RuntimeException> allowed) {
        return new ReaderFuzz(name, reader, allowed);
    }

    /** Fuzzes a reader of files: each input is written to {@code dir/fileName} and read from there. */
    public static ReaderFuzz ofFile(String name, Path dir, String fileName, FileReader reader) {
        Path file = dir.resolve(fileName);
        return new ReaderFuzz(name, bytes -> {
            Files.write(file, bytes);
            reader.read(file);
        }, MyelinException.class);
    }

    /** Adds a valid fixture. */
    public ReaderFuzz fixture(byte[] bytes) {
        fixtures.add(bytes.clone());
        return this;
    }

    /** Adds a valid fixture from a file. */
    public ReaderFuzz fixture(Path file) throws IOException {
        return fixture(Files.readAllBytes(file));
    }

    /**
     * Adds the committed crashing inputs found earlier (every file of the class-path folder {@code resource}, e.g.
     * {@code /fuzz/checkpoint}): each is run as a case before the generated ones.
     */
    public ReaderFuzz regressions(String resource) {
        java.net.URL url = ReaderFuzz.class.getResource(resource);
        if (url == null) {
            throw new IllegalStateException("ReaderFuzz " + name + ": no regression folder " + resource);
        }
        try (var files = Files.list(Path.of(url.toURI()))) {
            for (Path p : files.sorted().toList()) {
                regressions.add(new Corruptions.Case(Corruptions.NO_SEED, "regression fixture " + p.getFileName(), Files.readAllBytes(p)));
            }
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** The case being read now, and since when (for the hang watchdog). */
    private volatile Corruptions.Case current;
    private volatile boolean stopped;
    private volatile long since;

    /**
     * Runs the budget and returns how many cases ran; throws {@link AssertionError} on the first bad outcome, and on
     * a case that takes longer than {@code -Dmyelin.fuzz.hangSeconds} (default 20): a reader that hangs.
     */
    public int run() {
        double hang = Double.parseDouble(System.getProperty("myelin.fuzz.hangSeconds", "20"));
        int[] result = new int[1];
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(() -> {
            try {
                result[0] = runCases();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "ReaderFuzz " + name);
        worker.setDaemon(true);
        worker.start();
        try {
            while (worker.isAlive()) {
                worker.join(200);
                Corruptions.Case c = current;
                if (worker.isAlive() && c != null && System.nanoTime() - since > hang * 1e9) {
                    stopped = true;
                    Path saved = save(c);
                    throw new AssertionError("ReaderFuzz " + name + ": " + c.description() + " (seed " + c.seed()
                            + "; input saved as " + saved + ") still reads after " + hang + " s: the reader hangs");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("ReaderFuzz " + name + ": interrupted", e);
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        return result[0];
    }

    private int runCases() {
        if (fixtures.isEmpty()) {
            throw new IllegalStateException("ReaderFuzz " + name + ": no fixtures");
        }
        String replay = System.getProperty("myelin.fuzz.replay");
        if (replay != null && !replay.isBlank()) {
            check(Corruptions.of(Long.parseLong(replay.trim()), fixtures));
            return 1;
        }
        for (byte[] f : fixtures) {
            try {
                reader.read(f.clone());
            } catch (Throwable t) {
                throw new AssertionError("ReaderFuzz " + name + ": a valid fixture is refused: " + t, t);
            }
        }
        int cases = 0;
        for (Corruptions.Case c : regressions) {
            check(c);
            cases++;
        }
        for (byte[] f : fixtures) {
            for (Corruptions.Case c : Corruptions.truncations(f, 512)) {
                check(c);
                cases++;
            }
        }
        double seconds = Double.parseDouble(System.getProperty("myelin.fuzz.seconds", "2"));
        long base = Long.getLong("myelin.fuzz.seed", (long) name.hashCode() * 0x9E3779B97F4A7C15L);
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        for (long i = 0; System.nanoTime() < deadline || i < 50; i++) {
            check(Corruptions.of(base + i, fixtures));
            cases++;
        }
        System.out.println("ReaderFuzz " + name + ": " + cases + " cases in a budget of " + seconds + " s, base seed "
                + base);
        return cases;
    }

    private void check(Corruptions.Case c) {
        if (stopped) {
            throw new IllegalStateException("ReaderFuzz " + name + ": stopped after a hang");
        }
        Throwable bad;
        since = System.nanoTime();
        current = c;
        try {
            reader.read(c.bytes());
            return;
        } catch (Throwable t) {
            if (allowed.isInstance(t) && t.getMessage() != null && !t.getMessage().isBlank()
                    && t.getMessage().indexOf('\n') < 0) {
                return;
            }
            bad = t;
        }
        Path saved = save(c);
        StringWriter trace = new StringWriter();
        bad.printStackTrace(new PrintWriter(trace));
        String replay = c.seed() == Corruptions.NO_SEED ? "replay from the saved input"
                : "replay with -Dmyelin.fuzz.replay=" + c.seed();
        throw new AssertionError("ReaderFuzz " + name + ": " + c.description() + " (" + replay + "; input saved as "
                + saved + ") threw, instead of a one-line " + allowed.getSimpleName()
                + ": " + bad + "\n" + trace, bad);
    }

    private Path save(Corruptions.Case c) {
        try {
            Path dir = Path.of("target", "fuzz-failures");
            Files.createDirectories(dir);
            Path f = dir.resolve(name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + (c.seed() == Corruptions.NO_SEED
                    ? "input-" + c.bytes().length + "-bytes" : Long.toString(c.seed())) + ".bin");
            Files.write(f, c.bytes());
            return f;
        } catch (IOException e) {
            return Path.of("(not saved: " + e.getMessage() + ")");
        }
    }
}
