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

    public static EventStream read(Path file) {
        try (CountingInput in = new CountingInput(file)) {
            byte[] magic = in.bytes(8);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new MyelinException(file + ": not a Myelin AER file: expected magic \"MYLNAER1\" at byte 0");
            }
            int w = in.data.readInt();
            int h = in.data.readInt();
            long n = in.data.readLong();
            in.offset += 16;
            if (n < 0 || n > Integer.MAX_VALUE - 8) {
                throw new MyelinException(file + ": byte 16: event count " + n + " is out of range");
            }
            EventStream s = new EventStream(w, h, (int) Math.min(n, 1 << 20));
            long t = 0;
            for (long i = 0; i < n; i++) {
                long at = in.offset;
                t += in.varint();
                int x = (int) in.varint();
                int y = (int) in.varint();
                int p = in.next();
                if (x >= w || y >= h || p > 1) {
                    throw new MyelinException(file + ": byte " + at + ": event " + i + " (" + x + ", " + y + ", p " + p
                            + ") does not fit a " + w + " x " + h + " sensor");
                }
                s.add(t, x, y, p);
            }
            return s;
        } catch (EOFException e) {
            throw new MyelinException(file + ": truncated: " + e.getMessage());
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
                throw new MyelinException(file + ": line 1: expected the header t_us,x,y,p, found " + header);
            }
            EventStream s = new EventStream(width, height, 1024);
            String line;
            int no = 1;
            while ((line = r.readLine()) != null) {
                no++;
                String[] f = line.split(",");
                if (f.length != 4) {
                    throw new MyelinException(file + ": line " + no + ": expected 4 fields, found " + f.length);
                }
                try {
                    s.add(Long.parseLong(f[0].trim()), Integer.parseInt(f[1].trim()), Integer.parseInt(f[2].trim()),
                            Integer.parseInt(f[3].trim()));
                } catch (NumberFormatException e) {
                    throw new MyelinException(file + ": line " + no + ": " + e.getMessage());
                }
            }
            return s;
        } catch (IOException e) {
            throw new MyelinException("cannot read AER CSV " + file + ": " + e.getMessage(), e);
        }
    }

    /** A stream that knows its byte offset, for error messages. */
    private static final class CountingInput implements AutoCloseable {
        final DataInputStream data;
        long offset;

        CountingInput(Path file) throws IOException {
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
            throw new IOException("varint longer than 10 bytes at byte " + offset);
        }

        @Override
        public void close() throws IOException {
            data.close();
        }
    }
}
