package org.myelin.datasets.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.myelin.core.MyelinException;

/**
 * A RIFF/WAVE file of 16-bit PCM, read whole: the first channel as samples in [-1, 1) and the sample rate.
 * Other formats are refused with the byte offset of the field that says so.
 */
public record WavFile(int sampleRate, double[] samples) {

    public static WavFile read(Path file) {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new MyelinException("cannot read WAV file " + file + ": " + e.getMessage(), e);
        }
        return parse(b, file.toString());
    }

    public static WavFile parse(byte[] b, String name) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (b.length < 12 || buf.getInt(0) != 0x46464952 || buf.getInt(8) != 0x45564157) {
            throw new MyelinException(name + ": not a WAV file: expected \"RIFF\" at byte 0 and \"WAVE\" at byte 8");
        }
        long pos = 12;
        int rate = -1;
        int channels = -1;
        while (pos + 8 <= b.length) {
            int id = buf.getInt((int) pos);
            long size = buf.getInt((int) pos + 4) & 0xFFFFFFFFL;
            int body = (int) pos + 8;
            if (id == 0x20746d66) { // "fmt "
                if (body + 16 > b.length) {
                    throw new MyelinException(name + ": truncated fmt chunk at byte " + pos);
                }
                int format = buf.getShort(body) & 0xFFFF;
                channels = buf.getShort(body + 2) & 0xFFFF;
                rate = buf.getInt(body + 4);
                int bits = buf.getShort(body + 14) & 0xFFFF;
                if (format != 1 || bits != 16) {
                    throw new MyelinException(name + ": byte " + body + ": only 16-bit PCM (format 1) is read, found format "
                            + format + " with " + bits + " bits");
                }
                if (channels < 1) {
                    throw new MyelinException(name + ": byte " + (body + 2) + ": channel count must be >= 1, was " + channels);
                }
                if (rate < 1) {
                    throw new MyelinException(name + ": byte " + (body + 4) + ": sample rate must be >= 1 Hz, was "
                            + (rate & 0xFFFFFFFFL));
                }
            } else if (id == 0x61746164) { // "data"
                if (rate < 0) {
                    throw new MyelinException(name + ": byte " + pos + ": data chunk before the fmt chunk");
                }
                // streaming writers leave the size open (0, or near 2^31 or 2^32): then the data run to the end
                boolean open = size == 0 || size >= 0x7FFF0000L;
                if (!open && size > b.length - body) {
                    throw new MyelinException(name + ": truncated: the data chunk at byte " + pos + " says " + size
                            + " bytes, the file has " + (b.length - body) + " after it");
                }
                long available = open ? b.length - body : size;
                int frames = (int) (available / (2L * channels));
                double[] s = new double[frames];
                for (int i = 0; i < frames; i++) {
                    s[i] = buf.getShort(body + 2 * channels * i) / 32768.0;
                }
                return new WavFile(rate, s);
            }
            pos = body + size + (size & 1);
        }
        throw new MyelinException(name + ": no data chunk found before byte " + b.length);
    }

    /** Writes 16-bit mono PCM. */
    public void write(Path file) {
        ByteBuffer buf = ByteBuffer.allocate(44 + 2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(0x46464952).putInt(36 + 2 * samples.length).putInt(0x45564157);
        buf.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 1).putInt(sampleRate)
                .putInt(2 * sampleRate).putShort((short) 2).putShort((short) 16);
        buf.putInt(0x61746164).putInt(2 * samples.length);
        for (double v : samples) {
            buf.putShort((short) Math.max(-32768, Math.min(32767, Math.round(v * 32768))));
        }
        org.myelin.core.io.AtomicFile.write(file, buf.array());
    }
}
