package hmmtest.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frames decode to file:line with binutils on ELF files that have line tables: a linked program
 * stands in for vmlinux (absolute addresses), an object file for test_hmm.ko (section-relative).
 */
class FrameDecoderTest {

    static final String SOURCE = """
            volatile int sink;

            __attribute__((noinline)) int victim(int x)
            {
            	sink = x;
            	return sink * 3;
            }

            __attribute__((noinline)) int caller(int y)
            {
            	return victim(y + 1) + 1;
            }

            int main(void)
            {
            	return caller(2);
            }
            """;

    static void gcc(Path dir, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("gcc", "-g", "-O1"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test
    void framesOfTheKernelAndOfTheModuleGetTheirSourceLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("frames.c"), SOURCE);
        gcc(dir, "-o", "vmlinux", "frames.c");
        gcc(dir, "-c", "-o", "test_hmm.ko", "frames.c");
        FrameDecoder d = FrameDecoder.of(new KernelBuild(dir)).orElseThrow();
        List<String> out = d.decode(List.of("RIP: 0010:victim+0x4/0x20",
                " caller+0x9/0x30 [test_hmm]",
                " other_module_fn+0x9/0x30 [kvm]",
                " no_such_function+0x1/0x2",
                "Call Trace:"));
        assertThat(out.get(0)).matches("RIP: 0010:victim\\+0x4/0x20 .*frames\\.c:[5-7]");
        assertThat(out.get(1)).matches(" caller\\+0x9/0x30 \\[test_hmm\\] .*frames\\.c:1[01]");
        assertThat(out.subList(2, 5)).containsExactly(" other_module_fn+0x9/0x30 [kvm]", " no_such_function+0x1/0x2",
                "Call Trace:");
    }

    @Test
    void aBuildWithoutLineTablesDecodesNothing(@TempDir Path dir) {
        assertThat(FrameDecoder.of(new KernelBuild(dir))).isEmpty();
    }
}
