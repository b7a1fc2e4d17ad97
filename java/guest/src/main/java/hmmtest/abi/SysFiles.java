package hmmtest.abi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Small readers for /proc and /sys files: a missing or unreadable file is "absent", not an error. */
final class SysFiles {
    private SysFiles() {}

    static String readOrNull(String path) {
        try {
            return Files.readString(Path.of(path)).trim();
        } catch (IOException e) {
            return null;
        }
    }

    /** The number on the line of /proc/meminfo that starts with {@code key} (e.g. "Hugepagesize:"). */
    static OptionalLong meminfo(String key) {
        String all = readOrNull("/proc/meminfo");
        if (all == null) {
            return OptionalLong.empty();
        }
        for (String line : all.split("\n")) {
            if (line.startsWith(key)) {
                String[] w = line.substring(key.length()).trim().split("\\s+");
                return OptionalLong.of(Long.parseLong(w[0]));
            }
        }
        return OptionalLong.empty();
    }

    /** Writes {@code value}; returns null on success, else the reason. */
    static String write(String path, String value) {
        try {
            Files.writeString(Path.of(path), value);
            return null;
        } catch (IOException e) {
            return path + ": " + e.getMessage();
        }
    }
}
