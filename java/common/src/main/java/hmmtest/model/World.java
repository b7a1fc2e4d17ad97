package hmmtest.model;

import hmmtest.uapi.AbiVersion;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One complete, deterministic state of the kernel as far as the test process can observe it: the
 * process's VMAs and page tables, physical pages and their contents, shmem objects, and every open
 * mirror. {@link Model} keeps a set of these when the kernel may legitimately have done one of
 * several things.
 *
 * <p>Mutable; the simulation classes ({@link CpuFault}, {@link MmCalls}, {@link Driver},
 * {@link Exclusive}) change it in place on a {@link #copy()}.
 */
final class World {
    final AbiVersion abi;
    final ModelOptions opts;

    final TreeMap<Integer, Frame> frames = new TreeMap<>();
    int nextFrame = 3;
    int nextFolio = 1;
    int nextObject = 1;
    /** vpn -> CPU page-table entry; absent = pte_none. */
    final TreeMap<Long, Pte> ptes = new TreeMap<>();
    /**
     * vpn -> VMA attributes; absent = no VMA. Read-only and shared by a world and its copies
     * (mostly only mm calls change VMAs, and this per-page map was a quarter of the cost of a
     * copy): changes go through {@link #writableVmas()}.
     */
    NavigableMap<Long, VmaPage> vmas;
    /** The map behind {@link #vmas} while this world alone holds it, else null (shared with a copy). */
    private TreeMap<Long, VmaPage> ownVmas = new TreeMap<>();
    final TreeMap<Integer, MappingInfo> mappings = new TreeMap<>();
    /** shmem/memfd object -> page index -> frame (its page cache). */
    final TreeMap<Integer, TreeMap<Long, Integer>> objects = new TreeMap<>();
    /** fd handle -> mirror; kept while the file is alive (fd open or mapped). */
    final TreeMap<Integer, Mirror> mirrors = new TreeMap<>();
    /** PMD indexes (vpn >> 9) that have a PTE table. */
    final TreeSet<Long> pteTables = new TreeSet<>();
    /** Some page table exists in the arena's PUD (7.3 mprotect, {@link Rules#mprotectNotifies}). */
    boolean pudPopulated;

    /** How a coherent device's one chunk is carved (§2.2): by device index; private devices unused. */
    enum Pool { NONE, SMALL, LARGE }

    /** Module load gives every device one chunk of small pages. */
    final Pool[] pools = {Pool.SMALL, Pool.SMALL, Pool.SMALL, Pool.SMALL};

    /** Alternatives this world assumes the kernel took (not part of its identity). */
    final List<String> assumptions = new ArrayList<>();

    // Per-step scratch state, not part of the world's identity.
    Choices choices = new Choices(List.of());
    /** {@link #cowAfterForkCopies()} answer of this step, -1 until asked. */
    private int cowChoice = -1;
    final List<Hazard> hazards = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    World(AbiVersion abi, ModelOptions opts) {
        this.abi = abi;
        this.opts = opts;
        vmas = Collections.unmodifiableNavigableMap(ownVmas);
        frames.put(Frame.ZERO_ID, new Frame(Frame.ZERO_ID, Frame.Kind.ZERO, -1, 0, false, 0, 0, -1));
        frames.put(Frame.HUGE_ZERO_ID,
                new Frame(Frame.HUGE_ZERO_ID, Frame.Kind.HUGE_ZERO, -1, 0, false, 0, 0, -1));
    }

    World copy() {
        World w = new World(abi, opts);
        // TreeMap copies its source in linear time only into an empty map: the constructor's two
        // zero-page frames would make it insert (and rebalance) entry by entry; these has them too
        w.frames.clear();
        w.frames.putAll(frames);
        w.nextFrame = nextFrame;
        w.nextFolio = nextFolio;
        w.nextObject = nextObject;
        w.ptes.putAll(ptes);
        w.vmas = vmas; // copied on the first change, by whichever world changes first
        w.ownVmas = null;
        ownVmas = null;
        w.mappings.putAll(mappings);
        objects.forEach((k, v) -> w.objects.put(k, new TreeMap<>(v)));
        mirrors.forEach((k, v) -> w.mirrors.put(k, v.copy()));
        w.pteTables.addAll(pteTables);
        w.pudPopulated = pudPopulated;
        System.arraycopy(pools, 0, w.pools, 0, pools.length);
        w.assumptions.addAll(assumptions);
        return w;
    }

    // ---- nondeterminism, notes, hazards ----

    int choose(String label, int arity) {
        return choices.choose(label, arity);
    }

    /**
     * Whether write faults on pages fork made non-exclusive copy instead of reusing them (see
     * {@link CpuFault}). Asked once per action and applied to every such fault in it: per-page
     * answers would make the alternatives exponential in the number of pages, and the cause (a
     * remote per-CPU LRU batch holding references) typically affects a run of recent pages alike.
     */
    boolean cowAfterForkCopies() {
        if (cowChoice < 0) {
            cowChoice = choose("write faults on pages fork had shared (child gone) copy instead of reusing", 2);
        }
        return cowChoice == 1;
    }

    void note(String s) {
        notes.add(s);
    }

    /** A non-fatal hazard (H2): recorded, the simulation goes on. */
    void hazard(Hazard h) {
        if (h.kind().fatal()) {
            throw new HazardException(h);
        }
        hazards.add(h);
    }

    // ---- frames ----

    Frame frame(int id) {
        return frames.get(id);
    }

    void put(Frame f) {
        frames.put(f.id(), f);
    }

    int newFrame(Frame.Kind kind, int device, long token, boolean exclusive, int folio, int index,
                 int migratedBy) {
        int id = nextFrame++;
        frames.put(id, new Frame(id, kind, device, token, exclusive, folio, index, migratedBy));
        return id;
    }

    int newAnon(long token) {
        return newFrame(Frame.Kind.ANON, -1, token, true, 0, 0, -1);
    }

    int newFolio() {
        return nextFolio++;
    }

    /** Drops every frame no page table or page cache refers to (the kernel frees those). */
    void gc() {
        // A bit per frame id (ids are small and dense): boxing every page's id into a HashSet was a
        // sixth of the model's time, and this runs once per enumerated path.
        BitSet live = new BitSet(nextFrame);
        live.set(Frame.ZERO_ID);
        live.set(Frame.HUGE_ZERO_ID);
        for (Pte p : ptes.values()) {
            live.set(p.frame());
        }
        for (TreeMap<Long, Integer> o : objects.values()) {
            for (int f : o.values()) {
                live.set(f);
            }
        }
        frames.keySet().removeIf(id -> !live.get(id));
    }

    // ---- VMAs ----

    VmaPage vma(long vpn) {
        return vmas.get(vpn);
    }

    MappingInfo mappingOf(long vpn) {
        VmaPage v = vmas.get(vpn);
        return v == null ? null : mappings.get(v.map());
    }

    /** {@link #vmas} to change: this world's own copy of it from now on. */
    TreeMap<Long, VmaPage> writableVmas() {
        if (ownVmas == null) {
            ownVmas = new TreeMap<>(vmas);
            vmas = Collections.unmodifiableNavigableMap(ownVmas);
        }
        return ownVmas;
    }

    /** First page of the VMA containing vpn. */
    long runStart(long vpn) {
        VmaPage v = vmas.get(vpn);
        long s = vpn;
        while (v.sameVma(vmas.get(s - 1))) {
            s--;
        }
        return s;
    }

    /** One past the last page of the VMA containing vpn. */
    long runEnd(long vpn) {
        VmaPage v = vmas.get(vpn);
        long e = vpn + 1;
        while (v.sameVma(vmas.get(e))) {
            e++;
        }
        return e;
    }

    /** Marks the VMA of vpn as having an anon_vma ({@code anon_vma_prepare}). */
    void markAnonVma(long vpn) {
        VmaPage v = vmas.get(vpn);
        if (v == null || v.anonVma()) {
            return;
        }
        long e = runEnd(vpn);
        for (long p = runStart(vpn); p < e; p++) {
            writableVmas().put(p, vmas.get(p).withAnonVma());
        }
    }

    boolean runHasAnonVma(long start, long end) {
        for (long p = start; p < end; p++) {
            if (vmas.get(p).anonVma()) {
                return true;
            }
        }
        return false;
    }

    // ---- page-table levels ----

    static long pmdStart(long vpn) {
        return vpn & ~(long) (Layout.PMD_PAGES - 1);
    }

    static long pmdEnd(long vpn) {
        return pmdStart(vpn) + Layout.PMD_PAGES;
    }

    boolean huge(long vpn) {
        Pte p = ptes.get(vpn);
        return p != null && p.huge();
    }

    /** The PMD of vpn is populated: a PTE table or a huge entry exists. */
    boolean pmdPopulated(long vpn) {
        return pteTables.contains(pmdStart(vpn) >> 9) || huge(pmdStart(vpn));
    }

    /** A PTE-level entry is installed at vpn: its PTE table exists from now on. */
    void populatedPte(long vpn) {
        pteTables.add(pmdStart(vpn) >> 9);
        pudPopulated = true;
    }

    void populatedHuge() {
        pudPopulated = true;
    }

    /**
     * THP-eligible fault at vpn: private anonymous memory with MADV_HUGEPAGE whose VMA covers the
     * whole aligned 2 MiB and whose PMD is still empty (no PTE table). The executor runs THP in
     * "madvise" mode, so mappings without the hint never get THPs.
     */
    boolean thpEligible(long vpn) {
        MappingInfo mi = mappingOf(vpn);
        VmaPage v = vmas.get(vpn);
        if (mi == null || mi.kind() != MapKind.ANON_PRIVATE || !v.thpHint()) {
            return false;
        }
        long ps = pmdStart(vpn);
        for (long p = ps; p < ps + Layout.PMD_PAGES; p++) {
            if (!v.sameVma(vmas.get(p)) || ptes.containsKey(p)) {
                return false;
            }
        }
        return !pteTables.contains(ps >> 9);
    }

    /**
     * Splits the PMD mapping of vpn's 2 MiB region into PTEs ({@code __split_huge_pmd}): a CLEAR
     * invalidation over the whole PMD (erasing 512 + 1 entries everywhere), the huge zero page
     * becomes 4 KiB zero pages, a THP stays a (PTE-mapped) large folio. No-op if not PMD-mapped or
     * hugetlb (never split).
     */
    void splitPmd(long vpn) {
        long ps = pmdStart(vpn);
        Pte head = ptes.get(ps);
        if (head == null || !head.huge() || frame(head.frame()).kind() == Frame.Kind.HUGETLB) {
            return;
        }
        Notifier.invalidate(this, ps, ps + Layout.PMD_PAGES, Notifier.Event.CLEAR);
        for (long p = ps; p < ps + Layout.PMD_PAGES; p++) {
            Pte q = ptes.get(p);
            if (q.frame() == Frame.HUGE_ZERO_ID) {
                ptes.put(p, Pte.present(Frame.ZERO_ID, false));
            } else {
                ptes.put(p, q.withHuge(false));
            }
        }
        populatedPte(ps);
        note("PMD split at vpn 0x" + Long.toHexString(ps));
    }

    /** Makes every page of a large folio a small page ({@code split_folio}); the caller notifies. */
    void splitFolio(int folio) {
        if (folio == 0) {
            return;
        }
        for (Frame f : new ArrayList<>(frames.values())) {
            if (f.folio() == folio) {
                put(f.withFolio(0, 0));
            }
        }
    }

    /** Virtual pages currently mapping pages of the folio, in address order. */
    List<Long> vpnsOfFolio(int folio) {
        List<Long> out = new ArrayList<>();
        for (Map.Entry<Long, Pte> e : ptes.entrySet()) {
            if (frame(e.getValue().frame()).folio() == folio) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    // ---- shmem/memfd objects ----

    int newObject() {
        int id = nextObject++;
        objects.put(id, new TreeMap<>());
        return id;
    }

    /** The page-cache page of an object, allocated (zero-filled) on first use. */
    int objectPage(int object, long index) {
        TreeMap<Long, Integer> o = objects.get(object);
        Integer f = o.get(index);
        if (f == null) {
            f = newFrame(Frame.Kind.SHMEM, -1, 0, false, 0, 0, -1);
            o.put(index, f);
        }
        return f;
    }

    /** Drops objects no mapping refers to any more (the memfd is closed after mmap). */
    void gcObjects() {
        Set<Integer> used = new HashSet<>();
        for (MappingInfo mi : mappings.values()) {
            used.add(mi.object());
        }
        objects.keySet().retainAll(used);
    }

    // ---- mirrors ----

    /** Pages on device d (device memory in use). */
    int devicePagesInUse(int device) {
        int n = 0;
        for (Frame f : frames.values()) {
            if (f.onDevice() && f.device() == device) {
                n++;
            }
        }
        return n;
    }

    // ---- identity ----

    /**
     * The state as a value, for merging alternatives that ended up the same. Frame and folio
     * identities are renumbered in order of first use, so two worlds that differ only in which
     * page object holds the data (a COW copy instead of a reuse nobody can tell apart) merge.
     * Only valid while the world is not changed any more.
     *
     * <p>Every part is written as numbers into one array, counts ahead of each variable-length
     * part, so two keys are equal exactly when the states are (the boxed list of objects this
     * replaced compared the same parts in the same order, at several times the cost).
     */
    StateKey stateKey() {
        int[] fid = new int[nextFrame + 1]; // frame id -> 1 + its number in order of first use, 0 if unused
        int[] fidOrder = new int[16];
        int nFids = 0;
        LongArray key = new LongArray(4 * ptes.size() + 2 * vmas.size() + 64);
        for (Pool p : pools) {
            key.add(p.ordinal());
        }
        key.add(ptes.size());
        for (Map.Entry<Long, Pte> e : ptes.entrySet()) {
            Pte p = e.getValue();
            int f = p.frame();
            if (fid[f] == 0) {
                if (nFids == fidOrder.length) {
                    fidOrder = java.util.Arrays.copyOf(fidOrder, 2 * nFids);
                }
                fidOrder[nFids++] = f;
                fid[f] = nFids;
            }
            key.add(e.getKey());
            key.add(p.kind().ordinal() | (p.writable() ? 8 : 0) | (p.huge() ? 16 : 0));
            key.add(fid[f] - 1);
        }
        key.add(objects.size());
        for (Map.Entry<Integer, TreeMap<Long, Integer>> o : objects.entrySet()) {
            key.add(o.getKey());
            key.add(o.getValue().size());
            for (Map.Entry<Long, Integer> e : o.getValue().entrySet()) {
                int f = e.getValue();
                if (fid[f] == 0) {
                    if (nFids == fidOrder.length) {
                        fidOrder = java.util.Arrays.copyOf(fidOrder, 2 * nFids);
                    }
                    fidOrder[nFids++] = f;
                    fid[f] = nFids;
                }
                key.add(e.getKey());
                key.add(fid[f] - 1);
            }
        }
        key.add(mirrors.size());
        for (Mirror m : mirrors.values()) {
            key.add(m.fd);
            key.add(m.device);
            key.add(m.orphan ? 1 : 0);
            key.add(m.fdOpen ? 1 : 0);
            key.add(m.mapRefs);
            key.add(m.flags);
            key.add(m.pt.size());
            for (Map.Entry<Long, Mirror.Entry> e : m.pt.entrySet()) {
                Mirror.Entry en = e.getValue();
                int f = en.frame();
                if (f >= 0 && f < fid.length) {
                    if (fid[f] == 0) {
                        if (nFids == fidOrder.length) {
                            fidOrder = java.util.Arrays.copyOf(fidOrder, 2 * nFids);
                        }
                        fidOrder[nFids++] = f;
                        fid[f] = nFids;
                    }
                    key.add(fid[f] - 1);
                } else {
                    key.add(Long.MIN_VALUE + f); // not a frame id of this world (never seen: ids are 1..nextFrame-1)
                }
                key.add(e.getKey());
                key.add(en.tag().ordinal() | (en.devicePage() ? 4 : 0));
            }
        }
        int[] folios = new int[nextFolio + 1]; // folio -> 1 + its number in order of first use
        int nFolios = 0;
        for (int i = 0; i < nFids; i++) {
            Frame f = frames.get(fidOrder[i]);
            if (f == null) {
                key.add(-1); // freed
                continue;
            }
            int folio = 0;
            if (f.folio() != 0) {
                if (folios[f.folio()] == 0) {
                    folios[f.folio()] = ++nFolios;
                }
                folio = folios[f.folio()];
            }
            key.add(f.kind().ordinal() | (f.anonExclusive() ? 16 : 0));
            key.add(f.device());
            key.add(f.token());
            key.add(folio);
            key.add(f.folioIndex());
            key.add(f.migratedBy());
        }
        key.add(vmas.size());
        for (Map.Entry<Long, VmaPage> e : vmas.entrySet()) {
            VmaPage v = e.getValue();
            key.add(e.getKey());
            key.add(v.map());
            key.add(v.prot().ordinal() | (v.thpHint() ? 8 : 0) | (v.anonVma() ? 16 : 0));
            key.add(v.objIndex());
        }
        key.add(mappings.size());
        for (Map.Entry<Integer, MappingInfo> e : mappings.entrySet()) {
            MappingInfo mi = e.getValue();
            key.add(e.getKey());
            key.add(mi.id());
            key.add(mi.kind().ordinal());
            key.add(mi.object());
            key.add(mi.deviceFd());
        }
        key.add(pteTables.size());
        for (long t : pteTables) {
            key.add(t);
        }
        key.add(pudPopulated ? 1 : 0);
        return new StateKey(key.toArray());
    }

    /**
     * Sizes of the parts {@link #stateKey()} encodes, each written into the key ahead of its part:
     * two worlds whose shapes differ have different keys, at a fraction of a key's cost.
     */
    long[] shape() {
        long pts = 0;
        for (Mirror m : mirrors.values()) {
            pts += m.pt.size();
        }
        long objectPages = 0;
        for (TreeMap<Long, Integer> o : objects.values()) {
            objectPages += o.size();
        }
        long poolBits = 0;
        for (Pool p : pools) {
            poolBits = poolBits * 3 + p.ordinal();
        }
        return new long[] {ptes.size(), objects.size(), objectPages, mirrors.size(), pts, vmas.size(), mappings.size(),
                pteTables.size(), pudPopulated ? 1 : 0, poolBits};
    }

    /** A {@link #stateKey()}: equal and hashed by its contents. */
    static final class StateKey {
        private final long[] v;
        private final int hash;

        StateKey(long[] v) {
            this.v = v;
            this.hash = java.util.Arrays.hashCode(v);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StateKey k && k.hash == hash && java.util.Arrays.equals(k.v, v);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static final class LongArray {
        private long[] a;
        private int n;

        LongArray(int capacity) {
            a = new long[Math.max(16, capacity)];
        }

        void add(long x) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, 2 * n);
            }
            a[n++] = x;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
