package io.github.reactivekoyeb.snapshots;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.reactivekoyeb.snapshots.support.BootLine;
import io.github.reactivekoyeb.snapshots.support.Jackson2Json;
import io.github.reactivekoyeb.snapshots.support.ModelRoundTrip;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The models through an application's own Jackson, on every line: a plain Jackson 2 mapper, and the
 * mapper Spring Boot configures on the line under test (Jackson 2's {@code ObjectMapper} on Boot
 * 3.5, Jackson 3's {@code JsonMapper} on Boot 4). A plain Jackson 3 mapper is in src/test-boot4.
 */
class ApplicationJacksonTest {

    @Test
    void aPlainJackson2MapperWritesAndReadsTheWireForm() {
        ModelRoundTrip.check(new Jackson2Json(JsonMapper.builder().addModule(new JavaTimeModule()).build()));
    }

    @Test
    void theMapperSpringBootConfiguresOnThisLineWritesAndReadsTheWireForm() {
        new ApplicationContextRunner().withConfiguration(BootLine.jackson())
                .run(context -> ModelRoundTrip.check(BootLine.appJson(context)));
    }
}
