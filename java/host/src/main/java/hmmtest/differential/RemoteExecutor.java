package hmmtest.differential;

import hmmtest.engine.ActionCalls;
import hmmtest.engine.Executor;
import hmmtest.engine.ExecutorException;
import hmmtest.model.Action;
import hmmtest.model.Layout;
import hmmtest.model.MapKind;
import hmmtest.model.Outcome;
import hmmtest.model.PageContent;
import hmmtest.uapi.Command;
import hmmtest.uapi.Errno;
import hmmtest.uapi.SnapshotByte;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * The host engine's executor: each action goes to the guest's C executor
 * ({@code native/exec/hmmfuzz_exec.c}) over the control port as system-call arguments
 * ({@link ActionCalls}, the same as the guest's RealExecutor uses), and the reply comes back as
 * the {@link Outcome} RealExecutor would have built. One round trip per action.
 *
 * <p>If the channel fails (the VM was stopped after a kernel crash, or QEMU died) every call
 * throws {@link ExecutorGone}, which ends the engine's run: the crash is the VM's to report.
 */
final class RemoteExecutor implements Executor {
    /** The guest's executor is gone: the run cannot go on (not a verdict on one action). */
    static final class ExecutorGone extends RuntimeException {
        ExecutorGone(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ByteChannel channel;
    private final Layout layout;
    private final ByteBuffer request = ByteBuffer.allocate(ExecWire.REQUEST_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer head = ByteBuffer.allocate(ExecWire.REPLY_HEAD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer body = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private long[] data = new long[0];
    private byte[] bytes = new byte[0];
    private long ret;
    private long cpages;
    private long faults;
    private boolean closed;

    /** Waits for the executor's greeting on an open channel and checks its wire version. */
    RemoteExecutor(ByteChannel channel, Layout layout) {
        this.channel = channel;
        this.layout = layout;
        ByteBuffer hello = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        readFully(hello);
        long magic = hello.getLong(0);
        long version = hello.getLong(8);
        if (magic != ExecWire.MAGIC || version != ExecWire.VERSION) {
            throw new ExecutorGone(String.format("the guest's executor greeted with magic %x version %d; expected %x"
                    + " version %d (a guest image from another build?)", magic, version, ExecWire.MAGIC,
                    ExecWire.VERSION), null);
        }
    }

    @Override
    public Outcome perform(Action a) {
        if (closed) {
            throw new IllegalStateException("executor closed");
        }
        if (a instanceof Action.Mmap m) {
            long fdSource = m.kind() == MapKind.FILE_PRIVATE || m.kind() == MapKind.FILE_SHARED ? ExecWire.FD_MEMFD
                    : m.kind() == MapKind.DEVICE_FILE ? ExecWire.FD_HANDLE : ExecWire.FD_NONE;
            call(ExecWire.OP_MMAP, layout.address(m.id(), 0), ActionCalls.mmapBytes(m), ActionCalls.prot(m.prot()),
                    ActionCalls.mmapFlags(m), fdSource, m.fd(), ActionCalls.adviceAfterMmap(m));
            return result();
        }
        if (a instanceof Action.Munmap m) {
            call(ExecWire.OP_MUNMAP, layout.address(m.map(), m.page()), ActionCalls.bytes(m.pages()));
            return result();
        }
        if (a instanceof Action.Mprotect m) {
            call(ExecWire.OP_MPROTECT, layout.address(m.map(), m.page()), ActionCalls.bytes(m.pages()),
                    ActionCalls.prot(m.prot()));
            return result();
        }
        if (a instanceof Action.Madvise m) {
            call(ExecWire.OP_MADVISE, layout.address(m.map(), m.page()), ActionCalls.bytes(m.pages()),
                    ActionCalls.advice(m.advice()));
            return result();
        }
        if (a instanceof Action.Mremap m) {
            call(ExecWire.OP_MREMAP, layout.address(m.map(), m.page()), ActionCalls.bytes(m.pages()),
                    ActionCalls.mremapFlags(m), layout.address(m.to(), 0));
            return result();
        }
        if (a instanceof Action.CpuRead c) {
            call(ExecWire.OP_CPU_READ, layout.address(c.map(), c.page()), PageContent.GARBLED);
            return Outcome.cpuRead(data[0]);
        }
        if (a instanceof Action.CpuWrite c) {
            call(ExecWire.OP_CPU_WRITE, layout.address(c.map(), c.page()), c.token());
            return Outcome.ok();
        }
        if (a instanceof Action.ForkChildWrite f) {
            call(ExecWire.OP_FORK_WRITE, layout.address(f.map(), f.page()), f.token());
            // the child did not exit 0: its store faulted (SIGSEGV/SIGBUS) or it was killed
            return ret != 0 ? Outcome.error(Errno.EFAULT) : Outcome.ok();
        }
        if (a instanceof Action.Open o) {
            call(ExecWire.OP_OPEN, o.fd(), o.device(), o.orphan() ? 1 : 0);
            return result();
        }
        if (a instanceof Action.Close c) {
            call(ExecWire.OP_CLOSE, c.fd());
            return result();
        }
        if (a instanceof Action.Ioctl i) {
            return ioctl(i);
        }
        throw new IllegalArgumentException("unknown action " + a);
    }

    private Outcome result() {
        return ret == 0 ? Outcome.ok() : Outcome.error((int) -ret);
    }

    private Outcome ioctl(Action.Ioctl a) {
        Command c = a.command().orElse(null);
        long mode;
        long count = 0;
        long fill = 0;
        if (c == Command.SNAPSHOT) {
            mode = ExecWire.BUF_SNAPSHOT;
            count = a.snapshotBytes();
            fill = SnapshotByte.POISON;
        } else if (c == Command.WRITE) {
            mode = ExecWire.BUF_WRITE;
            count = a.bufferPages();
            fill = a.token();
        } else if (c != null && c.writesPageBuffer()) {
            mode = ExecWire.BUF_PAGES_OUT;
            count = a.bufferPages();
            fill = PageContent.POISON_TOKEN;
        } else {
            mode = ExecWire.BUF_NONE;
        }
        call(ExecWire.OP_IOCTL, a.fd(), Command.request(a.cmd()), a.address(layout), a.npages(), mode, count, fill,
                PageContent.GARBLED, Outcome.POISON);
        return Outcome.ioctl((int) -ret, cpages, faults, mode == ExecWire.BUF_PAGES_OUT ? data : null,
                mode == ExecWire.BUF_SNAPSHOT ? bytes : null);
    }

    @Override
    public void reset() {
        call(ExecWire.OP_RESET, layout.arenaBase(), Layout.ARENA_BYTES, Command.request(Command.RELEASE.nr()));
    }

    /** Ends the guest's executor (it exits; what is left goes with its process). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                send(ExecWire.OP_QUIT);
            } catch (ExecutorGone e) {
                // already gone: nothing to end
            }
        }
    }

    private void send(long op, long... args) {
        request.clear();
        request.putLong(op);
        for (int i = 0; i < ExecWire.ARGS; i++) {
            request.putLong(i < args.length ? args[i] : 0);
        }
        request.flip();
        try {
            while (request.hasRemaining()) {
                channel.write(request);
            }
        } catch (IOException e) {
            throw new ExecutorGone("the guest's executor is gone: " + e, e);
        }
    }

    /** One round trip; the reply's fields land in ret, cpages, faults, data and bytes. */
    private void call(long op, long... args) {
        send(op, args);
        head.clear();
        readFully(head);
        long status = head.getLong(0);
        ret = head.getLong(8);
        cpages = head.getLong(16);
        faults = head.getLong(24);
        int ndata = (int) head.getLong(32);
        int nbytes = (int) head.getLong(40);
        int rest = ndata * 8 + nbytes;
        if (body.capacity() < rest) {
            body = ByteBuffer.allocate(rest * 2).order(ByteOrder.LITTLE_ENDIAN);
        }
        body.clear().limit(rest);
        readFully(body);
        if (data.length != ndata) {
            data = new long[ndata];
        }
        for (int i = 0; i < ndata; i++) {
            data[i] = body.getLong(i * 8);
        }
        bytes = new byte[nbytes];
        body.get(ndata * 8, bytes);
        if (status == ExecWire.FAILED) {
            throw new ExecutorException(new String(bytes, StandardCharsets.UTF_8));
        }
        if (status != ExecWire.OUTCOME) {
            throw new ExecutorGone("the guest's executor replied with status " + status + ": the wire is out of step",
                    null);
        }
    }

    private void readFully(ByteBuffer b) {
        try {
            while (b.hasRemaining()) {
                if (channel.read(b) < 0) {
                    throw new ExecutorGone("the guest's executor is gone: the control port closed", null);
                }
            }
        } catch (IOException e) {
            throw new ExecutorGone("the guest's executor is gone: " + e, e);
        }
    }
}
