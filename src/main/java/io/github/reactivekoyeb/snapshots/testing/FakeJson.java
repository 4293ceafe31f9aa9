package io.github.reactivekoyeb.snapshots.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.reactivekoyeb.snapshots.ErrorField;
import io.github.reactivekoyeb.snapshots.Snapshot;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The fake server's own JSON, written as Koyeb's API writes it (snake_case, 64-bit integers as
 * strings by default, as protobuf JSON does), on jackson-core's streaming API: the fake never
 * borrows the client's codec, so that a bug there cannot hide behind the same bug here.
 */
final class FakeJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private final boolean int64AsStrings;

    FakeJson(boolean int64AsStrings) {
        this.int64AsStrings = int64AsStrings;
    }

    /** {@code {"snapshot": {...}}}, as the API answers get, create, update and delete. */
    String snapshotReply(Snapshot snapshot) {
        return write(g -> {
            g.writeStartObject();
            g.writeFieldName("snapshot");
            snapshot(g, snapshot);
            g.writeEndObject();
        });
    }

    /** A {@code ListSnapshotsReply}. */
    String listReply(List<Snapshot> snapshots, long limit, long offset, boolean hasNext) {
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("snapshots");
            for (Snapshot snapshot : snapshots) {
                snapshot(g, snapshot);
            }
            g.writeEndArray();
            int64(g, "limit", limit);
            int64(g, "offset", offset);
            g.writeBooleanField("has_next", hasNext);
            g.writeEndObject();
        });
    }

    /** An {@code ErrorWithFields} body ({@code fields} left out when there are none). */
    static String errorBody(int status, String code, String message, List<ErrorField> fields) {
        return write(g -> {
            g.writeStartObject();
            g.writeNumberField("status", status);
            g.writeStringField("code", code);
            g.writeStringField("message", message);
            if (!fields.isEmpty()) {
                g.writeArrayFieldStart("fields");
                for (ErrorField f : fields) {
                    g.writeStartObject();
                    string(g, "field", f.field());
                    string(g, "description", f.description());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        });
    }

    /** The string members of a request body, or null when it is not a JSON object. */
    static @Nullable Map<String, String> stringFields(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                if (p.nextToken() == JsonToken.VALUE_STRING) {
                    fields.put(name, p.getText());
                } else {
                    p.skipChildren();
                }
            }
            return fields;
        } catch (IOException e) {
            return null;
        }
    }

    private void snapshot(JsonGenerator g, Snapshot s) throws IOException {
        g.writeStartObject();
        string(g, "id", s.id());
        string(g, "name", s.name());
        if (s.size() != null) {
            int64(g, "size", s.size());
        }
        instant(g, "created_at", s.createdAt());
        instant(g, "updated_at", s.updatedAt());
        instant(g, "deleted_at", s.deletedAt());
        string(g, "organization_id", s.organizationId());
        string(g, "parent_volume_id", s.parentVolumeId());
        string(g, "region", s.region());
        string(g, "status", s.status() == null ? null : s.status().wireValue());
        string(g, "type", s.type() == null ? null : s.type().wireValue());
        g.writeEndObject();
    }

    private void int64(JsonGenerator g, String name, long value) throws IOException {
        if (int64AsStrings) {
            g.writeStringField(name, Long.toString(value));
        } else {
            g.writeNumberField(name, value);
        }
    }

    private static void string(JsonGenerator g, String name, @Nullable String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void instant(JsonGenerator g, String name, @Nullable Instant value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value.toString());
        }
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes one JSON value. */
    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }
}
