package io.github.reactivekoyeb.snapshots;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A volume snapshot: local, on a node, or remote, in cold storage.
 *
 * <p>Immutable. Every field may be absent from a reply and then reads as null (an absent
 * {@code status} is null, not {@link SnapshotStatus#INVALID}). JSON names are snake_case, as on
 * the wire; unknown JSON fields are ignored. An application's own Jackson mapper (Jackson 2 or 3)
 * writes the members in the wire's order and the timestamps as RFC 3339 strings, whatever its
 * defaults.
 *
 * @param id the identifier of the snapshot
 * @param name the snapshot name
 * @param size the original volume size (a 64-bit integer; read from a JSON number or a numeric
 *     string)
 * @param createdAt creation timestamp
 * @param updatedAt last change timestamp
 * @param deletedAt deletion timestamp
 * @param organizationId the organization the snapshot belongs to
 * @param parentVolumeId the volume the snapshot was created from
 * @param region the region where the snapshot resides, if any
 * @param status the life-cycle status
 * @param type local or remote
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "name", "size", "created_at", "updated_at", "deleted_at", "organization_id",
    "parent_volume_id", "region", "status", "type"})
public record Snapshot(
        @JsonProperty("id") @Nullable String id,
        @JsonProperty("name") @Nullable String name,
        @JsonProperty("size") @Nullable Long size,
        @JsonProperty("created_at") @JsonFormat(shape = JsonFormat.Shape.STRING) @Nullable Instant createdAt,
        @JsonProperty("updated_at") @JsonFormat(shape = JsonFormat.Shape.STRING) @Nullable Instant updatedAt,
        @JsonProperty("deleted_at") @JsonFormat(shape = JsonFormat.Shape.STRING) @Nullable Instant deletedAt,
        @JsonProperty("organization_id") @Nullable String organizationId,
        @JsonProperty("parent_volume_id") @Nullable String parentVolumeId,
        @JsonProperty("region") @Nullable String region,
        @JsonProperty("status") @Nullable SnapshotStatus status,
        @JsonProperty("type") @Nullable SnapshotType type) {

    /**
     * A copy of this snapshot with another name.
     *
     * @param newName the name of the copy
     * @return a new snapshot, equal to this one but for its name
     */
    public Snapshot withName(@Nullable String newName) {
        return new Snapshot(id, newName, size, createdAt, updatedAt, deletedAt, organizationId,
                parentVolumeId, region, status, type);
    }
}
