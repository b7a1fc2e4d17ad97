package hmmtest.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The model tracks page contents as one 64-bit "content token" per 4 KiB page. The executor turns
 * a token into real bytes with {@link #fill} and back with {@link #decode}.
 *
 * <p>Token 0 is the all-zero page (fresh anonymous memory, the zero page). Any other token fills
 * word 0 with the token and word j with {@code token ^ mix(j)}, so a shifted, truncated or mixed
 * page never decodes to a valid token.
 */
public final class PageContent {
    public static final int PAGE_SIZE = 4096;
    public static final int WORDS = PAGE_SIZE / Long.BYTES;

    /** The executor pre-fills output buffers with this token; on error the driver leaves them alone. */
    public static final long POISON_TOKEN = 0x5EED_DEAD_BEEF_0001L;

    /** {@link #decode} result for a page that is not the pattern of any token. */
    public static final long GARBLED = 0x6A4B_1ED0_6A4B_1ED0L;

    private PageContent() {}

    private static long mix(int j) {
        return j == 0 ? 0 : (j * 0x9E37_79B9_7F4A_7C15L) | 1;
    }

    public static long word(long token, int j) {
        return token == 0 ? 0 : token ^ mix(j);
    }

    /** Writes the pattern of {@code token} into {@code page} (4096 bytes from its position, native order). */
    public static void fill(ByteBuffer page, long token) {
        ByteBuffer b = page.duplicate().order(ByteOrder.nativeOrder());
        int base = b.position();
        for (int j = 0; j < WORDS; j++) {
            b.putLong(base + j * Long.BYTES, word(token, j));
        }
    }

    public static long[] words(long token) {
        long[] w = new long[WORDS];
        for (int j = 0; j < WORDS; j++) {
            w[j] = word(token, j);
        }
        return w;
    }

    /** The token whose pattern {@code page} holds, or {@link #GARBLED}. */
    public static long decode(ByteBuffer page) {
        ByteBuffer b = page.duplicate().order(ByteOrder.nativeOrder());
        int base = b.position();
        long[] w = new long[WORDS];
        for (int j = 0; j < WORDS; j++) {
            w[j] = b.getLong(base + j * Long.BYTES);
        }
        return decode(w);
    }

    public static long decode(long[] words) {
        long token = words[0];
        for (int j = 1; j < WORDS; j++) {
            if (words[j] != word(token, j)) {
                return GARBLED;
            }
        }
        return token;
    }
}
