package hmmtest.engine;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.uapi.AbiVersion;
import hmmtest.model.Action;
import hmmtest.uapi.Errno;
import hmmtest.model.Model;
import hmmtest.model.Outcome;
import hmmtest.model.Prediction;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictsTest {

    @Test
    void kindsNameTheActionAndTheCommand() {
        assertThat(Verdicts.kind(Action.parse("ioctl fd=0 cmd=READ map=1 page=0 npages=1"))).isEqualTo("ioctl READ");
        assertThat(Verdicts.kind(Action.parse("ioctl fd=0 cmd=0xc map=1 page=0 npages=1"))).isEqualTo("ioctl 0xc");
        assertThat(Verdicts.kind(Action.parse("mprotect map=1 page=0 pages=1 prot=R"))).isEqualTo("mprotect");
        assertThat(Verdicts.kind(Action.parse("close fd=3"))).isEqualTo("close");
    }

    @Test
    void signaturesNameTheDifferingFieldsOfTheClosestAlternative() {
        Model m = new Model(AbiVersion.V7_3);
        for (String l : List.of("mmap id=1 pages=2 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0")) {
            m.applyNominal(Action.parse(l));
        }
        Action read = Action.parse("ioctl fd=0 cmd=READ map=1 page=0 npages=2");
        Prediction p = m.predict(read);
        Outcome nominal = p.outcomes().get(0);
        Outcome extraFault = new Outcome(0, nominal.cpages(), nominal.faults() + 1, nominal.data(), "");
        assertThat(Verdicts.signature(read, p, extraFault)).isEqualTo("ioctl READ: faults");
        assertThat(Verdicts.signature(read, p, Outcome.ioctl(Errno.EFAULT, Outcome.POISON, Outcome.POISON,
                new long[] {0x5EEDDEADBEEF0001L, 0x5EEDDEADBEEF0001L}, null)))
                .isEqualTo("ioctl READ: cpages,data,errno=EFAULT,faults");

        Action snap = Action.parse("ioctl fd=0 cmd=SNAPSHOT map=1 page=0 npages=2");
        Prediction ps = m.predict(snap);
        assertThat(ps.outcomes().get(0).snapshot()).isEqualTo("00 00");
        Outcome seen = Outcome.ioctl(0, 2, 0, null, new byte[] {0x11, 0x11});
        assertThat(Verdicts.signature(snap, ps, seen)).isEqualTo("ioctl SNAPSHOT: snapshot(00>11)");
        Outcome mixed = Outcome.ioctl(0, 2, 0, null, new byte[] {0x11, 0x02});
        assertThat(Verdicts.signature(snap, ps, mixed)).isEqualTo("ioctl SNAPSHOT: snapshot(00>02,00>11)");
    }
}
