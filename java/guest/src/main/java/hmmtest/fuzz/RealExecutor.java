package hmmtest.fuzz;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import hmmtest.abi.Dmirror;
import hmmtest.abi.Sys;
import hmmtest.engine.ActionCalls;
import hmmtest.engine.Executor;
import hmmtest.engine.ExecutorException;
import hmmtest.model.Action;
import hmmtest.model.Advice;
import hmmtest.uapi.Command;
import hmmtest.model.Layout;
import hmmtest.model.MapKind;
import hmmtest.model.Outcome;
import hmmtest.model.PageContent;
import hmmtest.model.Prot;
import hmmtest.uapi.SnapshotByte;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Performs model actions on the real kernel, following the executor conventions of
 * {@code hmmtest.model} (package overview): mappings at {@code layout.address(id, 0)} with
 * {@code MAP_FIXED_NOREPLACE}, cpages/faults and output buffers pre-filled with poison, page
 * contents through {@link PageContent}, one real fd per model fd handle, fork with the child's
 * write in C.
 *
 * <p>The ioctl buffers live outside the arena, each followed by a PROT_NONE guard page, so a
 * driver that copies more than the model expects fails with EFAULT instead of corrupting the JVM.
 * Not thread-safe.
 */
public final class RealExecutor implements Executor {
    static final int PAGE = PageContent.PAGE_SIZE;

    private final Layout layout;
    private final Map<Integer, Integer> fds = new TreeMap<>();
    private final Memory cmd = new Memory(Command.BLOCK_SIZE);
    private final long cmdAddr = Pointer.nativeValue(cmd);
    private final long pageBuffer;
    private final long snapshotBuffer;
    private boolean closed;

    public RealExecutor(Layout layout) {
        this.layout = layout;
        FuzzNative.load();
        pageBuffer = guarded((long) Action.Ioctl.MAX_BUFFER_PAGES * PAGE);
        snapshotBuffer = guarded(Action.Ioctl.MAX_SNAPSHOT_BYTES);
    }

    /** An executor for a detected machine. */
    public static RealExecutor open(Machine m) {
        return new RealExecutor(m.layout());
    }

    /** mmap(NULL) of {@code bytes} (page-rounded) read-write plus one PROT_NONE page after it. */
    private static long guarded(long bytes) {
        long size = (bytes + PAGE - 1) / PAGE * PAGE;
        long a = Sys.mmap(0, size + PAGE, Sys.PROT_READ | Sys.PROT_WRITE, Sys.MAP_PRIVATE | Sys.MAP_ANONYMOUS, -1, 0);
        if (a < 0) {
            throw new ExecutorException("mmap of an ioctl buffer failed: errno " + -a);
        }
        int r = Sys.mprotect(a + size, PAGE, Sys.PROT_NONE);
        if (r != 0) {
            throw new ExecutorException("mprotect of a guard page failed: errno " + -r);
        }
        Sys.madvise(a, size, Sys.MADV_NOHUGEPAGE);
        return a;
    }

    static byte[] pattern(long token) {
        ByteBuffer b = ByteBuffer.allocate(PAGE).order(ByteOrder.nativeOrder());
        PageContent.fill(b, token);
        return b.array();
    }

    static ByteBuffer page(long addr) {
        return new Pointer(addr).getByteBuffer(0, PAGE).order(ByteOrder.nativeOrder());
    }

