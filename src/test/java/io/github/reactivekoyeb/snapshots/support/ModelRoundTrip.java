package io.github.reactivekoyeb.snapshots.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.CreateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.ErrorField;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotPage;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.SnapshotType;
import io.github.reactivekoyeb.snapshots.UpdateSnapshotRequest;
import java.time.Instant;
import java.util.List;

/**
 * The checks every application mapper must pass, Jackson 2 or 3: the models render with the wire's
 * names, members and timestamps exactly as below, whatever the mapper, and read back equal.
 */
public final class ModelRoundTrip {

    /** A snapshot with every member set. */
    public static final Snapshot FULL = new Snapshot("s1", "daily", 21_474_836_480L,
            Instant.parse("2026-01-02T03:04:05Z"), Instant.parse("2026-01-02T03:04:06.123456Z"),
            Instant.parse("2026-01-03T00:00:00Z"), "org1", "vol1", "fra", SnapshotStatus.AVAILABLE,
            SnapshotType.REMOTE);

    /** {@link #FULL} as every mapper must write it. */
    public static final String FULL_JSON = "{\"id\":\"s1\",\"name\":\"daily\",\"size\":21474836480,"
            + "\"created_at\":\"2026-01-02T03:04:05Z\",\"updated_at\":\"2026-01-02T03:04:06.123456Z\","
            + "\"deleted_at\":\"2026-01-03T00:00:00Z\",\"organization_id\":\"org1\",\"parent_volume_id\":\"vol1\","
            + "\"region\":\"fra\",\"status\":\"SNAPSHOT_STATUS_AVAILABLE\",\"type\":\"SNAPSHOT_TYPE_REMOTE\"}";

    private ModelRoundTrip() {
    }

    /** Runs every check on the mapper. */
    public static void check(AppJson json) {
        assertThat(json.write(FULL)).isEqualTo(FULL_JSON);
        assertThat(json.read(FULL_JSON, Snapshot.class)).isEqualTo(FULL);

        Snapshot sparse = new Snapshot("s2", null, null, null, null, null, null, "vol2", null, null, null);
        assertThat(json.write(sparse)).isEqualTo("{\"id\":\"s2\",\"parent_volume_id\":\"vol2\"}");
        assertThat(json.read(json.write(sparse), Snapshot.class)).isEqualTo(sparse);

        // what the wire may hold: int64 as a string, unknown members and enum values
        Snapshot wire = json.read("{\"id\":\"a\",\"parent_volume_id\":\"v\",\"size\":\"5\","
                + "\"status\":\"SNAPSHOT_STATUS_NEW\",\"created_at\":\"2026-01-01T00:00:00Z\",\"future\":1}",
                Snapshot.class);
        assertThat(wire).isEqualTo(new Snapshot("a", null, 5L, Instant.parse("2026-01-01T00:00:00Z"), null, null, null,
                "v", null, SnapshotStatus.UNKNOWN, null));
        assertThat(json.write(wire)).contains("\"status\":\"SNAPSHOT_STATUS_UNKNOWN\"");

        SnapshotPage page = new SnapshotPage(List.of(FULL, sparse), 10, 2, true);
        String pageJson = json.write(page);
        assertThat(pageJson).isEqualTo("{\"snapshots\":[" + FULL_JSON
                + ",{\"id\":\"s2\",\"parent_volume_id\":\"vol2\"}],\"offset\":10,\"limit\":2,\"has_next\":true}");
        assertThat(json.read(pageJson, SnapshotPage.class)).isEqualTo(page);
        assertThat(json.read("{\"offset\":\"10\",\"limit\":5,\"has_next\":true}", SnapshotPage.class))
                .isEqualTo(new SnapshotPage(List.of(), 10, 5, true));

        CreateSnapshotRequest create = new CreateSnapshotRequest("v", "n", "p");
        assertThat(json.write(create)).isEqualTo("{\"parent_volume_id\":\"v\",\"name\":\"n\",\"project_id\":\"p\"}");
        assertThat(json.read(json.write(create), CreateSnapshotRequest.class)).isEqualTo(create);
        assertThat(json.write(CreateSnapshotRequest.of("v", "n"))).isEqualTo("{\"parent_volume_id\":\"v\",\"name\":\"n\"}");

        UpdateSnapshotRequest update = new UpdateSnapshotRequest("renamed");
        assertThat(json.write(update)).isEqualTo("{\"name\":\"renamed\"}");
        assertThat(json.read(json.write(update), UpdateSnapshotRequest.class)).isEqualTo(update);

        ErrorField field = new ErrorField("name", "too long");
        assertThat(json.read(json.write(field), ErrorField.class)).isEqualTo(field);
    }
}
