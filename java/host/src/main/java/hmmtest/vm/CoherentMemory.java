package hmmtest.vm;

import java.util.List;

/**
 * Special-purpose memory for test_hmm's DEVICE_COHERENT devices (hmm_dmirror2 and 3). The driver
 * remaps 256 MiB at spm_addr_dev0 and at spm_addr_dev1 and refuses ranges that overlap System
 * RAM (docs/model-spec.md §2.2), so the top 512 MiB of guest RAM below the PCI hole is marked reserved
 * with {@code memmap=SIZE$ADDR} and handed to the module.
 */
public final class CoherentMemory {
    static final long CHUNK = 256L << 20;

    private CoherentMemory() {}

    /** Kernel arguments for a guest with {@code memoryMb} of RAM (at least 1 GiB). */
    public static List<String> kernelArgs(int memoryMb) {
        long top = Math.min((long) memoryMb << 20, 0xC0000000L); // pc machine: RAM below 3 GiB is contiguous
        long dev0 = top - 2 * CHUNK;
        long dev1 = top - CHUNK;
        return List.of(
                "memmap=" + (2 * CHUNK >> 20) + "M$0x" + Long.toHexString(dev0),
                "hmmtest.modparams=spm_addr_dev0=0x" + Long.toHexString(dev0) + ",spm_addr_dev1=0x"
                        + Long.toHexString(dev1));
    }
}
