package hmmtest.model;

import hmmtest.uapi.SnapshotByte;

import hmmtest.uapi.AbiVersion;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The reference model of the {@code test_hmm} driver and of the test process's memory, for one
 * ABI version (docs/model-spec.md). Pure Java: it never touches a device.
 *
 * <p>Use: for each action, {@link #predict} the allowed outcomes (or check {@link #hazard} first),
 * perform the action on the real system, then {@link #apply} the observed outcome, which advances
 * the model and throws {@link ModelMismatchException} with a readable diff if the kernel did
 * something the model does not allow.
 *
 * <p>Internally the model is a set of worlds: where the kernel may legitimately behave in more
 * than one way, each way gets a world, and observations prune the ones that disagree.
 *
 * <p>Executor contract (what makes the predictions exact): mappings at {@link Layout} addresses;
 * THP sysfs mode "madvise" (or "always" with MADV_NOHUGEPAGE on thp=false mappings); khugepaged,
 * NUMA balancing, KSM and swap off (§7.3 runtime knobs); no memory pressure; cpages/faults/buffers
 * pre-filled with {@link Outcome#POISON}, {@link PageContent#POISON_TOKEN},
 * {@link SnapshotByte#POISON}; ioctl buffers outside the arena.
 */
public final class Model {
    private static final int MAX_PATHS = 64;

    private final AbiVersion abi;
    private final ModelOptions opts;
    private final Layout layout;
    private List<World> worlds;
    private boolean approximate;

    public Model(AbiVersion abi) {
        this(abi, ModelOptions.defaults(), Layout.defaultLayout());
    }

    public Model(AbiVersion abi, ModelOptions opts) {
        this(abi, opts, Layout.defaultLayout());
    }

    public Model(AbiVersion abi, ModelOptions opts, Layout layout) {
        this.abi = abi;
        this.opts = opts;
        this.layout = layout;
        this.worlds = List.of(new World(abi, opts));
    }

    private Model(Model o) {
        this.abi = o.abi;
        this.opts = o.opts;
        this.layout = o.layout;
        this.worlds = o.worlds; // worlds are never mutated in place, only replaced
        this.approximate = o.approximate;
    }

    public Model copy() {
        return new Model(this);
    }

    public AbiVersion abi() {
        return abi;
    }

    public ModelOptions options() {
        return opts;
    }

    public Layout layout() {
        return layout;
    }

    /** Address of a page of a mapping slot. */
    public long address(int mapId, long page) {
        return layout.address(mapId, page);
    }

    /** Why the action cannot be performed or is not modelled in the current state, if so. */
    public Optional<String> invalid(Action a) {
        for (World w : worlds) {
            Optional<String> r = Scope.check(w, layout, a);
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    /**
     * For a run whose executor RELEASEs every coherent device before a sequence (the fuzzer's
     * reset, the C reproducers' set-up): their chunks are gone, so the next request carves them
     * (§2.2), whatever earlier sequences on the same kernel left. A model made with the
     * constructors alone starts as the module left the devices at load.
     *
     * @return this model
     */
    public Model afterCoherentDevicesReleased() {
        for (World w : worlds) {
            w.pools[2] = World.Pool.NONE;
            w.pools[3] = World.Pool.NONE;
        }
        return this;
    }

    /** The allowed outcomes of an action. The model does not change. */
    public Prediction predict(Action a) {
        requireValid(a);
        List<Path> ps = paths(a);
        List<Prediction.Alternative> alts = new ArrayList<>();
        List<Hazard> hazards = new ArrayList<>();
        for (Path p : ps) {
            if (p.fatal == null) {
                alts.add(new Prediction.Alternative(p.outcome, p.because));
            } else if (!hazards.contains(p.fatal)) {
                hazards.add(p.fatal);
            }
            for (Hazard h : p.warnings) {
                if (!hazards.contains(h)) {
                    hazards.add(h);
                }
            }
        }
        return new Prediction(alts, hazards);
    }

    /** The first hazard (§3.14) the action would reach in any world, fatal or not. */
    public Optional<Hazard> hazard(Action a) {
        if (invalid(a).isPresent()) {
            return Optional.empty();
        }
        return predict(a).hazards().stream().findFirst();
    }

    /**
     * Advances the model by an action whose outcome the executor observed.
     *
     * @throws ModelMismatchException if the model does not allow the outcome
     */
    public void apply(Action a, Outcome observed) {
        requireValid(a);
        List<Path> ps = paths(a);
        List<World> next = new ArrayList<>();
        for (Path p : ps) {
            if (p.fatal == null && p.outcome.equals(observed)) {
                next.add(p.after);
            }
        }
        if (next.isEmpty()) {
            Prediction pred = predict(a);
            throw new ModelMismatchException(a, pred, observed);
        }
        setWorlds(next);
    }

    /**
     * Advances by the nominal (first) outcome and returns it: for tests and for generating
     * sequences without a device. Other alternatives with the same outcome stay possible.
     *
     * @throws IllegalStateException if every path of the action hits a fatal hazard
     */
    public Outcome applyNominal(Action a) {
        requireValid(a);
        List<Path> ps = paths(a);
        Outcome nominal = null;
        List<World> next = new ArrayList<>();
        for (Path p : ps) {
            if (p.fatal != null) {
                continue;
            }
            if (nominal == null) {
                nominal = p.outcome;
            }
            if (p.outcome.equals(nominal)) {
                next.add(p.after);
            }
        }
        if (nominal == null) {
            throw new IllegalStateException(a.toText() + " always hits " + ps.get(0).fatal);
        }
        setWorlds(next);
        return nominal;
    }

    /** Parses and applies a line ({@link Action#parse}) nominally. */
    public Outcome run(String line) {
        return applyNominal(Action.parse(line));
    }

    /** How many alternative states are being tracked. */
    public int worldCount() {
        return worlds.size();
    }

    /** More alternatives arose than {@link ModelOptions#maxWorlds}; some were dropped. */
    public boolean approximate() {
        return approximate;
    }

    // ---- state queries for generators and executors (answered from the first world) ----

    public Set<Integer> mappingIds() {
        return Collections.unmodifiableSet(new TreeSet<>(first().mappings.keySet()));
    }

    public Optional<MapKind> mappingKind(int id) {
        return Optional.ofNullable(first().mappings.get(id)).map(MappingInfo::kind);
    }

    /** One past the highest mapped page of a slot (0 if none). */
    public int mappingExtent(int id) {
        long base = layout.slotBaseVpn(id);
        var sub = first().vmas.subMap(base, base + Layout.SLOT_PAGES);
        return sub.isEmpty() ? 0 : (int) (sub.lastKey() - base + 1);
    }

    public Optional<Prot> protection(int id, long page) {
        return Optional.ofNullable(first().vma(layout.vpn(id, page))).map(VmaPage::prot);
    }

    /** Open fd handles and their devices. */
    public Map<Integer, Integer> openFds() {
        Map<Integer, Integer> out = new LinkedHashMap<>();
        for (Mirror m : first().mirrors.values()) {
            if (m.fdOpen) {
                out.put(m.fd, m.device);
            }
        }
        return out;
    }

    /** fd handles whose file is still alive (open, or kept by a device-file mapping). */
    public Set<Integer> liveFdHandles() {
        return Collections.unmodifiableSet(new TreeSet<>(first().mirrors.keySet()));
    }

    /** Pages currently on a device (all worlds agree unless THP alternatives differ). */
    public int devicePagesInUse(int device) {
        return first().devicePagesInUse(device);
    }

    /** Content token the CPU would read at a page (without faulting: null if not populated). */
    public Optional<Long> contents(int id, long page) {
        World w = first();
        Pte p = w.ptes.get(layout.vpn(id, page));
        return p == null ? Optional.empty() : Optional.of(w.frame(p.frame()).token());
    }

    // ---- internals ----

    private World first() {
        return worlds.get(0);
    }

    private void requireValid(Action a) {
        Optional<String> r = invalid(a);
        if (r.isPresent()) {
            throw new IllegalArgumentException(a.toText() + ": " + r.get());
        }
    }

    private void setWorlds(List<World> next) {
        for (World w : next) {
            w.choices = new Choices(List.of());
            w.hazards.clear();
            w.notes.clear();
        }
        if (next.size() == 1 && opts.maxWorlds() >= 1) {
            // nothing to merge: a state key costs more than the whole step (most actions have one
            // path), so it is built only when there are alternatives to compare
            worlds = List.of(next.get(0));
            return;
        }
        // The first world of each class of equal state keys, in order. Keys are built only for
        // worlds whose cheap shape (sizes of the parts the key encodes) matches an earlier kept
        // one: worlds of different shapes never have equal keys.
        List<World> ws = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        List<World.StateKey> keys = new ArrayList<>();
        for (World w : next) {
            long[] shape = w.shape();
            World.StateKey key = null;
            boolean dup = false;
            for (int j = 0; j < ws.size() && !dup; j++) {
                if (java.util.Arrays.equals(shapes.get(j), shape)) {
                    if (key == null) {
                        key = w.stateKey();
                    }
                    if (keys.get(j) == null) {
                        keys.set(j, ws.get(j).stateKey());
                    }
                    dup = keys.get(j).equals(key);
                }
            }
            if (!dup) {
                ws.add(w);
                shapes.add(shape);
                keys.add(key);
            }
        }
        if (ws.size() > opts.maxWorlds()) {
            ws = new ArrayList<>(ws.subList(0, opts.maxWorlds()));
            approximate = true;
        }
        worlds = List.copyOf(ws);
    }

    private record Path(World after, Outcome outcome, List<String> because, Hazard fatal, List<Hazard> warnings) {}

    /*
     * The last enumeration, reused while the worlds are the same list: a runner asks for the same
     * action's hazard, prediction and application in a row, and enumerating is the model's main cost
     * (a third of it under TCG in the guest). Worlds are only ever replaced, never changed in
     * place, so list identity is the state.
     */
    private Action cachedAction;
    private List<World> cachedWorlds;
    private List<Path> cachedPaths;

    private List<Path> paths(Action a) {
        if (worlds == cachedWorlds && a.equals(cachedAction)) {
            return cachedPaths;
        }
        List<Path> out = new ArrayList<>();
        for (World w : worlds) {
            out.addAll(enumerate(w, a));
        }
        cachedAction = a;
        cachedWorlds = worlds;
        cachedPaths = out;
        return out;
    }

    /** Runs the action once per combination of choices (depth-first over choice scripts). */
    private List<Path> enumerate(World w0, Action a) {
        List<Path> out = new ArrayList<>();
        Deque<List<Integer>> todo = new ArrayDeque<>();
        todo.add(List.of());
        while (!todo.isEmpty() && out.size() < MAX_PATHS) {
            List<Integer> script = todo.poll();
            World w = w0.copy();
            w.choices = new Choices(script);
            Outcome o = null;
            Hazard fatal = null;
            try {
                o = step(w, a);
                w.gc();
            } catch (HazardException h) {
                fatal = h.hazard;
            } catch (RuntimeException bug) {
                // a model bug: name the action, or a long run's log cannot tell which one it was
                throw new IllegalStateException("the model failed on '" + a.toText() + "': " + bug, bug);
            }
            List<Choices.Point> pts = w.choices.points();
            for (int i = script.size(); i < pts.size(); i++) {
                for (int alt = 1; alt < pts.get(i).arity(); alt++) {
                    List<Integer> s2 = new ArrayList<>();
                    for (int j = 0; j < i; j++) {
                        s2.add(pts.get(j).taken());
                    }
                    s2.add(alt);
                    todo.add(s2);
                }
            }
            for (Choices.Point p : pts) {
                if (p.taken() != 0) {
                    w.assumptions.add(a.toText() + ": " + p.label() + " (alternative " + p.taken() + ")");
                }
            }
            List<String> because = new ArrayList<>(w.assumptions);
            because.addAll(w.notes);
            out.add(new Path(w, o, because, fatal, List.copyOf(w.hazards)));
        }
        if (!todo.isEmpty()) {
            approximate = true;
        }
        return out;
    }

    private Outcome step(World w, Action a) {
        if (a instanceof Action.Mmap m) {
            return MmCalls.mmap(w, layout, m);
        }
        if (a instanceof Action.Munmap m) {
            return MmCalls.munmap(w, layout, m);
        }
        if (a instanceof Action.Mprotect m) {
            return MmCalls.mprotect(w, layout, m);
        }
        if (a instanceof Action.Madvise m) {
            return MmCalls.madvise(w, layout, m);
        }
        if (a instanceof Action.Mremap m) {
            return MmCalls.mremap(w, layout, m);
        }
        if (a instanceof Action.CpuRead c) {
            return Outcome.cpuRead(CpuFault.read(w, layout.vpn(c.map(), c.page())));
        }
        if (a instanceof Action.CpuWrite c) {
            CpuFault.write(w, layout.vpn(c.map(), c.page()), c.token());
            return Outcome.ok();
        }
        if (a instanceof Action.ForkChildWrite f) {
            return MmCalls.forkChildWrite(w, layout, f);
        }
        if (a instanceof Action.Open o) {
            return MmCalls.open(w, o);
        }
        if (a instanceof Action.Close c) {
            return MmCalls.close(w, c);
        }
        if (a instanceof Action.Ioctl i) {
            return Driver.ioctl(w, layout, i);
        }
        throw new IllegalArgumentException("unknown action " + a);
    }
}
