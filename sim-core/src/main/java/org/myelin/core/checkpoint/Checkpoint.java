package org.myelin.core.checkpoint;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.myelin.core.MyelinException;
import org.myelin.core.io.AtomicFile;
import org.myelin.core.network.Network;

/**
 * The contents of a checkpoint file: which backend, which network, which step, and named arrays of state.
 *
 * <pre>
 *   magic       8 bytes "MYLNCKP1"
 *   version     int (big-endian), {@value #VERSION}
 *   backend     modified UTF-8 string (DataOutput.writeUTF)
 *   fingerprint 32 bytes, NetworkFingerprint.of(network)
 *   step        long: the next step to simulate
 *   sections    int count, then per section: name (UTF), type byte (F float, I int, B byte, D double),
 *               int length, the values
 *   crc         long: CRC-32 of every byte before it
 * </pre>
 */
public final class Checkpoint {
    public static final int VERSION = 1;
    private static final byte[] MAGIC = {'M', 'Y', 'L', 'N', 'C', 'K', 'P', '1'};

    private final String backend;
    private final byte[] fingerprint;
    private final long step;
    private final Map<String, Object> sections = new LinkedHashMap<>();

    public Checkpoint(String backend, Network network, long step) {
        this(backend, NetworkFingerprint.of(network), step);
    }

    /**
     * A checkpoint of something other than a network (a training run, say): {@code writer} names what wrote
     * it and {@code fingerprint} (32 bytes, e.g. a SHA-256 of the configuration) what it belongs to.
     */
    public Checkpoint(String writer, byte[] fingerprint, long step) {
        if (fingerprint == null || fingerprint.length != 32) {
            throw new MyelinException("checkpoint: the fingerprint must have 32 bytes");
        }
        this.backend = writer;
        this.fingerprint = fingerprint;
        this.step = step;
    }

    public String backend() {
        return backend;
    }

    public long step() {
        return step;
    }

    public Checkpoint put(String name, float[] a) {
        sections.put(name, a.clone());
        return this;
    }

    public Checkpoint put(String name, int[] a) {
        sections.put(name, a.clone());
        return this;
    }

    public Checkpoint put(String name, byte[] a) {
        sections.put(name, a.clone());
        return this;
    }

    public Checkpoint put(String name, double[] a) {
        sections.put(name, a.clone());
        return this;
    }

    public boolean has(String name) {
        return sections.containsKey(name);
    }

    public float[] floats(String name, int length) {
        return get(name, float[].class, length);
    }

    public int[] ints(String name, int length) {
        return get(name, int[].class, length);
    }

    /** An int section of any length. */
    public int[] ints(String name) {
        return get(name, int[].class, -1);
    }

    public float[] floats(String name) {
        return get(name, float[].class, -1);
    }

    public byte[] bytes(String name, int length) {
        return get(name, byte[].class, length);
    }

    public double[] doubles(String name, int length) {
        return get(name, double[].class, length);
    }

    private <T> T get(String name, Class<T> type, int length) {
        Object o = sections.get(name);
        if (o == null) {
            throw new MyelinException("checkpoint: section '" + name + "' is missing; found " + sections.keySet());
        }
        if (!type.isInstance(o)) {
            throw new MyelinException("checkpoint: section '" + name + "' has the wrong type");
        }
        int len = java.lang.reflect.Array.getLength(o);
        if (length >= 0 && len != length) {
            throw new MyelinException("checkpoint: section '" + name + "' has " + len + " values, expected " + length);
        }
        return type.cast(o);
    }

    /** Checks that this checkpoint was written by {@code expectedBackend} for {@code network}. */
    public void requireFor(String expectedBackend, Network network) {
        if (!backend.equals(expectedBackend)) {
            throw new MyelinException("checkpoint was written by the '" + backend + "' backend, not '" + expectedBackend
                    + "'");
        }
        if (!Arrays.equals(fingerprint, NetworkFingerprint.of(network))) {
            throw new MyelinException("checkpoint is of another network (its fingerprint differs: other dt, seed,"
                    + " populations, projections, sources or inputs)");
        }
    }

    /**
     * Checks that this checkpoint was written by {@code expectedWriter} for the thing whose fingerprint is
     * {@code expected}; {@code what} describes that thing in the refusal.
     */
    public void requireFor(String expectedWriter, byte[] expected, String what) {
        if (!backend.equals(expectedWriter)) {
            throw new MyelinException("checkpoint was written by '" + backend + "', not '" + expectedWriter + "'");
        }
        if (!Arrays.equals(fingerprint, expected)) {
            throw new MyelinException("checkpoint is of another " + what + " (its fingerprint differs)");
        }
    }

    /** The names of the sections, in the order they were put. */
    public java.util.Set<String> sectionNames() {
        return java.util.Collections.unmodifiableSet(sections.keySet());
    }

    /** Writes to a temporary file beside {@code file}, then moves it into place ({@link AtomicFile}). */
    public void write(Path file) {
        AtomicFile.write(file, this::encode);
    }

    private void encode(OutputStream raw) throws IOException {
        CRC32 crc = new CRC32();
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc));
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(backend);
        out.write(fingerprint);
        out.writeLong(step);
        out.writeInt(sections.size());
        for (Map.Entry<String, Object> e : sections.entrySet()) {
            out.writeUTF(e.getKey());
            Object v = e.getValue();
            if (v instanceof float[] f) {
                out.writeByte('F');
                out.writeInt(f.length);
                for (float x : f) {
                    out.writeInt(Float.floatToRawIntBits(x));
                }
            } else if (v instanceof int[] a) {
                out.writeByte('I');
                out.writeInt(a.length);
                for (int x : a) {
                    out.writeInt(x);
                }
            } else if (v instanceof byte[] a) {
                out.writeByte('B');
                out.writeInt(a.length);
                out.write(a);
            } else {
                double[] d = (double[]) v;
                out.writeByte('D');
                out.writeInt(d.length);
                for (double x : d) {
                    out.writeLong(Double.doubleToRawLongBits(x));
                }
            }
        }
        out.flush();
        new DataOutputStream(raw).writeLong(crc.getValue());
    }

    /** A section as the reader decoded it (already a private array). */
    void putDecoded(String name, Object values) {
        sections.put(name, values);
    }

    /**
     * Reads and verifies a checkpoint file: magic, version, every count and length against the bytes left, CRC-32;
     * refuses anything else with the reason (a truncated file: with the length it needs and the length it has).
     */
    public static Checkpoint read(Path file) {
        byte[] all;
        try {
            if (Files.isRegularFile(file) && Files.size(file) > Integer.MAX_VALUE - 8) {
                throw new MyelinException("checkpoint " + file + ": " + Files.size(file) + " bytes; checkpoints of"
                        + " more than 2 GiB are not read (split the state, e.g. one checkpoint per rank)");
            }
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new MyelinException("checkpoint: cannot read " + file + ": " + e.getMessage(), e);
        }
        return CheckpointReader.decode(file.toString(), all, MAGIC, VERSION);
    }
}
