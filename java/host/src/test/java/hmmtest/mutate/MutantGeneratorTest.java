package hmmtest.mutate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MutantGeneratorTest {
    static List<String> mutated(String line) {
        return MutantGenerator.mutations(line).stream().map(m -> m[0] + " | " + m[1].strip()).toList();
    }

    @Test
    void aConditionGetsItsRelationalSwapAndItsNegation() {
        assertThat(mutated("\tif (cmd.addr >= dmirror_cmd_end(&cmd))")).containsExactlyInAnyOrder(
                "relational >= -> > | if (cmd.addr > dmirror_cmd_end(&cmd))",
                "negated condition | if (!(cmd.addr >= dmirror_cmd_end(&cmd)))");
    }

    @Test
    void anExpressionGetsArithmeticAndShiftSwapsButPointerArrowsAreLeftAlone() {
        assertThat(mutated("\treturn cmd->addr + (cmd->npages << PAGE_SHIFT);")).containsExactlyInAnyOrder(
                "arithmetic + -> - | return cmd->addr - (cmd->npages << PAGE_SHIFT);",
                "arithmetic << -> >> | return cmd->addr + (cmd->npages >> PAGE_SHIFT);",
                "return value -> 0 | return 0;");
    }

    @Test
    void errnoConstantsCallsAndArguments() {
        assertThat(mutated("\t\treturn -EINVAL;")).contains("errno -EINVAL -> -EFAULT | return -EFAULT;",
                "return value -> 0 | return 0;");
        assertThat(mutated("\tfor (i = 0; i < 16; i++)")).contains("constant 16 -> 17 | for (i = 0; i < 17; i++)",
                "constant 16 -> 15 | for (i = 0; i < 15; i++)", "relational < -> <= | for (i = 0; i <= 16; i++)");
        assertThat(mutated("\tret = dmirror_check_atomic(dmirror, cmd.addr, end);")).contains("deleted statement | ;");
        assertThat(mutated("\tcopy(dst, src);")).contains("swapped arguments of copy | copy(src, dst);");
    }

    @Test
    void linesThatAreNotCodeGetNoMutant() {
        for (String l : List.of("/* The end of a command's range */", " * more comment", "{", "}", "",
                "static unsigned long dmirror_cmd_end(const struct hmm_dmirror_cmd *cmd)", "#include <linux/mm.h>",
                "\tcase HMM_DMIRROR_READ:", "\t\tbreak;")) {
            assertThat(MutantGenerator.mutations(l)).as(l).isEmpty();
        }
    }

    @Test
    void mutantsAreNumberedAndCarryADiffAgainstThePatchedFile() {
        List<String> src = List.of("a", "b", "\tif (x == 1)", "\t\ty();", "c");
        List<Mutant> ms = MutantGenerator.of("lib/f.c", src, new TreeSet<>(List.of(3)), 7);
        assertThat(ms).extracting(Mutant::id).startsWith(7, 8);
        Mutant m = ms.get(0);
        assertThat(m.diff(src)).isEqualTo("""
                diff --git a/lib/f.c b/lib/f.c
                --- a/lib/f.c
                +++ b/lib/f.c
                @@ -1,5 +1,5 @@
                 a
                 b
                -\tif (x == 1)
                +\tif (x != 1)
                 \t\ty();
                 c
                """);
    }
}
