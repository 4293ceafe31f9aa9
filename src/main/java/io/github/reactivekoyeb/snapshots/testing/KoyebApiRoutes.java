package io.github.reactivekoyeb.snapshots.testing;

import io.github.reactivekoyeb.snapshots.ErrorField;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.SnapshotType;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The Koyeb Snapshots API's five operations over the {@link FakeSnapshotStore}, as Koyeb answers
 * them: paging with {@code limit} (default {@value FakeKoyebServer#DEFAULT_LIMIT}), {@code offset}
 * and {@code has_next}, the filters, creation in {@code CREATING}, renames, deletes through
 * {@code DELETING}, 400 with {@code fields}, 404, and 401 when a token is required and missing.
 */
final class KoyebApiRoutes {

    private static final String COLLECTION = "/v1/snapshots";

    /** What the store answers: a status and a JSON body. */
    record Reply(int status, String body) {
    }

    private final FakeSnapshotStore store;
    private final FakeJson json;
    private final String organizationId;
    private final String region;
    private final int maxLimit;
    private volatile @Nullable String token;

    KoyebApiRoutes(FakeSnapshotStore store, FakeJson json, @Nullable String token, String organizationId,
            String region, int maxLimit) {
        this.store = store;
        this.json = json;
        this.token = token;
        this.organizationId = organizationId;
        this.region = region;
        this.maxLimit = maxLimit;
    }

    void requireToken(@Nullable String token) {
        this.token = token;
    }

    Reply answer(RecordedRequest request) {
        String required = token;
        if (required != null && !("Bearer " + required).equals(request.header("authorization"))) {
            return error(401, "the token is missing or not valid");
        }
        String path = request.path();
        if (path.equals(COLLECTION)) {
            switch (request.method()) {
                case "GET":
                    return list(request);
                case "POST":
                    return create(request);
                default:
                    return error(405, "method not allowed");
            }
        }
        if (!path.startsWith(COLLECTION + "/") || path.indexOf('/', COLLECTION.length() + 1) >= 0) {
            return error(404, "no such route: " + path);
        }
        String id = URLDecoder.decode(path.substring(COLLECTION.length() + 1).replace("+", "%2B"),
                StandardCharsets.UTF_8);
        Snapshot result;
        switch (request.method()) {
            case "GET":
                result = store.get(id);
                break;
            case "POST": {
                Map<String, String> body = FakeJson.stringFields(request.body());
                if (body == null) {
                    return validation("name", "body is not a JSON object");
                }
                result = store.rename(id, body.get("name"));
                break;
            }
            case "DELETE":
                result = store.delete(id);
                break;
            default:
                return error(405, "method not allowed");
        }
        return result == null ? error(404, "Snapshot not found") : new Reply(200, json.snapshotReply(result));
    }

    private Reply list(RecordedRequest request) {
        long offset;
        int limit;
        try {
            String o = request.queryParameter("offset");
            String l = request.queryParameter("limit");
            offset = o == null || o.isEmpty() ? 0 : Long.parseLong(o);
            limit = l == null || l.isEmpty() ? FakeKoyebServer.DEFAULT_LIMIT : Integer.parseInt(l);
        } catch (NumberFormatException e) {
            return validation("limit", "limit and offset must be integers");
        }
        if (offset < 0 || limit < 0) {
            return validation(offset < 0 ? "offset" : "limit", "must not be negative");
        }
        if (limit == 0) {
            limit = FakeKoyebServer.DEFAULT_LIMIT;
        }
        limit = Math.min(limit, maxLimit);
        Set<SnapshotStatus> statuses = EnumSet.noneOf(SnapshotStatus.class);
        for (String s : request.queryParameters("statuses")) {
            SnapshotStatus status = SnapshotStatus.fromWireValue(s);
            if (status == null || status == SnapshotStatus.UNKNOWN) {
                return validation("statuses", "unknown status " + s);
            }
            statuses.add(status);
        }
        FakeSnapshotStore.Page page = store.page(FakeSnapshotStore.filter(request.queryParameter("organization_id"),
                statuses, request.queryParameter("region")), offset, limit);
        boolean hasNext = offset + limit < page.total();
        return new Reply(200, json.listReply(page.items(), limit, offset, hasNext));
    }

    private Reply create(RecordedRequest request) {
        Map<String, String> body = FakeJson.stringFields(request.body());
        String parent = body == null ? null : body.get("parent_volume_id");
        if (body == null || parent == null || parent.isBlank()) {
            return validation("parent_volume_id", "must be set to the id of the volume to snapshot");
        }
        Instant now = store.now();
        Snapshot created = store.create(new Snapshot(newId(), body.get("name"), 10_737_418_240L,
                now, now, null, organizationId, parent, region, SnapshotStatus.CREATING, SnapshotType.LOCAL));
        return new Reply(200, json.snapshotReply(created));
    }

    /** A random version-4 UUID; UUID.randomUUID() would read /dev/urandom on the event loop. */
    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low).toString();
    }

    static Reply error(int status, String message) {
        return new Reply(status, FakeJson.errorBody(status, codeFor(status), message, List.of()));
    }

    private static Reply validation(String field, String description) {
        return new Reply(400, FakeJson.errorBody(400, "invalid_argument", "validation error",
                List.of(new ErrorField(field, description))));
    }

    /** The {@code code} Koyeb's error bodies give a status. */
    static String codeFor(int status) {
        switch (status) {
            case 400:
                return "invalid_argument";
            case 401:
                return "unauthenticated";
            case 403:
                return "permission_denied";
            case 404:
                return "not_found";
            case 429:
                return "resource_exhausted";
            case 503:
                return "unavailable";
            default:
                return HttpResponseStatus.valueOf(status).reasonPhrase().toLowerCase(Locale.ROOT).replace(' ', '_');
        }
    }
}
