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

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    public static Array read(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new MyelinException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (all.length < 10 || (all[0] & 0xFF) != 0x93 || !new String(all, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            throw new MyelinException(file + ": not a .npy file (no \\x93NUMPY magic)");
        }
        int major = all[6];
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xFFFF;
            start = 10;
        } else if (major == 2 || major == 3) {
            headerLen = bb.getInt(8);
            start = 12;
        } else {
            throw new MyelinException(file + ": .npy format version " + major + " is not supported");
        }
        String header = new String(all, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher o = ORDER.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !o.find() || !s.find()) {
            throw new MyelinException(file + ": cannot parse the .npy header " + header.trim());
        }
        if (o.group(1).equals("True")) {
            throw new MyelinException(file + ": Fortran-ordered arrays are not supported; save it with C order");
        }
        String[] dims = s.group(1).split(",");
        int[] shape = java.util.Arrays.stream(dims).map(String::trim).filter(t -> !t.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        long n = 1;
        for (int v : shape) {
            n *= v;
        }
        char kind = d.group(2).charAt(0);
        int bytes = Integer.parseInt(d.group(3));
        ByteBuffer data = ByteBuffer.wrap(all, start + headerLen, all.length - start - headerLen)
                .order(d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        if (data.remaining() < n * bytes) {
            throw new MyelinException(file + ": holds " + data.remaining() + " bytes of data, the header promises "
                    + n * bytes);
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (kind + "" + bytes) {
                case "b1", "u1" -> data.get() & 0xFF;
                case "i1" -> data.get();
                case "i2" -> data.getShort();
                case "u2" -> data.getShort() & 0xFFFF;
                case "i4" -> data.getInt();
                case "u4" -> data.getInt() & 0xFFFFFFFFL;
                case "i8" -> data.getLong();
                case "f4" -> data.getFloat();
                case "f8" -> data.getDouble();
                default -> throw new MyelinException(file + ": element type " + d.group(0) + " is not supported");
            };
        }
        return new Array(shape, v);
    }
}
