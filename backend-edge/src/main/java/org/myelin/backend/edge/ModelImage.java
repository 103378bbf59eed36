package org.myelin.backend.edge;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import org.myelin.core.MyelinException;

/**
 * The versioned binary image of a {@link FixedPointNet} that is flashed to a board. Little-endian throughout:
 * <pre>
 *  offset  size  field
 *  ------  ----  -----------------------------------------------------------------
 *       0     4  magic "MYLN"
 *       4     2  format version (2)
 *       6     2  section count N
 *       8     4  image length in bytes, the hash included
 *      12  16*N  section table, one entry per section:
 *                  +0  4  id (ASCII: META, LAYR, LINK, BIAS, WGHT)
 *                  +4  4  offset of the section from the start of the image
 *                  +8  4  length in bytes
 *                 +12  4  CRC-32 (IEEE) of the section's bytes
 *       .     .  sections, each starting on a 4-byte boundary:
 *                  META  inputs (u32), layers (u16), classes (u16), input kind (u8: 0 spikes, 1 values),
 *                        input fraction bits (u8), links (u16)
 *                  LAYR  per layer, 32 bytes: out (u32), weight bits (u8), fraction bits (u8), shift a (u8),
 *                        shift b (u8), sign b (i8), reset subtract (u8), synaptic shift a (u8, 0: a leaky layer),
 *                        synaptic shift b (u8), threshold (i32), scale (f64), synaptic sign (i8), links (u8),
 *                        6 bytes zero
 *                  LINK  per link, layers in order and each layer's links in order, 16 bytes: source (i16, -1 the
 *                        input), previous step (u8), zero (u8), blocks (u16), zero (u16), rows (u32), cols (u32)
 *                  BIAS  per layer, out x i32
 *                  WGHT  per link, its (rows/blocks) x (cols/blocks) weights row by row: int8 one per byte, int4 two
 *                        per byte (low nibble first, two's complement), each block padded to 4 bytes
 *  len-32    32  SHA-256 of bytes [0, len - 32)
 * </pre>
 * A reader refuses another magic, another version (naming both), a length that does not match, a section whose CRC
 * fails (naming it) and a hash that does not match, before it uses anything.
 */
public final class ModelImage {
    public static final int VERSION = 2;
    private static final byte[] MAGIC = "MYLN".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 12;
    private static final int ENTRY = 16;
    private static final int HASH = 32;

    private ModelImage() {
    }