    @Override
    public Outcome perform(Action a) {
        if (closed) {
            throw new IllegalStateException("executor closed");
        }
        if (a instanceof Action.Mmap m) {
            return mmap(m);
        }
        if (a instanceof Action.Munmap m) {
            return result(Sys.munmap(layout.address(m.map(), m.page()), bytes(m.pages())));
        }
        if (a instanceof Action.Mprotect m) {
            return result(Sys.mprotect(layout.address(m.map(), m.page()), bytes(m.pages()), prot(m.prot())));
        }
        if (a instanceof Action.Madvise m) {
            return result(Sys.madvise(layout.address(m.map(), m.page()), bytes(m.pages()), advice(m.advice())));
        }
        if (a instanceof Action.Mremap m) {
            return mremap(m);
        }
        // CPU accesses to the arena stay in Java: a fault the model did not expect is then an
        // exception the run reports, not a native SIGSEGV that kills the JVM
        if (a instanceof Action.CpuRead c) {
            return Outcome.cpuRead(PageContent.decode(page(layout.address(c.map(), c.page()))));
        }
        if (a instanceof Action.CpuWrite c) {
            page(layout.address(c.map(), c.page())).put(pattern(c.token()));
            return Outcome.ok();
        }
        if (a instanceof Action.ForkChildWrite f) {
            return fork(f);
        }
        if (a instanceof Action.Open o) {
            int fd = o.orphan() ? FuzzNative.hmmfuzz_open_orphan(Dmirror.path(o.device()))
                    : Sys.open(Dmirror.path(o.device()), Sys.O_RDWR | Sys.O_CLOEXEC);
            if (fd < 0) {
                return Outcome.error(-fd);
            }
            fds.put(o.fd(), fd);
            return Outcome.ok();
        }
        if (a instanceof Action.Close c) {
            Integer fd = fds.remove(c.fd());
            if (fd == null) {
                throw new ExecutorException("close of fd handle " + c.fd() + " that is not open");
            }
            return result(Sys.close(fd));
        }
        if (a instanceof Action.Ioctl i) {
            return ioctl(i);
        }
        throw new IllegalArgumentException("unknown action " + a);
    }

    private static long bytes(long pages) {
        return ActionCalls.bytes(pages);
    }

    private static Outcome result(int r) {
        return r == 0 ? Outcome.ok() : Outcome.error(-r);
    }

    private static int prot(Prot p) {
        return ActionCalls.prot(p);
    }

    private static int advice(Advice a) {
        return ActionCalls.advice(a);
    }

    private int realFd(int handle) {
        Integer fd = fds.get(handle);
        if (fd == null) {
            throw new ExecutorException("fd handle " + handle + " is not open");
        }
        return fd;
    }

    private Outcome mmap(Action.Mmap m) {
        long addr = layout.address(m.id(), 0);
        long size = ActionCalls.mmapBytes(m);
        int fd = -1;
        boolean closeAfter = false;
        if (m.kind() == MapKind.FILE_PRIVATE || m.kind() == MapKind.FILE_SHARED) {
            fd = FuzzNative.hmmfuzz_memfd(size);
            if (fd < 0) {
                throw new ExecutorException("memfd_create/ftruncate failed: errno " + -fd);
            }
            closeAfter = true;
        } else if (m.kind() == MapKind.DEVICE_FILE) {
            fd = realFd(m.fd());
        }
        long r = Sys.mmap(addr, size, ActionCalls.prot(m.prot()), ActionCalls.mmapFlags(m), fd, 0);
        if (closeAfter) {
            Sys.close(fd); // the mapping keeps the file
        }
        if (r < 0) {
            return Outcome.error((int) -r);
        }
        if (r != addr) {
            Sys.munmap(r, size);
            throw new ExecutorException("mmap placed slot " + m.id() + " at 0x" + Long.toHexString(r) + ", not 0x"
                    + Long.toHexString(addr) + " (MAP_FIXED_NOREPLACE unsupported?)");
        }
        int advice = ActionCalls.adviceAfterMmap(m);
        if (advice >= 0) {
            int adv = Sys.madvise(addr, size, advice);
            if (adv != 0) {
                throw new ExecutorException("madvise after mmap failed: errno " + -adv);
            }
        }
        return Outcome.ok();
    }

    private Outcome mremap(Action.Mremap m) {
        long to = layout.address(m.to(), 0);
        long r = Sys.mremap(layout.address(m.map(), m.page()), bytes(m.pages()), bytes(m.pages()),
                ActionCalls.mremapFlags(m), to);
        if (r < 0) {
            return Outcome.error((int) -r);
        }
        if (r != to) {
            throw new ExecutorException("mremap moved to 0x" + Long.toHexString(r) + ", not 0x" + Long.toHexString(to));
        }
        return Outcome.ok();
    }

    private Outcome fork(Action.ForkChildWrite f) {
        int status = FuzzNative.hmmfuzz_fork_write(layout.address(f.map(), f.page()), f.token());
        if (status < 0) {
            throw new ExecutorException("fork/waitpid failed: errno " + -status);
        }
        if (status != 0) {
            // the child did not exit 0: its store faulted (SIGSEGV/SIGBUS) or it was killed
            return Outcome.error(hmmtest.uapi.Errno.EFAULT);
        }
        return Outcome.ok();
    }

