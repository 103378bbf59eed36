package org.myelin.nir;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.fuzz.ReaderFuzz;

/** Generated corruptions of valid .nir (HDF5) files are refused with a one-line MyelinException. */
class NirReaderFuzzTest {
    @TempDir
    Path dir;

    @Test
    void generatedCorruptionsAreRefusedWithAMyelinException() throws Exception {
        ReaderFuzz.ofFile("nir", dir, "fuzz.nir", NirReader::read).fixture(NirReaderTest.fixture("rnn_subgraph.nir"))
                .fixture(NirReaderTest.fixture("lif.nir")).run();
    }
}
