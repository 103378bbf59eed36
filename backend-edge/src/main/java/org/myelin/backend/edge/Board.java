package org.myelin.backend.edge;

import com.fazecast.jSerialComm.SerialPort;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.LongConsumer;
import java.util.zip.CRC32;
import org.myelin.core.MyelinException;

/**
 * The host side of Myelin's serial protocol (version 2; the frame layout and commands are in
 * {@code firmware/src/myelin_proto.h}): SLIP-framed requests with a sequence number and a CRC-32, each answered by
 * the board or NAKed; a damaged, missing or NAKed answer makes the request go again (up to {@link #RETRIES} times),
 * and the board answers a repeated request from its cache instead of executing it twice. Uploads go in chunks, each
 * confirmed by the board, and a new upload of the same image resumes from the board's last confirmed offset.
 */
public final class Board implements AutoCloseable {
    public static final int PROTOCOL = 2;
    public static final int RETRIES = 8;
    public static final int CHUNK = 1024;
    private static final int END = 0xC0;
    private static final int ESC = 0xDB;

    /** A byte link: a serial port, or anything else that moves bytes. */
    public interface Link extends AutoCloseable {
        void write(byte[] b);

        /** Reads up to {@code b.length} bytes, waiting at most about {@code timeoutMs}; returns how many (0: none). */
        int read(byte[] b, int timeoutMs);

        @Override
        void close();
    }

    /** A serial port through jSerialComm (a board's USB serial device, or a pty of the emulator). */
    public static Link serial(String device, int baud) {
        SerialPort p;
        try {
            p = SerialPort.getCommPort(device);
        } catch (RuntimeException e) {
            throw new MyelinException("no serial port " + device + ": " + e.getMessage(), e);
        }
        p.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        p.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 100, 1000);
        if (!p.openPort()) {
            throw new MyelinException("cannot open serial port " + device + " (in use, or no permission)");
        }
        return new Link() {
            @Override
            public void write(byte[] b) {
                int done = 0;
                while (done < b.length) {
                    int w = p.writeBytes(b, b.length - done, done);
                    if (w < 0) {
                        throw new MyelinException("serial write to " + device + " failed");
                    }
                    done += w;
                }
            }

            @Override
            public int read(byte[] b, int timeoutMs) {
                p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, timeoutMs, 1000);
                int r = p.readBytes(b, b.length);
                return Math.max(0, r);
            }

