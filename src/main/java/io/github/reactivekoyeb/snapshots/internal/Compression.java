package io.github.reactivekoyeb.snapshots.internal;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * gzip replies, inflated by the client itself, so that it works on any connector (its own, or an
 * application's that may or may not decompress: one that does removes {@code Content-Encoding},
 * and the body then arrives plain) and so that the response size limit bounds the inflated body:
 * a small reply that would inflate to gigabytes (a gzip bomb) stops at the limit, in bounded memory.
 */
final class Compression {

    private Compression() {
    }

    /** Whether a {@code Content-Encoding} is gzip. */
    static boolean isGzip(@Nullable String contentEncoding) {
        if (contentEncoding == null) {
            return false;
        }
        String encoding = contentEncoding.trim().toLowerCase(Locale.ROOT);
        return encoding.equals("gzip") || encoding.equals("x-gzip");
    }

    /**
     * The inflated stream, which fails with {@link InflatedTooLargeException} past {@code limit} bytes.
     * It owns {@code compressed}: closing it closes that one, and so does a body whose gzip header
     * does not read (not gzip, cut short), which the caller never gets a stream to close for (a
     * stream over a pooled buffer releases it when closed).
     */
    static InputStream inflating(InputStream compressed, int limit) throws IOException {
        try {
            return new Limited(new GZIPInputStream(compressed, 8192), limit);
        } catch (IOException | RuntimeException e) {
            try {
                compressed.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * The start of a compressed error body, as text: at most {@code limit} inflated bytes, and
     * what could be inflated of a body that was cut short.
     */
    static String inflateText(InputStream compressed, int limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try (InputStream in = new GZIPInputStream(compressed, 4096)) {
            for (int n; out.size() < limit && (n = in.read(chunk, 0, Math.min(chunk.length, limit - out.size()))) > 0; ) {
                out.write(chunk, 0, n);
            }
        } catch (IOException e) {
            // a body cut at the error-body cap, or not gzip after all: keep what was inflated
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The inflated body passed the client's response size limit. */
    static final class InflatedTooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InflatedTooLargeException(int limit) {
            super("the body inflates to more than " + limit + " bytes");
        }
    }

    /** Counts what is read, and stops past the limit. */
    private static final class Limited extends FilterInputStream {
        private final int limit;
        private long read;

        Limited(InputStream in, int limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > limit) {
                throw new InflatedTooLargeException(limit);
            }
        }
    }
}
