package hmmtest.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownIssuesTest {
    static final String WARNING = """
            [   10.0][  T61] ------------[ cut here ]------------
            [   10.0][  T61] WARNING: CPU: 1 PID: 61 at mm/memremap.c:158 memremap_pages+0x2b1/0x6e0
            [   10.0][  T61] Modules linked in: test_hmm
            [   10.0][  T61] CPU: 1 UID: 0 PID: 61 Comm: java Not tainted 7.3.4 #1
            [   10.0][  T61] RIP: 0010:memremap_pages+0x2b1/0x6e0
            [   10.0][  T61] Call Trace:
            [   10.0][  T61]  <TASK>
            [   10.0][  T61]  dmirror_allocate_chunk+0x8d/0x3c0 [test_hmm]
            [   10.0][  T61]  </TASK>
            [   10.0][  T61] ---[ end trace 0000000000000000 ]---
            [   10.1][  T61] hmmtest: end x PASS
            """;

    @Test
    void theShippedListParsesAndMatchesTheCoherentRemapWarningOnly() {
        KnownIssues known = KnownIssues.read(Path.of("../../known-issues.txt"));
        List<CrashReport> reports = ConsoleParser.parse(WARNING);
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).title()).isEqualTo("WARNING in memremap_pages");
        assertThat(known.match(reports.get(0))).isPresent();
        List<CrashReport> oops = ConsoleParser.parse(WARNING.replace("WARNING: CPU", "BUG: kernel NULL pointer "
                + "dereference, address: 0000000000000000\n[   10.0][  T61] Oops: 0002 [#1] SMP\n[   10.0][  T61] CPU"));
        assertThat(oops).isNotEmpty();
        assertThat(known.match(oops.get(0))).isEmpty();
    }

    @Test
    void malformedLinesAreRejectedWithTheirNumber() {
        assertThatThrownBy(() -> KnownIssues.parse("# c\nWARNING in x\n")).hasMessageContaining("line 2");
    }
}
