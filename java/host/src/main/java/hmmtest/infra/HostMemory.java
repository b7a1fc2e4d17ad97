package hmmtest.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host's memory as the kernel reports it. */
public final class HostMemory {
    private HostMemory() {}

    /** MemAvailable of /proc/meminfo in MiB, or -1 when it cannot be read (not Linux). */
    public static long availableMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
