package org.myelin.core.monitor;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.myelin.core.MyelinException;

/**
 * A compact binary spike file for one spike monitor, written as a sink and read back with {@link #read}.
 *
 * <pre>
 *   magic      8 bytes  "MYLNSPK1"
 *   dtMs       8 bytes  IEEE-754 double, big-endian
 *   per step with spikes:
 *     varint   step - previous step (the previous step starts at -1, so this is never 0)
 *     varint   count (at least 1)
 *     count x  zigzag varint of neuron - previous neuron (the previous neuron starts at 0 in each step)
 *   end        varint 0, then 8 bytes big-endian: the total number of spikes
 * </pre>
 * Varints are unsigned LEB128. About 1.1 to 2 bytes per spike for typical rasters.
 */
public final class BinarySpikeFile implements RecordingSink {
    static final byte[] MAGIC = "MYLNSPK1".getBytes(StandardCharsets.US_ASCII);

    private final Path path;
    private final DataOutputStream out;
    private String monitor;
    private long previousStep = -1;
    private long total;

    /** Opens {@code path} for writing (replacing it). */
    public BinarySpikeFile(Path path, double dtMs) {
        this.path = path;
        try {
            out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(path), 1 << 16));
            out.write(MAGIC);
            out.writeDouble(dtMs);
        } catch (IOException e) {
            throw new MyelinException("cannot write spike file " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void spikes(SpikeMonitor m, long step, int[] neurons, int count) {
        if (count == 0) {
            return;
        }
        if (monitor == null) {
            monitor = m.name();
        } else if (!monitor.equals(m.name())) {
            throw new MyelinException("spike file " + path + " holds monitor '" + monitor
                    + "'; route monitor '" + m.name() + "' to a file of its own");
        }
        if (step <= previousStep) {
            throw new MyelinException("spike file " + path + ": steps must increase, got " + step + " after "
                    + previousStep);
        }
        try {
            writeVarint(step - previousStep);
            writeVarint(count);
            int prev = 0;
            for (int i = 0; i < count; i++) {
                int d = neurons[i] - prev;
                writeVarint(((long) d << 1) ^ ((long) d >> 63));
                prev = neurons[i];
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + path, e);
        }
        previousStep = step;
        total += count;
    }

    private void writeVarint(long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    @Override
    public void close() {
        try {
            writeVarint(0);
            out.writeLong(total);
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing " + path, e);
        }
    }

    /** Reads a whole file; a damaged or truncated file is refused with the byte offset of the problem. */
    public static SpikeRecord read(Path path) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            Reader r = new Reader(raw, path);
            byte[] magic = r.bytes(8);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new MyelinException(path + ": not a Myelin spike file: expected magic \"MYLNSPK1\" at byte 0, found "
                        + printable(magic));
            }
            r.bytes(8);
            SpikeRecord rec = new SpikeRecord();
            long step = -1;
            while (true) {
                long offset = r.offset;
                long delta = r.varint();
                if (delta == 0) {
                    break;
                }
                step += delta;
                if (step < 0) {
                    throw new MyelinException(path + ": byte " + offset + ": step delta " + delta
                            + " takes the step past " + Long.MAX_VALUE);
                }
                long count = r.varint();
                if (count < 1 || count > Integer.MAX_VALUE) {
                    throw new MyelinException(path + ": byte " + offset + ": expected a spike count >= 1, found " + count);
                }
                long prev = 0;
                for (long i = 0; i < count; i++) {
                    long z = r.varint();
                    long d = (z >>> 1) ^ -(z & 1);
                    prev += d;
                    if (prev < 0 || prev > Integer.MAX_VALUE) {
                        throw new MyelinException(path + ": byte " + r.offset + ": neuron index " + prev
                                + " is outside 0.." + Integer.MAX_VALUE);
                    }
                    rec.add(step, (int) prev);
                }
            }
            long offset = r.offset;
            byte[] t = r.bytes(8);
            long total = java.nio.ByteBuffer.wrap(t).getLong();
            if (total != rec.size()) {
                throw new MyelinException(path + ": byte " + offset + ": trailer says " + total + " spikes, found "
                        + rec.size());
            }
            return rec;
        } catch (IOException e) {
            throw new MyelinException("cannot read spike file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Bytes as text where they are printable ASCII, else as hex, for messages on one line. */
    static String printable(byte[] b) {
        StringBuilder s = new StringBuilder("\"");
        for (byte x : b) {
            s.append(x >= 0x20 && x < 0x7F ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xFF));
        }
        return s.append('"').toString();
    }

    private static final class Reader {
        final InputStream in;
        final Path path;
        long offset;

        Reader(InputStream in, Path path) {
            this.in = in;
            this.path = path;
        }

        int next() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new MyelinException(path + ": truncated at byte " + offset + ": expected more data");
            }
            offset++;
            return b;
        }

        byte[] bytes(int n) throws IOException {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) next();
            }
            return b;
        }

        long varint() throws IOException {
            long v = 0;
            int shift = 0;
            while (true) {
                int b = next();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
                shift += 7;
                if (shift > 63) {
                    throw new MyelinException(path + ": byte " + offset + ": varint longer than 10 bytes");
                }
            }
        }
    }
}
