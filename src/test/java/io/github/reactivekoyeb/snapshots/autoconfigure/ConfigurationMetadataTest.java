package io.github.reactivekoyeb.snapshots.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** IDEs complete and document the properties: the configuration processor's metadata ships in the jar. */
class ConfigurationMetadataTest {

    @Test
    void everyPropertyIsDescribedWithItsDefault() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).isNotNull();
            metadata = JsonMapper.builder().build().readTree(in);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode property : metadata.get("properties")) {
            names.add(property.get("name").asText());
            assertThat(property.get("description")).as(property.get("name").asText()).isNotNull();
        }
        assertThat(names).contains("koyeb.snapshots.base-url", "koyeb.snapshots.token", "koyeb.snapshots.response-timeout",
                "koyeb.snapshots.page-size", "koyeb.snapshots.retry.max-retries", "koyeb.snapshots.retry.initial-backoff",
                "koyeb.snapshots.retry.max-backoff");
        Map<String, String> defaults = new java.util.HashMap<>();
        for (JsonNode property : metadata.get("properties")) {
            if (property.get("defaultValue") != null) {
                defaults.put(property.get("name").asText(), property.get("defaultValue").asText());
            }
        }
        assertThat(defaults).containsEntry("koyeb.snapshots.base-url", ReactiveSnapshotsClient.DEFAULT_BASE_URL)
                .containsEntry("koyeb.snapshots.page-size", String.valueOf(ListSnapshotsRequest.DEFAULT_PAGE_SIZE))
                .containsEntry("koyeb.snapshots.retry.max-retries", String.valueOf(RetryPolicy.DEFAULT_MAX_RETRIES));
        // the properties' defaults are the library's defaults
        KoyebSnapshotsProperties properties = new KoyebSnapshotsProperties();
        assertThat(properties.getResponseTimeout()).isEqualTo(ReactiveSnapshotsClient.DEFAULT_RESPONSE_TIMEOUT);
        assertThat(properties.toRetryPolicy()).isEqualTo(RetryPolicy.defaults());
        assertThat(properties.getBaseUrl()).isEqualTo(ReactiveSnapshotsClient.DEFAULT_BASE_URL);
        assertThat(properties.getPageSize()).isEqualTo(ListSnapshotsRequest.DEFAULT_PAGE_SIZE);
    }
}
