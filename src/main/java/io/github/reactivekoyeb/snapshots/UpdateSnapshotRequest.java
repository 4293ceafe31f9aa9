package io.github.reactivekoyeb.snapshots;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@link ReactiveSnapshotsClient#updateSnapshot(String, UpdateSnapshotRequest)}.
 *
 * <p>Immutable. A null field is left out of the JSON body.
 *
 * @param name the new name of the snapshot
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpdateSnapshotRequest(@JsonProperty("name") @Nullable String name) {
}
