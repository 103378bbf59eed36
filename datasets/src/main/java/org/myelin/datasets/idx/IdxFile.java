package org.myelin.datasets.idx;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.myelin.core.MyelinException;

/**
 * An IDX file of unsigned bytes (MNIST images {@code 0x00000803}, labels {@code 0x00000801}), raw or gzip,
 * read one sample at a time: the first dimension counts samples, the others make one sample.
 *
 * <pre>
 *   0x00 0x00 type ndim, then ndim big-endian int32 sizes, then the data (type 0x08: unsigned byte)
 * </pre>
 */
public final class IdxFile implements AutoCloseable {
    private final Path path;
    private final DataInputStream in;
    private final int[] dims;
    private final int sampleBytes;
    private int next;

    private IdxFile(Path path, DataInputStream in, int[] dims) {
        this.path = path;
        this.in = in;
        this.dims = dims;
        long b = 1;
        for (int d = 1; d < dims.length; d++) {
            b = Math.min(b * dims[d], (long) Integer.MAX_VALUE + 1);
        }
        if (b > Integer.MAX_VALUE) {
            throw new MyelinException(path + ": one sample of " + b + " bytes is too large");
        }
        this.sampleBytes = (int) b;
    }

    /** Opens a raw or gzip IDX file and reads its header. */
    public static IdxFile open(Path path) {
        try {
            InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            InputStream data;
            try {
                data = gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16)) : raw;
            } catch (java.util.zip.ZipException | EOFException e) {
                raw.close();
                throw new MyelinException(path + ": damaged gzip header: " + e.getMessage());
            }
            DataInputStream in = new DataInputStream(data);
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException e) {
                in.close();
                throw new MyelinException(path + ": truncated at byte 0: expected a 4-byte IDX magic number");
            }
            if ((magic >>> 16) != 0) {
                in.close();
                throw new MyelinException(path + ": not an IDX file: expected 0x0000 at byte 0, found 0x"
                        + Integer.toHexString(magic >>> 16));
            }
            int type = (magic >>> 8) & 0xFF;
            int ndim = magic & 0xFF;
            if (type != 0x08) {
                in.close();
                throw new MyelinException(path + ": IDX data type 0x" + Integer.toHexString(type)
                        + " at byte 2 is not supported; expected 0x08 (unsigned byte)");
            }
            if (ndim < 1 || ndim > 8) {
                in.close();
                throw new MyelinException(path + ": IDX dimension count at byte 3 must be 1 to 8, was " + ndim);
            }
            int[] dims = new int[ndim];
            for (int d = 0; d < ndim; d++) {
                try {
                    dims[d] = in.readInt();
                } catch (EOFException e) {
                    in.close();
                    throw new MyelinException(path + ": truncated at byte " + (4 + 4 * d) + ": expected dimension " + d);
                }
                if (dims[d] < 0) {
                    in.close();
                    throw new MyelinException(path + ": dimension " + d + " at byte " + (4 + 4 * d) + " is negative: "
                            + dims[d]);
                }
            }
            try {
                IdxFile f = new IdxFile(path, in, dims);
                f.checkLength(gzip);
                return f;
            } catch (RuntimeException | IOException e) {
                in.close();
                throw e;
            }
        } catch (java.util.zip.ZipException e) {
            throw new MyelinException(path + ": damaged gzip data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MyelinException("cannot read IDX file " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks the header's dimensions against the file: a raw file must hold exactly the header and the data it
     * describes; a gzip file's trailer records its uncompressed length (modulo 2^32), which must match too (when it
     * does not, as for a file of several gzip members, the file is decompressed once and counted).
     */
    private void checkLength(boolean gzip) throws IOException {
        long header = 4L + 4L * dims.length;
        long expected = header + (long) dims[0] * sampleBytes;
        if (!gzip) {
            long size = Files.size(path);
            if (size < expected) {
                throw new MyelinException(path + ": truncated: the IDX header's dimensions " + Arrays.toString(dims)
                        + " describe " + expected + " bytes, the file has " + size);
            }
            if (size > expected) {
                throw new MyelinException(path + ": the IDX header's dimensions " + Arrays.toString(dims) + " describe "
                        + expected + " bytes, the file has " + size + " (" + (size - expected) + " bytes too many)");
            }
            return;
        }
        long size = Files.size(path);
        if (size < 18) {
            throw new MyelinException(path + ": truncated gzip file: " + size + " bytes");
        }
        long recorded;
        try (java.nio.channels.SeekableByteChannel c = Files.newByteChannel(path)) {
            java.nio.ByteBuffer t = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            c.position(size - 4);
            while (t.hasRemaining() && c.read(t) >= 0) {
                // read the 4-byte ISIZE trailer
            }
            recorded = t.getInt(0) & 0xFFFFFFFFL;
        }
        if (recorded == (expected & 0xFFFFFFFFL)) {
            return;
        }
        // the trailer is only the last member's length: count what the whole file holds before refusing it
        long held = 0;
        String end = "";
        try (InputStream z = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 16), 1 << 16)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = z.read(buf)) > 0; ) {
                held += n;
            }
        } catch (EOFException | java.util.zip.ZipException e) {
            end = " before it ends early (" + e.getMessage() + ")";
        }
        if (held != expected || !end.isEmpty()) {
            throw new MyelinException(path + ": " + (held < expected ? "truncated: " : "") + "the IDX header's"
                    + " dimensions " + Arrays.toString(dims) + " describe " + expected + " bytes, the gzip file holds "
                    + held + " uncompressed bytes" + end);
        }
    }

    /**
     * Refuses an image file and a label file whose sample counts differ (rather than pairing the shorter prefix),
     * naming both files and both counts.
     */
    public static void requireSameSamples(IdxFile images, IdxFile labels) {
        if (images.samples() != labels.samples()) {
            throw new MyelinException("IDX images " + images.path + " hold " + images.samples() + " samples but labels "
                    + labels.path + " hold " + labels.samples() + ": an image file and its label file must have the"
                    + " same count");
        }
    }

    /** The file this reads. */
    public Path path() {
        return path;
    }

    /** All dimensions; the first is the number of samples. */
    public int[] dims() {
        return dims.clone();
    }

    public int samples() {
        return dims[0];
    }

    /** Bytes in one sample (the product of the other dimensions; 1 for labels). */
    public int sampleBytes() {
        return sampleBytes;
    }

    public boolean hasNext() {
        return next < dims[0];
    }

    /** Reads the next sample into {@code into} (length at least {@link #sampleBytes()}); values 0..255. */
    public void next(byte[] into) {
        if (!hasNext()) {
            throw new MyelinException(path + ": all " + dims[0] + " samples were read");
        }
        try {
            in.readFully(into, 0, sampleBytes);
        } catch (java.util.zip.ZipException e) {
            throw new MyelinException(path + ": damaged gzip data in sample " + next + ": " + e.getMessage(), e);
        } catch (EOFException e) {
            long offset = 4L + 4L * dims.length + (long) next * sampleBytes;
            throw new MyelinException(path + ": truncated in sample " + next + " at (uncompressed) byte " + offset
                    + ": expected " + sampleBytes + " bytes per sample, " + dims[0] + " samples");
        } catch (IOException e) {
            throw new MyelinException(path + ": cannot read sample " + next + ": " + e.getMessage(), e);
        }
        next++;
    }

    /** Reads every remaining sample's single byte: for label files. */
    public int[] readLabels() {
        int n = dims[0] - next;
        // grown as read: a gzip file's header cannot be checked against its length before it is read
        int[] labels = new int[Math.min(n, 1 << 16)];
        byte[] one = new byte[Math.max(1, sampleBytes)];
        for (int i = 0; i < n; i++) {
            next(one);
            if (i == labels.length) {
                labels = Arrays.copyOf(labels, (int) Math.min(n, 2L * labels.length));
            }
            labels[i] = one[0] & 0xFF;
        }
        return labels;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new MyelinException("closing " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "IdxFile[" + path + ", dims " + Arrays.toString(dims) + "]";
    }
}
