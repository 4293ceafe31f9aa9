package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.SnapshotType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot's fields but its id in a compact byte form: what a watch keeps of each snapshot, a
 * few dozen bytes instead of the objects of a {@code Snapshot}. Two snapshots with the same
 * fields encode to the same bytes.
 */
final class SnapshotCodec {

    private SnapshotCodec() {
    }

    static byte[] encode(Snapshot s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            text(out, s.name());
            Long size = s.size();
            out.writeBoolean(size != null);
            if (size != null) {
                out.writeLong(size);
            }
            instant(out, s.createdAt());
            instant(out, s.updatedAt());
            instant(out, s.deletedAt());
            text(out, s.organizationId());
            text(out, s.parentVolumeId());
            text(out, s.region());
            out.writeByte(s.status() == null ? -1 : s.status().ordinal());
            out.writeByte(s.type() == null ? -1 : s.type().ordinal());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Snapshot decode(String id, byte[] fields) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(fields))) {
            String name = text(in);
            Long size = in.readBoolean() ? in.readLong() : null;
            Instant createdAt = instant(in);
            Instant updatedAt = instant(in);
            Instant deletedAt = instant(in);
            String organizationId = text(in);
            String parentVolumeId = text(in);
            String region = text(in);
            byte status = in.readByte();
            byte type = in.readByte();
            return new Snapshot(id, name, size, createdAt, updatedAt, deletedAt, organizationId, parentVolumeId, region,
                    status < 0 ? null : SnapshotStatus.values()[status], type < 0 ? null : SnapshotType.values()[type]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void text(DataOutputStream out, @Nullable String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static @Nullable String text(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void instant(DataOutputStream out, @Nullable Instant value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value.getEpochSecond());
            out.writeInt(value.getNano());
        }
    }

    private static @Nullable Instant instant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }
}
