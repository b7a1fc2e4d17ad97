package hmmtest.series;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One mail: its headers (unfolded, RFC 2047 words decoded, names lower-cased, first occurrence
 * kept) and its body with any quoted-printable or base64 transfer encoding undone.
 * Multipart MIME is not split: patches are sent inline.
 *
 * @param bodyCharset the charset that turns {@code body} back into the mail's bytes
 */
record MailMessage(Map<String, String> headers, String body, Charset bodyCharset) {

    private static final Pattern HEADER = Pattern.compile("^([A-Za-z0-9-]+):[ \\t]?(.*)$");
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?]+)\\?([BbQq])\\?([^?]*)\\?=");
    private static final Pattern CHARSET_PARAM = Pattern.compile("(?i)charset=\"?([^\";\\s]+)");

    /** Parses one message; a leading mbox {@code From } separator line is skipped. */
    static MailMessage parse(String text, Charset textCharset) {
        String[] lines = text.split("\n", -1);
        int i = lines.length > 0 && lines[0].startsWith("From ") ? 1 : 0;
        Map<String, String> headers = new LinkedHashMap<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (; i < lines.length && !lines[i].isEmpty(); i++) {
            String line = lines[i];
            if ((line.startsWith(" ") || line.startsWith("\t")) && name != null) {
                value.append(' ').append(line.strip()); // folded header continues
                continue;
            }
            Matcher m = HEADER.matcher(line);
            if (!m.matches()) {
                break; // not a header block after all: the rest is body
            }
            putHeader(headers, name, value);
            name = m.group(1).toLowerCase(Locale.ROOT);
            value.setLength(0);
            value.append(m.group(2).strip());
        }
        putHeader(headers, name, value);
        int bodyStart = i < lines.length && lines[i].isEmpty() ? i + 1 : i;
        String body = String.join("\n", Arrays.asList(lines).subList(Math.min(bodyStart, lines.length), lines.length));
        return decodeBody(headers, body, textCharset);
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    private static void putHeader(Map<String, String> headers, String name, StringBuilder value) {
        if (name != null) {
            headers.putIfAbsent(name, decodeWords(value.toString()));
        }
    }

    private static MailMessage decodeBody(Map<String, String> headers, String body, Charset textCharset) {
        String cte = headers.getOrDefault("content-transfer-encoding", "").strip().toLowerCase(Locale.ROOT);
        byte[] bytes;
        if (cte.equals("quoted-printable")) {
            bytes = decodeQuotedPrintable(body, false);
        } else if (cte.equals("base64")) {
            bytes = Base64.getMimeDecoder().decode(body.strip());
        } else {
            return new MailMessage(headers, body, textCharset);
        }
        Matcher cs = CHARSET_PARAM.matcher(headers.getOrDefault("content-type", ""));
        Charset charset = cs.find() ? TextDecoding.charsetOr(cs.group(1), StandardCharsets.UTF_8) : StandardCharsets.UTF_8;
        TextDecoding.Decoded decoded = TextDecoding.decode(bytes, charset);
        return new MailMessage(headers, decoded.text().replace("\r\n", "\n"), decoded.charset());
    }

    /** Decodes RFC 2047 encoded words ({@code =?UTF-8?q?J=C3=B6rg?=}) as git format-patch writes them. */
    static String decodeWords(String value) {
        Matcher m = ENCODED_WORD.matcher(value);
        StringBuilder out = new StringBuilder();
        int last = 0;
        boolean previousWasWord = false;
        while (m.find()) {
            String between = value.substring(last, m.start());
            if (!(previousWasWord && between.isBlank())) { // space between two encoded words is dropped
                out.append(between);
            }
            Charset charset = TextDecoding.charsetOr(m.group(1).replaceAll("\\*.*", ""), null);
            if (charset == null) {
                out.append(m.group());
            } else if (m.group(2).equalsIgnoreCase("b")) {
                out.append(new String(Base64.getDecoder().decode(m.group(3)), charset));
            } else {
                out.append(new String(decodeQuotedPrintable(m.group(3), true), charset));
            }
            previousWasWord = true;
            last = m.end();
        }
        return out.append(value.substring(last)).toString();
    }

    /** Quoted-printable to bytes; in header words "_" stands for a space. */
    private static byte[] decodeQuotedPrintable(String s, boolean headerWord) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                i++; // soft line break
            } else if (c == '=' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c == '_' && headerWord) {
                out.write(' ');
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
