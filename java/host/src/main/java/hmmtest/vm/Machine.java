package hmmtest.vm;

import java.nio.file.Path;
import java.util.List;

/**
 * What every VM of one command boots: kernel, guest image, accelerator, memory and the kernel
 * command line without the per-VM work; and where warm snapshots of it are kept
 * ({@code snapshots} null: every VM boots cold, --no-snapshot).
 */
public record Machine(Path bzImage, Path initrd, Accelerator.Choice accel, int memoryMb, List<String> baseArgs,
        WarmSnapshots snapshots) {
    public static final int CPUS = 2;

    public Machine {
        baseArgs = List.copyOf(baseArgs);
    }

    public Machine withoutSnapshots() {
        return new Machine(bzImage, initrd, accel, memoryMb, baseArgs, null);
    }
}
