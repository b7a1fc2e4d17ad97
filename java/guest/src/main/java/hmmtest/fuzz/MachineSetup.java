package hmmtest.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime knobs the model's predictions assume (docs/model-spec.md §7.3, model package overview): THP
 * "madvise", shmem THP off, khugepaged asleep, no compaction in the background or on THP faults,
 * NUMA balancing and KSM off, and optionally reserved hugetlb pages. Every knob that exists is set; the old values come back on {@link #close()}.
 * Knobs that do not exist on the running kernel are skipped and named in {@link #describe()}.
 */
public final class MachineSetup implements AutoCloseable {
    static final String THP = "/sys/kernel/mm/transparent_hugepage/";

    private final Map<Path, String> restore = new LinkedHashMap<>();
    private final List<String> done = new ArrayList<>();

    private MachineSetup() {}

    /** Applies the knobs; {@code hugetlbPages} > 0 also reserves that many 2 MiB pages. */
    public static MachineSetup apply(int hugetlbPages) {
        MachineSetup s = new MachineSetup();
        s.set(THP + "enabled", "madvise");
        s.set(THP + "shmem_enabled", "never");
        s.set(THP + "khugepaged/scan_sleep_millisecs", "86400000");
        s.set(THP + "khugepaged/alloc_sleep_millisecs", "86400000");
        // no background page migration (it erases mirror entries): no THP direct compaction, no
        // proactive compaction, no watermark boosting (which wakes kswapd/kcompactd)
        s.set(THP + "defrag", "never");
        s.set(THP + "khugepaged/defrag", "0");
        s.set("/proc/sys/vm/compaction_proactiveness", "0");
        s.set("/proc/sys/vm/watermark_boost_factor", "0");
        s.set("/proc/sys/kernel/numa_balancing", "0");
        s.set("/sys/kernel/mm/ksm/run", "0");
        if (hugetlbPages > 0) {
            s.set("/proc/sys/vm/nr_hugepages", Integer.toString(hugetlbPages));
        }
        return s;
    }

    private void set(String file, String value) {
        Path p = Path.of(file);
        if (!Files.exists(p)) {
            done.add(p.getFileName() + ": absent");
            return;
        }
        try {
            String old = current(Files.readString(p));
            Files.writeString(p, value);
            restore.putIfAbsent(p, old);
            done.add(shortName(p) + "=" + value + " (was " + old + ")");
        } catch (IOException | RuntimeException e) {
            done.add(shortName(p) + ": not set (" + e.getMessage() + ")");
        }
    }

    private static String shortName(Path p) {
        return p.getParent().getFileName() + "/" + p.getFileName();
    }

    /** "always [madvise] never" gives "madvise"; plain values are trimmed. */
    static String current(String content) {
        String c = content.trim();
        int open = c.indexOf('[');
        int close = c.indexOf(']');
        return open >= 0 && close > open ? c.substring(open + 1, close) : c;
    }

    public String describe() {
        return String.join(", ", done);
    }

    @Override
    public void close() {
        for (Map.Entry<Path, String> e : restore.entrySet()) {
            try {
                Files.writeString(e.getKey(), e.getValue());
            } catch (IOException ignored) {
                // best effort: the VM is disposable
            }
        }
        restore.clear();
    }
}
