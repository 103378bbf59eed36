package org.myelin.datasets.aer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.myelin.core.MyelinException;
import org.myelin.datasets.event.EventStream;

/**
 * Myelin's AER files. Binary:
 * <pre>
 *   magic "MYLNAER1" (8 bytes), width int, height int, event count long (big-endian)
 *   per event: time delta from the previous event, unsigned LEB128 varint (us); x varint; y varint; polarity byte
 * </pre>
 * CSV: a header line {@code t_us,x,y,p} and one event per line. Both hold time-ordered events.
 */
public final class AerFile {
    private static final byte[] MAGIC = {'M', 'Y', 'L', 'N', 'A', 'E', 'R', '1'};

    private AerFile() {
    }

    public static void write(EventStream s, Path file) {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.write(MAGIC);
            out.writeInt(s.width());
            out.writeInt(s.height());
            out.writeLong(s.size());
            long prev = 0;
            for (int i = 0; i < s.size(); i++) {
                long d = s.timeUs(i) - prev;
                if (d < 0) {
                    throw new MyelinException("event " + i + ": time must not decrease (" + s.timeUs(i) + " us after "
                            + prev + " us)");
                }
                varint(out, d);
                varint(out, s.x(i));
                varint(out, s.y(i));
                out.writeByte(s.polarity(i));
                prev = s.timeUs(i);
            }
        } catch (IOException e) {
            throw new MyelinException("cannot write AER file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void varint(DataOutputStream out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    /** The largest sensor side: coordinates are held as 16-bit values. */
    public static final int MAX_SIDE = Short.MAX_VALUE;
    private static final int HEADER = 24;
    /** The smallest event: three one-byte varints and the polarity. */
    private static final int MIN_EVENT = 4;

    /**
     * Reads a binary AER file. The header is checked against the file before anything is allocated (a sensor of 1 to
     * {@value #MAX_SIDE} pixels a side, an event count that the file's bytes can hold), every event against the sensor,
     * and the file must end after the last event.
     */
    public static EventStream read(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new MyelinException("cannot read AER file " + file + ": " + e.getMessage(), e);
        }
        try (CountingInput in = new CountingInput(file)) {
            if (size < HEADER) {
                byte[] head = in.data.readNBytes((int) size);
                if (!java.util.Arrays.equals(head, java.util.Arrays.copyOf(MAGIC, Math.min(8, head.length)))
                        && !(head.length >= 8 && java.util.Arrays.equals(java.util.Arrays.copyOf(head, 8), MAGIC))) {
                    throw new MyelinException(file + ": not a Myelin AER file: expected magic \"MYLNAER1\" at byte 0");
                }
                throw new MyelinException(file + ": truncated: " + size + " bytes, the AER header has " + HEADER);
            }
            byte[] magic = in.bytes(8);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new MyelinException(file + ": not a Myelin AER file: expected magic \"MYLNAER1\" at byte 0");
            }
            int w = in.data.readInt();
            int h = in.data.readInt();
            long n = in.data.readLong();
            in.offset += 16;
            if (w < 1 || w > MAX_SIDE || h < 1 || h > MAX_SIDE) {
                throw new MyelinException(file + ": byte 8: sensor " + w + " x " + h + " is out of range (1.." + MAX_SIDE
                        + " pixels a side)");
            }
            if (n < 0 || n > (size - HEADER) / MIN_EVENT) {
                throw new MyelinException(file + ": byte 16: event count " + n + " needs at least " + (n < 0 ? "?"
                        : Long.toString(Math.multiplyHigh(n, MIN_EVENT) != 0 ? Long.MAX_VALUE : n * MIN_EVENT))
                        + " bytes, the file has " + (size - HEADER) + " after its header (truncated, or a damaged count)");
            }
            EventStream s = new EventStream(w, h, (int) Math.min(n, 1 << 20));
            long t = 0;
            for (long i = 0; i < n; i++) {
                long at = in.offset;
                long dt = in.varint();
                long x = in.varint();
                long y = in.varint();
                int p = in.next();
                t += dt;
                if (dt < 0 || t < 0) {
                    throw new MyelinException(file + ": byte " + at + ": event " + i + ": time delta " + dt
                            + " us takes the time past " + Long.MAX_VALUE + " us");
                }
                if (x < 0 || x >= w || y < 0 || y >= h || p > 1) {
                    throw new MyelinException(file + ": byte " + at + ": event " + i + " (" + x + ", " + y + ", p " + p
                            + ") does not fit a " + w + " x " + h + " sensor");
                }
                s.add(t, (int) x, (int) y, p);
            }
            if (in.offset != size) {
                throw new MyelinException(file + ": byte " + in.offset + ": " + (size - in.offset)
                        + " bytes follow the " + n + " events the header counts");
            }
            return s;
        } catch (EOFException e) {
            throw new MyelinException(file + ": truncated: " + e.getMessage() + " (the header counts more events)");
        } catch (IOException e) {
            throw new MyelinException("cannot read AER file " + file + ": " + e.getMessage(), e);
        }
    }

