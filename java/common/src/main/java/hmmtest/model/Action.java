package hmmtest.model;

import hmmtest.uapi.Command;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One step of a test: an mm syscall, a CPU access, or an ioctl. Addresses are always a mapping id
 * (its {@link Layout} slot) plus a page offset, so a sequence keeps its meaning when the shrinker
 * removes the action that created the mapping (the slot is then simply a hole).
 *
 * <p>Every action is one line of text ({@link #toText()}) and parses back ({@link #parse}), e.g.
 * {@code mmap id=3 pages=8 prot=RW kind=ANON_PRIVATE thp=false} or
 * {@code ioctl fd=0 cmd=READ map=3 page=0 npages=8}.
 */
public sealed interface Action {

    String toText();

    /** Variants with simpler arguments, simplest first (for the shrinker). */
    List<Action> simpler();

    static Action parse(String line) {
        return ActionText.parse(line);
    }

    /** mmap of a fresh mapping in slot {@code id}. {@code fd} names the mirror for DEVICE_FILE, else -1. */
    record Mmap(int id, int pages, Prot prot, MapKind kind, boolean thp, int fd) implements Action {
        public Mmap(int id, int pages, Prot prot, MapKind kind, boolean thp) {
            this(id, pages, prot, kind, thp, -1);
        }

        @Override
        public String toText() {
            return "mmap id=" + id + " pages=" + pages + " prot=" + prot + " kind=" + kind + " thp=" + thp
                    + (fd >= 0 ? " fd=" + fd : "");
        }

        @Override
        public List<Action> simpler() {
            List<Action> out = new ArrayList<>();
            if (thp) {
                out.add(new Mmap(id, pages, prot, kind, false, fd));
            }
            if (kind != MapKind.HUGETLB && !thp) {
                addSmaller(pages, p -> out.add(new Mmap(id, p, prot, kind, thp, fd)));
            }
            return out;
        }
    }

    record Munmap(int map, int page, int pages) implements Action {
        @Override
        public String toText() {
            return "munmap map=" + map + " page=" + page + " pages=" + pages;
        }

        @Override
        public List<Action> simpler() {
            List<Action> out = new ArrayList<>();
            addSmaller(pages, p -> out.add(new Munmap(map, page, p)));
            if (page != 0) {
                out.add(new Munmap(map, 0, pages));
            }
            return out;
        }
    }

    record Mprotect(int map, int page, int pages, Prot prot) implements Action {
        @Override
        public String toText() {
            return "mprotect map=" + map + " page=" + page + " pages=" + pages + " prot=" + prot;
        }

        @Override
        public List<Action> simpler() {
            List<Action> out = new ArrayList<>();
            addSmaller(pages, p -> out.add(new Mprotect(map, page, p, prot)));
            if (page != 0) {
                out.add(new Mprotect(map, 0, pages, prot));
            }
            return out;
        }
    }

    record Madvise(int map, int page, int pages, Advice advice) implements Action {
        @Override
        public String toText() {
            return "madvise map=" + map + " page=" + page + " pages=" + pages + " advice=" + advice;
        }

        @Override
        public List<Action> simpler() {
            List<Action> out = new ArrayList<>();
            addSmaller(pages, p -> out.add(new Madvise(map, page, p, advice)));
            if (page != 0) {
                out.add(new Madvise(map, 0, pages, advice));
            }
            return out;
        }
    }

    /**
     * {@code mremap(old, len, len, MREMAP_MAYMOVE|MREMAP_FIXED[|MREMAP_DONTUNMAP], slot(to))}: moves
     * pages {@code [page, page+pages)} of a mapping to the start of the empty slot {@code to}.
     * Growing or shrinking and kernel-chosen destinations are not modelled.
     */
    record Mremap(int map, int page, int pages, int to, boolean dontUnmap) implements Action {
        @Override
        public String toText() {
            return "mremap map=" + map + " page=" + page + " pages=" + pages + " to=" + to
                    + " dontunmap=" + dontUnmap;
        }

        @Override
        public List<Action> simpler() {
            List<Action> out = new ArrayList<>();
            if (dontUnmap) {
                out.add(new Mremap(map, page, pages, to, false));
            }
            addSmaller(pages, p -> out.add(new Mremap(map, page, p, to, dontUnmap)));
            if (page != 0) {
                out.add(new Mremap(map, 0, pages, to, dontUnmap));
            }
            return out;
        }
    }

    /** A CPU load of one whole page; the outcome is its content token. */
    record CpuRead(int map, int page) implements Action {
        @Override
        public String toText() {
            return "read map=" + map + " page=" + page;
        }

        @Override
        public List<Action> simpler() {
            return page == 0 ? List.of() : List.of(new CpuRead(map, 0));
        }
    }

    /** A CPU store of the pattern of {@code token} over one whole page. */
    record CpuWrite(int map, int page, long token) implements Action {
        @Override
        public String toText() {
            return "write map=" + map + " page=" + page + " token=" + hex(token);
        }

        @Override
        public List<Action> simpler() {
            List<Action> out = new ArrayList<>();
            if (page != 0) {
                out.add(new CpuWrite(map, 0, token));
            }
            if (token != 1) {
                out.add(new CpuWrite(map, page, 1));
            }
            return out;
        }
    }

    /**
     * fork(); the child writes the pattern of {@code token} to one page of its copy and exits; the
     * parent waits. Private mappings: the parent must not see the write; shared: it must.
     */
    record ForkChildWrite(int map, int page, long token) implements Action {
        @Override
        public String toText() {
            return "fork map=" + map + " page=" + page + " token=" + hex(token);
        }

        @Override
        public List<Action> simpler() {
            return page == 0 ? List.of() : List.of(new ForkChildWrite(map, 0, token));
        }
    }

    /**
     * open("/dev/hmm_dmirror" + device); {@code fd} is the model's handle for it. An {@code orphan}
     * open is done by a child that shares the fd table (clone with CLONE_FILES, a copy of the
     * address space as in fork) and exits at once: the file stays open in the parent, bound to an
     * address space that is gone, so every command that needs it fails (docs/model-spec.md §2.5).
     */
    record Open(int fd, int device, boolean orphan) implements Action {
        public Open(int fd, int device) {
            this(fd, device, false);
        }

        @Override
        public String toText() {
            return "open fd=" + fd + " dev=" + device + (orphan ? " orphan=true" : "");
        }

        @Override
        public List<Action> simpler() {
            return orphan ? List.of(new Open(fd, device)) : List.of();
        }
    }

    record Close(int fd) implements Action {
        @Override
        public String toText() {
            return "close fd=" + fd;
        }

        @Override
        public List<Action> simpler() {
            return List.of();
        }
    }

    /**
     * An ioctl on an open mirror. {@code cmd} is the raw command number (unknown numbers allowed),
     * the address is {@code layout.address(map, page) + byteOffset}, {@code npages} is passed as is
     * (0, huge and wrapping values allowed; for FLAGS it carries the flags). WRITE stores
     * {@code token + i} into page i.
     */
    record Ioctl(int fd, int cmd, int map, long page, int byteOffset, long npages, long token) implements Action {
        /** Largest output buffer the executor allocates, in pages. */
        public static final int MAX_BUFFER_PAGES = 1024;
        /** Largest SNAPSHOT buffer, in bytes. */
        public static final int MAX_SNAPSHOT_BYTES = 4096;

        public Ioctl(int fd, Command c, int map, long page, long npages) {
            this(fd, c.nr(), map, page, 0, npages, 0);
        }

        public Ioctl(int fd, Command c, int map, long page, long npages, long token) {
            this(fd, c.nr(), map, page, 0, npages, token);
        }

        public Optional<Command> command() {
            return Command.of(cmd);
        }

        /** {@code (npages << 12) >> 12} in u64: what the driver really uses (§3.1). */
        public long effectivePages() {
            return npages & ((1L << 52) - 1);
        }

        /** Pages of the page buffer at {@code ptr} (READ/WRITE/READ_UNLOCKED/MIGRATE_TO_DEV/EXCLUSIVE). */
        public int bufferPages() {
            return (int) Math.min(effectivePages(), MAX_BUFFER_PAGES);
        }

        /** Bytes of the SNAPSHOT buffer at {@code ptr}. */
        public int snapshotBytes() {
            return (int) Math.min(effectivePages(), MAX_SNAPSHOT_BYTES);
        }

        public long address(Layout layout) {
            return layout.address(map, page) + byteOffset;
        }

        @Override
        public String toText() {
            String c = command().map(Enum::name).orElse(hex(cmd));
            StringBuilder sb = new StringBuilder("ioctl fd=" + fd + " cmd=" + c + " map=" + map + " page=" + page);
            if (byteOffset != 0) {
                sb.append(" byteoff=").append(byteOffset);
            }
            sb.append(" npages=").append(npages >= 0 && npages < (1L << 32) ? Long.toString(npages) : hex(npages));
            if (token != 0) {
                sb.append(" token=").append(hex(token));
            }
            return sb.toString();
        }

        @Override
        public List<Action> simpler() {
            List<Action> out = new ArrayList<>();
            if (byteOffset != 0) {
                out.add(new Ioctl(fd, cmd, map, page, 0, npages, token));
            }
            if (npages > 1 && cmd != Command.FLAGS.nr()) {
                out.add(new Ioctl(fd, cmd, map, page, byteOffset, 1, token));
                if (npages > 2 && npages < (1L << 32)) {
                    out.add(new Ioctl(fd, cmd, map, page, byteOffset, npages / 2, token));
                }
            }
            if (page != 0) {
                out.add(new Ioctl(fd, cmd, map, 0, byteOffset, npages, token));
            }
            if (token > 1) {
                out.add(new Ioctl(fd, cmd, map, page, byteOffset, npages, 1));
            }
            return out;
        }
    }

    private static void addSmaller(int n, java.util.function.IntConsumer add) {
        if (n > 1) {
            add.accept(1);
            if (n > 2) {
                add.accept(n / 2);
            }
        }
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
