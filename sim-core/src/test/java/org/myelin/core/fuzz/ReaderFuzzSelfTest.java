package org.myelin.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;

/** The fuzzer itself: it reports a wrong exception type, a message over two lines and a hang, with the replay seed. */
class ReaderFuzzSelfTest {
    private static volatile boolean released;
    private static final byte[] FIXTURE = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    /** A reader of "valid" files that start with byte 1. */
    private static void strict(byte[] b) {
        if (b.length < 16 || b[0] != 1) {
            throw new MyelinException("not valid: " + b.length + " bytes");
        }
    }

    @Test
    void aReaderThatRefusesWithMyelinExceptionsPasses() {
        int cases = ReaderFuzz.of("self-ok", ReaderFuzzSelfTest::strict, MyelinException.class).fixture(FIXTURE).run();
        assertTrue(cases > 50, cases + " cases");
    }

    @Test
    void anotherExceptionFailsNamingTheReplaySeed() {
        AssertionError e = assertThrows(AssertionError.class, () -> ReaderFuzz.of("self-index", b -> {
            strict(b);
            int unused = b[b[1] & 0xFF];
        }, MyelinException.class).fixture(FIXTURE).run());
        assertTrue(e.getMessage().contains("ArrayIndexOutOfBoundsException") && e.getMessage().contains("replay"),
                e.getMessage());
    }

    @Test
    void aMessageOverTwoLinesFails() {
        AssertionError e = assertThrows(AssertionError.class, () -> ReaderFuzz.of("self-lines", b -> {
            if (b.length != 16) {
                throw new MyelinException("two\nlines");
            }
        }, MyelinException.class).fixture(FIXTURE).run());
        assertTrue(e.getMessage().contains("instead of a one-line MyelinException"), e.getMessage());
    }

    @Test
    void aReaderThatHangsFails() {
        System.setProperty("myelin.fuzz.hangSeconds", "1");
        try {
            AssertionError e = assertThrows(AssertionError.class, () -> ReaderFuzz.of("self-hang", b -> {
                while (b.length == 7 && !released) {
                    Thread.onSpinWait();
                }
            }, MyelinException.class).fixture(FIXTURE).run());
            assertTrue(e.getMessage().contains("the reader hangs") && e.getMessage().contains("truncated to 7"),
                    e.getMessage());
        } finally {
            released = true;
            System.clearProperty("myelin.fuzz.hangSeconds");
        }
    }

    @Test
    void aCaseIsTheSameForTheSameSeed() {
        List<byte[]> f = List.of(FIXTURE, new byte[] {9, 9, 9});
        for (long seed = 0; seed < 200; seed++) {
            Corruptions.Case a = Corruptions.of(seed, f);
            Corruptions.Case b = Corruptions.of(seed, f);
            assertEquals(a.description(), b.description());
            assertTrue(java.util.Arrays.equals(a.bytes(), b.bytes()));
        }
        assertNotEquals(Corruptions.of(1, f).description(), Corruptions.of(2, f).description());
    }
}
