package hmmtest.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Java definition of the dmirror uapi ({@link Command}) against the C one
 * ({@code native/include/hmm_dmirror_uapi.h}, on the class path as a resource), and both against
 * the request numbers x86-64 gives {@code _IOWR('H', nr, 40 bytes)}.
 */
class UapiHeaderTest {

    private static String header() throws IOException {
        try (InputStream in = UapiHeaderTest.class.getResourceAsStream("/hmmtest/uapi/hmm_dmirror_uapi.h")) {
            assertThat(in).as("native/include/hmm_dmirror_uapi.h on the class path").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyCommandOfTheJavaEnumHasTheSameNumberInTheCHeader() throws IOException {
        Map<String, Integer> c = new LinkedHashMap<>();
        Matcher m = Pattern.compile("#define HMM_DMIRROR_(\\w+)\\s+HMM_DMIRROR_REQUEST\\((0x[0-9a-fA-F]+)\\)").matcher(header());
        while (m.find()) {
            c.put(m.group(1), Integer.decode(m.group(2)));
        }
        Map<String, Integer> java = new LinkedHashMap<>();
        for (Command cmd : Command.values()) {
            java.put(cmd.name(), cmd.nr());
        }
        assertThat(c).isEqualTo(java);
    }

    @Test
    void theCommandBlockHasTheSameFieldsInTheSameOrder() throws IOException {
        Matcher m = Pattern.compile("struct hmm_dmirror_cmd \\{([^}]*)\\}").matcher(header());
        assertThat(m.find()).isTrue();
        assertThat(m.group(1).replaceAll("\\s+", " ").trim())
                .isEqualTo("uint64_t addr; uint64_t ptr; uint64_t npages; uint64_t cpages; uint64_t faults;");
        assertThat(new int[] {Command.OFFSET_ADDR, Command.OFFSET_PTR, Command.OFFSET_NPAGES, Command.OFFSET_CPAGES,
                Command.OFFSET_FAULTS, Command.BLOCK_SIZE}).containsExactly(0, 8, 16, 24, 32, 40);
        assertThat(header()).contains("#define HMM_DMIRROR_FLAG_FAIL_ALLOC\t" + Command.FLAG_FAIL_ALLOC + "UL");
    }

    @Test
    void requestNumbersAreIowrH40Bytes() {
        assertThat(Command.READ.request()).isEqualTo(0xC0284800L);
        assertThat(Command.WRITE.request()).isEqualTo(3223865345L);
        assertThat(Command.EXCLUSIVE.request()).isEqualTo(0xC0284805L);
        assertThat(Command.RELEASE.request()).isEqualTo(0xC0284807L);
        assertThat(Command.READ_UNLOCKED.request()).isEqualTo(3223865353L);
        assertThat(Command.request(0x0a)).isEqualTo(0xC028480AL);
    }

    @Test
    void newerCommandsBelongToTheNewerAbi() {
        assertThat(AbiVersion.V6_12.supports(Command.CHECK_EXCLUSIVE)).isTrue();
        assertThat(AbiVersion.V6_12.supports(Command.FLAGS)).isFalse();
        assertThat(AbiVersion.V7_3.supports(Command.READ_UNLOCKED)).isTrue();
    }

    @Test
    void errnoNamesForMessagesAndForTheActionText() {
        assertThat(Errno.describe(-Errno.EPERM)).isEqualTo("EPERM");
        assertThat(Errno.describe(77)).isEqualTo("errno 77");
        assertThat(Errno.describe(0)).isEqualTo("0");
        assertThat(Errno.name(77)).isEqualTo("errno77");
        assertThat(Errno.parse(Errno.name(77))).isEqualTo(77);
        assertThat(Errno.parse("EBUSY")).isEqualTo(Errno.EBUSY);
    }

    @Test
    void snapshotBytesAreDescribed() {
        assertThat(SnapshotByte.describe(0x26)).isEqualTo("DEV_PRIVATE_LOCAL|WRITE|PMD (0x26)");
        assertThat(SnapshotByte.describe(0xff)).isEqualTo("ERROR (0xff)");
    }
}
