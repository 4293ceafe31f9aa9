/**
 * A reactive, non-blocking client for the Koyeb Snapshots API.
 *
 * <p>Start with {@link io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient#builder()}.
 * Every type in this package is part of the public API; the machinery lives in
 * {@code io.github.reactivekoyeb.snapshots.internal}, which users never need.
 *
 * <p>Nullness: everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.github.reactivekoyeb.snapshots;

import org.jspecify.annotations.NullMarked;
