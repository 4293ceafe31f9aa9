package io.github.reactivekoyeb.snapshots;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The life-cycle status of a {@link Snapshot}, as sent on the wire ({@code SNAPSHOT_STATUS_<NAME>}).
 *
 * <p>A value the client does not know reads as {@link #UNKNOWN}, never as an error, so a new
 * status added by Koyeb does not break existing applications.
 */
public enum SnapshotStatus {
    /** The protobuf zero value: the server did not set a status. */
    INVALID,
    /** The snapshot is being created. */
    CREATING,
    /** The snapshot is complete and available. */
    AVAILABLE,
    /** The snapshot is being migrated. */
    MIGRATING,
    /** The snapshot is being deleted. */
    DELETING,
    /** The snapshot is deleted. */
    DELETED,
    /** A status this version of the client does not know; never sent by the client. */
    UNKNOWN;

    private static final String PREFIX = "SNAPSHOT_STATUS_";

    private final String wireValue = PREFIX + name();

    /**
     * The string used on the wire, e.g. {@code SNAPSHOT_STATUS_AVAILABLE}.
     *
     * @return the wire value
     */
    @JsonValue
    public String wireValue() {
        return wireValue;
    }

    /**
     * Reads a wire value. Never throws: a value that is not known gives {@link #UNKNOWN}.
     *
     * @param value the wire string, e.g. {@code SNAPSHOT_STATUS_AVAILABLE}
     * @return the matching status, {@link #UNKNOWN} for an unknown value, or null for null
     */
    @JsonCreator
    public static @Nullable SnapshotStatus fromWireValue(@Nullable String value) {
        if (value == null) {
            return null;
        }
        for (SnapshotStatus status : values()) {
            if (status != UNKNOWN && status.wireValue.equals(value)) {
                return status;
            }
        }
        return UNKNOWN;
    }

    /**
     * The statuses the API defines, that is every constant but {@link #UNKNOWN}.
     *
     * @return a new mutable set of the known statuses
     */
    public static Set<SnapshotStatus> knownValues() {
        return EnumSet.complementOf(EnumSet.of(UNKNOWN));
    }
}
