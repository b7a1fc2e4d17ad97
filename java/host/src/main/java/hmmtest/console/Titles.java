package hmmtest.console;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Fills title templates and normalises titles so that the same bug always gets the same title. */
final class Titles {

    static final int MAX_LENGTH = 120;

    private static final Pattern GROUP_REF = Pattern.compile("\\{(\\d+)\\}");
    private static final Pattern FUNC_OFFSET =
            Pattern.compile("([A-Za-z0-9_]+)(?:\\.[A-Za-z0-9_.]+)?\\+0x[0-9a-f]+/0x[0-9a-f]+");
    private static final Pattern ADDRESS = Pattern.compile("\\b(?:0x[0-9a-f]{6,}|[0-9a-f]{16})\\b");
    private static final Pattern CPU = Pattern.compile("CPU#\\d+");
    // kworker/u8:3, ksoftirqd/0: per-CPU and per-pool task names carry numbers that vary run to run.
    private static final Pattern TASK_NUMBERS = Pattern.compile("\\b([a-z_]+)/u?\\d+(?::\\d+)?H?\\b");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private Titles() {}

    /**
     * Fills a template. {@code {n}} takes group n (1-based), {@code {frame}} the guilty frame; a
     * missing frame drops {@code " in {frame}"} so that the title still reads as a sentence.
     */
    static String render(String template, List<String> groups, String frame) {
        String title = template;
        if (frame == null) {
            title = title.replace(" in {frame}", "").replace("{frame}", "corrupted");
        } else {
            title = title.replace("{frame}", frame);
        }
        Matcher m = GROUP_REF.matcher(title);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            String value = n <= groups.size() && groups.get(n - 1) != null ? groups.get(n - 1) : "";
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return normalize(out.toString());
    }

    static String normalize(String title) {
        String t = FUNC_OFFSET.matcher(title).replaceAll("$1");
        t = ADDRESS.matcher(t).replaceAll("ADDR");
        t = CPU.matcher(t).replaceAll("CPU");
        t = TASK_NUMBERS.matcher(t).replaceAll("$1");
        t = SPACES.matcher(t).replaceAll(" ").trim();
        return t.length() > MAX_LENGTH ? t.substring(0, MAX_LENGTH).trim() : t;
    }

    /** {@code make_device_exclusive.isra.0.cold} names the same source function as {@code make_device_exclusive}. */
    static String cleanFrame(String function) {
        int dot = function.indexOf('.');
        return dot > 0 ? function.substring(0, dot) : function;
    }
}
