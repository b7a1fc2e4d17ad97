package hmmtest.series;

import java.util.regex.Pattern;

/**
 * An {@code --exclude} pattern, matched the way git apply matches it: wildmatch without
 * WM_PATHNAME, so {@code *} also crosses {@code /} and {@code Documentation/*} covers the whole
 * Documentation tree. git does the skipping; this only names the glob in the report.
 */
record ExcludeGlob(String glob, Pattern regex) {

    static ExcludeGlob of(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '\\' && i + 1 < glob.length()) {
                re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else if (c == '[' && glob.indexOf(']', i + 2) > 0) {
                int end = glob.indexOf(']', i + 2); // a ']' right after '[' or '[!' is literal
                String body = glob.substring(i + 1, end);
                boolean negate = body.startsWith("!") || body.startsWith("^");
                if (negate && body.length() == 1) {
                    end = glob.indexOf(']', end + 1);
                    if (end < 0) {
                        re.append(Pattern.quote(glob.substring(i)));
                        break;
                    }
                    body = glob.substring(i + 1, end);
                }
                re.append('[').append(negate ? "^" : "");
                for (char b : (negate ? body.substring(1) : body).toCharArray()) {
                    re.append(b == '-' ? "-" : Character.isLetterOrDigit(b) ? String.valueOf(b) : "\\" + b);
                }
                re.append(']');
                i = end;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new ExcludeGlob(glob, Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    boolean matches(String path) {
        return regex.matcher(path).matches();
    }
}
