package org.myelin.core.checkpoint;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.myelin.core.MyelinException;

/**
 * Decodes the bytes of a checkpoint file (the layout is on {@link Checkpoint}) and checks every count and length
 * against the bytes that are left before it allocates anything. A file that ends before its headers say it should is
 * reported as truncated, with the length it needs and the length it has; a field that cannot be right in a file whose
 * CRC holds (a crafted file) is reported with its name, value and offset.
 */
final class CheckpointReader {
    private static final int CRC_BYTES = 8;
    /** The smallest section: an empty name (2), the type (1) and the length (4). */
    private static final int MIN_SECTION = 7;

    private final String file;
    private final byte[] all;
    private final ByteBuffer b;

    /** The structure needs more bytes than the file has. */
    private static final class Overrun extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long needed;

        Overrun(String what, long needed) {
            super(what, null, false, false);
            this.needed = needed;
        }
    }

    private CheckpointReader(String file, byte[] all) {
        this.file = file;
        this.all = all;
        this.b = ByteBuffer.wrap(all);
    }

    static Checkpoint decode(String file, byte[] all, byte[] magic, int version) {
        return new CheckpointReader(file, all).decode(magic, version);
    }

    private Checkpoint decode(byte[] magic, int version) {
        int m = Math.min(all.length, magic.length);
        if (!Arrays.equals(Arrays.copyOf(all, m), Arrays.copyOf(magic, m))) {
            throw new MyelinException(file + ": not a Myelin checkpoint (expected magic \"MYLNCKP1\" at byte 0)");
        }
        boolean crcHolds = crcHolds();
        try {
            need(magic.length, "the magic");
            b.position(magic.length);
            need(4, "the format version");
            int v = b.getInt();
            if (v != version) {
                throw new MyelinException(file + ": checkpoint format version " + v + ", this Myelin reads version "
                        + version);
            }
            String writer = utf("the writer's name");
            need(32, "the fingerprint");
            byte[] fp = new byte[32];
            b.get(fp);
            need(8, "the step");
            long step = b.getLong();
            need(4, "the section count");
            int at = b.position();
            int n = b.getInt();
            long room = (all.length - (long) b.position() - CRC_BYTES) / MIN_SECTION;
            if (n < 0) {
                throw malformed("section count " + n + " at offset " + at + " is negative");
            }
            if (n > Math.max(0, room)) {
                throw new Overrun("section count " + n + " at offset " + at + " needs at least " + (long) n * MIN_SECTION
                        + " bytes, " + Math.max(0, all.length - b.position()) + " are left",
                        b.position() + (long) n * MIN_SECTION + CRC_BYTES);
            }
            Map<String, Object> sections = new LinkedHashMap<>();
            for (int s = 0; s < n; s++) {
                String name = utf("the name of section " + s);
                need(1, "the type of section '" + name + "'");
                int type = b.get();
                int width = switch (type) {
                    case 'F', 'I' -> 4;
                    case 'B' -> 1;
                    case 'D' -> 8;
                    default -> throw malformed("section '" + name + "' at offset " + (b.position() - 1)
                            + " has type " + type + ", expected F, I, B or D");
                };
                need(4, "the length of section '" + name + "'");
                int lengthAt = b.position();
                int len = b.getInt();
                if (len < 0) {
                    throw malformed("section '" + name + "' length " + len + " at offset " + lengthAt + " is negative");
                }
                long bytes = (long) len * width;
                if (bytes > all.length - b.position()) {
                    throw new Overrun("section '" + name + "' length " + len + " (" + bytes + " bytes) exceeds the "
                            + (all.length - b.position()) + " bytes left at offset " + b.position(),
                            b.position() + bytes + CRC_BYTES);
                }
                if (sections.containsKey(name)) {
                    throw malformed("section '" + name + "' appears twice");
                }
                sections.put(name, values(type, len));
            }
            if (all.length - b.position() < CRC_BYTES) {
                throw new Overrun("the 8-byte CRC at offset " + b.position() + " is missing",
                        b.position() + CRC_BYTES);
            }
            if (all.length - b.position() > CRC_BYTES) {
                throw malformed((all.length - b.position() - CRC_BYTES) + " bytes follow the last section at offset "
                        + b.position() + ", expected only the 8-byte CRC");
            }
            if (!crcHolds) {
                throw damaged();
            }
            Checkpoint c = new Checkpoint(writer, fp, step);
            for (Map.Entry<String, Object> e : sections.entrySet()) {
                c.putDecoded(e.getKey(), e.getValue());
            }
            return c;
        } catch (Overrun o) {
            if (crcHolds) {
                throw new MyelinException(file + ": checkpoint field out of range: " + o.getMessage());
            }
            throw new MyelinException(file + ": checkpoint is truncated (or damaged): expected at least " + o.needed
                    + " bytes, found " + all.length + " (" + o.getMessage() + ")");
        } catch (MyelinException e) {
            if (!crcHolds && e.getMessage().startsWith(file + ": checkpoint field")) {
                throw damaged();
            }
            throw e;
        }
    }

    private boolean crcHolds() {
        if (all.length < CRC_BYTES) {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - CRC_BYTES);
        return ByteBuffer.wrap(all, all.length - CRC_BYTES, CRC_BYTES).getLong() == crc.getValue();
    }

    private MyelinException damaged() {
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - CRC_BYTES);
        long stored = ByteBuffer.wrap(all, all.length - CRC_BYTES, CRC_BYTES).getLong();
        return new MyelinException(file + ": checkpoint is damaged: CRC-32 " + Long.toHexString(crc.getValue())
                + " of its contents does not match the stored " + Long.toHexString(stored));
    }

    private MyelinException malformed(String what) {
        return new MyelinException(file + ": checkpoint field out of range: " + what);
    }

    private void need(int n, String what) {
        if (all.length - b.position() < n) {
            throw new Overrun(what + " at offset " + b.position() + " needs " + n + " bytes, "
                    + (all.length - b.position()) + " are left", b.position() + (long) n + CRC_BYTES);
        }
    }

    private String utf(String what) {
        need(2, what);
        int len = b.getShort() & 0xFFFF;
        need(len, what);
        byte[] s = new byte[len];
        b.get(s);
        for (byte x : s) {
            if (x == 0 || (x & 0x80) != 0) {
                return modifiedUtf8(s, what);
            }
        }
        return new String(s, StandardCharsets.US_ASCII);
    }

    private String modifiedUtf8(byte[] s, String what) {
        byte[] framed = new byte[s.length + 2];
        framed[0] = (byte) (s.length >>> 8);
        framed[1] = (byte) s.length;
        System.arraycopy(s, 0, framed, 2, s.length);
        try {
            return new java.io.DataInputStream(new java.io.ByteArrayInputStream(framed)).readUTF();
        } catch (java.io.IOException e) {
            throw malformed(what + " is not valid modified UTF-8");
        }
    }

    private Object values(int type, int len) {
        switch (type) {
            case 'F' -> {
                float[] f = new float[len];
                b.asFloatBuffer().get(f);
                b.position(b.position() + 4 * len);
                return f;
            }
            case 'I' -> {
                int[] a = new int[len];
                b.asIntBuffer().get(a);
                b.position(b.position() + 4 * len);
                return a;
            }
            case 'B' -> {
                byte[] a = new byte[len];
                b.get(a);
                return a;
            }
            default -> {
                double[] d = new double[len];
                b.asDoubleBuffer().get(d);
                b.position(b.position() + 8 * len);
                return d;
            }
        }
    }
}
