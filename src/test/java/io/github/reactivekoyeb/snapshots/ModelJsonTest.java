package io.github.reactivekoyeb.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.testing.FakeResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The models as read from real replies: snake_case, unknown fields, absent fields, int64, enums. */
class ModelJsonTest extends FakeServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Snapshot getWithReply(String json) {
        server.enqueue(FakeResponse.json(200, json));
        return client().getSnapshot("x").block(TIMEOUT);
    }

    @Test
    void everyFieldIsReadFromSnakeCase() {
        Snapshot s = getWithReply("""
                {"snapshot":{"id":"s1","name":"daily","size":"21474836480",
                 "created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:06.123456Z",
                 "deleted_at":"2026-01-03T00:00:00+02:00","organization_id":"org1",
                 "parent_volume_id":"vol1","region":"fra","status":"SNAPSHOT_STATUS_AVAILABLE",
                 "type":"SNAPSHOT_TYPE_REMOTE"}}""");
        assertThat(s).isEqualTo(new Snapshot("s1", "daily", 21_474_836_480L, Instant.parse("2026-01-02T03:04:05Z"),
                Instant.parse("2026-01-02T03:04:06.123456Z"), Instant.parse("2026-01-02T22:00:00Z"), "org1", "vol1",
                "fra", SnapshotStatus.AVAILABLE, SnapshotType.REMOTE));
    }

    @Test
    void timestampsAreReadLeniently() {
        Snapshot s = getWithReply("{\"snapshot\":{\"id\":\"s\",\"created_at\":\"2000-01-23 04:56:07+00:00\","
                + "\"updated_at\":\"2000-01-23T04:56:07.5+0130\",\"deleted_at\":\"2000-01-23T04:56:07\"}}");
        assertThat(s.createdAt()).isEqualTo(Instant.parse("2000-01-23T04:56:07Z"));
        assertThat(s.updatedAt()).isEqualTo(Instant.parse("2000-01-23T03:26:07.5Z"));
        assertThat(s.deletedAt()).isEqualTo(Instant.parse("2000-01-23T04:56:07Z"));
    }

    @Test
    void sizeIsReadFromAJsonNumberBeyondIntRange() {
        assertThat(getWithReply("{\"snapshot\":{\"id\":\"s\",\"size\":9007199254740993}}").size())
                .isEqualTo(9_007_199_254_740_993L);
    }

    @Test
    void sizeIsReadFromANumericString() {
        assertThat(getWithReply("{\"snapshot\":{\"id\":\"s\",\"size\":\"9223372036854775807\"}}").size())
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void unknownFieldsAreIgnored() {
        Snapshot s = getWithReply("{\"snapshot\":{\"id\":\"s\",\"brand_new\":{\"a\":[1,2]},\"x\":1},\"extra\":true}");
        assertThat(s.id()).isEqualTo("s");
    }

    @Test
    void absentFieldsReadAsNullAndAbsentStatusIsNotInvalid() {
        Snapshot s = getWithReply("{\"snapshot\":{\"id\":\"s\"}}");
        assertThat(s).isEqualTo(new Snapshot("s", null, null, null, null, null, null, null, null, null, null));
    }

    @Test
    void unknownEnumValuesReadAsUnknown() {
        Snapshot s = getWithReply("{\"snapshot\":{\"id\":\"s\",\"status\":\"SNAPSHOT_STATUS_FROZEN\","
                + "\"type\":\"SNAPSHOT_TYPE_TAPE\"}}");
        assertThat(s.status()).isEqualTo(SnapshotStatus.UNKNOWN);
        assertThat(s.type()).isEqualTo(SnapshotType.UNKNOWN);
    }

    @Test
    void everyWireStatusAndTypeIsKnown() {
        for (SnapshotStatus status : SnapshotStatus.knownValues()) {
            assertThat(status.wireValue()).isEqualTo("SNAPSHOT_STATUS_" + status.name());
            assertThat(SnapshotStatus.fromWireValue(status.wireValue())).isEqualTo(status);
        }
        for (SnapshotType type : SnapshotType.knownValues()) {
            assertThat(type.wireValue()).isEqualTo("SNAPSHOT_TYPE_" + type.name());
            assertThat(SnapshotType.fromWireValue(type.wireValue())).isEqualTo(type);
        }
        assertThat(SnapshotStatus.knownValues()).doesNotContain(SnapshotStatus.UNKNOWN).hasSize(6);
        assertThat(SnapshotType.knownValues()).doesNotContain(SnapshotType.UNKNOWN).hasSize(3);
        assertThat(SnapshotStatus.fromWireValue("AVAILABLE")).isEqualTo(SnapshotStatus.UNKNOWN);
    }

    @Test
    void listReplyWithoutSnapshotsIsAnEmptyPage() {
        server.enqueue(FakeResponse.json(200, "{\"limit\":\"10\",\"offset\":\"0\",\"has_next\":false}"));
        StepVerifier.create(client().listSnapshotPages(ListSnapshotsRequest.builder().pageSize(10).build()))
                .assertNext(page -> {
                    assertThat(page.snapshots()).isEmpty();
                    assertThat(page.hasNext()).isFalse();
                    assertThat(page.limit()).isEqualTo(10);
                    assertThat(page.offset()).isZero();
                })
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void listLimitAndOffsetAreReadFromNumbersOrStrings() {
        server.enqueue(FakeResponse.json(200, "{\"snapshots\":[{\"id\":\"a\"}],\"limit\":2,\"offset\":\"7\",\"has_next\":true}"));
        server.enqueue(FakeResponse.json(200, "{\"snapshots\":[],\"limit\":\"2\",\"offset\":9,\"has_next\":false}"));
        StepVerifier.create(client().listSnapshotPages(ListSnapshotsRequest.builder().pageSize(2).startOffset(7).build()))
                .assertNext(page -> assertThat(page.offset()).isEqualTo(7))
                .assertNext(page -> assertThat(page.offset()).isEqualTo(9))
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(server.requests().get(1).queryParameter("offset")).isEqualTo("9");
    }

    @Test
    void createRequestIsSentInSnakeCaseWithoutNulls() {
        StepVerifier.create(client().createSnapshot(new CreateSnapshotRequest("vol-1", "nightly", null)))
                .assertNext(s -> assertThat(s.parentVolumeId()).isEqualTo("vol-1"))
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(server.lastRequest().body()).isEqualTo("{\"parent_volume_id\":\"vol-1\",\"name\":\"nightly\"}");
    }

    @Test
    void updateRequestIsSentInSnakeCase() {
        server.seed(1);
        StepVerifier.create(client().updateSnapshot("snap-000001", new UpdateSnapshotRequest("renamed")))
                .assertNext(s -> assertThat(s.name()).isEqualTo("renamed"))
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(server.lastRequest().body()).isEqualTo("{\"name\":\"renamed\"}");
    }

    @Test
    void pagesAndRequestsAreImmutable() {
        ListSnapshotsRequest request = ListSnapshotsRequest.builder().statuses(SnapshotStatus.AVAILABLE).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> request.statuses().add(SnapshotStatus.CREATING))
                .isInstanceOf(UnsupportedOperationException.class);
        java.util.List<Snapshot> items = new java.util.ArrayList<>();
        SnapshotPage page = new SnapshotPage(items, 0, 10, false);
        items.add(new Snapshot("a", null, null, null, null, null, null, null, null, null, null));
        assertThat(page.snapshots()).isEmpty();
    }
}
