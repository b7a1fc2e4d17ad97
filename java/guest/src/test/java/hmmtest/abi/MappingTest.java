package hmmtest.abi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Mapping's bookkeeping of holes and moves, on the host's own kernel: after munmap or mremap,
 * close() must unmap only what the mapping still owns (the JVM may reuse a hole).
 */
class MappingTest {
    private static final int RW = Sys.PROT_READ | Sys.PROT_WRITE;

    /** Whether [addr, addr+len) overlaps any line of /proc/self/maps. */
    private static boolean mapped(long addr, long len) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            String[] range = line.split(" ")[0].split("-");
            long s = Long.parseUnsignedLong(range[0], 16);
            long e = Long.parseUnsignedLong(range[1], 16);
            if (s < addr + len && addr < e) {
                return true;
            }
        }
        return false;
    }

    @Test
    void closeLeavesAReusedHoleAlone() throws Exception {
        long page = Sys.PAGE_SIZE;
        Mapping m = Mapping.anonymous(4 * page, RW);
        assertThat(m.unmap(page, page)).isZero();
        // Something else takes the hole, as a JVM thread stack or malloc arena could
        // (MAP_FIXED_NOREPLACE: never clobbers whatever may have moved in meanwhile).
        long other = Sys.mmap(m.addr() + page, page, RW, Sys.MAP_PRIVATE | Sys.MAP_ANONYMOUS | 0x100000, -1, 0);
        assertThat(other).isEqualTo(m.addr() + page);

        m.close();
        assertThat(mapped(m.addr(), page)).isFalse();
        assertThat(mapped(m.addr() + page, page)).isTrue();
        assertThat(mapped(m.addr() + 2 * page, 2 * page)).isFalse();
        Sys.munmap(other, page);
    }

    @Test
    void viewsUnmapThroughTheirOwnerAndRemapMovesOwnership() throws Exception {
        long page = Sys.PAGE_SIZE;
        Mapping m = Mapping.anonymous(8 * page, RW);
        Mapping window = m.view(m.addr() + 2 * page, 2 * page);
        window.close(); // a view does not unmap
        assertThat(mapped(window.addr(), window.size())).isTrue();

        assertThat(window.unmap(0, page)).isZero();
        assertThat(mapped(window.addr(), page)).isFalse();

        Mapping moved = m.view(m.addr() + 4 * page, page).remap(m.addr() + 6 * page, Sys.MREMAP_MAYMOVE | Sys.MREMAP_FIXED);
        assertThat(moved.addr()).isEqualTo(m.addr() + 6 * page);
        assertThat(mapped(m.addr() + 4 * page, page)).isFalse();

        m.close();
        assertThat(mapped(m.addr(), 8 * page)).isFalse();
    }

    @Test
    void alignedViewFindsTheFirstAlignedWindow() {
        long align = 1L << 21;
        try (Mapping m = Mapping.anonymous(2 * align, Sys.PROT_NONE)) {
            Mapping v = m.alignedView(align, align);
            assertThat(v.addr() % align).isZero();
            assertThat(v.addr()).isBetween(m.addr(), m.addr() + align);
        }
    }
}
