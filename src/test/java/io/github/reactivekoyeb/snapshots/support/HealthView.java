package io.github.reactivekoyeb.snapshots.support;

import java.util.Map;

/**
 * A health report, whichever Boot line made it (see {@code BootLine#health}).
 *
 * @param status the status code, e.g. {@code DOWN}
 * @param details the details
 */
public record HealthView(String status, Map<String, Object> details) {
}
