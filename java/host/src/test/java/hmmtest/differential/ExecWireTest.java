package hmmtest.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The two ends of the executor's wire agree: every number of the C header is ExecWire's. */
class ExecWireTest {
    static final Path HEADER = Path.of("../../native/include/hmmfuzz_exec_wire.h");

    @Test
    void everyDefineOfTheHeaderHasTheSameValueInJava() throws IOException, IllegalAccessException {
        Matcher m = Pattern.compile("(?m)^#define HMMFUZZ_(?:EXEC_)?(\\w+) (0x[0-9a-fA-F]+|\\d+)")
                .matcher(Files.readString(HEADER));
        Map<String, Long> header = new TreeMap<>();
        while (m.find()) {
            String v = m.group(2);
            header.put(m.group(1), v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v));
        }
        assertThat(header).containsKeys("MAGIC", "VERSION", "ARGS", "OP_MMAP", "OP_QUIT", "BUF_SNAPSHOT");
        Map<String, Long> java = new TreeMap<>();
        for (Field f : ExecWire.class.getDeclaredFields()) {
            if (header.containsKey(f.getName())) {
                java.put(f.getName(), ((Number) f.get(null)).longValue());
            }
        }
        assertThat(java).isEqualTo(header);
    }
}
