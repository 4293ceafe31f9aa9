package io.github.reactivekoyeb.snapshots.support;

import tools.jackson.databind.json.JsonMapper;

/** An application's Jackson 3 mapper as {@link AppJson}. */
public record Jackson3Json(JsonMapper mapper) implements AppJson {

    @Override
    public String write(Object value) {
        return mapper.writeValueAsString(value);
    }

    @Override
    public <T> T read(String json, Class<T> type) {
        return mapper.readValue(json, type);
    }
}
