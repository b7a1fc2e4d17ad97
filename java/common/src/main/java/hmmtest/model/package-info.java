/**
 * Reference model of the {@code test_hmm} driver ({@code /dev/hmm_dmirror*}) and of the memory of
 * the process that uses it, for Linux 6.12 and 7.3 (specification: docs/model-spec.md).
 * Pure Java; it never touches a device.
 *
 * <h2>Wiring it to a real device</h2>
 *
 * <pre>{@code
 * Model model = new Model(AbiVersion.V7_3, ModelOptions.defaults(), new Layout(arenaBase));
 * for (Action a : actions) {                  // e.g. from ActionGenerator or Action.parse(line)
 *     Prediction p = model.predict(a);        // model.hazard(a) tells what would crash
 *     Outcome seen = executor.perform(a);     // JNA, see below
 *     if (!p.allows(seen)) fail(p.diff(seen));
 *     model.apply(a, seen);                   // or let apply throw ModelMismatchException
 * }
 * }</pre>
 *
 * <h2>What the executor does per action</h2>
 *
 * <ul>
 *   <li>{@link hmmtest.model.Action.Mmap}: {@code mmap(layout.address(id, 0), pages*4096, prot,
 *       flags|MAP_FIXED_NOREPLACE)} with the flags of {@link hmmtest.model.MapKind}; errno on failure.
 *   <li>Munmap/Mprotect/Madvise/Mremap: the syscall on {@code layout.address(map, page)},
 *       {@code pages*4096} bytes (mremap: {@code MREMAP_MAYMOVE|MREMAP_FIXED[|MREMAP_DONTUNMAP]} to
 *       {@code layout.address(to, 0)}); {@link hmmtest.model.Outcome#ok()} or
 *       {@link hmmtest.model.Outcome#error(int)}.
 *   <li>CpuRead: read the page, {@link hmmtest.model.Outcome#cpuRead}({@link
 *       hmmtest.model.PageContent#decode}). CpuWrite: {@link hmmtest.model.PageContent#fill}.
 *   <li>ForkChildWrite: fork; the child fills the page with the token's pattern and
 *       {@code _exit(0)}s; the parent waits. Outcome ok.
 *   <li>Open/Close: {@code open("/dev/hmm_dmirror" + dev, O_RDWR)}, remembering the model's fd
 *       handle; close.
 *   <li>Ioctl: a 40-byte struct with {@code addr = a.address(layout)}, {@code ptr} = a buffer
 *       outside the arena, {@code npages = a.npages()}, {@code cpages = faults =}
 *       {@link hmmtest.model.Outcome#POISON}; request {@link hmmtest.model.Command#request(int)}.
 *       The buffer holds {@link hmmtest.model.Action.Ioctl#bufferPages()} pages (WRITE: page i
 *       filled with token + i; otherwise pre-filled with
 *       {@link hmmtest.model.PageContent#POISON_TOKEN}); for SNAPSHOT it holds
 *       {@link hmmtest.model.Action.Ioctl#snapshotBytes()} bytes pre-filled with
 *       {@link hmmtest.model.SnapshotByte#POISON}. Report {@link hmmtest.model.Outcome#ioctl} with
 *       the errno, the cpages/faults read back, the decoded pages for commands whose
 *       {@link hmmtest.model.Command#writesPageBuffer()} is true (else null) and the snapshot bytes
 *       for SNAPSHOT (else null).
 * </ul>
 *
 * <h2>Machine setup the predictions assume</h2>
 *
 * THP in "madvise" mode and khugepaged idle (e.g. a huge {@code scan_sleep_millisecs}), NUMA
 * balancing, KSM and swap off, no memory pressure, nothing else mapped in the arena or in the page
 * below it, the ioctl buffers outside the arena. Background invalidations break exactness; see
 * {@link hmmtest.model.ModelOptions#tolerateBackgroundInvalidation()}.
 *
 * <h2>Where things are</h2>
 *
 * {@link hmmtest.model.Model} is the facade. Simulation: {@code World} (state), {@code Notifier}
 * (§3.0 invalidation rule), {@code CpuFault} (page faults), {@code HmmWalk} (hmm_range_fault and
 * SNAPSHOT bytes), {@code Driver} (ioctls), {@code Migration} (MIGRATE_TO_DEV/SYS),
 * {@code Exclusive} (§5), {@code MmCalls} (mm syscalls, fork, open/close). Every [inferred] or
 * assumed rule is in {@code Rules}; what is not modelled is refused, with a reason, by
 * {@code Scope}. Generator and shrinker: {@link hmmtest.model.gen}.
 */
package hmmtest.model;

import hmmtest.uapi.SnapshotByte;

import hmmtest.uapi.AbiVersion;

import hmmtest.uapi.Command;
