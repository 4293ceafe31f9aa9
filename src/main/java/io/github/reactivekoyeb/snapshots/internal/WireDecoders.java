package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.SnapshotType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Streaming decoders for the replies the client reads on every call, registered on the client's
 * own mapper only (applications' mappers read the annotated records as usual).
 *
 * <p>Generic data binding builds each record through a method handle invoked with an argument
 * array, and a timestamp through {@code DateTimeFormatter}; for a page of 100 snapshots those two
 * were most of the decoding time. These read the tokens once, field by field, and call the record
 * constructors directly. The rules are those of the wire format: unknown fields skipped, absent
 * fields null, 64-bit integers from numbers or numeric strings, unknown enum values
 * {@code UNKNOWN}; anything else malformed is reported as Jackson reports it.
 */
final class WireDecoders {

    private WireDecoders() {
    }

    /** A {@code Snapshot} object. */
    static final class SnapshotDecoder extends ValueDeserializer<Snapshot> {

        @Override
        public Snapshot deserialize(JsonParser p, DeserializationContext ctxt) {
            return readSnapshot(p, ctxt);
        }
    }

    /** {@code {"snapshot": {...}}}, the reply of get, create, update and delete. */
    static final class SnapshotReplyDecoder extends ValueDeserializer<WireJson.SnapshotReply> {

        @Override
        public WireJson.SnapshotReply deserialize(JsonParser p, DeserializationContext ctxt) {
            startObject(p, ctxt, WireJson.SnapshotReply.class);
            Snapshot snapshot = null;
            for (String name = firstName(p); name != null; name = p.nextName()) {
                JsonToken token = p.nextToken();
                if (name.equals("snapshot") && token != JsonToken.VALUE_NULL) {
                    snapshot = readSnapshot(p, ctxt);
                } else {
                    p.skipChildren();
                }
            }
            return new WireJson.SnapshotReply(snapshot);
        }
    }

    /** {@code ListSnapshotsReply}. */
    static final class ListReplyDecoder extends ValueDeserializer<ListSnapshotsReply> {

        @Override
        public ListSnapshotsReply deserialize(JsonParser p, DeserializationContext ctxt) {
            startObject(p, ctxt, ListSnapshotsReply.class);
            List<Snapshot> snapshots = null;
            Long limit = null;
            Long offset = null;
            Boolean hasNext = null;
            for (String name = firstName(p); name != null; name = p.nextName()) {
                JsonToken token = p.nextToken();
                switch (name) {
                    case "snapshots":
                        if (token == JsonToken.START_ARRAY) {
                            snapshots = new ArrayList<>(100);
                            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                                snapshots.add(t == JsonToken.VALUE_NULL ? null : readSnapshot(p, ctxt));
                            }
                        } else if (token != JsonToken.VALUE_NULL) {
                            ctxt.handleUnexpectedToken(List.class, p);
                        }
                        break;
                    case "limit":
                        limit = int64(p, ctxt, token);
                        break;
                    case "offset":
                        offset = int64(p, ctxt, token);
                        break;
                    case "has_next":
                        hasNext = token == JsonToken.VALUE_NULL ? null : p.getValueAsBoolean();
                        break;
                    default:
                        p.skipChildren();
                }
            }
            return new ListSnapshotsReply(snapshots, limit, offset, hasNext);
        }
    }

    private static Snapshot readSnapshot(JsonParser p, DeserializationContext ctxt) {
        startObject(p, ctxt, Snapshot.class);
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
        for (String field = firstName(p); field != null; field = p.nextName()) {
            JsonToken token = p.nextToken();
            switch (field) {
                case "id":
                    id = text(p, ctxt, token);
                    break;
                case "name":
                    name = text(p, ctxt, token);
                    break;
                case "size":
                    size = int64(p, ctxt, token);
                    break;
                case "created_at":
                    createdAt = instant(p, ctxt, token);
                    break;
                case "updated_at":
                    updatedAt = instant(p, ctxt, token);
                    break;
                case "deleted_at":
                    deletedAt = instant(p, ctxt, token);
                    break;
                case "organization_id":
                    organizationId = text(p, ctxt, token);
                    break;
                case "parent_volume_id":
                    parentVolumeId = text(p, ctxt, token);
                    break;
                case "region":
                    region = text(p, ctxt, token);
                    break;
                case "status":
                    status = SnapshotStatus.fromWireValue(text(p, ctxt, token));
                    break;
                case "type":
                    type = SnapshotType.fromWireValue(text(p, ctxt, token));
                    break;
                default:
                    p.skipChildren();
            }
        }
        return new Snapshot(id, name, size, createdAt, updatedAt, deletedAt, organizationId, parentVolumeId, region,
                status, type);
    }

    private static void startObject(JsonParser p, DeserializationContext ctxt, Class<?> type) {
        JsonToken token = p.currentToken();
        if (token != JsonToken.START_OBJECT && token != JsonToken.PROPERTY_NAME && token != JsonToken.END_OBJECT) {
            ctxt.handleUnexpectedToken(type, p);
        }
    }

    /** The first property name: the parser is on START_OBJECT, or already on the first name. */
    private static @Nullable String firstName(JsonParser p) {
        JsonToken token = p.currentToken();
        if (token == JsonToken.START_OBJECT) {
            return p.nextName();
        }
        return token == JsonToken.PROPERTY_NAME ? p.currentName() : null;
    }

    private static @Nullable String text(JsonParser p, DeserializationContext ctxt, JsonToken token) {
        if (token == JsonToken.VALUE_STRING) {
            return p.getString();
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token.isScalarValue()) {
            return p.getValueAsString();
        }
        return (String) ctxt.handleUnexpectedToken(String.class, p);
    }

    private static @Nullable Long int64(JsonParser p, DeserializationContext ctxt, JsonToken token) {
        switch (token) {
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_STRING: {
                String value = p.getString().trim();
                try {
                    return Long.parseLong(value);
                } catch (NumberFormatException e) {
                    return (Long) ctxt.handleWeirdStringValue(Long.class, value, "not a 64-bit integer");
                }
            }
            case VALUE_NULL:
                return null;
            default:
                return (Long) ctxt.handleUnexpectedToken(Long.class, p);
        }
    }

    private static @Nullable Instant instant(JsonParser p, DeserializationContext ctxt, JsonToken token) {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return Instant.ofEpochSecond(p.getLongValue());
        }
        if (token != JsonToken.VALUE_STRING) {
            return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
        }
        String value = p.getString();
        if (value.isBlank()) {
            return null;
        }
        try {
            return Rfc3339.parse(value.trim());
        } catch (DateTimeParseException e) {
            return (Instant) ctxt.handleWeirdStringValue(Instant.class, value, "not an RFC 3339 timestamp");
        }
    }
}
