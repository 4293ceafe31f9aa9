package io.github.reactivekoyeb.snapshots;

import io.github.reactivekoyeb.snapshots.support.Jackson3Json;
import io.github.reactivekoyeb.snapshots.support.ModelRoundTrip;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The models through a plain Jackson 3 mapper, as a Spring 7 application without Boot has it. */
class Jackson3ModelsTest {

    @Test
    void aPlainJackson3MapperWritesAndReadsTheWireForm() {
        ModelRoundTrip.check(new Jackson3Json(JsonMapper.builder().build()));
    }
}
