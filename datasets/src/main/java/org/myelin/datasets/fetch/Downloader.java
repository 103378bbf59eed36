package org.myelin.datasets.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import org.myelin.core.MyelinException;

/**
 * Downloads a file into a cache folder and checks its digest (SHA-256, or the MD5 a publisher gives). A download
 * goes to {@code name.part}; a broken connection is resumed with an HTTP Range request (up to {@code attempts}
 * tries); only a file whose digest matches is moved to {@code name}; a file already in the cache with the right
 * digest is not fetched again. With no checksum (a source that publishes none) the file is kept as downloaded and
 * its SHA-256 is reported, so that the user can pin it. A {@code file:} URL is copied from the local file system;
 * other schemes are refused, and so is a name that is not one plain file name inside the cache folder.
 */
public final class Downloader {
    /** Told how far a download is. */
    @FunctionalInterface
    public interface Progress {
        void update(long bytes, long totalBytes, double bytesPerSecond);
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final int attempts;

    public Downloader(int attempts) {
        if (attempts < 1) {
            throw new MyelinException("downloader: attempts must be >= 1, was " + attempts);
        }
        this.attempts = attempts;
    }

    /** The cache folder: {@code MYELIN_CACHE}, else {@code ~/.cache/myelin}. */
    public static Path defaultCache() {
        String env = System.getenv("MYELIN_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "myelin");
    }

    /** Fetches {@code url} as {@code cache/name}, verified against {@code sha256} (hex). */
    public Path fetch(URI url, String sha256, Path cache, String name, Progress progress) {
        return fetch(url, Checksum.sha256(sha256), cache, name, progress);
    }

    /**
     * Fetches {@code url} as {@code cache/name}, verified against {@code expected}; {@code null} means that the
     * source publishes no checksum: the file is then kept as downloaded (see {@link #sha256(Path)} to pin it).
     */
    public Path fetch(URI url, Checksum expected, Path cache, String name, Progress progress) {
        requireSupported(url);
        Path target = inside(cache, name);
        Path part = cache.resolve(name + ".part");
        String pin = expected == null ? "" : " (" + expected + ")";
        try {
            Files.createDirectories(cache);
            if (Files.exists(target)) {
                if (expected == null || expected.matches(target)) {
                    return target;
                }
                Files.delete(target);
            }
            IOException last = null;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                try {
                    transfer(url, part, progress);
                    last = null;
                    break;
                } catch (UnknownHostException | ConnectException e) {
                    throw new MyelinException("cannot reach " + url.getHost() + " (" + e.getClass().getSimpleName()
                            + "): download " + url + " elsewhere and place it at " + target + pin, e);
                } catch (IOException e) {
                    last = e;
                }
            }
            if (last != null) {
                throw new MyelinException("download of " + url + " broke off " + attempts + " times (" + last.getMessage()
                        + "); " + Files.size(part) + " bytes kept in " + part + " to resume next time", last);
            }
            if (expected != null) {
                String got = expected.of(part);
                if (!got.equals(expected.hex())) {
                    Files.delete(part);
                    throw new MyelinException("download of " + url + " is corrupted: "
                            + expected.algorithm().toLowerCase(Locale.ROOT).replace("-", "") + " " + got + ", expected "
                            + expected.hex() + "; the file was removed");
                }
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new MyelinException("download of " + url + " to " + target + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The file name a URL names: the last part of its path. A URL whose path is empty or ends in '/' names none
     * (give a name then).
     */
    public static String fileName(URI url) {
        String path = url.getPath();
        if (path == null || path.isEmpty() || path.endsWith("/")) {
            throw new MyelinException("URL " + url + " names no file (its path "
                    + (path == null || path.isEmpty() ? "is empty" : "ends in '/'") + "): give the file name with --name");
        }
        return checkName(path.substring(path.lastIndexOf('/') + 1));
    }

    /**
     * Checks a file name for the cache: one plain name (no slash or backslash, not "." or "..", not hidden, at most 255
     * characters), so that the file lands inside the cache folder.
     */
    public static String checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new MyelinException("the file name in the cache is empty; give one with --name");
        }
        if (name.contains("/") || name.contains("\\") || name.indexOf('\0') >= 0 || name.equals(".")
                || name.equals("..") || name.startsWith(".") || name.length() > 255) {
            throw new MyelinException("the file name in the cache must be one plain name (no '/' or '\\', not"
                    + " starting with '.', at most 255 characters), was '" + name + "'");
        }
        return name;
    }

    /** {@code cache/name}, checked to lie inside the cache folder. */
    static Path inside(Path cache, String name) {
        checkName(name);
        Path root = cache.toAbsolutePath().normalize();
        Path target = root.resolve(name).normalize();
        if (!root.equals(target.getParent())) {
            throw new MyelinException("the file name '" + name + "' resolves to " + target + ", outside the cache "
                    + root);
        }
        return cache.resolve(name);
    }

    /** http and https are downloaded, file is copied; anything else is refused before any I/O. */
    private static void requireSupported(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "http", "https" -> {
                if (url.getHost() == null || url.getHost().isEmpty()) {
                    throw new MyelinException("URL " + url + " has no host");
                }
            }
            case "file" -> {
                if (url.getPath() == null || url.getPath().isEmpty()) {
                    throw new MyelinException("URL " + url + " has no path");
                }
            }
            default -> throw new MyelinException("URL " + url + ": scheme '" + scheme + "' is not supported; use"
                    + " http, https or file");
        }
    }

    private void transfer(URI url, Path part, Progress progress) throws IOException {
        if ("file".equalsIgnoreCase(url.getScheme())) {
            copy(url, part, progress);
            return;
        }
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpRequest.Builder req = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(30)).GET();
        if (have > 0) {
            req.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        int code = resp.statusCode();
        boolean append = code == 206 && have > 0;
        if (code == 416 && have > 0) {
            resp.body().close();
            return;
        }
        if (code != 200 && code != 206) {
            resp.body().close();
            throw new MyelinException("download of " + url + ": HTTP " + code);
        }
        long length = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
        long total = length < 0 ? -1 : (append ? have + length : length);
        long done = append ? have : 0;
        long start = System.nanoTime();
        long started = done;
        try (InputStream in = resp.body();
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[1 << 16];
            int n;
            long lastReport = 0;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                done += n;
                long now = System.nanoTime();
                if (progress != null && now - lastReport > 200_000_000L) {
                    progress.update(done, total, (done - started) / Math.max(1e-9, (now - start) / 1e9));
                    lastReport = now;
                }
            }
        }
        if (total >= 0 && done < total) {
            throw new IOException("connection closed after " + done + " of " + total + " bytes");
        }
        if (progress != null) {
            progress.update(done, total, (done - started) / Math.max(1e-9, (System.nanoTime() - start) / 1e9));
        }
    }

    /** A local file, copied whole (a file URL has no partial transfer to resume). */
    private static void copy(URI url, Path part, Progress progress) throws IOException {
        Path from;
        try {
            from = Path.of(url);
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new MyelinException("URL " + url + " is not a local file: " + e.getMessage());
        }
        if (!Files.isRegularFile(from)) {
            throw new MyelinException("URL " + url + ": " + (Files.exists(from) ? "not a file" : "no such file"));
        }
        Files.copy(from, part, StandardCopyOption.REPLACE_EXISTING);
        if (progress != null) {
            long n = Files.size(part);
            progress.update(n, n, 0);
        }
    }

    /** SHA-256 of a file, lower-case hex. */
    public static String sha256(Path file) throws IOException {
        return Checksum.digest("SHA-256", file);
    }
}
