package hmmtest.console;

import java.util.Optional;

/**
 * A crash header was just seen; the report is still being printed.
 *
 * @param kind what kind of report is starting
 * @param provisionalTitle the title without the guilty frame, which is not printed yet
 * @param startLine 0-based index of the report's first line
 * @param header the header line, without timestamp
 * @param callerId printk caller of the header line, when printed
 */
public record CrashStart(CrashKind kind, String provisionalTitle, int startLine, String header,
        Optional<String> callerId) {}
