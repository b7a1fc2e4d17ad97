package hmmtest.abi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The ioctl numbers against the table in hmm-abi.md section 1.2 (computed there from the header). */
class HmmCommandTest {

    @Test
    void requestNumbersAreIowrH40Bytes() {
        assertThat(HmmCommand.READ.request()).isEqualTo(0xC0284800L);
        assertThat(HmmCommand.WRITE.request()).isEqualTo(3223865345L);
        assertThat(HmmCommand.EXCLUSIVE.request()).isEqualTo(0xC0284805L);
        assertThat(HmmCommand.RELEASE.request()).isEqualTo(0xC0284807L);
        assertThat(HmmCommand.READ_UNLOCKED.request()).isEqualTo(3223865353L);
        assertThat(HmmCommand.unknownRequest(0x0a)).isEqualTo(0xC028480AL);
    }

    @Test
    void newerCommandsBelongToTheNewerAbi() {
        assertThat(AbiVersion.V6_12.has(HmmCommand.CHECK_EXCLUSIVE)).isTrue();
        assertThat(AbiVersion.V6_12.has(HmmCommand.FLAGS)).isFalse();
        assertThat(AbiVersion.V7_3.has(HmmCommand.READ_UNLOCKED)).isTrue();
    }

    @Test
    void errnoNamesAcceptNegativeValues() {
        assertThat(Errno.name(-Errno.EPERM)).isEqualTo("EPERM");
        assertThat(Errno.name(77)).isEqualTo("errno 77");
        assertThat(new CmdResult(-Errno.EBUSY, 0, 0).toString()).isEqualTo("EBUSY (-16)");
    }
}
