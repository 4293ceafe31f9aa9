package io.github.reactivekoyeb.snapshots.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.github.reactivekoyeb.snapshots.CreateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.ErrorField;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.UpdateSnapshotRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The client's own JSON reading and writing of the wire format, on Jackson's streaming API
 * ({@code com.fasterxml.jackson.core:jackson-core}) alone.
 *
 * <p>Why the streaming API of Jackson 2: it is the one JSON library that every supported line
 * already manages (Spring Boot 3.5's BOM at 2.19, Boot 4's at 2.21 beside Jackson 3), it has kept
 * its API since 2.0, and it needs no data-binding module. So the library brings no Jackson
 * data binding of either major version into an application, upgrades nothing the application's
 * BOM manages, and is independent of how the application configures its {@code ObjectMapper} or
 * {@code JsonMapper}. The models keep their Jackson annotations, so that the application's own
 * mapper (Jackson 2 or 3) reads and writes them in the wire's snake_case.
 *
 * <p>Reading: unknown fields ignored, 64-bit integers from numbers or numeric strings, timestamps
 * read leniently (RFC 3339 with {@code T} or a space, any offset); see {@link WireDecoders}.
 * Writing (the request bodies): null members are left out. The fake server of the
 * {@code testing} package writes its JSON itself.
 */
final class WireJson {

    private static final WireJson INSTANCE = new WireJson();

    private final JsonFactory factory;

    private WireJson() {
        this.factory = new JsonFactory();
        warmUp();
    }

    /**
     * Loads every class the reading and writing paths use, here on the thread that builds the
     * client, rather than lazily on an event loop.
     */
    private void warmUp() {
        String snapshot = "{\"id\":\"w\",\"name\":\"w\",\"size\":\"1\",\"created_at\":\"2026-01-01T00:00:00Z\","
                + "\"updated_at\":\"2026-01-01 00:00:00+00:00\",\"deleted_at\":null,\"organization_id\":\"o\","
                + "\"parent_volume_id\":\"v\",\"region\":\"r\",\"status\":\"SNAPSHOT_STATUS_AVAILABLE\","
                + "\"type\":\"SNAPSHOT_TYPE_LOCAL\"}";
        readSnapshotReply(utf8("{\"snapshot\":" + snapshot + "}"));
        readListReply(utf8("{\"snapshots\":[" + snapshot + "],\"limit\":\"1\",\"offset\":0,\"has_next\":false}"));
        readErrorBody("{\"code\":\"c\",\"message\":\"m\",\"fields\":[{\"field\":\"f\",\"description\":\"d\"}]}");
        write(new CreateSnapshotRequest("v", "n", "p"));
        write(new UpdateSnapshotRequest("n"));
    }

    private static InputStream utf8(String json) {
        return new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The shared instance; thread-safe. */
    static WireJson get() {
        return INSTANCE;
    }

    byte[] write(CreateSnapshotRequest request) {
        return bytes(g -> {
            g.writeStartObject();
            field(g, "parent_volume_id", request.parentVolumeId());
            field(g, "name", request.name());
            field(g, "project_id", request.projectId());
            g.writeEndObject();
        });
    }

    byte[] write(UpdateSnapshotRequest request) {
        return bytes(g -> {
            g.writeStartObject();
            field(g, "name", request.name());
            g.writeEndObject();
        });
    }

    SnapshotReply readSnapshotReply(InputStream in) {
        try (JsonParser p = factory.createParser(in)) {
            return WireDecoders.snapshotReply(p);
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    /** Reads a list reply; a {@code MalformedReplyException} when the body is not one. */
    ListSnapshotsReply readListReply(InputStream in) {
        try (JsonParser p = factory.createParser(in)) {
            return WireDecoders.listReply(p);
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    /** Reads an error body in any of the API's error shapes; null when the body is not a JSON object. */
    @Nullable ErrorBody readErrorBody(String body) {
        try (JsonParser p = factory.createParser(body)) {
            return WireDecoders.errorBody(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static MalformedReplyException malformed(IOException e) {
        // jackson-core's message ends with the source location, which quotes the body: keep it short
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int location = message.indexOf("\n at [");
        return new MalformedReplyException(location < 0 ? message : message.substring(0, location));
    }

    private static void field(JsonGenerator g, String name, @Nullable String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private byte[] bytes(Writer writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = factory.createGenerator(out)) {
            writer.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes one JSON value. */
    @FunctionalInterface
    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    /** The parts of an error body. */
    record ErrorBody(@Nullable String code, @Nullable String message, List<ErrorField> fields) {
    }

    /** The reply of get, create, update and delete: {@code {"snapshot": {...}}}. */
    record SnapshotReply(@Nullable Snapshot snapshot) {
    }
}
