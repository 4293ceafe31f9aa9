package io.github.reactivekoyeb.snapshots.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.reactivekoyeb.snapshots.Snapshot;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The wire form of a list reply; absent fields are null so the pager can tell "absent" from 0.
 *
 * @param snapshots the page's snapshots, null when absent
 * @param limit the limit the server applied, null when absent
 * @param offset the offset of the page, null when absent
 * @param hasNext whether more follow, null when absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
record ListSnapshotsReply(
        @JsonProperty("snapshots") @Nullable List<Snapshot> snapshots,
        @JsonProperty("limit") @Nullable Long limit,
        @JsonProperty("offset") @Nullable Long offset,
        @JsonProperty("has_next") @Nullable Boolean hasNext) {
}
