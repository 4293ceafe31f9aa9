package io.github.reactivekoyeb.snapshots.support;

/**
 * An application's own JSON mapper, whatever its Jackson major version: what the tests of the
 * models need of it. Each line's {@code BootLine} gives the one Spring Boot configures there.
 */
public interface AppJson {

    /** Writes the value as JSON text. */
    String write(Object value);

    /** Reads JSON text as the type. */
    <T> T read(String json, Class<T> type);
}
