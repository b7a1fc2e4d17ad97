package hmmtest.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProjectTest {
    /** A printed rerun line must survive a paste into a shell: globs, spaces and quotes quoted. */
    @Test
    void shellQuotingKeepsEveryWordOneWord() {
        assertThat(Project.shellQuote("--select")).isEqualTo("--select");
        assertThat(Project.shellQuote("hmm.*.exclusive*")).isEqualTo("'hmm.*.exclusive*'");
        assertThat(Project.shellQuote("a b")).isEqualTo("'a b'");
        assertThat(Project.shellQuote("it's")).isEqualTo("'it'\\''s'");
        assertThat(Project.shellQuote("")).isEqualTo("''");
        assertThat(Project.cliCommand(List.of("validate", "--select", "hmm.*"))).endsWith(
                " hmmtest.cli.Main validate --select 'hmm.*'").startsWith("java -Dhmmtest.home=");
    }
}
