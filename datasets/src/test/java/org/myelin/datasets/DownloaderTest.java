package org.myelin.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.datasets.fetch.Checksum;
import org.myelin.datasets.fetch.Downloader;

/** The downloader against a loopback HTTP server that can drop connections and corrupt bytes. */
class DownloaderTest {
    private HttpServer server;
    private final byte[] payload = new byte[300_000];
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger drops = new AtomicInteger();
    private volatile boolean corrupt;

    @TempDir
    Path cache;

    @BeforeEach
    void start() throws Exception {
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31 + (i >> 8));
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/data.bin", ex -> {
            requests.incrementAndGet();
            int from = 0;
            String range = ex.getRequestHeaders().getFirst("Range");
            if (range != null && range.startsWith("bytes=")) {
                from = Integer.parseInt(range.substring(6, range.indexOf('-')));
            }
            int length = payload.length - from;
            ex.getResponseHeaders().add("Content-Length", Integer.toString(length));
            ex.sendResponseHeaders(from > 0 ? 206 : 200, length);
            try (OutputStream out = ex.getResponseBody()) {
                if (drops.getAndDecrement() > 0) {
                    out.write(payload, from, length / 3);
                    out.flush();
                    ex.close();
                    return;
                }
                byte[] body = java.util.Arrays.copyOfRange(payload, from, payload.length);
                if (corrupt) {
                    body[body.length / 2] ^= 1;
                }
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/data.bin");
    }

    private String sha() throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
    }

    @Test
    void downloadsVerifiesAndCaches() throws Exception {
        long[] reported = {0};
        Path f = new Downloader(3).fetch(url(), sha(), cache, "data.bin", (b, t, r) -> reported[0] = b);
        assertArrayEquals(payload, Files.readAllBytes(f));
        assertEquals(payload.length, reported[0], "progress reached the end");
        int before = requests.get();
        new Downloader(3).fetch(url(), sha(), cache, "data.bin", null);
        assertEquals(before, requests.get(), "a verified file in the cache is not fetched again");
    }

    @Test
    void aDroppedConnectionIsResumedWithARangeRequest() throws Exception {
        drops.set(2);
        Path f = new Downloader(5).fetch(url(), sha(), cache, "data.bin", null);
        assertArrayEquals(payload, Files.readAllBytes(f));
        assertEquals(3, requests.get(), "two broken transfers, then the rest");
    }

    @Test
    void aCorruptedDownloadIsRefusedAndRemoved() throws Exception {
        corrupt = true;
        MyelinException e = assertThrows(MyelinException.class,
                () -> new Downloader(2).fetch(url(), sha(), cache, "data.bin", null));
        assertTrue(e.getMessage().contains("is corrupted: sha256"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("data.bin")));
        assertFalse(Files.exists(cache.resolve("data.bin.part")));
    }

    @Test
    void anMd5PublishedByTheSourceIsChecked() throws Exception {
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(payload));
        Path f = new Downloader(2).fetch(url(), Checksum.md5(md5), cache, "data.bin", null);
        assertArrayEquals(payload, Files.readAllBytes(f));
        Files.delete(f);
        corrupt = true;
        MyelinException e = assertThrows(MyelinException.class,
                () -> new Downloader(2).fetch(url(), Checksum.md5(md5), cache, "data.bin", null));
        assertTrue(e.getMessage().contains("is corrupted: md5"), e.getMessage());
    }

    @Test
    void anUnreachableHostSaysWhereToPutTheFile() {
        MyelinException e = assertThrows(MyelinException.class, () -> new Downloader(1)
                .fetch(URI.create("http://127.0.0.1:1/x.bin"), "a".repeat(64), cache, "x.bin", null));
        assertTrue(e.getMessage().contains("download http://127.0.0.1:1/x.bin elsewhere and place it at"), e.getMessage());
    }
}
