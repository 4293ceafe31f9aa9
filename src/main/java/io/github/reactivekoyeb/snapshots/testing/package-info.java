/**
 * A fake Koyeb API server for tests, yours and ours: a real non-blocking HTTP server on
 * 127.0.0.1 with an in-memory snapshot store, scripted responses and faults, and a record of
 * every request. Start with {@link io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer#start()}.
 */
@NullMarked
package io.github.reactivekoyeb.snapshots.testing;

import org.jspecify.annotations.NullMarked;
