package org.myelin.nir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;

/** .npy files written by NumPy (committed fixtures): dtypes, byte orders, shapes. */
class NpyTest {
    static Path fixture(String name) throws Exception {
        return Path.of(NpyTest.class.getResource("/fixtures/" + name).toURI());
    }

    @Test
    void readsWhatNumpyWrote() throws Exception {
        Npy.Array f = Npy.read(fixture("spikes_f4.npy"));
        assertArrayEquals(new int[] {4, 3}, f.shape());
        assertArrayEquals(new double[] {0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1}, f.values());
        assertArrayEquals(new double[] {0, 0, 1}, f.rows()[2]);
        Npy.Array b = Npy.read(fixture("spikes_bool.npy"));
        assertArrayEquals(new double[] {0, 1, 1, 0, 1, 1}, b.values());
        Npy.Array i = Npy.read(fixture("values_i8_be.npy"));
        assertArrayEquals(new int[] {2, 3}, i.shape());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, i.values());
        Npy.Array d = Npy.read(fixture("values_f8_1d.npy"));
        assertArrayEquals(new double[] {0.5, -1.25, 3.0}, d.values());
        assertArrayEquals(new double[] {-1.25}, d.rows()[1]);
    }

    @Test
    void aFileThatIsNotNpyIsRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.npy");
        Files.writeString(f, "step,value\n0,1\n");
        MyelinException e = assertThrows(MyelinException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("not a .npy file"), e.getMessage());
    }
}
