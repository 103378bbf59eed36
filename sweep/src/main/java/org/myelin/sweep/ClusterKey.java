package org.myelin.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.myelin.core.MyelinException;

/**
 * What a process must know to join a sweep cluster: the cluster's name and a shared secret. The name Hazelcast
 * sees ({@link #hazelcastName}) is the given name followed by an HMAC-SHA256 tag of it under the secret; Hazelcast
 * refuses a join request whose cluster name differs, so a member with a wrong or no secret cannot join and is sent
 * no work. The secret itself never goes on the wire, but the derived name does, in clear text (open-source
 * Hazelcast has no TLS): anyone who can read the cluster's traffic can join. Run clusters on loopback or on a network
 * whose traffic only trusted hosts can see (see SECURITY.md).
 *
 * @param name   the cluster's name: 1 to 64 letters, digits, '.', '_' or '-'
 * @param secret the shared secret, at least 16 characters
 */
public record ClusterKey(String name, String secret) {
    /** The environment variable a worker and a driver read the secret from. */
    public static final String SECRET_ENV = "MYELIN_SWEEP_SECRET";
    private static final SecureRandom RANDOM = new SecureRandom();

    public ClusterKey {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new MyelinException("sweep: the cluster name must be 1 to 64 letters, digits, '.', '_' or '-', was '"
                    + name + "'");
        }
        if (secret == null || secret.length() < 16) {
            throw new MyelinException("sweep: the cluster's secret must have at least 16 characters, had "
                    + (secret == null ? 0 : secret.length()));
        }
    }

    /** A fresh random secret: 32 hex digits (128 bits). */
    public static String newSecret() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A fresh random cluster name, {@code sweep-} and 8 hex digits. */
    public static String newName() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return "sweep-" + HexFormat.of().formatHex(b);
    }

    /**
     * The secret from {@code file} (its first line, stripped) when given, else from {@link #SECRET_ENV} in
     * {@code env}; null when neither has one.
     */
    public static String secretFrom(Path file, Map<String, String> env) {
        if (file != null) {
            try {
                String s = Files.readString(file, StandardCharsets.UTF_8).strip();
                int nl = s.indexOf('\n');
                s = (nl < 0 ? s : s.substring(0, nl)).strip();
                if (s.isEmpty()) {
                    throw new MyelinException("sweep: the secret file " + file + " is empty");
                }
                return s;
            } catch (java.nio.file.NoSuchFileException e) {
                throw new MyelinException("sweep: no secret file " + file);
            } catch (IOException e) {
                throw new MyelinException("sweep: cannot read the secret file " + file + ": " + e.getMessage(), e);
            }
        }
        String s = env.get(SECRET_ENV);
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** The cluster name members present to each other: {@code name-TAG}, TAG 32 hex digits of HMAC(secret, name). */
    public String hazelcastName() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] tag = mac.doFinal(("myelin-sweep-cluster:" + name).getBytes(StandardCharsets.UTF_8));
            return name + "-" + HexFormat.of().formatHex(tag, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new MyelinException("sweep: HmacSHA256 is not available in this JVM: " + e.getMessage(), e);
        }
    }

    /** Never shows the secret. */
    @Override
    public String toString() {
        return "ClusterKey[name=" + name + ", secret=(" + secret.length() + " characters)]";
    }
}
