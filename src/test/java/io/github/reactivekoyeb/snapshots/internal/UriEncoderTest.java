package io.github.reactivekoyeb.snapshots.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UriEncoderTest {

    @Test
    void onlyUnreservedCharactersStayAsTheyAre() {
        assertThat(UriEncoder.encode("AZaz09-._~")).isEqualTo("AZaz09-._~");
        assertThat(UriEncoder.encode("a/../b")).isEqualTo("a%2F..%2Fb");
        assertThat(UriEncoder.encode("a+b c")).isEqualTo("a%2Bb%20c");
        assertThat(UriEncoder.encode("?#%&=;:@")).isEqualTo("%3F%23%25%26%3D%3B%3A%40");
        assertThat(UriEncoder.encode("é😀")).isEqualTo("%C3%A9%F0%9F%98%80");
    }

    @Test
    void randomStringsRoundTripAndNeverLeaveTheSegment() {
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            int length = 1 + random.nextInt(20);
            while (sb.length() < length) {
                int cp = random.nextInt(4) == 0 ? "/.%?#+ ".charAt(random.nextInt(7)) : 0x20 + random.nextInt(0x2FFF);
                if (Character.isSurrogate((char) cp)) {
                    continue;
                }
                sb.appendCodePoint(cp);
            }
            String value = sb.toString();
            String encoded = UriEncoder.encode(value);
            assertThat(encoded).matches("[A-Za-z0-9._~%-]*");
            assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).isEqualTo(value);
        }
    }
}