    private Outcome ioctl(Action.Ioctl a) {
        Command c = a.command().orElse(null);
        boolean snapshot = c == Command.SNAPSHOT;
        boolean pageOut = c != null && c.writesPageBuffer();
        int pages = a.bufferPages();
        if (snapshot) {
            ByteBuffer b = new Pointer(snapshotBuffer).getByteBuffer(0, a.snapshotBytes());
            byte[] poison = new byte[a.snapshotBytes()];
            Arrays.fill(poison, (byte) SnapshotByte.POISON);
            b.put(poison);
        } else if (c == Command.WRITE) {
            // the ioctl buffers are our own guarded memory: filled and decoded in C, where a
            // Java loop over 512 words a page cost milliseconds per multi-page ioctl under TCG
            FuzzNative.hmmfuzz_fill_pages(pageBuffer, pages, a.token(), 1);
        } else if (pageOut) {
            FuzzNative.hmmfuzz_fill_pages(pageBuffer, pages, PageContent.POISON_TOKEN, 0);
        }
        cmd.setLong(Command.OFFSET_ADDR, a.address(layout));
        cmd.setLong(Command.OFFSET_PTR, snapshot ? snapshotBuffer : pageBuffer);
        cmd.setLong(Command.OFFSET_NPAGES, a.npages());
        cmd.setLong(Command.OFFSET_CPAGES, Outcome.POISON);
        cmd.setLong(Command.OFFSET_FAULTS, Outcome.POISON);
        int r = Sys.ioctl(realFd(a.fd()), Command.request(a.cmd()), cmdAddr);
        long[] tokens = null;
        if (pageOut) {
            tokens = new long[pages];
            FuzzNative.hmmfuzz_decode_pages(pageBuffer, pages, tokens, PageContent.GARBLED);
        }
        byte[] snap = null;
        if (snapshot) {
            snap = new byte[a.snapshotBytes()];
            new Pointer(snapshotBuffer).read(0, snap, 0, snap.length);
        }
        return Outcome.ioctl(-r, cmd.getLong(Command.OFFSET_CPAGES), cmd.getLong(Command.OFFSET_FAULTS), tokens, snap);
    }

    /** Open fd handles and their real fds (for diagnostics). */
    public Map<Integer, Integer> openFds() {
        return Map.copyOf(fds);
    }

    /**
     * Unmaps the arena, then closes the fds, in the order process exit uses ({@code exit_mm} before
     * {@code exit_files}): closing first would make each release evict device pages from a state
     * the model never checked for hazards (on 6.12 evicting an exclusive coherent page leaks it,
     * hazard H7, and a later RELEASE hangs). With the arena gone nothing is left to evict.
     */
    @Override
    public void reset() {
        int r = Sys.munmap(layout.arenaBase(), Machine.ARENA_BYTES);
        for (int fd : fds.values()) {
            Sys.close(fd);
        }
        fds.clear();
        if (r != 0) {
            throw new ExecutorException("munmap of the arena failed: errno " + -r);
        }
        releaseCoherentDevices();
    }

    /**
     * RELEASE frees a coherent device's one chunk, so the next request carves it afresh
     * (docs/model-spec.md §2.2); without it a sequence would inherit how earlier ones left it.
     * The models of the run start so ({@link Model#afterCoherentDevicesReleased}).
     */
    private void releaseCoherentDevices() {
        for (int dev = 2; dev <= 3; dev++) {
            int fd = Sys.open(Dmirror.path(dev), Sys.O_RDWR | Sys.O_CLOEXEC);
            if (fd < 0) {
                continue; // booted without the coherent devices
            }
            try {
                cmd.setLong(Command.OFFSET_ADDR, layout.arenaBase());
                cmd.setLong(Command.OFFSET_PTR, pageBuffer);
                cmd.setLong(Command.OFFSET_NPAGES, 1);
                int r = Sys.ioctl(fd, Command.request(Command.RELEASE.nr()), cmdAddr);
                if (r != 0) {
                    throw new ExecutorException("RELEASE of hmm_dmirror" + dev + " failed: errno " + -r);
                }
            } finally {
                Sys.close(fd);
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            reset();
            Sys.munmap(pageBuffer, (long) Action.Ioctl.MAX_BUFFER_PAGES * PAGE + PAGE);
            Sys.munmap(snapshotBuffer, 2L * PAGE);
            closed = true;
        }
    }
}
