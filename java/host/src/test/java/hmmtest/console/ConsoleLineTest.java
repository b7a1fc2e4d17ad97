package hmmtest.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsoleLineTest {

    @Test
    void stripsTimestampButKeepsFrameIndentation() {
        ConsoleLine line = ConsoleLine.parse(4, "[   12.345678]  make_device_exclusive+0x131/0x146");
        assertThat(line.text()).isEqualTo(" make_device_exclusive+0x131/0x146");
        assertThat(line.index()).isEqualTo(4);
        assertThat(line.caller()).isEmpty();
    }

    @Test
    void readsPrintkCallerAfterTimestampOrAlone() {
        assertThat(ConsoleLine.parse(0, "[    1.234567][  T123] Oops: Oops: 0002 [#1] SMP NOPTI"))
                .isEqualTo(new ConsoleLine(0, "Oops: Oops: 0002 [#1] SMP NOPTI", "T123"));
        assertThat(ConsoleLine.parse(1, "[    C0] rcu: INFO: rcu_preempt self-detected stall on CPU"))
                .isEqualTo(new ConsoleLine(1, "rcu: INFO: rcu_preempt self-detected stall on CPU", "C0"));
        assertThat(ConsoleLine.parse(2, "[T93] BUG: scheduling while atomic").callerId()).isEqualTo("T93");
    }

    @Test
    void dropsCarriageReturnsAndSyslogLevel() {
        assertThat(ConsoleLine.parse(0, "<4>[    2.000001] WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2\r").text())
                .isEqualTo("WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2");
        assertThat(ConsoleLine.parse(0, "\rplain user-space output\r").text()).isEqualTo("plain user-space output");
    }

    @Test
    void leavesUndecoratedLinesAlone() {
        assertThat(ConsoleLine.parse(0, "[ cut here ] is not a timestamp").text())
                .isEqualTo("[ cut here ] is not a timestamp");
        assertThat(ConsoleLine.parse(0, "").text()).isEmpty();
    }
}
