package hmmtest.model.gen;

import hmmtest.uapi.AbiVersion;
import hmmtest.model.Action;
import hmmtest.model.Advice;
import hmmtest.uapi.Command;
import hmmtest.model.Hazard;
import hmmtest.model.Layout;
import hmmtest.model.MapKind;
import hmmtest.model.Model;
import hmmtest.model.ModelOptions;
import hmmtest.model.PageContent;
import hmmtest.model.Prot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Seeded random action sequences. The same seed, ABI and config always give the same sequence.
 *
 * <p>Each step picks an action kind by weight, draws bounded arguments from the current model
 * state, and keeps only actions the model accepts ({@link Model#invalid}) and, unless
 * {@link Config#exploreHazards()}, that reach no hazard ({@link Model#hazard}). When exploring,
 * hazardous candidates are preferred, so sequences run into them on purpose.
 *
 * <p>{@link #next()} advances an internal model by the nominal outcome. An executor that observes
 * the real kernel should instead keep its own model (applying observed outcomes) and call
 * {@link #next(Model)}.
 */
public final class ActionGenerator {

    /** What the generator can choose; ioctl kinds are the commands, BAD_IOCTL breaks the arguments. */
    public enum Kind {
        MMAP, MUNMAP, MPROTECT, MADVISE, MREMAP, CPU_READ, CPU_WRITE, FORK, OPEN, CLOSE,
        READ, WRITE, MIGRATE_TO_DEV, MIGRATE_TO_SYS, SNAPSHOT, EXCLUSIVE, CHECK_EXCLUSIVE, RELEASE,
        FLAGS, READ_UNLOCKED, BAD_IOCTL,
        /** An open by a clone that exits at once: the file outlives its address space. */
        OPEN_ORPHAN;

        /** The kind that proposes actions like {@code a} (an ioctl with an unknown command or bad arguments: BAD_IOCTL). */
        public static Kind of(Action a) {
            if (a instanceof Action.Mmap) {
                return MMAP;
            } else if (a instanceof Action.Munmap) {
                return MUNMAP;
            } else if (a instanceof Action.Mprotect) {
                return MPROTECT;
            } else if (a instanceof Action.Madvise) {
                return MADVISE;
            } else if (a instanceof Action.Mremap) {
                return MREMAP;
            } else if (a instanceof Action.CpuRead) {
                return CPU_READ;
            } else if (a instanceof Action.CpuWrite) {
                return CPU_WRITE;
            } else if (a instanceof Action.ForkChildWrite) {
                return FORK;
            } else if (a instanceof Action.Open o) {
                return o.orphan() ? OPEN_ORPHAN : OPEN;
            } else if (a instanceof Action.Close) {
                return CLOSE;
            } else if (a instanceof Action.Ioctl i) {
                Optional<Command> c = i.command();
                boolean plain = c.isPresent() && i.byteOffset() == 0 && i.npages() > 0 && i.npages() <= 2 * Layout.SLOT_PAGES;
                return plain ? valueOf(c.get().name()) : BAD_IOCTL;
            }
            throw new IllegalArgumentException("no kind for " + a);
        }
    }

    /**
     * @param maxMappings live mappings at most (slot ids are drawn from twice as many)
     * @param maxFds open fds at most (≤ 16)
     * @param maxPages pages per ordinary mapping (1..maxPages; THP and hugetlb mappings are 512)
     * @param thp generate THP-eligible 2 MiB mappings
     * @param hugetlb generate hugetlb mappings (the executor must reserve huge pages)
     * @param exploreHazards allow and prefer actions that reach a §3.14 hazard
     * @param weights relative weight per kind (missing = 0)
     * @param modelOptions options of the generator's own model
     */
    public record Config(int maxMappings, int maxFds, int maxPages, boolean thp, boolean hugetlb,
                         boolean exploreHazards, Map<Kind, Integer> weights, ModelOptions modelOptions) {

        public Config {
            if (maxFds < 1 || maxFds > 16 || maxMappings < 1 || maxMappings > 64 || maxPages < 1 || maxPages > 64) {
                throw new IllegalArgumentException("bounds: 1..64 mappings, 1..16 fds, 1..64 pages");
            }
            Map<Kind, Integer> copy = new EnumMap<>(Kind.class);
            copy.putAll(weights);
            weights = Collections.unmodifiableMap(copy);
        }

        public static Config defaults() {
            Map<Kind, Integer> w = new EnumMap<>(Kind.class);
            w.put(Kind.MMAP, 6);
            w.put(Kind.MUNMAP, 2);
            w.put(Kind.MPROTECT, 3);
            w.put(Kind.MADVISE, 2);
            w.put(Kind.MREMAP, 1);
            w.put(Kind.CPU_READ, 5);
            w.put(Kind.CPU_WRITE, 6);
            w.put(Kind.FORK, 1);
            w.put(Kind.OPEN, 2);
            w.put(Kind.CLOSE, 1);
            w.put(Kind.READ, 6);
            w.put(Kind.WRITE, 5);
            w.put(Kind.MIGRATE_TO_DEV, 5);
            w.put(Kind.MIGRATE_TO_SYS, 3);
            w.put(Kind.SNAPSHOT, 4);
            w.put(Kind.EXCLUSIVE, 4);
            w.put(Kind.CHECK_EXCLUSIVE, 3);
            w.put(Kind.RELEASE, 1);
            w.put(Kind.FLAGS, 1);
            w.put(Kind.READ_UNLOCKED, 2);
            w.put(Kind.BAD_IOCTL, 2);
            w.put(Kind.OPEN_ORPHAN, 1);
            return new Config(6, 4, 16, true, false, false, w, ModelOptions.defaults());
        }

        public Config withWeight(Kind k, int weight) {
            Map<Kind, Integer> w = new EnumMap<>(Kind.class);
            w.putAll(weights);
            w.put(k, weight);
            return new Config(maxMappings, maxFds, maxPages, thp, hugetlb, exploreHazards, w, modelOptions);
        }

        public Config withExploreHazards(boolean e) {
            return new Config(maxMappings, maxFds, maxPages, thp, hugetlb, e, weights, modelOptions);
        }

        public Config withThp(boolean t) {
            return new Config(maxMappings, maxFds, maxPages, t, hugetlb, exploreHazards, weights, modelOptions);
        }

        public Config withHugetlb(boolean h) {
            return new Config(maxMappings, maxFds, maxPages, thp, h, exploreHazards, weights, modelOptions);
        }

        public Config withBounds(int mappings, int fds, int pages) {
            return new Config(mappings, fds, pages, thp, hugetlb, exploreHazards, weights, modelOptions);
        }

        public Config withModelOptions(ModelOptions o) {
            return new Config(maxMappings, maxFds, maxPages, thp, hugetlb, exploreHazards, weights, o);
        }
    }

    private static final int ATTEMPTS = 60;
    /** One ioctl in this many covers its whole mapping (coverage: the compound device-page paths). */
    private static final int WHOLE_MAPPING_ONE_IN = 8;
    private static final int HAZARD_SAMPLES = 6;

    private final SplittableRandom rng;
    private final AbiVersion abi;
    private final Config cfg;
    private final Model model;
    private final List<Kind> kinds = new ArrayList<>();
    private int[] cumulative;
    private boolean dead;

    public ActionGenerator(long seed, AbiVersion abi, Config cfg) {
        this.rng = new SplittableRandom(seed);
        this.abi = abi;
        this.cfg = cfg;
        this.model = new Model(abi, cfg.modelOptions());
        setWeights(cfg.weights());
    }

    /**
     * Replaces the kinds' weights from the next pick on (coverage steering: {@link Steering}). Kinds
     * the ABI lacks are skipped; with the config's weights this is the generator's initial state.
     */
    public void setWeights(Map<Kind, Integer> weights) {
        List<Kind> ks = new ArrayList<>();
        List<Integer> cum = new ArrayList<>();
        int total = 0;
        for (Kind k : Kind.values()) {
            int w = weights.getOrDefault(k, 0);
            if (w <= 0 || (abi == AbiVersion.V6_12 && (k == Kind.FLAGS || k == Kind.READ_UNLOCKED))) {
                continue;
            }
            total += w;
            ks.add(k);
            cum.add(total);
        }
        if (ks.isEmpty()) {
            throw new IllegalArgumentException("no action kind has a weight");
        }
        kinds.clear();
        kinds.addAll(ks);
        cumulative = cum.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The configuration this generator was made with. */
    public Config config() {
        return cfg;
    }

    /** The generator's own model (advanced nominally by {@link #next()}). */
    public Model model() {
        return model;
    }

    /** The next action; the internal model advances by its nominal outcome. */
    public Action next() {
        if (dead) {
            throw new IllegalStateException("the previous action crashes the kernel (hazard); the sequence ends");
        }
        Action a = next(model);
        try {
            model.applyNominal(a);
        } catch (IllegalStateException fatal) {
            dead = true; // only when exploring hazards: the model cannot go past an oops
        }
        return a;
    }

    /** Actions until {@code n} or until a fatal hazard ends the sequence. */
    public List<Action> generate(int n) {
        List<Action> out = new ArrayList<>();
        while (out.size() < n && !dead) {
            out.add(next());
        }
        return out;
    }

    /** True once a generated action crashes the kernel according to the model. */
    public boolean ended() {
        return dead;
    }

    /** Proposes a valid action for the state of {@code m} without changing it. */
    public Action next(Model m) {
        Action firstSafe = null;
        int hazardTries = 0;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Action a = propose(pick(), m);
            if (a == null || m.invalid(a).isPresent()) {
                continue;
            }
            Optional<Hazard> h = m.hazard(a);
            if (h.isPresent()) {
                if (cfg.exploreHazards()) {
                    return a;
                }
                continue;
            }
            if (!cfg.exploreHazards() || ++hazardTries >= HAZARD_SAMPLES) {
                return firstSafe != null ? firstSafe : a;
            }
            if (firstSafe == null) {
                firstSafe = a;
            }
        }
        return firstSafe != null ? firstSafe : fallback(m);
    }

    private Kind pick() {
        int r = rng.nextInt(cumulative[cumulative.length - 1]);
        for (int i = 0; i < cumulative.length; i++) {
            if (r < cumulative[i]) {
                return kinds.get(i);
            }
        }
        throw new AssertionError();
    }

    /** Something that is always valid, so every step produces an action. */
    private Action fallback(Model m) {
        if (m.openFds().isEmpty()) {
            return new Action.Open(freeFd(m), rng.nextInt(2));
        }
        int fd = m.openFds().keySet().iterator().next();
        return new Action.Ioctl(fd, Command.SNAPSHOT, 0, 0, 1);
    }

    private Action propose(Kind k, Model m) {
        return switch (k) {
            case MMAP -> mmap(m);
            case MUNMAP -> withRange(m, (id, p, n) -> new Action.Munmap(id, p, n));
            case MPROTECT -> withRange(m, (id, p, n) -> new Action.Mprotect(id, p, n, prot()));
            case MADVISE -> withRange(m, (id, p, n) -> new Action.Madvise(id, p, n, advice()));
            case MREMAP -> mremap(m);
            case CPU_READ -> withPage(m, (id, p) -> new Action.CpuRead(id, p));
            case CPU_WRITE -> withPage(m, (id, p) -> new Action.CpuWrite(id, p, token()));
            case FORK -> withPage(m, (id, p) -> new Action.ForkChildWrite(id, p, token()));
            case OPEN, OPEN_ORPHAN -> m.liveFdHandles().size() >= cfg.maxFds() ? null
                    : new Action.Open(freeFd(m), rng.nextInt(m.options().coherentDevices() ? 4 : 2), k == Kind.OPEN_ORPHAN);
            case CLOSE -> m.openFds().isEmpty() ? null : new Action.Close(anyOf(new ArrayList<>(m.openFds().keySet())));
            case BAD_IOCTL -> badIoctl(m);
            default -> ioctl(m, Command.valueOf(k.name()));
        };
    }

    private interface RangeAction {
        Action make(int id, int page, int pages);
    }

    private interface PageAction {
        Action make(int id, int page);
    }

    private Action mmap(Model m) {
        if (m.mappingIds().size() >= cfg.maxMappings()) {
            return null;
        }
        int id = freeSlot(m);
        if (id < 0) {
            return null;
        }
        int r = rng.nextInt(100);
        Prot prot = rng.nextInt(10) < 7 ? Prot.RW : rng.nextBoolean() ? Prot.R : Prot.NONE;
        if (cfg.thp() && r < 12) {
            return new Action.Mmap(id, 512, prot, MapKind.ANON_PRIVATE, true);
        }
        if (cfg.hugetlb() && r < 17) {
            return new Action.Mmap(id, 512, prot == Prot.NONE ? Prot.RW : prot, MapKind.HUGETLB, false);
        }
        if (r < 25 && !m.openFds().isEmpty()) {
            return new Action.Mmap(id, pages(), Prot.R, MapKind.DEVICE_FILE, false,
                    anyOf(new ArrayList<>(m.openFds().keySet())));
        }
        MapKind kind = r < 60 ? MapKind.ANON_PRIVATE : r < 72 ? MapKind.ANON_SHARED : r < 86 ? MapKind.FILE_PRIVATE
                : MapKind.FILE_SHARED;
        return new Action.Mmap(id, pages(), prot, kind, false);
    }

    private Action mremap(Model m) {
        if (m.mappingIds().size() >= cfg.maxMappings()) {
            return null; // a partial or DONTUNMAP move adds a mapping
        }
        int to = freeSlot(m);
        if (to < 0) {
            return null;
        }
        return withRange(m, (id, p, n) -> new Action.Mremap(id, p, n, to, rng.nextInt(3) == 0));
    }

    private Action withRange(Model m, RangeAction f) {
        List<Integer> ids = new ArrayList<>(m.mappingIds());
        if (ids.isEmpty()) {
            return null;
        }
        int id = anyOf(ids);
        int extent = Math.max(1, m.mappingExtent(id));
        if (m.mappingKind(id).filter(k -> k == MapKind.HUGETLB).isPresent()) {
            return f.make(id, 0, extent);
        }
        int page = rng.nextInt(extent);
        int pages = 1 + rng.nextInt(extent - page + (rng.nextInt(8) == 0 ? 1 : 0));
        return f.make(id, page, pages);
    }

    private Action withPage(Model m, PageAction f) {
        List<Integer> ids = new ArrayList<>(m.mappingIds());
        if (ids.isEmpty()) {
            return null;
        }
        int id = anyOf(ids);
        return f.make(id, rng.nextInt(Math.max(1, m.mappingExtent(id))));
    }

    private Action ioctl(Model m, Command c) {
        if (m.openFds().isEmpty()) {
            return null;
        }
        int fd = anyOf(new ArrayList<>(m.openFds().keySet()));
        List<Integer> ids = new ArrayList<>(m.mappingIds());
        int id;
        long page;
        long npages;
        if (ids.isEmpty() || rng.nextInt(20) == 0) {
            id = rng.nextInt(2 * cfg.maxMappings()); // maybe an unmapped hole
            page = 0;
            npages = 1 + rng.nextInt(4);
        } else {
            id = anyOf(ids);
            int extent = Math.max(1, m.mappingExtent(id));
            if (rng.nextInt(WHOLE_MAPPING_ONE_IN) == 0) {
                // the whole mapping: an aligned THP moves as one device folio only when the range
                // covers all its 512 pages, which a random start and length almost never do
                page = 0;
                npages = extent;
            } else {
                page = rng.nextInt(extent);
                npages = 1 + rng.nextInt((int) (extent - page) + (rng.nextInt(8) == 0 ? 1 : 0));
            }
        }
        if (c == Command.FLAGS) {
            npages = 1 + rng.nextInt(3); // bit 0 is FAIL_ALLOC; 0 would be EINVAL
        } else if (c == Command.RELEASE) {
            npages = 1;
        }
        long token = c == Command.WRITE ? token() : 0;
        return new Action.Ioctl(fd, c.nr(), id, page, 0, npages, token);
    }

    /** Deliberately bad arguments: unaligned, zero, huge, truncating or wrapping npages, unknown commands. */
    private Action badIoctl(Model m) {
        if (m.openFds().isEmpty()) {
            return null;
        }
        int fd = anyOf(new ArrayList<>(m.openFds().keySet()));
        List<Integer> ids = new ArrayList<>(m.mappingIds());
        int id = ids.isEmpty() ? 0 : anyOf(ids);
        int cmd = rng.nextInt(5) == 0 ? 0x08 + rng.nextInt(8) : rng.nextInt(10);
        int byteOffset = 0;
        long npages;
        switch (rng.nextInt(6)) {
            case 0 -> {
                byteOffset = 1 + rng.nextInt(PageContent.PAGE_SIZE - 1);
                npages = 1;
            }
            case 1 -> npages = 0;
            case 2 -> npages = 1L << 30; // bounce allocation fails, or migration stops at a hole
            case 3 -> npages = 1L << 52; // (npages << 12) == 0
            case 4 -> npages = (1L << 52) + 1; // behaves like 1
            default -> npages = -1L; // wraps around
        }
        return new Action.Ioctl(fd, cmd, id, 0, byteOffset, npages, cmd == Command.WRITE.nr() ? token() : 0);
    }

    private int pages() {
        int p = rng.nextInt(4) == 0 ? 1 + rng.nextInt(cfg.maxPages()) : 1 + rng.nextInt(Math.min(8, cfg.maxPages()));
        return Math.min(p, cfg.maxPages());
    }

    private Prot prot() {
        return Prot.values()[rng.nextInt(3)];
    }

    private Advice advice() {
        int r = rng.nextInt(10);
        return r < 5 ? Advice.DONTNEED : r < 7 ? Advice.FREE : r < 9 ? Advice.NOHUGEPAGE : Advice.HUGEPAGE;
    }

    /** A recognisable token that is never 0, POISON or GARBLED. */
    private long token() {
        long t = rng.nextLong();
        return t == 0 || t == PageContent.POISON_TOKEN || t == PageContent.GARBLED ? 1 : t;
    }

    private int freeSlot(Model m) {
        List<Integer> free = new ArrayList<>();
        for (int id = 0; id < 2 * cfg.maxMappings(); id++) {
            if (m.mappingExtent(id) == 0 && !m.mappingIds().contains(id)) {
                free.add(id);
            }
        }
        return free.isEmpty() ? -1 : anyOf(free);
    }

    private int freeFd(Model m) {
        for (int fd = 0; fd < 16; fd++) {
            if (!m.liveFdHandles().contains(fd)) {
                return fd;
            }
        }
        return 0;
    }

    private <T> T anyOf(List<T> xs) {
        return xs.get(rng.nextInt(xs.size()));
    }
}
