package org.myelin.nir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.core.fuzz.ReaderFuzz;

/** Malformed .npy headers are refused with one line naming the file and the field; generated corruptions too. */
class NpyHardeningTest {
    @TempDir
    Path dir;

    /** A version-1 .npy file with this header text and data bytes. */
    static byte[] npy(int major, String header, int dataBytes) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(0x93);
        o.writeBytes("NUMPY".getBytes(StandardCharsets.ISO_8859_1));
        o.write(major);
        o.write(0);
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        o.writeBytes(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) h.length).array());
        o.writeBytes(h);
        o.writeBytes(new byte[dataBytes]);
        return o.toByteArray();
    }

    private MyelinException refused(byte[] bytes) throws Exception {
        Path f = dir.resolve("bad.npy");
        Files.write(f, bytes);
        MyelinException e = assertThrows(MyelinException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().indexOf('\n') < 0, e.getMessage());
        return e;
    }

    private Npy.Array read(byte[] bytes) throws Exception {
        Path f = dir.resolve("ok.npy");
        Files.write(f, bytes);
        return Npy.read(f);
    }

    @Test
    void aWellFormedHeaderIsRead() throws Exception {
        Npy.Array a = read(npy(1, "{'descr': '<i2', 'fortran_order': False, 'shape': (2, 3), }  \n", 12));
        assertArrayEquals(new int[] {2, 3}, a.shape());
        Npy.Array scalar = read(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (), }\n", 8));
        assertArrayEquals(new int[0], scalar.shape());
    }

    @Test
    void malformedHeadersAreRefusedNamingTheField() throws Exception {
        String ok = "'fortran_order': False, ";
        assertTrue(refused(npy(1, "{'descr': '<f4', " + ok + "'shape': (-1,), }\n", 0)).getMessage()
                .contains("has dimension '-1'"));
        assertTrue(refused(npy(1, "{'descr': '<f4', " + ok + "'shape': (two,), }\n", 0)).getMessage()
                .contains("has dimension 'two'"));
        assertTrue(refused(npy(1, "{'descr': '<f4', " + ok + "'shape': (99999999999,), }\n", 0)).getMessage()
                .contains("dimension '99999999999'"));
        assertTrue(refused(npy(1, "{'descr': '<f4', " + ok + "'shape': (65536, 65536), }\n", 0)).getMessage()
                .contains("holds more than"));
        assertTrue(refused(npy(1, "{'descr': '<c16', " + ok + "'shape': (1,), }\n", 16)).getMessage()
                .contains("element type '<c16' is not supported"));
        assertTrue(refused(npy(1, "{'descr': '<f4', 'shape': (1,), }\n", 4)).getMessage()
                .contains("lacks 'fortran_order'"));
        assertTrue(refused(npy(1, "[1, 2, 3]\n", 4)).getMessage().contains("not a dict"));
        assertTrue(refused(npy(7, "{}", 0)).getMessage().contains("format version 7.0 is not supported"));
        assertTrue(refused(npy(1, "{'descr': '<f8', " + ok + "'shape': (4,), }\n", 8)).getMessage()
                .contains("data truncated: the header promises 4 values of 8 bytes (32), the file holds 8"));
    }

    @Test
    void aHeaderLengthBeyondTheFileIsRefused() throws Exception {
        byte[] b = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }\n", 4);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(8, (short) 60000);
        assertTrue(refused(b).getMessage().contains("header length 60000 at byte 8 exceeds"));
        byte[] v2 = npy(2, "", 0);
        byte[] big = new byte[12];
        System.arraycopy(v2, 0, big, 0, 8);
        ByteBuffer.wrap(big).order(ByteOrder.LITTLE_ENDIAN).putInt(8, -1);
        assertTrue(refused(big).getMessage().contains("header length 4294967295"));
    }

    @Test
    void generatedCorruptionsAreRefusedWithAMyelinException() throws Exception {
        ReaderFuzz.ofFile("npy", dir, "fuzz.npy", Npy::read)
                .fixture(NpyTest.fixture("spikes_f4.npy")).fixture(NpyTest.fixture("spikes_bool.npy"))
                .fixture(NpyTest.fixture("values_i8_be.npy")).fixture(NpyTest.fixture("values_f8_1d.npy")).regressions("/fuzz/npy").run();
    }
}
