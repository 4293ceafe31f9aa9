package io.github.reactivekoyeb.snapshots.support;

import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test (ServiceLoader + autodetection): fails the test during which a log
 * line held a test token.
 */
public final class NoTokenInLogsExtension implements BeforeEachCallback, AfterEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) {
        TokenLeakAppender.drainLeaks();
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        Thread.sleep(20); // lines logged by event loops just after the test's last signal
        List<String> leaks = TokenLeakAppender.drainLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError("the token appeared in " + leaks.size() + " log line(s): " + leaks);
        }
    }
}
