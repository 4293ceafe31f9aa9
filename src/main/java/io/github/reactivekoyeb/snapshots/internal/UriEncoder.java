package io.github.reactivekoyeb.snapshots.internal;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encodes path segments and query values: every byte of the UTF-8 form except the
 * RFC 3986 unreserved characters ({@code A-Z a-z 0-9 - . _ ~}) becomes {@code %XX}. So a
 * {@code /} in an id cannot leave its path segment and a {@code +} in a query value is sent as
 * {@code %2B}, never read as a space.
 */
final class UriEncoder {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UriEncoder() {
    }

    static String encode(String value) {
        if (isUnreservedOnly(value)) {
            return value;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (isUnreserved(c)) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return sb.toString();
    }

    private static boolean isUnreservedOnly(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (!isUnreserved(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
