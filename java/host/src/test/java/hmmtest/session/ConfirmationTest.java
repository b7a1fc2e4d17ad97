package hmmtest.session;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.console.KnownIssues;
import hmmtest.pipeline.Confirmation;
import hmmtest.protocol.ResultRecord;
import hmmtest.protocol.ResultRecord.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Confirmation reruns through the real session, each rerun a scripted VM running the one test. */
class ConfirmationTest {
    @TempDir
    Path dir;

    static List<SuiteSessionTest.Step> alone(String test, String status) {
        List<SuiteSessionTest.Step> s = new ArrayList<>();
        s.add(new SuiteSessionTest.Result(ResultRecord.of(Kind.PLAN, "0", test).encode()));
        s.addAll(SuiteSessionTest.start(test));
        s.add(new SuiteSessionTest.Result(ResultRecord.of(Kind.END, test, status, "5", status.equals("PASS") ? ""
                : "expected 0 but was -14").encode()));
        s.add(SuiteSessionTest.done());
        return s;
    }

    SuiteSession.Config config(SuiteSessionTest.Scripts scripts) {
        Timeouts t = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60));
        return new SuiteSession.Config(null, null, t, dir, false, KnownIssues.none(), scripts, Duration.ZERO);
    }

    @Test
    void aFailureThatComesBackTwiceInThreeIsFlaky() {
        SuiteSessionTest.Scripts s = new SuiteSessionTest().new Scripts()
                .add(alone("t.b", "FAIL"), 0).add(alone("t.b", "PASS"), 0).add(alone("t.b", "FAIL"), 0);
        Confirmation.Count c = Confirmation.rerun(config(s), "t.b", Confirmation.Count.FAILURE, "expected", 3, dir);
        assertThat(c.runs()).isEqualTo(3);
        assertThat(c.reproduced()).isEqualTo(2);
        assertThat(c.label()).isEqualTo("flaky 2/3");
        assertThat(s.from).containsExactly(0, 0, 0);
    }

    @Test
    void aFailureEveryTimeIsDeterministicAndACrashWithAnotherTitleIsNotAReproduction() throws Exception {
        SuiteSessionTest.Scripts fails = new SuiteSessionTest().new Scripts()
                .add(alone("t.b", "FAIL"), 0).add(alone("t.b", "FAIL"), 0);
        assertThat(Confirmation.rerun(config(fails), "t.b", Confirmation.Count.FAILURE, "x", 2, dir).label())
                .isEqualTo("deterministic 2/2");

        List<SuiteSessionTest.Step> panic = new ArrayList<>();
        panic.add(new SuiteSessionTest.Result(ResultRecord.of(Kind.PLAN, "0", "t.b").encode()));
        panic.addAll(SuiteSessionTest.start("t.b"));
        panic.addAll(SuiteSessionTest.corpus("0003"));
        SuiteSessionTest.Scripts crashes = new SuiteSessionTest().new Scripts().add(panic, 0).add(alone("t.b", "PASS"), 0);
        Confirmation.Count c = Confirmation.rerun(config(crashes), "t.b", Confirmation.Count.CRASH,
                "BUG: kernel NULL pointer dereference in make_device_exclusive", 2, dir);
        assertThat(c.label()).isEqualTo("not reproduced 0/2");
        assertThat(c.otherTitles()).containsExactly("kernel panic: sysrq triggered crash");
        assertThat(c.baseLabel()).isEqualTo("patched only (0/2 on base)");
    }
}
