package hmmtest.guest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Executed (never reported) before a warm snapshot is saved, so that JUnit's execution path
 * (engine, lifecycle callbacks, ordering, assertions) is loaded and past its first calls in
 * every restored VM. Touches no device; lives outside the suite's packages, so no run selects it.
 */
@DisplayName("warmup")
@TestMethodOrder(MethodOrderer.MethodName.class)
class WarmupTests {
    private int[] values;

    @BeforeEach
    void setUp() {
        values = new int[] {1, 2, 3};
    }

    @AfterEach
    void tearDown() {
        values = null;
    }

    @Test
    void assertions() {
        assertEquals(3, values.length);
        assertArrayEquals(new int[] {1, 2, 3}, values);
        assertTrue(values[0] < values[2], "ordered");
    }

    @Test
    void more() {
        assertEquals(6L, (long) values[0] + values[1] + values[2]);
    }
}
