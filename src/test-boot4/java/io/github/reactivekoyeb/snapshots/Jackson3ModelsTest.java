package io.github.reactivekoyeb.snapshots;

import io.github.reactivekoyeb.snapshots.support.AppJson;
import io.github.reactivekoyeb.snapshots.support.ModelRoundTrip;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The models through a plain Jackson 3 mapper, as a Spring 7 application without Boot has it. */
class Jackson3ModelsTest {

    @Test
    void aPlainJackson3MapperWritesAndReadsTheWireForm() {
        JsonMapper mapper = JsonMapper.builder().build();
        ModelRoundTrip.check(new AppJson() {
            @Override
            public String write(Object value) {
                return mapper.writeValueAsString(value);
            }

            @Override
            public <T> T read(String json, Class<T> type) {
                return mapper.readValue(json, type);
            }
        });
    }
}
