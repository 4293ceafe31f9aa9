package io.github.reactivekoyeb.snapshots.internal;

import org.jspecify.annotations.Nullable;

/**
 * Keeps the token out of every text the client produces from what a server sent back: error
 * snippets, error messages, exception messages and causes. One instance per client.
 */
final class Redactor {

    /** What a masked token reads as. */
    public static final String MASK = "[REDACTED]";

    private static final Redactor NONE = new Redactor(null);

    private final @Nullable String token;

    private Redactor(@Nullable String token) {
        this.token = token;
    }

    /**
     * A redactor for one token.
     *
     * @param token the secret, or null when there is none
     * @return the redactor
     */
    public static Redactor forToken(@Nullable String token) {
        return token == null || token.isEmpty() ? NONE : new Redactor(token);
    }

    /**
     * Masks every occurrence of the token.
     *
     * @param text any text
     * @return the text with the token replaced by {@link #MASK}
     */
    public String mask(String text) {
        if (token == null || !text.contains(token)) {
            return text;
        }
        return text.replace(token, MASK);
    }

    /**
     * A throwable safe to attach as a cause: the original when no message in its chain holds the
     * token, otherwise a stand-in with the masked message and the original's stack trace.
     *
     * @param cause the failure
     * @return a throwable whose chain never mentions the token
     */
    public Throwable safeCause(Throwable cause) {
        if (token == null || !chainMentionsToken(cause)) {
            return cause;
        }
        String message = cause.getMessage();
        RedactedCause redacted = new RedactedCause(cause.getClass().getName() + ": "
                + (message == null ? "null" : mask(message)));
        redacted.setStackTrace(cause.getStackTrace());
        return redacted;
    }

    private boolean chainMentionsToken(Throwable error) {
        int depth = 0;
        for (Throwable t = error; t != null && depth < 16; t = t.getCause(), depth++) {
            String message = t.getMessage();
            if (message != null && token != null && message.contains(token)) {
                return true;
            }
        }
        return false;
    }

    /** Stands in for a failure whose message held the token. */
    static final class RedactedCause extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RedactedCause(String message) {
            super(message);
        }
    }
}
