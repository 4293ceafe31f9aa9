package io.github.reactivekoyeb.snapshots;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@link ReactiveSnapshotsClient#createSnapshot(CreateSnapshotRequest)}.
 *
 * <p>Immutable. Null fields are left out of the JSON body. The client does not check the fields:
 * the server answers a missing {@code parentVolumeId} with a {@link KoyebValidationException}
 * naming the field.
 *
 * @param parentVolumeId the id of the volume to snapshot
 * @param name the name of the snapshot
 * @param projectId optional: the project to associate the snapshot with
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"parent_volume_id", "name", "project_id"})
public record CreateSnapshotRequest(
        @JsonProperty("parent_volume_id") @Nullable String parentVolumeId,
        @JsonProperty("name") @Nullable String name,
        @JsonProperty("project_id") @Nullable String projectId) {

    /**
     * A request without a project.
     *
     * @param parentVolumeId the id of the volume to snapshot
     * @param name the name of the snapshot
     * @return a new request
     */
    public static CreateSnapshotRequest of(String parentVolumeId, String name) {
        return new CreateSnapshotRequest(parentVolumeId, name, null);
    }
}
