package hmmtest.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class OopsTableTest {

    @Test
    void everySuppressionSaysWhy() {
        assertThat(OopsTable.LINUX).flatExtracting(OopsTable.Oops::suppressions)
                .allSatisfy(s -> assertThat(s.reason()).isNotBlank());
    }

    @Test
    void templatesOnlyReferToGroupsThatExist() {
        for (OopsTable.Oops oops : OopsTable.LINUX) {
            for (OopsFormat f : oops.formats()) {
                int groups = f.title().matcher("").groupCount()
                        + (f.detail() == null ? 0 : f.detail().matcher("").groupCount());
                List<String> templates = new ArrayList<>(f.alts());
                templates.add(f.template());
                if (f.fallback() != null) {
                    templates.add(f.fallback());
                }
                for (String template : templates) {
                    Matcher ref = Pattern.compile("\\{(\\d+)\\}").matcher(template);
                    while (ref.find()) {
                        assertThat(Integer.parseInt(ref.group(1))).as(template).isBetween(1, groups);
                    }
                }
                assertThat(f.stack().group()).as(f.template()).isLessThanOrEqualTo(groups);
            }
        }
    }

    @Test
    void matchesHeadersOfEachKind() {
        assertThat(kind("BUG: kernel NULL pointer dereference, address: 0000000000000000")).isEqualTo(CrashKind.NULL_DEREF);
        assertThat(kind("BUG: unable to handle page fault for address: ffffc90000a3c000")).isEqualTo(CrashKind.PAGE_FAULT);
        assertThat(kind("Oops: general protection fault, probably for non-canonical address 0xdead000000000122: 0000 [#1]"))
                .isEqualTo(CrashKind.GPF);
        assertThat(kind("general protection fault: 0000 [#1] SMP")).isEqualTo(CrashKind.GPF);
        assertThat(kind("kernel BUG at mm/rmap.c:2309!")).isEqualTo(CrashKind.KERNEL_BUG);
        assertThat(kind("watchdog: BUG: soft lockup - CPU#1 stuck for 26s! [java:93]")).isEqualTo(CrashKind.SOFT_LOCKUP);
        assertThat(kind("rcu: INFO: rcu_sched self-detected stall on CPU")).isEqualTo(CrashKind.RCU_STALL);
        assertThat(kind("INFO: task kworker/0:1:12 blocked for more than 120 seconds.")).isEqualTo(CrashKind.HUNG_TASK);
        assertThat(kind("WARNING: CPU: 0 PID: 1 at mm/memory.c:5310 handle_mm_fault+0x1f/0x50")).isEqualTo(CrashKind.WARNING);
        assertThat(kind("WARNING: mm/memory.c:5310 at handle_mm_fault+0x1f/0x50, CPU#0: java/93"))
                .isEqualTo(CrashKind.WARNING);
        assertThat(kind("WARNING: inconsistent lock state")).isEqualTo(CrashKind.LOCKDEP);
        assertThat(kind("list_add double add: new=ffff888104c2a0f8, prev=ffff888104c2a0f8, next=ffff888104c2a4f8."))
                .isEqualTo(CrashKind.LIST_CORRUPTION);
        assertThat(kind("BUG: Bad page map in process java  pte:8000000104a6e067 pmd:104b19067"))
                .isEqualTo(CrashKind.BAD_PAGE);
        assertThat(kind("Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)"))
                .isEqualTo(CrashKind.PANIC);
        assertThat(kind("invalid opcode: 0000 [#1] SMP")).isEqualTo(CrashKind.OOPS);
    }

    @Test
    void ignoresBenignLinesWithHeaderWords() {
        assertThat(OopsTable.match("WARNING: A restricted method in java.lang.System has been called")).isNull();
        assertThat(OopsTable.match("Spectre V2 : WARNING: Unprivileged eBPF is enabled with eIBRS on")).isNull();
        assertThat(OopsTable.match("INFO: lockdep is turned off.")).isNull();
        assertThat(OopsTable.match("ODEBUG: free active (active state 0) object: ffff8881 object type: timer_list"))
                .isNull();
        assertThat(OopsTable.match("DEBUG: opening /dev/hmm_dmirror0")).isNull();
        assertThat(OopsTable.match("hmm_dmirror: hmm_dmirror0 registered")).isNull();
    }

    private static CrashKind kind(String header) {
        OopsTable.Match m = OopsTable.match(header);
        assertThat(m).as(header).isNotNull();
        return m.format().kind();
    }
}
