package hmmtest.repro;

import hmmtest.uapi.AbiVersion;
import hmmtest.model.Action;
import hmmtest.model.Advice;
import hmmtest.uapi.Command;
import hmmtest.model.MapKind;
import hmmtest.model.Model;
import hmmtest.model.ModelOptions;
import hmmtest.model.Outcome;
import hmmtest.model.Prediction;
import hmmtest.model.Prot;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reproducers of a failure (a divergence or a kernel crash), as text files:
 *
 * <ol>
 *   <li>{@code NAME.actions}: the action list, one {@link Action#toText()} per line;
 *   <li>{@code FuzzRepro_..._Test.java}: a JUnit 5 class for {@code hmmtest.suite} that replays
 *       the list through {@link RealExecutor} and asserts the model's prediction for every action;
 *   <li>{@code NAME.c}: a standalone C program (only open/ioctl/mmap/munmap/mprotect/madvise/
 *       mremap/fork, plus memfd_create for file-backed mappings) that performs the same actions,
 *       prints every outcome in the model's notation next to what the model allows, and exits 1 if
 *       one differs; {@code gcc -static -o repro NAME.c}, run as root with test_hmm loaded;
 *   <li>{@code NAME.rerun}: one line, the caller's command to rerun the failure.
 * </ol>
 *
 * Expectations are the model's predictions along the observed outcomes where they are known, and
 * along the model's nominal outcome after that (a crash reproducer has no observations).
 */
public final class Reproducers {
    private Reproducers() {}

    /** One generated file. */
    public record File(String name, String content) {}

    /**
     * What a reproducer is about.
     *
     * @param name file-name prefix, e.g. {@code div-s42-q3-a17} (letters, digits, '-', '_')
     * @param title one line: what fails, e.g. the divergence signature or the crash title
     * @param abi the ABI the failure was seen on
     * @param options the model options of that machine
     * @param arenaBase the arena the executor used ({@link hmmtest.model.Layout#arenaBase()})
     * @param rerun the caller's rerun command, placeholders {@code {seed}} {@code {actions}}
     *     {@code {name}} replaced; may be empty
     * @param seed the run's seed (for the rerun line)
     */
    public record Subject(String name, String title, AbiVersion abi, ModelOptions options, long arenaBase, String rerun,
                          long seed) {}

    /** All four files. {@code observed} may be shorter than {@code actions} (or empty). */
    public static List<File> all(Subject s, List<Action> actions, List<Outcome> observed) {
        List<Expectation> ex = expectations(s.abi(), s.options(), s.arenaBase(), actions, observed);
        return List.of(
                new File(s.name() + ".actions", actionsText(actions)),
                new File(javaClassName(s, actions) + ".java", junitSource(s, actions)),
                new File(s.name() + ".c", cSource(s, actions, ex)),
                new File(s.name() + ".rerun", rerunLine(s) + "\n"));
    }

    // ---- (a) the action list ----

    public static String actionsText(List<Action> actions) {
        StringBuilder sb = new StringBuilder();
        for (Action a : actions) {
            sb.append(a.toText()).append('\n');
        }
        return sb.toString();
    }

    /** Parses an actions file: one action per line; blank lines and {@code #} comments ignored. */
    public static List<Action> parseActions(String text) {
        List<Action> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(Action.parse(t));
            }
        }
        return out;
    }

    // ---- (d) the rerun line ----

    public static String rerunLine(Subject s) {
        String r = s.rerun() == null ? "" : s.rerun();
        if (r.isBlank()) {
            return "rerun: (no rerun command given); replay " + s.name() + ".actions";
        }
        return "rerun: " + r.replace("{seed}", Long.toString(s.seed())).replace("{actions}", s.name() + ".actions")
                .replace("{name}", s.name()).replace('\n', ' ');
    }

    // ---- expectations ----

    /** The outcomes the model allows for one action, in {@link Outcome#toString()} form. */
    record Expectation(List<String> allowed, String hazard) {}

    static List<Expectation> expectations(AbiVersion abi, ModelOptions opts, long arenaBase, List<Action> actions,
                                          List<Outcome> observed) {
        Model m = new Model(abi, opts, new hmmtest.model.Layout(arenaBase)).afterCoherentDevicesReleased(); // setup()
        List<Expectation> out = new ArrayList<>();
        boolean lost = false;
        for (int i = 0; i < actions.size(); i++) {
            Action a = actions.get(i);
            if (lost || m.invalid(a).isPresent()) {
                lost = true;
                out.add(new Expectation(List.of(), "the model cannot follow past the previous action"));
                continue;
            }
            Prediction p = m.predict(a);
            List<String> allowed = new ArrayList<>();
            for (Outcome o : p.outcomes()) {
                allowed.add(o.toString());
            }
            out.add(new Expectation(allowed, p.hazards().isEmpty() ? "" : p.hazards().toString()));
            if (p.alternatives().isEmpty()) {
                lost = true;
                continue;
            }
            Outcome seen = i < observed.size() ? observed.get(i) : null;
            if (seen != null && p.allows(seen)) {
                m.apply(a, seen);
            } else if (seen != null) {
                lost = true; // the divergence: nothing after it is predicted
            } else {
                m.applyNominal(a);
            }
        }
        return out;
    }

    // ---- (b) the JUnit test ----

    public static String javaClassName(Subject s, List<Action> actions) {
        return "FuzzRepro_" + s.abi().name() + "_" + hash(actionsText(actions));
    }

    public static String junitSource(Subject s, List<Action> actions) {
        String cls = javaClassName(s, actions);
        int hugetlb = 0;
        for (Action a : actions) {
            if (a instanceof Action.Mmap m && m.kind() == MapKind.HUGETLB) {
                hugetlb++;
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("package hmmtest.suite;\n\n");
        sb.append("import static org.junit.jupiter.api.Assertions.assertTrue;\n\n");
        sb.append("import hmmtest.fuzz.Machine;\n");
        sb.append("import hmmtest.fuzz.MachineSetup;\n");
        sb.append("import hmmtest.fuzz.RealExecutor;\n");
        sb.append("import hmmtest.model.Action;\n");
        sb.append("import hmmtest.model.Model;\n");
        sb.append("import hmmtest.model.Outcome;\n");
        sb.append("import hmmtest.model.Prediction;\n");
        sb.append("import java.util.List;\n");
        sb.append("import org.junit.jupiter.api.DisplayName;\n");
        sb.append("import org.junit.jupiter.api.Test;\n\n");
        sb.append("/**\n");
        sb.append(" * Fuzz reproducer ").append(javadoc(s.name())).append(": ").append(javadoc(s.title())).append(".\n");
        sb.append(" * Seen on driver ABI ").append(s.abi()).append(" (seed ").append(s.seed()).append(").\n");
        sb.append(" * ").append(javadoc(rerunLine(s))).append('\n');
        sb.append(" *\n * <p>Replays the action list through the real executor and asserts that every outcome is one\n");
        sb.append(" * the reference model allows on the running kernel's ABI.\n */\n");
        sb.append("@DisplayName(\"fuzz.").append(s.name().replace('.', '_')).append("\")\n");
        sb.append("class ").append(cls).append(" {\n");
        sb.append("    static final List<String> ACTIONS = List.of(\n");
        for (int i = 0; i < actions.size(); i++) {
            sb.append("            ").append(javaString(actions.get(i).toText()))
                    .append(i + 1 < actions.size() ? ",\n" : ");\n");
        }
        sb.append("\n    @Test\n    void replay() {\n");
        sb.append("        Machine machine = Machine.detect();\n");
        sb.append("        try (MachineSetup setup = MachineSetup.apply(").append(hugetlb).append(");\n");
        sb.append("                RealExecutor executor = RealExecutor.open(machine)) {\n");
        sb.append("            executor.reset();\n");
        sb.append("            Model model = machine.newModel();\n");
        sb.append("            for (String line : ACTIONS) {\n");
        sb.append("                Action a = Action.parse(line);\n");
        sb.append("                Prediction p = model.predict(a);\n");
        sb.append("                Outcome seen = executor.perform(a);\n");
        sb.append("                assertTrue(p.allows(seen), () -> line + \"\\n\" + p.diff(seen) + machine + \", \"\n");
        sb.append("                        + setup.describe());\n");
        sb.append("                model.apply(a, seen);\n");
        sb.append("            }\n        }\n    }\n}\n");
        return sb.toString();
    }

    private static String javadoc(String s) {
        return s.replace("*/", "*&#47;").replace('\n', ' ');
    }

    static String javaString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- (c) the C program ----

    static String cString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\%03o", (int) c & 0xff));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static String hexU(long v) {
        return "0x" + Long.toHexString(v) + "UL";
    }

    public static String cSource(Subject s, List<Action> actions, List<Expectation> ex) {
        StringBuilder sb = new StringBuilder();
        sb.append("/*\n * hmmtest fuzz reproducer ").append(s.name().replace("*/", "")).append('\n');
        sb.append(" * ").append(s.title().replace("*/", "").replace('\n', ' ')).append('\n');
        sb.append(" * seen on driver ABI ").append(s.abi()).append(", seed ").append(s.seed()).append('\n');
        sb.append(" * ").append(rerunLine(s).replace("*/", "")).append('\n');
        sb.append(" *\n * Build: gcc -static -o repro ").append(s.name()).append(".c\n");
        sb.append(" * Run as root in the test VM with test_hmm loaded (THP \"madvise\", khugepaged idle).\n");
        sb.append(" * Prints every action's outcome in the reference model's notation and what the model\n");
        sb.append(" * allows; exits 1 if an outcome is not allowed.\n */\n");
        sb.append(C_PRELUDE.replace("@ARENA@", "0x" + Long.toHexString(s.arenaBase()) + "UL"));
        sb.append("int main(void)\n{\n\tsetup();\n");
        for (int i = 0; i < actions.size(); i++) {
            Action a = actions.get(i);
            Expectation e = i < ex.size() ? ex.get(i) : new Expectation(List.of(), "");
            sb.append("\n\t/* ").append(i).append(": ").append(a.toText().replace("*/", "")).append(" */\n");
            sb.append("\tbegin(").append(i).append(", ").append(cString(a.toText())).append(");\n");
            sb.append('\t').append(cCall(a)).append('\n');
            sb.append("\t{\n\t\tstatic const char *const allowed[] = {");
            for (String o : e.allowed()) {
                sb.append("\n\t\t\t").append(cString(o)).append(',');
            }
            sb.append(" NULL };\n");
            sb.append("\t\tcheck(allowed, ").append(cString(e.hazard())).append(");\n\t}\n");
        }
        sb.append("\n\tprintf(\"%d action(s), %d outcome(s) the model does not allow\\n\", ")
                .append(actions.size()).append(", failures);\n");
        sb.append("\treturn failures ? 1 : 0;\n}\n");
        return sb.toString();
    }

    private static String cCall(Action a) {
        if (a instanceof Action.Mmap m) {
            return "do_mmap(" + m.id() + ", " + m.pages() + ", " + cProt(m.prot()) + ", " + cKind(m.kind()) + ", "
                    + (m.thp() ? 1 : 0) + ", " + m.fd() + ");";
        }
        if (a instanceof Action.Munmap m) {
            return "result(munmap((void *)SLOT(" + m.map() + ", " + m.page() + "), PAGES(" + m.pages() + ")));";
        }
        if (a instanceof Action.Mprotect m) {
            return "result(mprotect((void *)SLOT(" + m.map() + ", " + m.page() + "), PAGES(" + m.pages() + "), "
                    + cProt(m.prot()) + "));";
        }
        if (a instanceof Action.Madvise m) {
            return "result(madvise((void *)SLOT(" + m.map() + ", " + m.page() + "), PAGES(" + m.pages() + "), "
                    + cAdvice(m.advice()) + "));";
        }
        if (a instanceof Action.Mremap m) {
            return "do_mremap(" + m.map() + ", " + m.page() + ", " + m.pages() + ", " + m.to() + ", "
                    + (m.dontUnmap() ? 1 : 0) + ");";
        }
        if (a instanceof Action.CpuRead c) {
            return "do_read(" + c.map() + ", " + c.page() + ");";
        }
        if (a instanceof Action.CpuWrite c) {
            return "do_write(" + c.map() + ", " + c.page() + ", " + hexU(c.token()) + ");";
        }
        if (a instanceof Action.ForkChildWrite f) {
            return "do_fork(" + f.map() + ", " + f.page() + ", " + hexU(f.token()) + ");";
        }
        if (a instanceof Action.Open o) {
            return (o.orphan() ? "do_open_orphan(" : "do_open(") + o.fd() + ", " + o.device() + ");";
        }
        if (a instanceof Action.Close c) {
            return "do_close(" + c.fd() + ");";
        }
        if (a instanceof Action.Ioctl i) {
            Command c = i.command().orElse(null);
            int mode = c == Command.SNAPSHOT ? 2 : c == Command.WRITE ? 3 : c != null && c.writesPageBuffer() ? 1 : 0;
            return "do_ioctl(" + i.fd() + ", 0x" + Integer.toHexString(i.cmd()) + ", SLOT(" + i.map() + ", "
                    + i.page() + "UL) + " + i.byteOffset() + ", " + hexU(i.npages()) + ", " + hexU(i.token()) + ", "
                    + mode + ", " + i.bufferPages() + ", " + i.snapshotBytes() + ");";
        }
        throw new IllegalArgumentException("unknown action " + a);
    }

    private static String cProt(Prot p) {
        return switch (p) {
            case NONE -> "PROT_NONE";
            case R -> "PROT_READ";
            case RW -> "PROT_READ | PROT_WRITE";
        };
    }

    private static String cKind(MapKind k) {
        return "K_" + k.name();
    }

    private static String cAdvice(Advice a) {
        return "MADV_" + a.name();
    }

    /** The project's one C definition of the driver's ioctls, inlined so a reproducer needs no headers. */
    static final String UAPI_HEADER_RESOURCE = "/hmmtest/uapi/hmm_dmirror_uapi.h";

    private static String cPrelude(String template) {
        try (java.io.InputStream in = Reproducers.class.getResourceAsStream(UAPI_HEADER_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(UAPI_HEADER_RESOURCE + " is missing from the class path");
            }
            return template.replace("@UAPI@\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Everything before main(): ABI definitions inline (no kernel headers needed) and helpers. */
    static final String C_PRELUDE = cPrelude("""
            #define _GNU_SOURCE
            #include <errno.h>
            #include <fcntl.h>
            #include <signal.h>
            #include <stdarg.h>
            #include <stdint.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <sys/ioctl.h>
            #include <sys/mman.h>
            #include <sys/syscall.h>
            #include <sys/types.h>
            #include <sys/wait.h>
            #include <unistd.h>

            @UAPI@

            #ifndef MAP_FIXED_NOREPLACE
            #define MAP_FIXED_NOREPLACE 0x100000
            #endif
            #ifndef MAP_HUGETLB
            #define MAP_HUGETLB 0x40000
            #endif
            #ifndef MREMAP_DONTUNMAP
            #define MREMAP_DONTUNMAP 4
            #endif
            #ifndef MADV_FREE
            #define MADV_FREE 8
            #endif
            #ifndef MADV_HUGEPAGE
            #define MADV_HUGEPAGE 14
            #endif
            #ifndef MADV_NOHUGEPAGE
            #define MADV_NOHUGEPAGE 15
            #endif
            #ifndef SYS_memfd_create
            #define SYS_memfd_create 319
            #endif

            /* hmmtest.model.Layout: slot id owns 1024 pages of the arena */
            #define ARENA @ARENA@
            #define SLOT(id, page) (ARENA + ((((unsigned long)(id)) * 1024UL + (unsigned long)(page)) << 12))
            #define PAGES(n) (((unsigned long)(n)) << 12)
            #define PAGE_SIZE 4096UL
            #define MAX_BUFFER_PAGES 1024UL
            #define MAX_SNAPSHOT_BYTES 4096UL

            /* hmmtest.model.Outcome / PageContent / SnapshotByte poison values */
            #define POISON 0x5a5a5a5a5a5a5a5aUL
            #define POISON_TOKEN 0x5eeddeadbeef0001UL
            #define GARBLED 0x6a4b1ed06a4b1ed0UL
            #define SNAPSHOT_POISON 0xee

            /* not every reproducer uses every helper */
            #define HELPER static __attribute__((unused))

            enum kind { K_ANON_PRIVATE, K_ANON_SHARED, K_FILE_PRIVATE, K_FILE_SHARED, K_HUGETLB, K_DEVICE_FILE };

            static int fds[16] = { -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1 };
            static unsigned char *pagebuf, *snapbuf;
            static int failures;
            static char *obs;
            static size_t obs_len, obs_cap;

            static void put(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
            static void put(const char *fmt, ...)
            {
            	va_list ap;
            	int n;

            	for (;;) {
            		va_start(ap, fmt);
            		n = vsnprintf(obs + obs_len, obs_cap - obs_len, fmt, ap);
            		va_end(ap);
            		if (n >= 0 && (size_t)n < obs_cap - obs_len)
            			break;
            		obs_cap = obs_cap * 2 + (size_t)n + 64;
            		obs = realloc(obs, obs_cap);
            		if (!obs) {
            			perror("realloc");
            			exit(2);
            		}
            	}
            	obs_len += (size_t)n;
            }

            /* hmmtest.model.PageContent: word j of the pattern of a token */
            static uint64_t word(uint64_t token, uint64_t j)
            {
            	if (token == 0)
            		return 0;
            	return j == 0 ? token : token ^ ((j * 0x9E3779B97F4A7C15UL) | 1);
            }

            static void fill(void *page, uint64_t token)
            {
            	volatile uint64_t *p = page;
            	uint64_t j;

            	for (j = 0; j < PAGE_SIZE / 8; j++)
            		p[j] = word(token, j);
            }

            static uint64_t decode(const void *page)
            {
            	const volatile uint64_t *p = page;
            	uint64_t token = p[0], j;

            	for (j = 1; j < PAGE_SIZE / 8; j++)
            		if (p[j] != word(token, j))
            			return GARBLED;
            	return token;
            }

            /* hmmtest.uapi.Errno.name */
            static const char *errname(int e)
            {
            	static char buf[32];

            	switch (e) {
            	case 0: return "OK";
            	case EPERM: return "EPERM";
            	case ENOENT: return "ENOENT";
            	case EINTR: return "EINTR";
            	case EBADF: return "EBADF";
            	case ENOMEM: return "ENOMEM";
            	case EFAULT: return "EFAULT";
            	case EBUSY: return "EBUSY";
            	case EINVAL: return "EINVAL";
            	case ENOTTY: return "ENOTTY";
            	case EOPNOTSUPP: return "EOPNOTSUPP";
            	}
            	snprintf(buf, sizeof(buf), "errno%d", e);
            	return buf;
            }

            static void token(uint64_t t)
            {
            	if (t == POISON_TOKEN)
            		put("POISON");
            	else if (t == GARBLED)
            		put("GARBLED");
            	else
            		put("0x%llx", (unsigned long long)t);
            }

            static void num(uint64_t v)
            {
            	if (v == POISON)
            		put("POISON");
            	else
            		put("%lld", (long long)v);
            }

            /* hmmtest.model.Outcome.toString */
            static void outcome(int err, uint64_t cpages, uint64_t faults, const uint64_t *data, unsigned long ndata,
            		    const unsigned char *snap, unsigned long nsnap)
            {
            	unsigned long i;

            	obs_len = 0;
            	put("%s", errname(err));
            	if (cpages != 0 || faults != 0) {
            		put(" cpages=");
            		num(cpages);
            		put(" faults=");
            		num(faults);
            	}
            	if (ndata) {
            		put(" data=[");
            		for (i = 0; i < ndata; i++) {
            			if (i)
            				put(" ");
            			token(data[i]);
            		}
            		put("]");
            	}
            	if (nsnap) {
            		put(" snapshot=[");
            		for (i = 0; i < nsnap; i++)
            			put(i ? " %02x" : "%02x", snap[i]);
            		put("]");
            	}
            }

            HELPER void result(int r)
            {
            	outcome(r < 0 ? errno : 0, 0, 0, NULL, 0, NULL, 0);
            }

            static void begin(int step, const char *action)
            {
            	printf("[%d] %s\\n", step, action);
            	fflush(stdout);
            }

            static void check(const char *const *allowed, const char *hazard)
            {
            	int i;

            	printf("    observed: %s\\n", obs);
            	if (hazard[0])
            		printf("    hazard:   %s\\n", hazard);
            	if (!allowed[0]) {
            		printf("    model:    no prediction (the kernel was expected to crash before this)\\n");
            		return;
            	}
            	for (i = 0; allowed[i]; i++)
            		if (strcmp(allowed[i], obs) == 0) {
            			printf("    agrees with the model\\n");
            			return;
            		}
            	failures++;
            	printf("    DIVERGES; the model allows:\\n");
            	for (i = 0; allowed[i]; i++)
            		printf("      %s\\n", allowed[i]);
            }

            static void *guarded(unsigned long bytes)
            {
            	unsigned long size = (bytes + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
            	char *p = mmap(NULL, size + PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

            	if (p == MAP_FAILED) {
            		perror("mmap buffer");
            		exit(2);
            	}
            	mprotect(p + size, PAGE_SIZE, PROT_NONE);
            	madvise(p, size, MADV_NOHUGEPAGE);
            	return p;
            }

            static void setup(void)
            {
            	int dev;

            	/* as the fuzzer's reset: a coherent device's chunk is carved by the next request */
            	for (dev = 2; dev <= 3; dev++) {
            		char path[32];
            		struct hmm_dmirror_cmd c = { .addr = 0x1000, .npages = 1 };
            		int fd;

            		snprintf(path, sizeof(path), "/dev/hmm_dmirror%d", dev);
            		fd = open(path, O_RDWR | O_CLOEXEC);
            		if (fd >= 0) {
            			ioctl(fd, HMM_DMIRROR_RELEASE, &c);
            			close(fd);
            		}
            	}
            	pagebuf = guarded(MAX_BUFFER_PAGES * PAGE_SIZE);
            	snapbuf = guarded(MAX_SNAPSHOT_BYTES);
            	obs_cap = 256;
            	obs = malloc(obs_cap);
            	if (!obs)
            		exit(2);
            	setvbuf(stdout, NULL, _IOLBF, 0);
            }

            HELPER void do_mmap(int id, unsigned long pages, int prot, enum kind kind, int thp, int fdh)
            {
            	unsigned long addr = SLOT(id, 0);
            	unsigned long size = kind == K_HUGETLB ? 512 * PAGE_SIZE : PAGES(pages);
            	int flags = MAP_FIXED_NOREPLACE, fd = -1;
            	void *p;

            	switch (kind) {
            	case K_ANON_PRIVATE: flags |= MAP_PRIVATE | MAP_ANONYMOUS; break;
            	case K_ANON_SHARED: flags |= MAP_SHARED | MAP_ANONYMOUS; break;
            	case K_HUGETLB: flags |= MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB; break;
            	case K_FILE_PRIVATE:
            	case K_FILE_SHARED:
            		fd = (int)syscall(SYS_memfd_create, "repro", 1 /* MFD_CLOEXEC */);
            		if (fd < 0 || ftruncate(fd, (off_t)size) < 0) {
            			perror("memfd");
            			exit(2);
            		}
            		flags |= kind == K_FILE_SHARED ? MAP_SHARED : MAP_PRIVATE;
            		break;
            	case K_DEVICE_FILE:
            		fd = fds[fdh];
            		flags |= MAP_PRIVATE;
            		break;
            	}
            	p = mmap((void *)addr, size, prot, flags, fd, 0);
            	if (kind == K_FILE_PRIVATE || kind == K_FILE_SHARED)
            		close(fd);
            	if (p == MAP_FAILED) {
            		result(-1);
            		return;
            	}
            	if (kind == K_ANON_PRIVATE)
            		madvise(p, size, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
            	result(0);
            }

            HELPER void do_mremap(int map, unsigned long page, unsigned long pages, int to, int dontunmap)
            {
            	void *p = mremap((void *)SLOT(map, page), PAGES(pages), PAGES(pages),
            			 MREMAP_MAYMOVE | MREMAP_FIXED | (dontunmap ? MREMAP_DONTUNMAP : 0), (void *)SLOT(to, 0));

            	result(p == MAP_FAILED ? -1 : 0);
            }

            HELPER void do_read(int map, unsigned long page)
            {
            	uint64_t t = decode((void *)SLOT(map, page));

            	outcome(0, 0, 0, &t, 1, NULL, 0);
            }

            HELPER void do_write(int map, unsigned long page, uint64_t t)
            {
            	fill((void *)SLOT(map, page), t);
            	result(0);
            }

            HELPER void do_fork(int map, unsigned long page, uint64_t t)
            {
            	int status;
            	pid_t pid = fork();

            	if (pid < 0) {
            		perror("fork");
            		exit(2);
            	}
            	if (pid == 0) {
            		fill((void *)SLOT(map, page), t);
            		_exit(0);
            	}
            	while (waitpid(pid, &status, 0) < 0)
            		if (errno != EINTR) {
            			perror("waitpid");
            			exit(2);
            		}
            	outcome(status == 0 ? 0 : EFAULT, 0, 0, NULL, 0, NULL, 0);
            }

            HELPER void do_open(int fdh, int dev)
            {
            	char path[32];

            	snprintf(path, sizeof(path), "/dev/hmm_dmirror%d", dev);
            	fds[fdh] = open(path, O_RDWR | O_CLOEXEC);
            	result(fds[fdh] < 0 ? -1 : 0);
            }

            /* the opener is a clone sharing our fd table that exits at once: the file's mm is gone */
            HELPER void do_open_orphan(int fdh, int dev)
            {
            	char path[32];
            	volatile int *slot = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
            	int status;
            	pid_t pid;

            	if (slot == MAP_FAILED) {
            		perror("mmap slot");
            		exit(2);
            	}
            	snprintf(path, sizeof(path), "/dev/hmm_dmirror%d", dev);
            	pid = (pid_t)syscall(SYS_clone, 0x400 /* CLONE_FILES */ | SIGCHLD, 0, NULL, NULL, 0);
            	if (pid < 0) {
            		perror("clone");
            		exit(2);
            	}
            	if (pid == 0) {
            		int fd = open(path, O_RDWR | O_CLOEXEC);

            		*slot = fd < 0 ? -errno : fd;
            		_exit(0);
            	}
            	while (waitpid(pid, &status, 0) < 0)
            		if (errno != EINTR) {
            			perror("waitpid");
            			exit(2);
            		}
            	fds[fdh] = *slot;
            	munmap((void *)slot, PAGE_SIZE);
            	if (fds[fdh] < 0) {
            		errno = -fds[fdh];
            		fds[fdh] = -1;
            	}
            	result(fds[fdh] < 0 ? -1 : 0);
            }

            HELPER void do_close(int fdh)
            {
            	int r = close(fds[fdh]);

            	fds[fdh] = -1;
            	result(r);
            }

            /* mode: 0 no buffer, 1 page buffer out, 2 snapshot, 3 WRITE (page buffer in) */
            HELPER void do_ioctl(int fdh, unsigned int nr, unsigned long addr, uint64_t npages, uint64_t t, int mode,
            		     unsigned long bufpages, unsigned long snapbytes)
            {
            	static uint64_t data[MAX_BUFFER_PAGES];
            	struct hmm_dmirror_cmd cmd;
            	unsigned long i;
            	int r;

            	if (mode == 2)
            		memset(snapbuf, SNAPSHOT_POISON, snapbytes);
            	for (i = 0; (mode == 1 || mode == 3) && i < bufpages; i++)
            		fill(pagebuf + i * PAGE_SIZE, mode == 3 ? t + i : POISON_TOKEN);
            	cmd.addr = addr;
            	cmd.ptr = (uint64_t)(uintptr_t)(mode == 2 ? snapbuf : pagebuf);
            	cmd.npages = npages;
            	cmd.cpages = POISON;
            	cmd.faults = POISON;
            	r = ioctl(fds[fdh], HMM_DMIRROR_REQUEST(nr), &cmd);
            	for (i = 0; mode == 1 && i < bufpages; i++)
            		data[i] = decode(pagebuf + i * PAGE_SIZE);
            	outcome(r < 0 ? errno : 0, cmd.cpages, cmd.faults, data, mode == 1 ? bufpages : 0, snapbuf,
            		mode == 2 ? snapbytes : 0);
            }

            """);
}
