package io.github.reactivekoyeb.snapshots.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the auto-configured client connects, in the style of Spring Boot's
 * {@link ConnectionDetails}: a bean of this type takes the place of the
 * {@code koyeb.snapshots.base-url} and {@code koyeb.snapshots.token} properties (and of the
 * {@code KOYEB_API_TOKEN} variable), so that a test fixture or a platform integration can point
 * the client at an API without properties. {@code AutoConfigureFakeKoyebServer} defines one for
 * its fake server. Every other {@code koyeb.snapshots.*} property still applies.
 */
public interface KoyebConnectionDetails extends ConnectionDetails {

    /**
     * The API's base URL, such as {@code https://app.koyeb.com}.
     *
     * @return the URL
     */
    String getBaseUrl();

    /**
     * The API token sent as {@code Authorization: Bearer}, or null when a {@code TokenProvider}
     * bean supplies the tokens (a {@code TokenProvider} bean is used in any case).
     *
     * @return the token, or null
     */
    @Nullable String getToken();
}
