package io.github.reactivekoyeb.snapshots.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.reactivekoyeb.snapshots.ErrorField;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.SnapshotType;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Streaming decoders for the replies the client reads, on Jackson's streaming parser alone.
 *
 * <p>They read the tokens once, field by field, and call the record constructors directly: no data
 * binding, so nothing here depends on the application's {@code ObjectMapper} or on a Jackson
 * data-binding major version. The rules are those of the wire format: unknown fields skipped,
 * absent fields null, 64-bit integers from numbers or numeric strings, unknown enum values
 * {@code UNKNOWN}. Anything else malformed is a {@link MalformedReplyException}
 * saying what was expected.
 *
 * <p>Only parser methods that every jackson-core 2.10 and later has are used, so that the
 * application's jackson-core (Spring Boot 3.5 manages 2.19, Boot 4.0 2.21) always suffices.
 */
final class WireDecoders {

    private WireDecoders() {
    }

    /** {@code {"snapshot": {...}}}, the reply of get, create, update and delete. */
    static WireJson.SnapshotReply snapshotReply(JsonParser p) throws IOException {
        startObject(p.nextToken(), "the reply");
        Snapshot snapshot = null;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken token = p.nextToken();
            if (name.equals("snapshot") && token != JsonToken.VALUE_NULL) {
                snapshot = snapshot(p, token);
            } else {
                p.skipChildren();
            }
        }
        endObject(p);
        return new WireJson.SnapshotReply(snapshot);
    }

    /** {@code ListSnapshotsReply}. */
    static ListSnapshotsReply listReply(JsonParser p) throws IOException {
        startObject(p.nextToken(), "the reply");
        List<Snapshot> snapshots = null;
        Long limit = null;
        Long offset = null;
        Boolean hasNext = null;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken token = p.nextToken();
            switch (name) {
                case "snapshots":
                    if (token == JsonToken.START_ARRAY) {
                        snapshots = new ArrayList<>(100);
                        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                            // a null element is kept, and refused with a clear message by the pager
                            snapshots.add(t == JsonToken.VALUE_NULL ? null : snapshot(p, t));
                        }
                    } else if (token != JsonToken.VALUE_NULL) {
                        throw unexpected(token, "an array for snapshots");
                    }
                    break;
                case "limit":
                    limit = int64(p, token, name);
                    break;
                case "offset":
                    offset = int64(p, token, name);
                    break;
                case "has_next":
                    hasNext = token == JsonToken.VALUE_NULL ? null : p.getValueAsBoolean();
                    break;
                default:
                    p.skipChildren();
            }
        }
        endObject(p);
        return new ListSnapshotsReply(snapshots, limit, offset, hasNext);
    }

    /**
     * An error body in any of the API's shapes: {@code Error} and {@code ErrorWithFields}
     * ({@code code} a string) or {@code google.rpc.Status} ({@code code} a number, given back as
     * its decimal string).
     *
     * @return the parts found, or null when the body is not a JSON object
     */
    static WireJson.@Nullable ErrorBody errorBody(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String code = null;
        String message = null;
        List<ErrorField> fields = new ArrayList<>();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken token = p.nextToken();
            switch (name) {
                case "code":
                    if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT) {
                        code = p.getText();
                    }
                    break;
                case "message":
                    if (token == JsonToken.VALUE_STRING) {
                        message = p.getText();
                    }
                    break;
                case "fields":
                    if (token == JsonToken.START_ARRAY) {
                        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                            if (t == JsonToken.START_OBJECT) {
                                Map<String, String> field = stringFields(p);
                                fields.add(new ErrorField(field.get("field"), field.get("description")));
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                    break;
                default:
            }
            p.skipChildren();
        }
        return new WireJson.ErrorBody(code, message, fields);
    }

    /**
     * The string members of the object the parser is on (its {@code START_OBJECT}); members of
     * other types are skipped. The parser ends on the object's {@code END_OBJECT}.
     */
    static Map<String, String> stringFields(JsonParser p) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            if (p.nextToken() == JsonToken.VALUE_STRING) {
                fields.put(name, p.getText());
            } else {
                p.skipChildren();
            }
        }
        return fields;
    }

    /** A {@code Snapshot} object; the parser is on its first token. */
    private static Snapshot snapshot(JsonParser p, JsonToken first) throws IOException {
        startObject(first, "a snapshot");
        String id = null;
        String name = null;
        Long size = null;
        Instant createdAt = null;
        Instant updatedAt = null;
        Instant deletedAt = null;
        String organizationId = null;
        String parentVolumeId = null;
        String region = null;
        SnapshotStatus status = null;
        SnapshotType type = null;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            JsonToken token = p.nextToken();
            switch (field) {
                case "id":
                    id = text(p, token, field);
                    break;
                case "name":
                    name = text(p, token, field);
                    break;
                case "size":
                    size = int64(p, token, field);
                    break;
                case "created_at":
                    createdAt = instant(p, token, field);
                    break;
                case "updated_at":
                    updatedAt = instant(p, token, field);
                    break;
                case "deleted_at":
                    deletedAt = instant(p, token, field);
                    break;
                case "organization_id":
                    organizationId = text(p, token, field);
                    break;
                case "parent_volume_id":
                    parentVolumeId = text(p, token, field);
                    break;
                case "region":
                    region = text(p, token, field);
                    break;
                case "status":
                    status = SnapshotStatus.fromWireValue(text(p, token, field));
                    break;
                case "type":
                    type = SnapshotType.fromWireValue(text(p, token, field));
                    break;
                default:
                    p.skipChildren();
            }
        }
        endObject(p);
        return new Snapshot(id, name, size, createdAt, updatedAt, deletedAt, organizationId, parentVolumeId, region,
                status, type);
    }

    private static void startObject(@Nullable JsonToken token, String what) {
        if (token != JsonToken.START_OBJECT) {
            throw unexpected(token, "an object for " + what);
        }
    }

    /** After the last member: the parser must be on the object's end, not on a member of another kind. */
    private static void endObject(JsonParser p) {
        JsonToken token = p.currentToken();
        if (token != JsonToken.END_OBJECT) {
            throw unexpected(token, "a member name or the end of the object");
        }
    }

    private static @Nullable String text(JsonParser p, JsonToken token, String field) throws IOException {
        if (token == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token.isScalarValue()) {
            return p.getText();
        }
        throw unexpected(token, "a string for " + field);
    }

    private static @Nullable Long int64(JsonParser p, JsonToken token, String field) throws IOException {
        switch (token) {
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_STRING: {
                String value = p.getText().trim();
                try {
                    return Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new MalformedReplyException(field + " is not a 64-bit integer: \""
                            + Text.truncate(value, 40) + "\"");
                }
            }
            case VALUE_NULL:
                return null;
            default:
                throw unexpected(token, "a 64-bit integer for " + field);
        }
    }

    private static @Nullable Instant instant(JsonParser p, JsonToken token, String field) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return Instant.ofEpochSecond(p.getLongValue());
        }
        if (token != JsonToken.VALUE_STRING) {
            throw unexpected(token, "an RFC 3339 timestamp for " + field);
        }
        String value = p.getText();
        if (value.isBlank()) {
            return null;
        }
        try {
            return Rfc3339.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new MalformedReplyException(field + " is not an RFC 3339 timestamp: \""
                    + Text.truncate(value, 40) + "\"");
        }
    }

    private static MalformedReplyException unexpected(@Nullable JsonToken token, String expected) {
        String found = token == null ? "the end of the body" : token.toString();
        return new MalformedReplyException("expected " + expected + ", found " + found);
    }
}
