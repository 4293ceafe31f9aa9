package io.github.reactivekoyeb.snapshots.internal;

/** Small text helpers for what the client puts in messages. */
final class Text {

    private Text() {
    }

    /**
     * Removes control characters (C0, DEL, C1) so that a server's text cannot forge log lines.
     * Tabs, line breaks and other controls are dropped, runs of white space kept as they are.
     */
    static String stripControlCharacters(String text) {
        int i = 0;
        while (i < text.length() && !Character.isISOControl(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        sb.append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isISOControl(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** True when the text holds a control character (CR, LF, NUL, DEL, ...). */
    static boolean hasControlCharacter(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** The first {@code max} characters, without splitting a surrogate pair. */
    static String truncate(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }
}