    public static void writeCsv(EventStream s, Path file) {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            w.println("t_us,x,y,p");
            for (int i = 0; i < s.size(); i++) {
                w.println(s.timeUs(i) + "," + s.x(i) + "," + s.y(i) + "," + s.polarity(i));
            }
        } catch (IOException e) {
            throw new MyelinException("cannot write AER CSV " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a CSV written by {@link #writeCsv}; the sensor size is given, since CSV does not hold it. */
    public static EventStream readCsv(Path file, int width, int height) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (!"t_us,x,y,p".equals(header)) {
                throw new MyelinException(file + ": line 1: expected the header t_us,x,y,p, found "
                        + (header == null ? "an empty file" : "'" + header.replaceAll("\\p{Cntrl}", "?") + "'"));
            }
            if (width < 1 || width > MAX_SIDE || height < 1 || height > MAX_SIDE) {
                throw new MyelinException(file + ": sensor " + width + " x " + height + " is out of range (1.."
                        + MAX_SIDE + " pixels a side)");
            }
            EventStream s = new EventStream(width, height, 1024);
            String line;
            int no = 1;
            long previous = Long.MIN_VALUE;
            while ((line = r.readLine()) != null) {
                no++;
                String[] f = line.split(",", -1);
                if (f.length != 4) {
                    throw new MyelinException(file + ": line " + no + ": expected 4 fields, found " + f.length);
                }
                long t;
                int x;
                int y;
                int p;
                try {
                    t = Long.parseLong(f[0].trim());
                    x = Integer.parseInt(f[1].trim());
                    y = Integer.parseInt(f[2].trim());
                    p = Integer.parseInt(f[3].trim());
                } catch (NumberFormatException e) {
                    throw new MyelinException(file + ": line " + no + ": " + e.getMessage().replaceAll("\\p{Cntrl}", "?"));
                }
                if (x < 0 || x >= width || y < 0 || y >= height || (p != 0 && p != 1)) {
                    throw new MyelinException(file + ": line " + no + ": event (" + x + ", " + y + ", p " + p
                            + ") does not fit a " + width + " x " + height + " sensor with polarity 0 or 1");
                }
                if (t < previous) {
                    throw new MyelinException(file + ": line " + no + ": time " + t + " us comes before the previous"
                            + " event's " + previous + " us; events must be in time order");
                }
                previous = t;
                s.add(t, x, y, p);
            }
            return s;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new MyelinException(file + ": not UTF-8 text (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new MyelinException("cannot read AER CSV " + file + ": " + e.getMessage(), e);
        }
    }

    /** A stream that knows its byte offset, for error messages. */
    private static final class CountingInput implements AutoCloseable {
        final DataInputStream data;
        final Path file;
        long offset;

        CountingInput(Path file) throws IOException {
            this.file = file;
            data = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        }

        byte[] bytes(int n) throws IOException {
            byte[] b = new byte[n];
            data.readFully(b);
            offset += n;
            return b;
        }

        int next() throws IOException {
            int b = data.read();
            if (b < 0) {
                throw new EOFException("expected more data at byte " + offset);
            }
            offset++;
            return b;
        }

        long varint() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = next();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new MyelinException(file + ": byte " + offset + ": varint longer than 10 bytes");
        }

        @Override
        public void close() throws IOException {
            data.close();
        }
    }
}
