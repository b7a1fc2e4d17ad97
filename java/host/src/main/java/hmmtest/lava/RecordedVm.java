package hmmtest.lava;

import hmmtest.protocol.ResultRecord;
import hmmtest.protocol.TestMarker;
import hmmtest.vm.Vm;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A VM that already ran (a LAVA job's): its console and result records played to the session as
 * if live, so the session judges them exactly as it judges our own VMs (crash pinning, known
 * issues, hangs the console shows). The two streams are interleaved by the test markers: a
 * marker's line comes right after the record it marks, as the guest writes them.
 */
final class RecordedVm implements Vm {
    private final List<LavaOutput.ConsoleLine> console;
    private final List<String> records;
    private final LocalDateTime first;
    private LocalDateTime now;

    RecordedVm(List<LavaOutput.ConsoleLine> console, List<String> records) {
        this.console = console;
        this.records = records;
        this.first = console.stream().map(LavaOutput.ConsoleLine::at).filter(t -> t != null).findFirst().orElse(null);
        this.now = first;
    }

    @Override
    public Exit await(Duration timeout, Listener listener, BooleanSupplier stop) {
        int next = 0;
        for (LavaOutput.ConsoleLine line : console) {
            if (line.at() != null) {
                now = line.at();
            }
            Optional<TestMarker> m = TestMarker.find(line.text());
            if (m.isPresent()) {
                int upTo = find(next, m.get());
                for (; next <= upTo; next++) {
                    listener.resultLine(records.get(next));
                }
            }
            listener.consoleLine(line.text());
            if (stop.getAsBoolean()) {
                return new Exit(null, false, true);
            }
        }
        for (; next < records.size(); next++) {
            listener.resultLine(records.get(next));
        }
        // The console ended: QEMU exited (the guest's reboot, a panic) or LAVA ended the job.
        return stop.getAsBoolean() ? new Exit(null, false, true) : new Exit(0, false, false);
    }

    /** The index of the record a marker marks (its START or END), or {@code from - 1} when there is none. */
    private int find(int from, TestMarker m) {
        ResultRecord.Kind kind = m.start() ? ResultRecord.Kind.START : ResultRecord.Kind.END;
        for (int i = from; i < records.size(); i++) {
            ResultRecord r = ResultRecord.decode(records.get(i));
            if (r != null && r.kind() == kind && r.field(0).equals(m.test())) {
                return i;
            }
        }
        return from - 1;
    }

    /** A recording cannot be asked for a task dump. */
    @Override
    public void sysrq(char key) {
    }

    /** The dispatcher's time of the console line being played, since the first one. */
    @Override
    public Duration sinceStart() {
        return first == null || now == null ? Duration.ZERO : Duration.between(first, now);
    }

    /** As if busy all along: a recording shows no host stall (LAVA's log times are the host's). */
    @Override
    public Duration cpuTime() {
        return sinceStart();
    }

    @Override
    public void close() {
    }
}
