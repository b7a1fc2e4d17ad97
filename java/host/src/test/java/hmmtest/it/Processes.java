package hmmtest.it;

import java.util.List;

/** QEMU processes on this machine whose parent chain leads to this JVM (stray ones after a run). */
final class Processes {
    private Processes() {}

    static List<ProcessHandle> qemuChildren() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.contains("qemu-system")).orElse(false))
                .toList();
    }
}
