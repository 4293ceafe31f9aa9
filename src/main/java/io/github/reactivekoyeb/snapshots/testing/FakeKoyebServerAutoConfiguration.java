package io.github.reactivekoyeb.snapshots.testing;

import io.github.reactivekoyeb.snapshots.autoconfigure.KoyebConnectionDetails;
import io.github.reactivekoyeb.snapshots.autoconfigure.KoyebSnapshotsAutoConfiguration;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * What {@link AutoConfigureFakeKoyebServer} imports: a fake server for the context, and the
 * connection details that point the client at it. Before the client's auto-configuration, which
 * then sees a {@link KoyebConnectionDetails} bean.
 */
@AutoConfiguration(before = KoyebSnapshotsAutoConfiguration.class)
class FakeKoyebServerAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    FakeKoyebServer fakeKoyebServer() {
        // a token of this context's own: the client must send it, as it sends the real one
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        return FakeKoyebServer.builder().token("fake-koyeb-" + HexFormat.of().formatHex(random)).build();
    }

    @Bean
    @ConditionalOnMissingBean
    KoyebConnectionDetails fakeKoyebServerConnectionDetails(FakeKoyebServer server) {
        return new FakeKoyebConnectionDetails(server);
    }

    /** The fake server's address and token. */
    static final class FakeKoyebConnectionDetails implements KoyebConnectionDetails {
        private final FakeKoyebServer server;

        FakeKoyebConnectionDetails(FakeKoyebServer server) {
            this.server = server;
        }

        @Override
        public String getBaseUrl() {
            return server.baseUrl();
        }

        @Override
        public @Nullable String getToken() {
            return server.builtToken();
        }

        @Override
        public String toString() {
            return "FakeKoyebConnectionDetails{" + server.baseUrl() + '}';
        }
    }
}
