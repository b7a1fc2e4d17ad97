package hmmtest.console;

import java.util.regex.Pattern;

/** A line that passes an oops header gate but is not a crash, with the reason why. */
record Suppression(Pattern pattern, String reason) {

    static Suppression of(String regex, String reason) {
        return new Suppression(Pattern.compile(regex), reason);
    }
}
