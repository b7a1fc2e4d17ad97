package hmmtest.abi;


import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Request numbers and layouts of the non-dmirror interfaces, against values printed by a C
 * program compiled with the kernel's headers (linux/userfaultfd.h, mm/gup_test.h of 7.3).
 */
class AbiConstantsTest {

    @Test
    void userfaultfdIoctlsMatchTheUapiHeader() {
        assertThat(Userfaultfd.UFFDIO_API).isEqualTo(0xc018aa3fL);
        assertThat(Userfaultfd.UFFDIO_REGISTER).isEqualTo(0xc020aa00L);
        assertThat(Userfaultfd.UFFDIO_COPY).isEqualTo(0xc028aa03L);
        assertThat(Userfaultfd.UFFD_EVENT_PAGEFAULT).isEqualTo(0x12);
        assertThat(Userfaultfd.MSG_SIZE).isEqualTo(32);
        assertThat(Sys.NR_USERFAULTFD).isEqualTo(323);
    }

    @Test
    void gupTestIoctlsMatchTheKernelHeader() {
        assertThat(GupTest.STRUCT_SIZE).isEqualTo(80);
        assertThat(GupTest.GUP_FAST_BENCHMARK).isEqualTo(0xc0506701L);
        assertThat(GupTest.PIN_FAST_BENCHMARK).isEqualTo(0xc0506702L);
        assertThat(GupTest.PIN_LONGTERM_BENCHMARK).isEqualTo(0xc0506703L);
        assertThat(GupTest.GUP_BASIC_TEST).isEqualTo(0xc0506704L);
    }

    @Test
    void waitStatusDecodesLikeTheWMacros() {
        WaitStatus exited3 = new WaitStatus(1, 3 << 8);
        assertThat(exited3.exited()).isTrue();
        assertThat(exited3.exitStatus()).isEqualTo(3);
        assertThat(exited3.signaled()).isFalse();

        WaitStatus killed = new WaitStatus(1, Sys.SIGKILL);
        assertThat(killed.exited()).isFalse();
        assertThat(killed.signaled()).isTrue();
        assertThat(killed.termSig()).isEqualTo(9);
        assertThat(killed).hasToString("killed by signal 9");

        WaitStatus coreDumped = new WaitStatus(1, 0x80 | 6);
        assertThat(coreDumped.signaled()).isTrue();
        assertThat(coreDumped.termSig()).isEqualTo(6);

        WaitStatus stopped = new WaitStatus(1, (19 << 8) | 0x7f);
        assertThat(stopped.exited()).isFalse();
        assertThat(stopped.signaled()).isFalse();
    }
}
