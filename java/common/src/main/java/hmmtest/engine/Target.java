package hmmtest.engine;

import hmmtest.model.Layout;
import hmmtest.model.ModelOptions;
import hmmtest.uapi.AbiVersion;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the engine must know of the machine under test, as the guest detected it: the driver's ABI,
 * the RAM (bounce-buffer allocation failures), whether the coherent devices exist, and the
 * arena's base. The guest sends it to the host engine as one line ({@link #encode}).
 */
public record Target(AbiVersion abi, long ramPages, boolean coherentDevices, long arenaBase) {

    private static final Pattern LINE = Pattern.compile(
            "abi=(\\S+) ram-pages=(\\d+) coherent=(true|false) arena=0x([0-9a-f]+)");

    /** The model's options on this machine (the guest's engine builds the same). */
    public ModelOptions options() {
        return ModelOptions.defaults().withGuestRamPages(ramPages).withCoherentDevices(coherentDevices);
    }

    public Layout layout() {
        return new Layout(arenaBase);
    }

    public String encode() {
        return "abi=" + abi.name() + " ram-pages=" + ramPages + " coherent=" + coherentDevices + " arena=0x"
                + Long.toHexString(arenaBase);
    }

    /** The line {@link #encode} wrote; IllegalArgumentException for anything else. */
    public static Target parse(String line) {
        Matcher m = LINE.matcher(line.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a target line: " + line);
        }
        return new Target(AbiVersion.valueOf(m.group(1)), Long.parseLong(m.group(2)), Boolean.parseBoolean(m.group(3)),
                Long.parseUnsignedLong(m.group(4), 16));
    }
}
