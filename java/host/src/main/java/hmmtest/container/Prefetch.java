package hmmtest.container;

import hmmtest.debian.DebianArchive;
import hmmtest.infra.CacheDir;
import hmmtest.kernel.KernelBase;

/**
 * Fetches, on the host, the Debian packages the command will need inside the container: the
 * kernel source .deb and busybox-static, into the shared cache's {@code apt/} and {@code debs/}.
 * The container then runs with no network at all ({@code --network none}): inside, hmmtest finds
 * a fresh private index and the .debs already cached and never calls apt-get update or download.
 * Uses the same {@link DebianArchive} (and so the same private sources list, made from the
 * machine's /etc/apt, which is mounted read-only into the container so both sides agree on it).
 */
final class Prefetch {
    private Prefetch() {}

    static void run(Invocation inv, CacheDir cache) {
        if (inv.subcommand() == null || inv.debianBase().isEmpty()) {
            return;
        }
        DebianArchive archive = new DebianArchive(cache);
        KernelBase.Debian d = inv.debianBase().get();
        String pkg = d.pkg();
        if (d.isPrefix()) {
            archive.updateIndex(false);
            pkg = archive.newestPackage(pkg);
        }
        archive.fetch(pkg, d.version());
        if (!inv.subcommand().equals("kernel")) {
            archive.fetch("busybox-static", ""); // the guest image
        }
    }
}
