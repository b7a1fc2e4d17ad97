package hmmtest.suite;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.function.IntUnaryOperator;

/** Whole-buffer assertions that name the first wrong index instead of a million asserts. */
final class Ints {
    private Ints() {}

    static void fill(IntBuffer b, int from, int to, IntUnaryOperator value) {
        for (int i = from; i < to; i++) {
            b.put(i, value.applyAsInt(i));
        }
    }

    static void assertRange(String what, IntBuffer b, int from, int to, IntUnaryOperator expected) {
        for (int i = from; i < to; i++) {
            int want = expected.applyAsInt(i);
            int got = b.get(i);
            if (got != want) {
                fail(what + "[" + i + "] (page " + (i * 4L / 4096) + ") expected <" + want + "> but was <" + got + ">");
            }
        }
    }

    /** Every byte in [from, to) equals {@code expected} (snapshot bytes, 0xAB patterns...). */
    static void assertBytes(String what, ByteBuffer b, int from, int to, int expected) {
        for (int i = from; i < to; i++) {
            int got = b.get(i) & 0xff;
            if (got != (expected & 0xff)) {
                fail(what + "[" + i + "] expected <0x" + Integer.toHexString(expected & 0xff) + "> but was <0x"
                        + Integer.toHexString(got) + ">");
            }
        }
    }

    /** Snapshot byte i as an unsigned value. */
    static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xff;
    }
}
