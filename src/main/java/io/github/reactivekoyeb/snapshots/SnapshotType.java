package io.github.reactivekoyeb.snapshots;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link Snapshot} is stored, as sent on the wire ({@code SNAPSHOT_TYPE_<NAME>}).
 *
 * <p>A value the client does not know reads as {@link #UNKNOWN}, never as an error.
 */
public enum SnapshotType {
    /** The protobuf zero value: the server did not set a type. */
    INVALID,
    /** The snapshot is local to the machine. */
    LOCAL,
    /** The snapshot is remote, in cold storage. */
    REMOTE,
    /** A type this version of the client does not know; never sent by the client. */
    UNKNOWN;

    private static final String PREFIX = "SNAPSHOT_TYPE_";

    private final String wireValue = PREFIX + name();

    /**
     * The string used on the wire, e.g. {@code SNAPSHOT_TYPE_LOCAL}.
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
     * @param value the wire string, e.g. {@code SNAPSHOT_TYPE_REMOTE}
     * @return the matching type, {@link #UNKNOWN} for an unknown value, or null for null
     */
    @JsonCreator
    public static @Nullable SnapshotType fromWireValue(@Nullable String value) {
        if (value == null) {
            return null;
        }
        for (SnapshotType type : values()) {
            if (type != UNKNOWN && type.wireValue.equals(value)) {
                return type;
            }
        }
        return UNKNOWN;
    }

    /**
     * The types the API defines, that is every constant but {@link #UNKNOWN}.
     *
     * @return a new mutable set of the known types
     */
    public static Set<SnapshotType> knownValues() {
        return EnumSet.complementOf(EnumSet.of(UNKNOWN));
    }
}
