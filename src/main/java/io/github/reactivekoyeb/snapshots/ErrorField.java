package io.github.reactivekoyeb.snapshots;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One invalid field named by a 400 reply ({@code ErrorWithFields.fields} on the wire).
 *
 * @param field the name of the field, e.g. {@code parent_volume_id}
 * @param description what is wrong with it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ErrorField(@JsonProperty("field") @Nullable String field,
        @JsonProperty("description") @Nullable String description) {
}