    /** The image of {@code m}. */
    public static byte[] write(FixedPointNet m) {
        Map<String, byte[]> sections = new LinkedHashMap<>();
        int links = m.layers().stream().mapToInt(l -> l.links().size()).sum();
        sections.put("META", ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(m.inputs())
                .putShort((short) m.layers().size()).putShort((short) m.classes()).put((byte) (m.valueInput() ? 1 : 0))
                .put((byte) m.inputFrac()).putShort((short) links).array());
        ByteBuffer layr = ByteBuffer.allocate(32 * m.layers().size()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer link = ByteBuffer.allocate(16 * links).order(ByteOrder.LITTLE_ENDIAN);
        int biasBytes = 0;
        int weightBytes = 0;
        for (FixedPointNet.Layer l : m.layers()) {
            if (l.links().size() > 255) {
                throw new MyelinException("model image: a layer has " + l.links().size() + " links, at most 255");
            }
            layr.putInt(l.out()).put((byte) l.bits()).put((byte) l.frac()).put((byte) l.shiftA())
                    .put((byte) l.shiftB()).put((byte) l.signB()).put((byte) (l.subtract() ? 1 : 0))
                    .put((byte) l.synA()).put((byte) l.synB()).putInt(l.threshold()).putDouble(l.scale())
                    .put((byte) l.synSign()).put((byte) l.links().size()).put(new byte[6]);
            biasBytes += 4 * l.out();
            for (FixedPointNet.Link k : l.links()) {
                link.putShort((short) k.source()).put((byte) (k.previous() ? 1 : 0)).put((byte) 0)
                        .putShort((short) k.blocks()).putShort((short) 0).putInt(k.rows()).putInt(k.cols());
                weightBytes += pad4(packed(l.bits(), k.weights().length));
            }
        }
        sections.put("LAYR", layr.array());
        sections.put("LINK", link.array());
        ByteBuffer bias = ByteBuffer.allocate(biasBytes).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer wght = ByteBuffer.allocate(weightBytes).order(ByteOrder.LITTLE_ENDIAN);
        for (FixedPointNet.Layer l : m.layers()) {
            for (int b : l.bias()) {
                bias.putInt(b);
            }
            for (FixedPointNet.Link k : l.links()) {
                putWeights(wght, l.bits(), k.weights());
            }
        }
        sections.put("BIAS", bias.array());
        sections.put("WGHT", wght.array());
        int n = sections.size();
        int offset = HEADER + ENTRY * n;
        int total = offset;
        for (byte[] s : sections.values()) {
            total += pad4(s.length);
        }
        total += HASH;
        ByteBuffer img = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        img.put(MAGIC).putShort((short) VERSION).putShort((short) n).putInt(total);
        int at = offset;
        for (Map.Entry<String, byte[]> e : sections.entrySet()) {
            CRC32 crc = new CRC32();
            crc.update(e.getValue());
            img.put(e.getKey().getBytes(StandardCharsets.US_ASCII)).putInt(at).putInt(e.getValue().length)
                    .putInt((int) crc.getValue());
            at += pad4(e.getValue().length);
        }
        for (byte[] s : sections.values()) {
            int start = img.position();
            img.put(s);
            img.position(start + pad4(s.length));
        }
        img.put(sha256(img.array(), total - HASH));
        return img.array();
    }

    static int packed(int bits, int n) {
        return bits == 8 ? n : (n + 1) / 2;
    }

    private static void putWeights(ByteBuffer wght, int bits, int[] w) {
        int start = wght.position();
        if (bits == 8) {
            for (int v : w) {
                wght.put((byte) v);
            }
        } else {
            for (int i = 0; i < w.length; i += 2) {
                int lo = w[i] & 0xF;
                int hi = i + 1 < w.length ? w[i + 1] & 0xF : 0;
                wght.put((byte) (lo | hi << 4));
            }
        }
        wght.position(start + pad4(wght.position() - start));
    }

    static int[] getWeights(ByteBuffer wght, int bits, int n) {
        int[] w = new int[n];
        int start = wght.position();
        if (bits == 8) {
            for (int i = 0; i < n; i++) {
                w[i] = wght.get();
            }
        } else {
            for (int i = 0; i < n; i += 2) {
                int v = wght.get();
                w[i] = (v << 28) >> 28;
                if (i + 1 < n) {
                    w[i + 1] = (v << 24) >> 28;
                }
            }
        }
        wght.position(start + pad4(wght.position() - start));
        return w;
    }

    static int pad4(int n) {
        return (n + 3) & ~3;
    }

    static byte[] sha256(byte[] data, int length) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(data, 0, length);
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A section table entry. */
    public record Section(String id, int offset, int length, int crc) {
    }

    /** Checks everything and returns the section table. */
    public static List<Section> check(byte[] img) {
        return check(img, "model image");
    }

    /**
     * Checks everything and returns the section table; {@code source} starts every refusal ("model image x.img").
     * Every offset and length is checked against the image before it is used.
     */
    static List<Section> check(byte[] img, String source) {
        if (img.length < HEADER + HASH) {
            throw new MyelinException(source + ": truncated: " + img.length + " bytes, an image has at least "
                    + (HEADER + HASH) + " (header and SHA-256)");
        }
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[4];
        b.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new MyelinException(source + ": not a Myelin model image (magic " + hex(magic) + ", expected "
                    + hex(MAGIC) + " \"MYLN\")");
        }
        int version = b.getShort() & 0xFFFF;
        if (version != VERSION) {
            throw new MyelinException(source + ": format version " + version + "; this Myelin reads version "
                    + VERSION + " (rebuild the image with this version's `myelin edge compress`)");
        }
        int n = b.getShort() & 0xFFFF;
        long total = b.getInt() & 0xFFFFFFFFL;
        if (total > img.length) {
            throw new MyelinException(source + ": truncated: the header says " + total + " bytes, found " + img.length);
        }
        if (total != img.length) {
            throw new MyelinException(source + ": the header says " + total + " bytes, the image has " + img.length
                    + " (padded or damaged)");
        }
        long table = HEADER + (long) ENTRY * n;
        if (table > total - HASH) {
            throw new MyelinException(source + ": section count " + n + " at byte 6 needs a " + table
                    + "-byte table, the image has " + (total - HASH) + " bytes before its SHA-256");
        }
        byte[] want = sha256(img, img.length - HASH);
        byte[] got = java.util.Arrays.copyOfRange(img, img.length - HASH, img.length);
        List<Section> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int k = 0; k < n; k++) {
            byte[] id = new byte[4];
            b.get(id);
            Section s = new Section(printable(id), b.getInt(), b.getInt(), b.getInt());
            long end = (s.offset() & 0xFFFFFFFFL) + (s.length() & 0xFFFFFFFFL);
            if (s.offset() < table || s.length() < 0 || end > total - HASH) {
                throw new MyelinException(source + ": section " + s.id() + " (entry " + k + ") at offset "
                        + (s.offset() & 0xFFFFFFFFL) + " with length " + (s.length() & 0xFFFFFFFFL)
                        + " lies outside the image: sections lie in bytes [" + table + ", " + (total - HASH) + ")");
            }
            if (!seen.add(s.id())) {
                throw new MyelinException(source + ": section " + s.id() + " appears twice in the table");
            }
            CRC32 crc = new CRC32();
            crc.update(img, s.offset(), s.length());
            if ((int) crc.getValue() != s.crc()) {
                throw new MyelinException(String.format(Locale.ROOT, "%s: section %s fails its CRC-32"
                        + " (stored %08x, computed %08x)", source, s.id(), s.crc(), (int) crc.getValue()));
            }
            out.add(s);
        }
        if (!java.util.Arrays.equals(want, got)) {
            throw new MyelinException(source + ": the SHA-256 at the end does not match the image");
        }
        return out;
    }

    /** Reads and checks the image in {@code file}; refusals name the file. */
    public static FixedPointNet read(java.nio.file.Path file) {
        return ModelImageReader.read(bytes(file), "model image " + file);
    }

    /** Writes the image of {@code m} to {@code file} atomically (the previous file stays whole if this fails). */
    public static void write(FixedPointNet m, java.nio.file.Path file) {
        org.myelin.core.io.AtomicFile.write(file, write(m));
    }

    static byte[] bytes(java.nio.file.Path file) {
        try {
            if (java.nio.file.Files.isRegularFile(file) && java.nio.file.Files.size(file) > Integer.MAX_VALUE - 8) {
                throw new MyelinException("model image " + file + ": " + java.nio.file.Files.size(file)
                        + " bytes; an image is at most 4 GiB by its format and 2 GiB here");
            }
            return java.nio.file.Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new MyelinException("model image: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static String printable(byte[] id) {
        StringBuilder s = new StringBuilder();
        for (byte x : id) {
            s.append(x >= 0x20 && x < 0x7F ? String.valueOf((char) x) : String.format(Locale.ROOT, "\\x%02x", x & 0xFF));
        }
        return s.toString();
    }

    /** The model in the image, after {@link #check} and a check of every count and length in its sections. */
    public static FixedPointNet read(byte[] img) {
        return ModelImageReader.read(img, "model image");
    }

    /** The section table and the hash, for {@code myelin edge info}. */
    public static String describe(byte[] img) {
        List<Section> secs = check(img);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "Myelin model image, format version %d, %d bytes%n",
                VERSION, img.length));
        for (Section s : secs) {
            b.append(String.format(Locale.ROOT, "  %s  offset %6d  length %7d  crc32 %08x%n", s.id(), s.offset(),
                    s.length(), s.crc()));
        }
        b.append("  sha256 ").append(hex(java.util.Arrays.copyOfRange(img, img.length - HASH, img.length)))
                .append('\n');
        return b.toString();
    }

    static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }
}
