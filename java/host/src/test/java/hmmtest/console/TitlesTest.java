package hmmtest.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TitlesTest {

    @Test
    void fillsGroupsAndFrame() {
        assertThat(Titles.render("KASAN: {1} {3} in {frame}", List.of("use-after-free", "x", "Write"), "f"))
                .isEqualTo("KASAN: use-after-free Write in f");
    }

    @Test
    void missingFrameDropsTheInClause() {
        assertThat(Titles.render("BUG: kernel NULL pointer dereference in {frame}", List.of(), null))
                .isEqualTo("BUG: kernel NULL pointer dereference");
    }

    @Test
    void removesOffsetsAddressesCpuAndTaskNumbers() {
        assertThat(Titles.normalize("kernel panic: bad thing in foo.isra.0+0x1f/0x50 at 0xffff888104c2a0f8"))
                .isEqualTo("kernel panic: bad thing in foo at ADDR");
        assertThat(Titles.normalize("kernel panic: stuck on CPU#3 in kworker/u8:3   now"))
                .isEqualTo("kernel panic: stuck on CPU in kworker now");
    }

    @Test
    void capsLength() {
        assertThat(Titles.normalize("kernel panic: " + "x".repeat(300))).hasSize(Titles.MAX_LENGTH);
    }

    @Test
    void cleansCompilerSuffixesFromFrames() {
        assertThat(Titles.cleanFrame("dmirror_fault.isra.0")).isEqualTo("dmirror_fault");
        assertThat(Titles.cleanFrame("migrate_vma_collect_pmd.constprop.0.cold")).isEqualTo("migrate_vma_collect_pmd");
        assertThat(Titles.cleanFrame("hmm_vma_walk_pmd.part.3")).isEqualTo("hmm_vma_walk_pmd");
    }
}
