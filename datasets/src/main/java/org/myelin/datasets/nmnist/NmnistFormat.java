package org.myelin.datasets.nmnist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.myelin.core.MyelinException;
import org.myelin.datasets.event.EventStream;

/**
 * N-MNIST's {@code .bin} files: 40-bit events, five bytes each,
 * <pre>
 *   byte 0: x (0..33)     byte 1: y (0..33)
 *   byte 2: bit 7 polarity (1 ON), bits 6..0 timestamp bits 22..16
 *   byte 3: timestamp bits 15..8      byte 4: timestamp bits 7..0      (microseconds)
 * </pre>
 * An event with y = 240 is a timestamp overflow marker (the original reader's convention): it adds 2^13 us to
 * every later timestamp and is not an event. Events are in time order between overflow markers. Samples are 34 x 34; the dataset's folders are
 * {@code Train/<digit>/*.bin} and {@code Test/<digit>/*.bin}.
 */
public final class NmnistFormat {
    public static final int SIZE = 34;
    private static final int OVERFLOW_Y = 240;
    private static final long OVERFLOW_US = 1L << 13;

    private NmnistFormat() {
    }

    /** Parses one file. */
    public static EventStream read(Path file) {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new MyelinException("cannot read N-MNIST file " + file + ": " + e.getMessage(), e);
        }
        return parse(b, file.toString());
    }

    /** Parses the bytes of one file; {@code name} names it in errors. */
    public static EventStream parse(byte[] b, String name) {
        if (b.length % 5 != 0) {
            throw new MyelinException(name + ": truncated at byte " + (b.length - b.length % 5)
                    + ": N-MNIST events are 5 bytes, the file has " + b.length + " bytes");
        }
        int n = b.length / 5;
        EventStream s = new EventStream(SIZE, SIZE, n);
        long offset = 0;
        long previous = 0;
        // the original reader adds only 2^13 us per overflow marker, so times may step back across one
        boolean marker = false;
        for (int i = 0, k = 0; i < n; i++, k += 5) {
            int x = b[k] & 0xFF;
            int y = b[k + 1] & 0xFF;
            int b2 = b[k + 2] & 0xFF;
            long t = ((long) (b2 & 0x7F) << 16) | ((b[k + 3] & 0xFF) << 8) | (b[k + 4] & 0xFF);
            if (y == OVERFLOW_Y) {
                offset += OVERFLOW_US;
                marker = true;
                continue;
            }
            if (x >= SIZE || y >= SIZE) {
                throw new MyelinException(name + ": byte " + k + ": event " + i + " at (" + x + ", " + y
                        + ") is outside the 34 x 34 sensor");
            }
            if (t + offset < previous && !marker) {
                throw new MyelinException(name + ": byte " + k + ": event " + i + " at " + (t + offset)
                        + " us comes before the previous event at " + previous + " us with no overflow marker between;"
                        + " events must be in time order");
            }
            previous = t + offset;
            marker = false;
            s.add(t + offset, x, y, b2 >>> 7);
        }
        return s;
    }

    /**
     * Writes events in the N-MNIST format; timestamps beyond the 23-bit range are written with overflow
     * markers, as the format provides.
     */
    public static void write(EventStream s, Path file) {
        if (s.width() > SIZE || s.height() > SIZE) {
            throw new MyelinException("N-MNIST holds 34 x 34 sensors, the stream is " + s.width() + " x " + s.height());
        }
        org.myelin.core.io.AtomicFile.write(file, out -> {
            long offset = 0;
            for (int i = 0; i < s.size(); i++) {
                long t = s.timeUs(i);
                if (t < offset) {
                    throw new MyelinException("event " + i + ": timestamps must not decrease, " + t + " us");
                }
                while (t - offset >= (1L << 23)) {
                    out.write(new byte[] {0, (byte) OVERFLOW_Y, 0, 0, 0});
                    offset += OVERFLOW_US;
                }
                long r = t - offset;
                out.write(s.x(i));
                out.write(s.y(i));
                out.write((int) ((s.polarity(i) << 7) | ((r >>> 16) & 0x7F)));
                out.write((int) ((r >>> 8) & 0xFF));
                out.write((int) (r & 0xFF));
            }
        });
    }
}
