package org.myelin.datasets.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.myelin.core.MyelinException;

/**
 * The digest a file must have: SHA-256 where a publisher gives one, MD5 where MD5 is what the publisher (or the
 * tools the field uses, torchvision and Tonic) publishes. MD5 is kept for matching published values, not for
 * security: it identifies the published file.
 */
public record Checksum(String algorithm, String hex) {
    public Checksum {
        int digits = switch (algorithm) {
            case "SHA-256" -> 64;
            case "MD5" -> 32;
            default -> throw new MyelinException("checksum: algorithm must be SHA-256 or MD5, was '" + algorithm + "'");
        };
        hex = hex == null ? "" : hex.toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{" + digits + "}")) {
            throw new MyelinException("checksum: " + algorithm + " must be " + digits + " hex digits, was '" + hex + "'");
        }
    }

    public static Checksum sha256(String hex) {
        return new Checksum("SHA-256", hex);
    }

    public static Checksum md5(String hex) {
        return new Checksum("MD5", hex);
    }

    /** The digest of {@code file} with this checksum's algorithm, lower-case hex. */
    public String of(Path file) throws IOException {
        return digest(algorithm, file);
    }

    /** Whether {@code file} has this digest. */
    public boolean matches(Path file) throws IOException {
        return of(file).equals(hex);
    }

    static String digest(String algorithm, Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Override
    public String toString() {
        return algorithm.toLowerCase(Locale.ROOT).replace("-", "") + " " + hex;
    }
}
