package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.CreateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.ErrorField;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.UpdateSnapshotRequest;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The client's own JSON mapping of the wire format, independent of how the application configures
 * Jackson: unknown fields ignored, 64-bit integers read from numbers or numeric strings,
 * timestamps read leniently (RFC 3339 with {@code T} or a space, any offset).
 *
 * <p>With {@link WireDecoders}, the only code of the client that touches Jackson databind, so
 * that another Jackson major version can be supported by replacing these two classes.
 */
public final class WireJson {

    private static final WireJson INSTANCE = new WireJson();

    private final JsonMapper mapper;
    private final ObjectReader snapshotReplyReader;
    private final ObjectReader listReplyReader;

    private WireJson() {
        SimpleModule module = new SimpleModule("koyeb-wire");
        module.addDeserializer(Snapshot.class, new WireDecoders.SnapshotDecoder());
        module.addDeserializer(SnapshotReply.class, new WireDecoders.SnapshotReplyDecoder());
        module.addDeserializer(ListSnapshotsReply.class, new WireDecoders.ListReplyDecoder());
        this.mapper = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .addModule(module)
                .build();
        this.snapshotReplyReader = mapper.readerFor(SnapshotReply.class);
        this.listReplyReader = mapper.readerFor(ListSnapshotsReply.class);
        warmUp();
    }

    /**
     * Builds and caches every (de)serializer the client uses, here on the thread that builds the
     * client. Jackson creates them lazily under a lock; left to the first replies, event-loop
     * threads would contend for it and park.
     */
    private void warmUp() {
        String snapshot = "{\"id\":\"w\",\"name\":\"w\",\"size\":\"1\",\"created_at\":\"2026-01-01T00:00:00Z\","
                + "\"updated_at\":\"2026-01-01 00:00:00+00:00\",\"deleted_at\":null,\"organization_id\":\"o\","
                + "\"parent_volume_id\":\"v\",\"region\":\"r\",\"status\":\"SNAPSHOT_STATUS_AVAILABLE\","
                + "\"type\":\"SNAPSHOT_TYPE_LOCAL\"}";
        snapshotReplyReader.readValue("{\"snapshot\":" + snapshot + "}");
        listReplyReader.readValue("{\"snapshots\":[" + snapshot + "],\"limit\":\"1\",\"offset\":0,\"has_next\":false}");
        readErrorBody("{\"code\":\"c\",\"message\":\"m\",\"fields\":[{\"field\":\"f\",\"description\":\"d\"}]}");
        write(new CreateSnapshotRequest("v", "n", "p"));
        write(new UpdateSnapshotRequest("n"));
    }

    /**
     * The shared instance; thread-safe.
     *
     * @return the instance
     */
    public static WireJson get() {
        return INSTANCE;
    }

    /**
     * The mapper, for the fake server and tests in this library.
     *
     * @return the client's mapper
     */
    public JsonMapper mapper() {
        return mapper;
    }

    byte[] write(Object value) {
        return mapper.writeValueAsBytes(value);
    }

    SnapshotReply readSnapshotReply(InputStream in) {
        return snapshotReplyReader.readValue(in);
    }

    ListSnapshotsReply readListReply(InputStream in) {
        return listReplyReader.readValue(in);
    }

    /**
     * Reads an error body in any of the API's error shapes: {@code Error} and
     * {@code ErrorWithFields} ({@code code} a string) or {@code google.rpc.Status} ({@code code}
     * a number, given back as its decimal string).
     *
     * @return the parts found, or null when the body is not a JSON object
     */
    @Nullable ErrorBody readErrorBody(String body) {
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
        if (tree == null || !tree.isObject()) {
            return null;
        }
        JsonNode code = tree.get("code");
        String errorCode = null;
        if (code != null && code.isString()) {
            errorCode = code.stringValue();
        } else if (code != null && code.isIntegralNumber()) {
            errorCode = code.asString();
        }
        JsonNode message = tree.get("message");
        String errorMessage = message != null && message.isString() ? message.stringValue() : null;
        List<ErrorField> fields = new ArrayList<>();
        JsonNode fieldNodes = tree.get("fields");
        if (fieldNodes != null && fieldNodes.isArray()) {
            for (JsonNode node : fieldNodes.values()) {
                if (node.isObject()) {
                    fields.add(new ErrorField(textOrNull(node.get("field")), textOrNull(node.get("description"))));
                }
            }
        }
        return new ErrorBody(errorCode, errorMessage, fields);
    }

    private static @Nullable String textOrNull(@Nullable JsonNode node) {
        return node != null && node.isString() ? node.stringValue() : null;
    }

    /** The parts of an error body. */
    record ErrorBody(@Nullable String code, @Nullable String message, List<ErrorField> fields) {
    }

    /** The reply of get, create, update and delete: {@code {"snapshot": {...}}}. */
    record SnapshotReply(@com.fasterxml.jackson.annotation.JsonProperty("snapshot") @Nullable Snapshot snapshot) {
    }
}
