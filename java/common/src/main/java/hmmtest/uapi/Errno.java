package hmmtest.uapi;

import java.util.Map;

/** x86-64 errno values that the driver and the mm syscalls return here (docs/model-spec.md §1.4). */
public final class Errno {
    public static final int OK = 0;
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOTTY = 25;
    public static final int ENOSYS = 38;
    public static final int EOVERFLOW = 75;
    public static final int EOPNOTSUPP = 95;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(OK, "OK"), Map.entry(EPERM, "EPERM"), Map.entry(ENOENT, "ENOENT"), Map.entry(EINTR, "EINTR"),
            Map.entry(EBADF, "EBADF"), Map.entry(ECHILD, "ECHILD"), Map.entry(EAGAIN, "EAGAIN"),
            Map.entry(ENOMEM, "ENOMEM"), Map.entry(EFAULT, "EFAULT"), Map.entry(EBUSY, "EBUSY"),
            Map.entry(ENODEV, "ENODEV"), Map.entry(EINVAL, "EINVAL"), Map.entry(ENOTTY, "ENOTTY"),
            Map.entry(ENOSYS, "ENOSYS"), Map.entry(EOVERFLOW, "EOVERFLOW"), Map.entry(EOPNOTSUPP, "EOPNOTSUPP"));

    private Errno() {}

    /** The token of the model's action text: "OK", "EPERM", or "errno77" for an unnamed value; {@link #parse} reads it back. */
    public static String name(int errno) {
        return NAMES.getOrDefault(errno, "errno" + errno);
    }

    /** For messages: "EPERM" for 1 or -1, "errno 77" for an unnamed value, "0" for success. */
    public static String describe(int errnoOrNegative) {
        int e = Math.abs(errnoOrNegative);
        return e == 0 ? "0" : NAMES.containsKey(e) ? NAMES.get(e) : "errno " + e;
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
