package org.tcpjmx.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** The budget's own rules: its default size, turns, reservations held by a request scope, busy refusals. */
class AnswerBudgetTest {
    private static final long MIB = 1L << 20;

    @Test
    void theDefaultIsATenthOfTheHeapAtMost64MiB() {
        assertEquals(6_710_880, AnswerBudget.defaultBytes(64 * MIB));
        assertEquals(64 * MIB, AnswerBudget.defaultBytes(4096 * MIB));
        assertEquals(AnswerBudget.MIN_BYTES, AnswerBudget.defaultBytes(MIB / 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AnswerBudget.of(1000));
        assertTrue(e.getMessage().contains("at least 64 KiB"), e.getMessage());
    }

    @Test
    void aThirdRequestWithABigAnswerWaitsThenIsRefusedAsBusyWhileSmallOnesPass() {
        AnswerBudget b = new AnswerBudget(MIB, 50);
        try (AnswerBudget.Turn one = b.turn("query"); AnswerBudget.Turn two = b.turn("query");
             AnswerBudget.Turn three = b.turn("queryPage"); AnswerBudget.Turn small = b.turn("query")) {
            one.reserve(10, 0, 8 << 10, "10 sockets match", "");
            two.reserve(10, 0, 8 << 10, "10 sockets match", "");
            RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
                    () -> three.reserve(10, 0, 8 << 10, "10 sockets match", ""));
            assertTrue(e.getMessage().startsWith("busy: queryPage waited 50 ms"), e.getMessage());
            small.reserve(2, 0, 8 << 10, "2 sockets match", "");
            assertEquals(176L << 10, b.reservedBytes());
        }
        assertEquals(0, b.reservedBytes());
        try (AnswerBudget.Turn again = b.turn("query")) {
            again.reserve(10, 0, 8 << 10, "10 sockets match", "");
        }
    }

    @Test
    void aScopeHoldsItsAnswersBytesUntilItCloses() {
        AnswerBudget b = new AnswerBudget(MIB, 50);
        try (AnswerBudget.Scope scope = AnswerBudget.requestScope()) {
            try (AnswerBudget.Turn t = b.turn("query")) {
                t.reserve(100, 0, 8 << 10, "100 sockets match", "");
            }
            assertEquals(800L << 10, b.reservedBytes(), "the answer is still being serialized");
            try (AnswerBudget.Turn t = b.turn("query")) {
                RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
                        () -> t.reserve(50, 0, 8 << 10, "50 sockets match", ""));
                assertTrue(e.getMessage().contains("other answers hold 800 KiB of the 1.0 MiB answer budget"), e.getMessage());
            }
        }
        assertEquals(0, b.reservedBytes());
    }

    @Test
    void anAnswerThatCanNeverFitIsABadRequest() {
        AnswerBudget b = new AnswerBudget(MIB, 50);
        try (AnswerBudget.Turn t = b.turn("query")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> t.reserve(200, 0, 8 << 10, "200 sockets match ''", "Narrow it."));
            assertEquals("query: 200 sockets match ''; 200 rows would take about 1.6 MiB, over the answer budget of"
                    + " 1.0 MiB (agent option answerBudget=; 128 rows of this kind fit). Narrow it.", e.getMessage());
        }
        assertEquals(0, b.reservedBytes());
    }
}
