package hmmtest.suite;

import static org.junit.jupiter.api.Assertions.fail;

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
}
