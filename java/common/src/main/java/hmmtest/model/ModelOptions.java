package hmmtest.model;

/**
 * Facts about the machine under test that change predictions.
 *
 * @param guestRamPages total RAM of the guest in 4 KiB pages (bounce buffers larger than this fail
 *     with ENOMEM, see {@link Rules#bounceAllocFails})
 * @param coherentDevices {@code /dev/hmm_dmirror2} and {@code 3} exist (module loaded with both
 *     {@code spm_addr_dev*}, §2.1)
 * @param tolerateBackgroundInvalidation also allow READ/WRITE {@code faults} one higher than
 *     predicted whenever a fault round happens: a background invalidation (khugepaged, compaction,
 *     NUMA balancing) inside the range between the fault and the copy forces one more round
 *     (§3.2). Off by default: the executor is expected to switch those off (§7.3 runtime knobs).
 * @param maxWorlds how many alternative states the model tracks at most
 */
public record ModelOptions(long guestRamPages, boolean coherentDevices,
                           boolean tolerateBackgroundInvalidation, int maxWorlds) {

    public static ModelOptions defaults() {
        return new ModelOptions(1L << 18, false, false, 32);
    }

    public ModelOptions withCoherentDevices(boolean c) {
        return new ModelOptions(guestRamPages, c, tolerateBackgroundInvalidation, maxWorlds);
    }

    public ModelOptions withTolerateBackgroundInvalidation(boolean t) {
        return new ModelOptions(guestRamPages, coherentDevices, t, maxWorlds);
    }

    public ModelOptions withGuestRamPages(long pages) {
        return new ModelOptions(pages, coherentDevices, tolerateBackgroundInvalidation, maxWorlds);
    }
}
