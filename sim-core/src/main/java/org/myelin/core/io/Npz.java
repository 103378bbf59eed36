package org.myelin.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npz} archive, written: named arrays, each a {@code .npy} file (format 1.0, little endian, C
 * order) in a zip, as {@code numpy.savez} writes them, so that {@code numpy.load(file)["name"]} gives each array
 * back. Arrays of {@code long} (int64), {@code int} (int32), {@code double} (float64) and {@code float} (float32),
 * with any shape whose product is the array's length (no shape: one dimension).
 */
public final class Npz {
    private final Map<String, byte[]> arrays = new LinkedHashMap<>();

    /** Adds (or replaces) the array {@code name}. */
    public Npz put(String name, long[] values, int... shape) {
        ByteBuffer b = body(values.length, 8, shape);
        b.asLongBuffer().put(values);
        return add(name, "<i8", b, values.length, shape);
    }

    public Npz put(String name, int[] values, int... shape) {
        ByteBuffer b = body(values.length, 4, shape);
        b.asIntBuffer().put(values);
        return add(name, "<i4", b, values.length, shape);
    }

    public Npz put(String name, double[] values, int... shape) {
        ByteBuffer b = body(values.length, 8, shape);
        b.asDoubleBuffer().put(values);
        return add(name, "<f8", b, values.length, shape);
    }

    public Npz put(String name, float[] values, int... shape) {
        ByteBuffer b = body(values.length, 4, shape);
        b.asFloatBuffer().put(values);
        return add(name, "<f4", b, values.length, shape);
    }

    /** A 0-dimensional float64 array (a scalar). */
    public Npz scalar(String name, double value) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.putDouble(0, value);
        arrays.put(check(name), npy("<f8", "()", b.array()));
        return this;
    }

    /** The names of the arrays, in the order they were put. */
    public java.util.Set<String> names() {
        return arrays.keySet();
    }

    /** Writes the archive to {@code file}, atomically. */
    public void write(Path file) {
        AtomicFile.write(file, this::writeTo);
    }

    /** Writes the archive to {@code out}. */
    public void writeTo(OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, byte[]> e : arrays.entrySet()) {
            zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
            zip.write(e.getValue());
            zip.closeEntry();
        }
        zip.finish();
    }

    private static ByteBuffer body(int length, int bytes, int[] shape) {
        return ByteBuffer.allocate(Math.multiplyExact(length, bytes)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private Npz add(String name, String descr, ByteBuffer body, int length, int[] shape) {
        int[] s = shape.length == 0 ? new int[] {length} : shape;
        long product = 1;
        for (int d : s) {
            if (d < 0) {
                throw new IllegalArgumentException("array " + name + ": negative dimension " + d);
            }
            product *= d;
        }
        if (product != length) {
            throw new IllegalArgumentException("array " + name + ": shape " + java.util.Arrays.toString(s) + " holds "
                    + product + " values, the array has " + length);
        }
        StringBuilder t = new StringBuilder("(");
        for (int i = 0; i < s.length; i++) {
            t.append(s[i]).append(s.length == 1 ? "," : i + 1 < s.length ? ", " : "");
        }
        arrays.put(check(name), npy(descr, t.append(')').toString(), body.array()));
        return this;
    }

    private static String check(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException("an .npz array needs a name without slashes, was '" + name + "'");
        }
        return name;
    }

    /** One .npy file: magic, version 1.0, the header padded so that the data starts at a multiple of 64 bytes. */
    private static byte[] npy(String descr, String shape, byte[] data) {
        String dict = String.format(Locale.ROOT, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shape);
        int unpadded = 10 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        String header = dict + " ".repeat(total - unpadded) + "\n";
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        if (h.length > 65535) {
            throw new UncheckedIOException(new IOException("an .npy header over 64 KiB"));
        }
        byte[] out = new byte[10 + h.length + data.length];
        out[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, out, 1, 5);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) (h.length & 0xFF);
        out[9] = (byte) (h.length >>> 8);
        System.arraycopy(h, 0, out, 10, h.length);
        System.arraycopy(data, 0, out, 10 + h.length, data.length);
        return out;
    }
}
