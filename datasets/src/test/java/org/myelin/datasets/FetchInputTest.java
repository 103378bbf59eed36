package org.myelin.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.datasets.fetch.Checksum;
import org.myelin.datasets.fetch.Downloader;

/** What a URL fetch refuses before any transfer, and file URLs copied from this machine. */
class FetchInputTest {
    @TempDir
    Path dir;

    @Test
    void aFileUrlIsCopiedAndVerified() throws Exception {
        Path src = dir.resolve("src.bin");
        Files.write(src, new byte[] {1, 2, 3, 4, 5});
        Path cache = dir.resolve("cache");
        String sha = Downloader.sha256(src);
        Path got = new Downloader(1).fetch(src.toUri(), Checksum.sha256(sha), cache, Downloader.fileName(src.toUri()),
                null);
        assertEquals(cache.resolve("src.bin"), got);
        assertEquals(sha, Downloader.sha256(got));
        MyelinException missing = assertThrows(MyelinException.class, () -> new Downloader(1)
                .fetch(dir.resolve("none.bin").toUri(), (Checksum) null, cache, "none.bin", null));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
    }

    @Test
    void aUrlEndingInASlashOrWithoutAPathNamesNoFile() {
        for (String u : new String[] {"https://example.org/data/", "https://example.org", "https://example.org/"}) {
            MyelinException e = assertThrows(MyelinException.class, () -> Downloader.fileName(URI.create(u)));
            assertTrue(e.getMessage().contains("names no file") && e.getMessage().contains("--name"), e.getMessage());
        }
        assertEquals("x.bin", Downloader.fileName(URI.create("https://example.org/a/x.bin")));
    }

    @Test
    void namesThatLeaveTheCacheAreRefused() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Path src = dir.resolve("src.bin");
        Files.write(src, new byte[] {9});
        for (String name : new String[] {"../..", "..", "../escaped.bin", "a/b.bin", "/etc/passwd", ".hidden", "",
            "a\\b"}) {
            MyelinException e = assertThrows(MyelinException.class, () -> new Downloader(1).fetch(src.toUri(),
                    (Checksum) null, cache, name, null), name);
            assertTrue(e.getMessage().contains("file name"), e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("escaped.bin")));
        try (var s = Files.list(cache)) {
            assertEquals(0, s.count(), "nothing was written");
        }
    }

    @Test
    void unsupportedSchemesAreRefusedClearly() {
        for (String u : new String[] {"ftp://example.org/x.bin", "jar:file:/x.jar!/y", "gopher://h/x"}) {
            MyelinException e = assertThrows(MyelinException.class, () -> new Downloader(1).fetch(URI.create(u),
                    (Checksum) null, dir, "x.bin", null));
            assertTrue(e.getMessage().contains("is not supported; use http, https or file"), e.getMessage());
        }
    }
}
