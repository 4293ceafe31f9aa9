package io.github.reactivekoyeb.snapshots;

import org.jspecify.annotations.Nullable;

/**
 * One invalid field named by a 400 reply ({@code ErrorWithFields.fields} on the wire).
 *
 * @param field the name of the field, e.g. {@code parent_volume_id}
 * @param description what is wrong with it
 */
public record ErrorField(@Nullable String field, @Nullable String description) {
}
