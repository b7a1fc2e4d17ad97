package hmmtest.console;

import java.util.Optional;

/**
 * A crash header was just seen; the report is still being printed.
 *
 * @param kind what kind of report is starting
 * @param provisionalTitle the title as far as the header tells it (the frame, when the header names
 *     one); the final title usually comes from the stack printed later
 * @param startLine 0-based index of the report's first line
 * @param header the header line, without timestamp
 * @param callerId printk caller of the header line, when printed
 */
public record CrashStart(CrashKind kind, String provisionalTitle, int startLine, String header,
        Optional<String> callerId) {}
