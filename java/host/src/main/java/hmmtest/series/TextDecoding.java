package hmmtest.series;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns input bytes into text without losing any: strictly as the given charset when the bytes are
 * valid in it, otherwise as ISO-8859-1, which maps every byte to one char and back. A patch for a
 * Latin-1 file must reach git byte for byte or its context will not match.
 */
final class TextDecoding {

    record Decoded(String text, Charset charset) {
    }

    private TextDecoding() {
    }

    static Decoded decode(byte[] bytes, Charset preferred) {
        try {
            String text = preferred.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return new Decoded(text, preferred);
        } catch (CharacterCodingException e) {
            return new Decoded(new String(bytes, StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
        }
    }

    static Charset charsetOr(String name, Charset fallback) {
        try {
            return Charset.forName(name.strip());
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
