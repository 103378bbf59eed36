package org.myelin.nir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.myelin.core.MyelinException;

/**
 * Reads NumPy {@code .npy} files (format 1.0 to 3.0, C order): booleans, 8 to 64-bit integers and 32/64-bit floats of
 * either byte order, as doubles with their shape.
 */
public final class Npy {
    private Npy() {
    }

    /** A read array: its shape and its values in row-major order. */
    public record Array(int[] shape, double[] values) {
        /** Rows of a 2-D array (a 1-D array is one column). */
        public double[][] rows() {
            int r = shape.length == 0 ? 1 : shape[0];
            int c = shape.length <= 1 ? 1 : values.length / Math.max(1, r);
            double[][] out = new double[r][c];
            for (int i = 0; i < r; i++) {
                System.arraycopy(values, i * c, out[i], 0, c);
            }
            return out;
        }
    }

    /** The most values one array may hold (a Java double[] of this size is 2 GiB). */
    static final long MAX_VALUES = Integer.MAX_VALUE - 8;
    private static final Pattern DICT = Pattern.compile(
            "\\{\\s*(?:'[a-z_]+'\\s*:\\s*(?:'[^']*'|True|False|\\([^)]*\\))\\s*(?:,\\s*)?)+\\}\\s*");
    /** NumPy itself refuses longer headers (numpy.lib.format, max_header_size). */
    static final int MAX_HEADER = 65_536;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern ANY_DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern DIM = Pattern.compile("\\d{1,10}");
    private static final java.util.Set<String> TYPES = java.util.Set.of("b1", "u1", "i1", "i2", "u2", "i4", "u4", "i8",
            "f4", "f8");

    /** Reads a .npy file; a malformed or unsupported one is refused naming the file, the field and the value. */
    public static Array read(Path file) {
        byte[] all;
        try {
            if (Files.isRegularFile(file) && Files.size(file) > Integer.MAX_VALUE - 8) {
                throw new MyelinException(file + ": " + Files.size(file) + " bytes; .npy files over 2 GiB are not read");
            }
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new MyelinException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(file.toString(), all);
    }

    /** Parses the bytes of a .npy file; {@code name} names it in refusals. */
    static Array parse(String name, byte[] all) {
        if (all.length < 6 || (all[0] & 0xFF) != 0x93 || !new String(all, 1, 5, StandardCharsets.ISO_8859_1)
                .equals("NUMPY")) {
            throw new MyelinException(name + ": not a .npy file (no \\x93NUMPY magic)");
        }
        if (all.length < 10) {
            throw new MyelinException(name + ": .npy file truncated: " + all.length + " bytes, the preamble has 10");
        }
        int major = all[6] & 0xFF;
        int minor = all[7] & 0xFF;
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int start;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xFFFF;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (all.length < 12) {
                throw new MyelinException(name + ": .npy file truncated: " + all.length + " bytes, a version " + major
                        + " preamble has 12");
            }
            headerLen = bb.getInt(8) & 0xFFFFFFFFL;
            start = 12;
        } else {
            throw new MyelinException(name + ": .npy format version " + major + "." + minor
                    + " is not supported (expected 1.0, 2.0 or 3.0)");
        }
        if (headerLen > MAX_HEADER) {
            throw new MyelinException(name + ": .npy header length " + headerLen + " at byte 8 exceeds " + MAX_HEADER
                    + " (NumPy writes headers of a few hundred bytes)");
        }
        if (headerLen > all.length - start) {
            throw new MyelinException(name + ": .npy header length " + headerLen + " at byte 8 exceeds the "
                    + (all.length - start) + " bytes after the preamble (truncated?)");
        }
        String header = new String(all, start, (int) headerLen, major == 3 ? StandardCharsets.UTF_8
                : StandardCharsets.ISO_8859_1);
        String shown = header.strip().replaceAll("\\s+", " ");
        if (shown.length() > 200) {
            shown = shown.substring(0, 200) + "...";
        }
        if (!DICT.matcher(header).matches()) {
            throw new MyelinException(name + ": the .npy header is not a dict of 'descr', 'fortran_order' and 'shape':"
                    + " " + printable(shown));
        }
        Matcher o = ORDER.matcher(header);
        Matcher s = SHAPE.matcher(header);
        Matcher any = ANY_DESCR.matcher(header);
        if (!any.find() || !o.find() || !s.find()) {
            throw new MyelinException(name + ": the .npy header lacks " + (!any.reset().find() ? "'descr'"
                    : !o.reset().find() ? "'fortran_order'" : "'shape'") + ": " + printable(shown));
        }
        Matcher d = DESCR.matcher(header);
        if (!d.find() || !TYPES.contains(d.group(2) + d.group(3))) {
            throw new MyelinException(name + ": .npy element type '" + printable(any.group(1)) + "' is not supported"
                    + " (expected booleans, 8 to 64-bit integers or 32/64-bit floats, e.g. '<f4')");
        }
        if (o.group(1).equals("True")) {
            throw new MyelinException(name + ": Fortran-ordered arrays are not supported; save it with C order");
        }
        String[] dims = s.group(1).split(",", -1);
        int[] shape = new int[dims.length];
        int k = 0;
        for (int i = 0; i < dims.length; i++) {
            String t = dims[i].trim();
            if (t.isEmpty() && i == dims.length - 1 && i > 0) {
                continue;
            }
            if (t.isEmpty() && dims.length == 1) {
                break;
            }
            if (!DIM.matcher(t).matches() || Long.parseLong(t) > Integer.MAX_VALUE) {
                throw new MyelinException(name + ": .npy shape (" + printable(s.group(1)) + ") has dimension '"
                        + printable(t) + "', expected a count in 0.." + Integer.MAX_VALUE);
            }
            shape[k++] = Integer.parseInt(t);
        }
        shape = java.util.Arrays.copyOf(shape, k);
        long n = 1;
        for (int v : shape) {
            n = v == 0 ? 0 : n > MAX_VALUES / v ? MAX_VALUES + 1 : n * v;
        }
        if (n > MAX_VALUES) {
            throw new MyelinException(name + ": .npy shape " + java.util.Arrays.toString(shape) + " holds more than "
                    + MAX_VALUES + " values");
        }
        char kind = d.group(2).charAt(0);
        int bytes = Integer.parseInt(d.group(3));
        long dataStart = start + headerLen;
        long have = all.length - dataStart;
        if (have < n * bytes) {
            throw new MyelinException(name + ": .npy data truncated: the header promises " + n + " values of " + bytes
                    + " bytes (" + n * bytes + "), the file holds " + have);
        }
        ByteBuffer data = ByteBuffer.wrap(all, (int) dataStart, (int) have)
                .order(d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        String code = kind + "" + bytes;
        double[] v = new double[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (code) {
                case "b1", "u1" -> data.get() & 0xFF;
                case "i1" -> data.get();
                case "i2" -> data.getShort();
                case "u2" -> data.getShort() & 0xFFFF;
                case "i4" -> data.getInt();
                case "u4" -> data.getInt() & 0xFFFFFFFFL;
                case "i8" -> data.getLong();
                case "f4" -> data.getFloat();
                default -> data.getDouble();
            };
        }
        return new Array(shape, v);
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> b.append(c >= 0x20 && c != 0x7F ? Character.toString(c)
                : String.format(java.util.Locale.ROOT, "\\x%02x", c)));
        return b.toString();
    }
}
