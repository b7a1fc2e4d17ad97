package hmmtest.model;

import hmmtest.uapi.Command;

import hmmtest.model.Action.CpuRead;
import hmmtest.model.Action.CpuWrite;
import hmmtest.model.Action.Close;
import hmmtest.model.Action.ForkChildWrite;
import hmmtest.model.Action.Ioctl;
import hmmtest.model.Action.Madvise;
import hmmtest.model.Action.Mmap;
import hmmtest.model.Action.Mprotect;
import hmmtest.model.Action.Mremap;
import hmmtest.model.Action.Munmap;
import hmmtest.model.Action.Open;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Parser of the one-line text form of {@link Action}. */
final class ActionText {
    private ActionText() {}

    static Action parse(String line) {
        String[] words = line.trim().split("\\s+");
        Map<String, String> kv = new LinkedHashMap<>();
        for (int i = 1; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value: '" + words[i] + "' in: " + line);
            }
            kv.put(words[i].substring(0, eq), words[i].substring(eq + 1));
        }
        Args a = new Args(kv, line);
        Action act = switch (words[0]) {
            case "mmap" -> new Mmap(a.i("id"), a.i("pages"), Prot.valueOf(a.s("prot")),
                    MapKind.valueOf(a.s("kind")), a.b("thp", false), a.i("fd", -1));
            case "munmap" -> new Munmap(a.i("map"), a.i("page"), a.i("pages"));
            case "mprotect" -> new Mprotect(a.i("map"), a.i("page"), a.i("pages"), Prot.valueOf(a.s("prot")));
            case "madvise" -> new Madvise(a.i("map"), a.i("page"), a.i("pages"), Advice.valueOf(a.s("advice")));
            case "mremap" -> new Mremap(a.i("map"), a.i("page"), a.i("pages"), a.i("to"), a.b("dontunmap", false));
            case "read" -> new CpuRead(a.i("map"), a.i("page"));
            case "write" -> new CpuWrite(a.i("map"), a.i("page"), a.l("token"));
            case "fork" -> new ForkChildWrite(a.i("map"), a.i("page"), a.l("token"));
            case "open" -> new Open(a.i("fd"), a.i("dev"), a.b("orphan", false));
            case "close" -> new Close(a.i("fd"));
            case "ioctl" -> new Ioctl(a.i("fd"), a.cmd("cmd"), a.i("map"), a.l("page"), a.i("byteoff", 0),
                    a.l("npages"), a.l("token", 0));
            default -> throw new IllegalArgumentException("unknown action: " + line);
        };
        a.checkAllUsed();
        return act;
    }

    /** Key=value arguments of one line; every key must be used exactly once. */
    private static final class Args {
        private final Map<String, String> kv;
        private final String line;
        private final Set<String> used = new HashSet<>();

        Args(Map<String, String> kv, String line) {
            this.kv = kv;
            this.line = line;
        }

        String s(String k) {
            String v = kv.get(k);
            if (v == null) {
                throw new IllegalArgumentException("missing " + k + " in: " + line);
            }
            used.add(k);
            return v;
        }

        long l(String k) {
            String v = s(k);
            return v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
        }

        long l(String k, long dflt) {
            return kv.containsKey(k) ? l(k) : dflt;
        }

        int i(String k) {
            return Math.toIntExact(l(k));
        }

        int i(String k, int dflt) {
            return kv.containsKey(k) ? i(k) : dflt;
        }

        boolean b(String k, boolean dflt) {
            return kv.containsKey(k) ? Boolean.parseBoolean(s(k)) : dflt;
        }

        int cmd(String k) {
            String v = s(k);
            if (v.startsWith("0x")) {
                return Integer.parseInt(v.substring(2), 16);
            }
            return Command.valueOf(v).nr();
        }

        void checkAllUsed() {
            for (String k : kv.keySet()) {
                if (!used.contains(k)) {
                    throw new IllegalArgumentException("unknown key " + k + " in: " + line);
                }
            }
        }
    }
}
