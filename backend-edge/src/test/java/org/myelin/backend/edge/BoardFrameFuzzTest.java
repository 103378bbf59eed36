package org.myelin.backend.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.core.fuzz.ReaderFuzz;

/**
 * The host's reading of the board's serial answers: frames whose CRC holds but whose payload is too short are refused
 * by name (not with a BufferUnderflowException), and generated corruptions of a valid answer stream end in answers or
 * MyelinExceptions only.
 */
class BoardFrameFuzzTest {
    /** A link whose board answers with the given bytes, then falls silent (reported as a MyelinException at once). */
    static Board.Link replay(byte[] answers) {
        return new Board.Link() {
            int at;

            @Override
            public void write(byte[] b) {
            }

            @Override
            public int read(byte[] b, int timeoutMs) {
                if (at >= answers.length) {
                    throw new MyelinException("test link: no more answers");
                }
                b[0] = answers[at++];
                return 1;
            }

            @Override
            public void close() {
            }
        };
    }

    static byte[] le(int n, java.util.function.Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(b);
        return b.array();
    }

    /** Answers to hello, info, stats and a run, with sequence numbers 1 to 4. */
    static byte[] session() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(Board.frame(0x81, 1, le(10, b -> b.putShort((short) 2).putShort((short) 2).putInt(65536)
                .put((byte) 2).put((byte) -1))));
        o.writeBytes(Board.frame(0x82, 2, le(1 + 2 * 41, b -> b.put((byte) 0).put((byte) 3).putInt(100).putInt(100)
                .put(new byte[32]).put((byte) 0).putInt(0).putInt(0).put(new byte[32]))));
        o.writeBytes(Board.frame(0xA1, 3, le(32, b -> b.putInt(5).putLong(1000).putInt(300).putLong(77).putLong(88))));
        o.writeBytes(Board.frame(0xA0, 4, le(12 + 2 * 4, b -> b.putShort((short) 3).putShort((short) 0)
                .putShort((short) 9).putShort((short) 1).putInt(120).putInt(40).putInt(0))));
        return o.toByteArray();
    }

    static void converse(byte[] answers) {
        try (Board b = new Board(replay(answers), 1000)) {
            b.hello();
            b.info();
            b.stats();
            b.run(new boolean[2][3]);
        }
    }

    @Test
    void aValidSessionIsRead() {
        try (Board b = new Board(replay(session()), 1000)) {
            assertEquals(2, b.hello().slots());
            assertEquals(2, b.info().length);
            assertEquals(5, b.stats().windows());
            assertEquals(9, b.run(new boolean[2][3]).counts()[2]);
        }
    }

    @Test
    void anAnswerWithAGoodCrcButTooShortIsRefusedByName() {
        byte[] shortHello = Board.frame(0x81, 1, new byte[] {2, 0, 2});
        MyelinException e = assertThrows(MyelinException.class, () -> converse(shortHello));
        assertTrue(e.getMessage().contains("the answer to hello has 3 bytes, expected at least 10"), e.getMessage());
        byte[] shortRun = Board.frame(0xA0, 1, new byte[5]);
        try (Board b = new Board(replay(shortRun), 1000)) {
            MyelinException r = assertThrows(MyelinException.class, () -> b.run(new boolean[1][1]));
            assertTrue(r.getMessage().contains("the answer to run has 5 bytes"), r.getMessage());
        }
    }

    @Test
    void generatedCorruptionsOfTheAnswerStreamEndInAnswersOrMyelinExceptions() {
        ReaderFuzz.of("serial-frames", BoardFrameFuzzTest::converse, MyelinException.class).fixture(session()).run();
    }
}
