package hmmtest.vm;

import com.fasterxml.jackson.databind.ObjectMapper;
import hmmtest.infra.CacheDir;
import hmmtest.infra.Exec;
import hmmtest.infra.Hashing;
import hmmtest.infra.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * KVM or TCG. /dev/kvm can exist and still not run a guest (these machines: KVM aborts or hangs
 * silently), so KVM counts only if a real guest kernel prints its banner within a short timeout.
 * The verdict is cached per QEMU version, host kernel and CPU, so the probe runs once per host.
 */
public final class Accelerator {
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    /** The choice and why it was made. */
    public record Choice(String name, String reason) {
        public boolean kvm() {
            return name.equals("kvm");
        }
    }

    private Accelerator() {}

    public static Choice choose(CacheDir cache, Path bzImage, String override) {
        if (override != null && !override.isBlank() && !override.equals("auto")) {
            return new Choice(override, "chosen with --accel/ACCEL");
        }
        Path kvm = Path.of("/dev/kvm");
        if (!Files.isReadable(kvm) || !Files.isWritable(kvm)) {
            return new Choice("tcg", "/dev/kvm is not usable");
        }
        String hostKey = new Hashing.Key()
                .add("qemu", Exec.capture(List.of(QemuVm.QEMU, "--version")))
                .add("kernel", Exec.capture(List.of("uname", "-r")))
                .add("cpu", cpuModel())
                .hex().substring(0, 16);
        Path verdict = cache.dir("accel").resolve(hostKey + ".json");
        ObjectMapper json = new ObjectMapper();
        try {
            if (Files.isRegularFile(verdict)) {
                @SuppressWarnings("unchecked")
                Map<String, String> v = json.readValue(verdict.toFile(), Map.class);
                return new Choice(v.get("name"), v.get("reason") + " (cached probe: " + verdict + ")");
            }
            Choice c = probe(bzImage);
            json.writeValue(verdict.toFile(), Map.of("name", c.name(), "reason", c.reason()));
            return c;
        } catch (IOException e) {
            return new Choice("tcg", "KVM probe failed: " + e.getMessage());
        }
    }

    private static Choice probe(Path bzImage) throws IOException {
        try (Progress.Phase p = Progress.start("vm", "probe KVM (" + PROBE_TIMEOUT.toSeconds() + " s)")) {
            ProcessBuilder pb = new ProcessBuilder(Exec.dieWithParent(List.of(QemuVm.QEMU, "-accel", "kvm",
                    "-cpu", "host", "-m", "256", "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                    "-serial", "stdio", "-kernel", bzImage.toString(), "-append", "console=ttyS0 panic=-1")))
                    .redirectErrorStream(true);
            Process qemu = Exec.start(pb);
            try {
                boolean banner = waitForBanner(qemu.getInputStream(), PROBE_TIMEOUT);
                p.note(banner ? "KVM works" : "no KVM");
                return banner ? new Choice("kvm", "a KVM guest printed its banner")
                        : new Choice("tcg", "a KVM guest printed no kernel banner within " + PROBE_TIMEOUT.toSeconds()
                                + " s");
            } finally {
                qemu.destroyForcibly();
                try {
                    qemu.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Exec.forget(qemu);
            }
        }
    }

    private static boolean waitForBanner(InputStream in, Duration timeout) {
        StringBuilder seen = new StringBuilder();
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (seen) {
                        seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    }
                }
            } catch (IOException ignored) {
                // process killed
            }
        }, "kvm-probe-reader");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (seen) {
                if (seen.indexOf("Linux version") >= 0) {
                    return true;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
