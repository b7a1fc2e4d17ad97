package hmmtest.series;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A patch author; {@code email} is null when the source did not give one. */
public record Author(String name, String email) {

    private static final Pattern NAME_EMAIL = Pattern.compile("^\\s*\"?(.*?)\"?\\s*<([^<>\\s]+)>\\s*$");

    /** Parses {@code Name <email>}, {@code "Name" <email>}, a bare email or a bare name. */
    public static Author parse(String text) {
        String s = text.strip();
        Matcher m = NAME_EMAIL.matcher(s);
        if (m.matches()) {
            String name = m.group(1).strip();
            return new Author(name.isEmpty() ? m.group(2) : name, m.group(2));
        }
        if (s.matches("[^\\s@]+@[^\\s@]+")) {
            return new Author(s, s);
        }
        return new Author(s, null);
    }

    @Override
    public String toString() {
        return email == null ? name : name + " <" + email + ">";
    }
}
