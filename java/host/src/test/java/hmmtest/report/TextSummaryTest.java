package hmmtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextSummaryTest {

    @Test
    void tellsWhatWasNoticedOnWhichKernelWithEverythingToActOnIt() {
        String text = TextSummary.render(Fixtures.withBase("base", "patched"), Fixtures.REPRODUCE);
        assertThat(text).startsWith("hmmtest validation: CRASH_IN_PATCHED")
                .contains("hmmtest noticed \"BUG: kernel NULL pointer dereference in make_device_exclusive\" on"
                        + " patched (kernel 7.3.4), not seen on base.")
                .contains("source: linux-source-7.3 7.3.4-1~bpo13+1 (sha256 703e369ddd4c)")
                .contains("[PATCH v3 1/2] mm/hmm: let make_device_exclusive() take a folio\n"
                        + "               Author: Jane Doe <jane.doe@example.org>\n"
                        + "               sha256: 5e1f0c8a4b7d2e9f3a6c1b0d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f,"
                        + " applied: clean")
                .contains("config sha256: 3f5c9b0a1d2e4f6a8b0c2d4e6f8a0b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a")
                .contains("compiler: gcc (Debian 14.2.0-19) 14.2.0")
                .contains("|    hmm.hmm_device_private.anon_read          | PASS      | PASS      |")
                .contains("| >> hmm.hmm_device_private.exclusive          | PASS      | CRASHED   |")
                .contains("| >> hmm.hmm_device_private.anon_write_huge    | PASS      | FAIL      |")
                .contains("new failure on patched: hmm.hmm_device_private.anon_write_huge FAIL (base PASS)\n"
                        + "        page 1 of the huge page: expected 0x5a5a5a5a, read 0x00000000")
                .contains("NEW crash on patched in VM 1, 14.2 s after boot, during hmm.hmm_device_private.exclusive:\n"
                        + "BUG: kernel NULL pointer dereference in make_device_exclusive\n\n"
                        + "        BUG: kernel NULL pointer dereference, address: 0000000000000000\n")
                .contains("        RIP: 0010:make_device_exclusive+0x131/0x146\n")
                .contains("patched/vm-1/console.log")
                .contains("  patched            2 0.92 / 2.32")
                .contains("base: upstream hmm-tests vs ours: 5 tests, 4 agree, 1 disagree")
                .contains("To reproduce:\n\n        " + Fixtures.REPRODUCE + "\n")
                .contains("Trailers: none.");
        // No trailer a mail client would pick up: nobody reported this, and no person tested it.
        assertThat(text.lines()).noneMatch(l -> l.matches("^\\s*(Reported-by|Tested-by|Closes|Link):.*"));
    }

    @Test
    void aPassingComparisonAndAnIncompleteRunSaySo() {
        String pass = TextSummary.render(Fixtures.withBase("patched", "fuzz"), Fixtures.REPRODUCE);
        assertThat(pass).startsWith("hmmtest validation: PASS").doesNotContain("hmmtest noticed").doesNotContain("| >> ")
                .contains("crash on patched in VM 1") // the base's own crash is shown, not as new
                .doesNotContain("NEW crash")
                .contains("differential run on patched-fuzz: seed 0x5eed1234, 48213 actions (803.5/s),"
                        + " 2 divergence(s), 0 crash(es)")
                .contains("action=30111  op=READ  address=0x7f3a5c201000  expected=0x5a  actual=0x00");

        String cut = TextSummary.render(Fixtures.withBase("base", "cut-short"), Fixtures.REPRODUCE);
        assertThat(cut).startsWith("hmmtest validation: INCOMPLETE")
                .contains("INCOMPLETE cut-short: no results.json: the run ended before writing its results;")
                .contains("tested:    cut-short, kernel (unknown)")
                .contains("|    hmm.hmm_device_private.open_close         | PASS      | -         |");
    }
}
