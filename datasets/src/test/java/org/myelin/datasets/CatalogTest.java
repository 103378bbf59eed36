package org.myelin.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.datasets.event.EventStream;
import org.myelin.datasets.fetch.Catalog;
import org.myelin.datasets.fetch.Catalog.Dataset;
import org.myelin.datasets.fetch.Catalog.Remote;
import org.myelin.datasets.fetch.Catalog.Unpack;
import org.myelin.datasets.fetch.Checksum;
import org.myelin.datasets.fetch.Downloader;
import org.myelin.datasets.nmnist.NmnistDataset;
import org.myelin.datasets.nmnist.NmnistFormat;

/** The dataset catalogue: well-formed entries, and fetch-and-unpack against a loopback server. */
class CatalogTest {
    private HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    @TempDir
    Path cache;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            byte[] body = files.get(ex.getRequestURI().getPath().substring(1));
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String name) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name);
    }

    private static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    private static byte[] zip(Map<String, byte[]> entries) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void everyEntryIsWellFormed() {
        Set<String> names = new HashSet<>();
        for (Dataset d : Catalog.datasets()) {
            assertTrue(names.add(d.name()), "unique name " + d.name());
            Set<String> fileNames = new HashSet<>();
            for (Remote r : d.files()) {
                assertTrue(fileNames.add(r.file()), d.name() + ": unique file " + r.file());
                assertTrue(r.url().getScheme().startsWith("http"), r.url().toString());
                assertTrue(r.url().getHost() != null && !r.url().getHost().isBlank(), r.url().toString());
            }
        }
        assertTrue(names.containsAll(List.of("mnist", "fashion-mnist", "nmnist", "shd", "ntidigits", "wisdm")), names.toString());
        assertTrue(Catalog.get("nmnist").verified());
        assertFalse(Catalog.get("wisdm").verified(), "UCI publishes no checksum, and the catalogue says so");
        assertEquals("MD5", Catalog.get("shd").files().get(0).checksum().algorithm());
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        MyelinException e = assertThrows(MyelinException.class, () -> Catalog.get("n-caltech"));
        assertTrue(e.getMessage().contains("known: mnist, fashion-mnist, nmnist"), e.getMessage());
    }

    @Test
    void aDatasetIsDownloadedVerifiedUnpackedAndReadable() throws Exception {
        // an N-MNIST-shaped archive: Train/3/00001.bin and Test/7/00002.bin, real 40-bit event files
        EventStream a = new EventStream(34, 34, 3);
        a.add(10, 1, 4, 1);
        a.add(20, 2, 5, 0);
        a.add(30, 3, 6, 1);
        EventStream b = new EventStream(34, 34, 2);
        b.add(5, 33, 0, 0);
        b.add(9_000, 0, 33, 1);
        Path tmp = Files.createTempFile("ev", ".bin");
        NmnistFormat.write(a, tmp);
        byte[] binA = Files.readAllBytes(tmp);
        NmnistFormat.write(b, tmp);
        byte[] binB = Files.readAllBytes(tmp);
        Files.delete(tmp);
        byte[] trainZip = zip(Map.of("Train/3/00001.bin", binA));
        byte[] testZip = zip(Map.of("Test/7/00002.bin", binB));
        byte[] text = "plain bytes\n".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(text);
        }
        files.put("train.zip", trainZip);
        files.put("test.zip", testZip);
        files.put("notes.txt.gz", gz.toByteArray());
        files.put("labels.gz", gz.toByteArray());
        Dataset d = new Dataset("tiny", "test", "loopback", "NmnistDataset", List.of(
                new Remote(url("train.zip"), "train.zip", Checksum.md5(md5(trainZip)), Unpack.ZIP),
                new Remote(url("test.zip"), "test.zip", Checksum.md5(md5(testZip)), Unpack.ZIP),
                new Remote(url("notes.txt.gz"), "notes.txt.gz", Checksum.md5(md5(gz.toByteArray())), Unpack.GZIP),
                new Remote(url("labels.gz"), "labels.gz", Checksum.md5(md5(gz.toByteArray())), Unpack.NONE)));
        List<String> announced = new java.util.ArrayList<>();
        Path folder = Catalog.fetch(d, cache, new Downloader(2), false, r -> {
            announced.add(r.file());
            return null;
        });
        assertEquals(cache.resolve("tiny"), folder);
        assertEquals(List.of("train.zip", "test.zip", "notes.txt.gz", "labels.gz"), announced);
        assertArrayEquals(text, Files.readAllBytes(folder.resolve("notes.txt")));
        assertTrue(Files.exists(folder.resolve("labels.gz")) && !Files.exists(folder.resolve("labels")));
        NmnistDataset train = NmnistDataset.open(folder, "Train");
        NmnistDataset test = NmnistDataset.open(folder, "Test");
        assertEquals(1, train.size());
        assertEquals(1, test.size());
        assertEquals(3, train.samples().get(0).label());
        assertEquals(7, test.samples().get(0).label());
        assertEquals(b, NmnistFormat.read(folder.resolve("Test/7/00002.bin")), "the events survive download and unzip");

        int before = requests.get();
        Files.writeString(folder.resolve("Train/3/extra.txt"), "kept");
        Catalog.fetch(d, cache, new Downloader(2), false, null);
        assertEquals(before, requests.get(), "verified files are not fetched again");
        assertTrue(Files.exists(folder.resolve("Train/3/extra.txt")), "an unpacked archive is not unpacked again");
    }

    @Test
    void aZipEntryThatEscapesTheFolderIsRefused() throws Exception {
        byte[] evil = zip(Map.of("../../escaped.txt", "x".getBytes(StandardCharsets.US_ASCII)));
        files.put("evil.zip", evil);
        Dataset d = new Dataset("evil", "test", "loopback", "-", List.of(
                new Remote(url("evil.zip"), "evil.zip", Checksum.md5(md5(evil)), Unpack.ZIP)));
        MyelinException e = assertThrows(MyelinException.class,
                () -> Catalog.fetch(d, cache, new Downloader(1), false, null));
        assertTrue(e.getMessage().contains("points outside the folder"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("escaped.txt")));
        assertFalse(Files.exists(cache.getParent().resolve("escaped.txt")));
    }

    @Test
    void aFileWithoutAPublishedChecksumNeedsConsent() throws Exception {
        byte[] body = "abc".getBytes(StandardCharsets.US_ASCII);
        files.put("raw.txt", body);
        Dataset d = new Dataset("raw", "test", "a source that publishes no checksum", "-", List.of(
                new Remote(url("raw.txt"), "raw.txt", null, Unpack.NONE)));
        MyelinException e = assertThrows(MyelinException.class,
                () -> Catalog.fetch(d, cache, new Downloader(1), false, null));
        assertTrue(e.getMessage().contains("publishes no checksum"), e.getMessage());
        assertEquals(0, requests.get());
        Path folder = Catalog.fetch(d, cache, new Downloader(1), true, null);
        assertArrayEquals(body, Files.readAllBytes(folder.resolve("raw.txt")));
    }

    @Test
    void checksumsAreValidated() {
        assertThrows(MyelinException.class, () -> Checksum.md5("abc"));
        assertThrows(MyelinException.class, () -> Checksum.sha256("f68b3c2dcbeaaa9fbdd348bbdeb94873"));
        assertThrows(MyelinException.class, () -> new Checksum("SHA-1", "0".repeat(40)));
        assertEquals("md5 " + "a".repeat(32), Checksum.md5("A".repeat(32)).toString());
    }
}
