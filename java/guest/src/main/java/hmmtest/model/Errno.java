package hmmtest.model;

import java.util.Map;

/** x86_64 errno values that the driver and the mm syscalls can return here (hmm-abi.md §1.4). */
public final class Errno {
    public static final int OK = 0;
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int ENOMEM = 12;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EINVAL = 22;
    public static final int ENOTTY = 25;
    public static final int EOPNOTSUPP = 95;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(OK, "OK"), Map.entry(EPERM, "EPERM"), Map.entry(ENOENT, "ENOENT"),
            Map.entry(EINTR, "EINTR"), Map.entry(EBADF, "EBADF"), Map.entry(ENOMEM, "ENOMEM"),
            Map.entry(EFAULT, "EFAULT"), Map.entry(EBUSY, "EBUSY"), Map.entry(EINVAL, "EINVAL"),
            Map.entry(ENOTTY, "ENOTTY"), Map.entry(EOPNOTSUPP, "EOPNOTSUPP"));

    private Errno() {}

    public static String name(int errno) {
        return NAMES.getOrDefault(errno, "errno" + errno);
    }

    public static int parse(String s) {
        for (Map.Entry<Integer, String> e : NAMES.entrySet()) {
            if (e.getValue().equals(s)) {
                return e.getKey();
            }
        }
        if (s.startsWith("errno")) {
            return Integer.parseInt(s.substring(5));
        }
        throw new IllegalArgumentException("unknown errno " + s);
    }
}
