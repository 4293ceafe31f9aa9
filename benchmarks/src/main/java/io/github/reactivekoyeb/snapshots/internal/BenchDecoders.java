package io.github.reactivekoyeb.snapshots.internal;

import java.io.InputStream;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The benchmark's way in to the client's own list-reply decoder, which the library keeps
 * package-private: floor (b') of S1 measures that decoder alone, under Reactor Netty.
 */
public final class BenchDecoders {

    private BenchDecoders() {
    }

    /**
     * The client's streaming decoder of a one-snapshot reply ({@code {"snapshot": {...}}}).
     *
     * @return the snapshot a body holds, as the decoder reads it
     */
    public static java.util.function.Function<InputStream, Object> snapshotDecoder() {
        return in -> WireJson.get().readSnapshotReply(in).snapshot();
    }

    /**
     * The client's streaming decoder of a list reply.
     *
     * @return how many snapshots a body holds, as the decoder reads it
     */
    public static ToIntFunction<InputStream> clientDecoder() {
        return in -> {
            List<?> snapshots = WireJson.get().readListReply(in).snapshots();
            return snapshots == null ? 0 : snapshots.size();
        };
    }
}