            @Override
            public void close() {
                p.closePort();
            }
        };
    }

    /** What the board said in the handshake. */
    public record Hello(int protocol, int imageFormat, long maxImage, int slots, int active) {
    }

    /** One slot: state (0 empty, 1 partial, 2 complete, 3 verified), announced length, confirmed bytes, SHA-256. */
    public record Slot(int state, long length, long confirmed, byte[] sha256) {
    }

    /** The answer to a window: output spike counts, the board's latency, accumulates and multiply-accumulates. */
    public record Result(int[] counts, long latencyUs, long accumulates, long macs) {
    }

    /** Counters since the board started. */
    public record Stats(long windows, long totalLatencyUs, long maxLatencyUs, long accumulates, long macs) {
    }

    private final Link link;
    private final int timeoutMs;
    private int seq;
    private long retransmissions;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    public Board(Link link, int timeoutMs) {
        this.link = link;
        this.timeoutMs = timeoutMs;
    }

    /** Requests sent again because an answer was damaged, lost or NAKed. */
    public long retransmissions() {
        return retransmissions;
    }

    static byte[] frame(int type, int seq, byte[] payload) {
        ByteBuffer raw = ByteBuffer.allocate(8 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.put((byte) type).put((byte) seq).putShort((short) payload.length).put(payload);
        CRC32 crc = new CRC32();
        crc.update(raw.array(), 0, 4 + payload.length);
        raw.putInt((int) crc.getValue());
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(END);
        for (byte b : raw.array()) {
            int v = b & 0xFF;
            if (v == END) {
                o.write(ESC);
                o.write(0xDC);
            } else if (v == ESC) {
                o.write(ESC);
                o.write(0xDD);
            } else {
                o.write(v);
            }
        }
        o.write(END);
        return o.toByteArray();
    }

    /** The longest frame the protocol allows: type, sequence, length, a 65535-byte payload and the CRC. */
    static final int MAX_FRAME = 8 + 0xFFFF;

    /**
     * Reads one SLIP frame's bytes (unescaped), or null when none arrives in time; a frame longer than the protocol
     * allows is dropped (the line is noise until the next frame end).
     */
    private byte[] readFrame(long deadline) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        boolean esc = false;
        byte[] buf = new byte[1];
        while (System.currentTimeMillis() < deadline) {
            int n = link.read(buf, (int) Math.max(1, Math.min(200, deadline - System.currentTimeMillis())));
            if (n == 0) {
                continue;
            }
            int c = buf[0] & 0xFF;
            if (c == END) {
                if (f.size() > 0) {
                    return f.toByteArray();
                }
                continue;
            }
            if (c == ESC) {
                esc = true;
                continue;
            }
            if (esc) {
                c = c == 0xDC ? END : c == 0xDD ? ESC : c;
                esc = false;
            }
            if (f.size() >= MAX_FRAME) {
                f.reset();
                continue;
            }
            f.write(c);
        }
        return null;
    }

    /** Sends a request and returns the answer's payload, retransmitting as needed. */
    byte[] request(int type, byte[] payload) {
        seq = (seq + 1) & 0xFF;
        String why = "";
        for (int attempt = 0; attempt <= RETRIES; attempt++) {
            if (attempt > 0) {
                retransmissions++;
            }
            link.write(frame(type, seq, payload));
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (true) {
                byte[] f = readFrame(deadline);
                if (f == null) {
                    why = "no answer within " + timeoutMs + " ms";
                    break;
                }
                ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
                if (f.length < 8) {
                    why = "a damaged answer";
                    break;
                }
                int len = b.getShort(2) & 0xFFFF;
                CRC32 crc = new CRC32();
                crc.update(f, 0, Math.min(f.length, 4 + len));
                if (len + 8 != f.length || (int) crc.getValue() != b.getInt(4 + len)) {
                    why = "an answer that failed its CRC";
                    break;
                }
                int rtype = f[0] & 0xFF;
                int rseq = f[1] & 0xFF;
                if (rseq != seq) {
                    continue; // a late answer to an earlier try: skip it
                }
                byte[] body = Arrays.copyOfRange(f, 4, 4 + len);
                if (rtype == 0x7F) {
                    int reason = body.length > 0 ? body[0] : 0;
                    if (reason == 5) {
                        throw new MyelinException("the board speaks another protocol version than this Myelin's "
                                + PROTOCOL + "; update its firmware or this Myelin");
                    }
                    if (reason == 4 || reason == 6) {
                        throw new MyelinException("the board refused the request (" + (reason == 4 ? "bad argument"
                                : "not in a state to do it") + ")");
                    }
                    why = "a NAK (" + (reason == 1 ? "damaged request" : "reason " + reason) + ")";
                    break;
                }
                if (rtype != (type | 0x80)) {
                    why = "an answer of the wrong type";
                    break;
                }
                return body;
            }
        }
        throw new MyelinException("the board did not answer request 0x" + Integer.toHexString(type) + " after "
                + (RETRIES + 1) + " tries: last " + why);
    }

    /** The answer to {@code what} as a little-endian buffer, refused when shorter than the fields it must hold. */
    private static ByteBuffer answer(byte[] body, int atLeast, String what) {
        if (body.length < atLeast) {
            throw new MyelinException("board: the answer to " + what + " has " + body.length + " bytes, expected at least "
                    + atLeast + " (firmware of another version, or a damaged link)");
        }
        return ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The version handshake; refuses a board of another protocol version. */
    public Hello hello() {
        ByteBuffer b = answer(request(0x01, le(2).putShort((short) PROTOCOL).array()), 10, "hello");
        Hello h = new Hello(b.getShort() & 0xFFFF, b.getShort() & 0xFFFF, b.getInt() & 0xFFFFFFFFL, b.get() & 0xFF,
                b.get());
        if (h.imageFormat() != ModelImage.VERSION) {
            throw new MyelinException("the board runs model images of format " + h.imageFormat() + "; this Myelin writes"
                    + " format " + ModelImage.VERSION);
        }
        return h;
    }

    /** The active slot (-1: none) and every slot's state. */
    public Slot[] info() {
        ByteBuffer b = answer(request(0x02, new byte[0]), 1, "info");
        b.get();
        Slot[] s = new Slot[(b.remaining()) / 41];
        for (int k = 0; k < s.length; k++) {
            int st = b.get();
            long len = b.getInt() & 0xFFFFFFFFL;
            long conf = b.getInt() & 0xFFFFFFFFL;
            byte[] sha = new byte[32];
            b.get(sha);
            s[k] = new Slot(st, len, conf, sha);
        }
        return s;
    }

    /**
     * Uploads {@code image} into {@code slot}, from the offset the board confirms (so an interrupted upload of the same
     * image resumes); {@code progress} gets the confirmed byte count after each chunk. Returns where it started.
     */
    public long upload(int slot, byte[] image, LongConsumer progress) {
        ModelImage.check(image);
        byte[] sha = ModelImage.sha256(image, image.length);
        ByteBuffer begin = le(37).put((byte) slot).putInt(image.length).put(sha);
        long confirmed = answer(request(0x10, begin.array()), 4, "upload begin").getInt() & 0xFFFFFFFFL;
        if (confirmed > image.length) {
            throw new MyelinException("upload: the board confirms " + confirmed + " bytes of a " + image.length
                    + "-byte image");
        }
        long start = confirmed;
        while (confirmed < image.length) {
            int n = (int) Math.min(CHUNK, image.length - confirmed);
            ByteBuffer c = le(5 + n).put((byte) slot).putInt((int) confirmed).put(image, (int) confirmed, n);
            long next = answer(request(0x11, c.array()), 4, "upload chunk").getInt() & 0xFFFFFFFFL;
            if ((next <= confirmed && next != image.length) || next > image.length) {
                throw new MyelinException("upload: the board confirmed " + next + " bytes after a chunk at " + confirmed);
            }
            confirmed = next;
            if (progress != null) {
                progress.accept(confirmed);
            }
        }
        return start;
    }

    /** Checks the slot's image on the board (hash and format); throws with the reason when it fails. */
    public void verify(int slot) {
        int status = answer(request(0x12, new byte[] {(byte) slot}), 1, "verify").get() & 0xFF;
        if (status != 0) {
            throw new MyelinException("verify: slot " + slot + " " + (status == 0x40 ? "does not hold the announced image"
                    : status == 0x41 ? "is not completely uploaded" : "holds an image the board refuses (status "
                    + status + ")"));
        }
    }

    /**
     * Makes the slot's image the running one after the board's self-test; returns the active slot afterwards. When the
     * self-test fails the board keeps the previous image (rollback) and this throws, naming the slot that stays active.
     */
    public int activate(int slot) {
        byte[] r = answer(request(0x13, new byte[] {(byte) slot}), 2, "activate").array();
        int status = r[0] & 0xFF;
        int activeNow = r[1];
        if (status != 0) {
            throw new MyelinException("activate: slot " + slot + " failed the board's self-test ("
                    + (status == 8 ? "the model exceeds the board's memory" : status == 0x42 ? "not verified"
                    : "status " + status) + "); " + (activeNow < 0 ? "no image is active" : "slot " + activeNow
                    + " stays active (rolled back)"));
        }
        return activeNow;
    }

    /** Runs one window of spikes ({@code spikes[t][i]}) on the active image. */
    public Result run(boolean[][] spikes) {
        int steps = spikes.length;
        int inputs = steps == 0 ? 0 : spikes[0].length;
        byte[] bits = new byte[(steps * inputs + 7) / 8];
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < inputs; i++) {
                if (spikes[t][i]) {
                    int k = t * inputs + i;
                    bits[k / 8] |= (byte) (1 << (k % 8));
                }
            }
        }
        ByteBuffer b = le(4 + bits.length).putShort((short) steps).putShort((short) inputs).put(bits);
        return result(request(0x20, b.array()));
    }

    /** Runs one window of values ({@code values[t][i]}, Q input-fraction int16) on the active image (a value model). */
    public Result run(int[][] values) {
        int steps = values.length;
        int inputs = steps == 0 ? 0 : values[0].length;
        ByteBuffer b = le(4 + 2 * steps * inputs).putShort((short) steps).putShort((short) inputs);
        for (int[] step : values) {
            for (int v : step) {
                if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                    throw new MyelinException("board run: value " + v + " does not fit int16");
                }
                b.putShort((short) v);
            }
        }
        return result(request(0x22, b.array()));
    }

    private static Result result(byte[] answer) {
        ByteBuffer r = answer(answer, 12, "run");
        if ((answer.length - 12) % 2 != 0) {
            throw new MyelinException("board: the answer to run has " + answer.length + " bytes, expected 12 + 2 per class");
        }
        int classes = (r.remaining() - 12) / 2;
        int[] counts = new int[classes];
        for (int c = 0; c < classes; c++) {
            counts[c] = r.getShort() & 0xFFFF;
        }
        return new Result(counts, r.getInt() & 0xFFFFFFFFL, r.getInt() & 0xFFFFFFFFL, r.getInt() & 0xFFFFFFFFL);
    }

    public Stats stats() {
        ByteBuffer r = answer(request(0x21, new byte[0]), 32, "stats");
        return new Stats(r.getInt() & 0xFFFFFFFFL, r.getLong(), r.getInt() & 0xFFFFFFFFL, r.getLong(), r.getLong());
    }

    @Override
    public void close() {
        link.close();
    }
}
