package hmmtest.model;

import hmmtest.uapi.Command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every action is one line of text and parses back to itself. */
class ActionTextTest {

    static final List<Action> SAMPLES = List.of(
            new Action.Mmap(3, 8, Prot.RW, MapKind.ANON_PRIVATE, false),
            new Action.Mmap(4, 512, Prot.R, MapKind.ANON_PRIVATE, true),
            new Action.Mmap(5, 1, Prot.R, MapKind.DEVICE_FILE, false, 2),
            new Action.Munmap(3, 2, 4),
            new Action.Mprotect(3, 0, 8, Prot.NONE),
            new Action.Madvise(3, 1, 2, Advice.DONTNEED),
            new Action.Madvise(3, 1, 2, Advice.NOHUGEPAGE),
            new Action.Mremap(3, 0, 8, 9, true),
            new Action.CpuRead(3, 7),
            new Action.CpuWrite(3, 7, 0xdeadbeefL),
            new Action.ForkChildWrite(3, 1, -2),
            new Action.Open(0, 1),
            new Action.Close(0),
            new Action.Ioctl(0, Command.READ, 3, 0, 8),
            new Action.Ioctl(0, Command.WRITE, 3, 1, 2, 0x100),
            new Action.Ioctl(1, 0x0a, 3, 0, 5, 0xffffffffffffffffL, 0),
            new Action.Ioctl(1, Command.FLAGS.nr(), 3, 0, 0, 1L << 52 | 1, 0));

    @Test
    void everySampleRoundTrips() {
        for (Action a : SAMPLES) {
            String line = a.toText();
            assertThat(line).doesNotContain("\n");
            assertThat(Action.parse(line)).as(line).isEqualTo(a);
        }
    }

    @Test
    void readsTheDocumentedForm() {
        assertThat(Action.parse("mmap id=3 pages=8 prot=RW kind=ANON_PRIVATE thp=false"))
                .isEqualTo(new Action.Mmap(3, 8, Prot.RW, MapKind.ANON_PRIVATE, false));
        assertThat(Action.parse("ioctl fd=0 cmd=0x2 map=1 page=0 npages=4"))
                .isEqualTo(new Action.Ioctl(0, Command.MIGRATE_TO_DEV, 1, 0, 4));
        assertThat(new Action.Ioctl(0, Command.SNAPSHOT, 1, 2, 3).toText())
                .isEqualTo("ioctl fd=0 cmd=SNAPSHOT map=1 page=2 npages=3");
    }

    @Test
    void rejectsMalformedLines() {
        assertThatThrownBy(() -> Action.parse("mmap id=3")).hasMessageContaining("missing pages");
        assertThatThrownBy(() -> Action.parse("munmap map=1 page=0 pages=1 bogus=2")).hasMessageContaining("unknown key");
        assertThatThrownBy(() -> Action.parse("frobnicate x=1")).hasMessageContaining("unknown action");
        assertThatThrownBy(() -> Action.parse("close fd")).hasMessageContaining("key=value");
    }

    @Test
    void simplerVariantsAreSimpler() {
        Action.Ioctl big = new Action.Ioctl(0, Command.READ.nr(), 2, 5, 3, 16, 9);
        assertThat(big.simpler()).contains(new Action.Ioctl(0, Command.READ.nr(), 2, 5, 0, 16, 9),
                new Action.Ioctl(0, Command.READ.nr(), 2, 5, 3, 1, 9),
                new Action.Ioctl(0, Command.READ.nr(), 2, 0, 3, 16, 9));
        assertThat(new Action.Close(1).simpler()).isEmpty();
    }
}
