/**
 * The client's machinery: paging, retry, error decoding and HTTP plumbing. It may change
 * without notice in any release; applications must not use it.
 */
@NullMarked
package io.github.reactivekoyeb.snapshots.internal;

import org.jspecify.annotations.NullMarked;
