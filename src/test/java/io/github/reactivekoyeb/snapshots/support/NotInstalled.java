package io.github.reactivekoyeb.snapshots.support;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.opentest4j.TestAbortedException;

/**
 * A test that needs a system package the machine lacks (Chromium, tinyproxy) is skipped, never
 * failed, and says what to install: {@link #assumeInstalled} aborts it with this exception, and
 * this class, a JUnit Platform listener (ServiceLoader), prints one line per missing package at
 * the end of the run, on the build's console (Surefire keeps the tests' own output in files).
 */
public final class NotInstalled implements TestExecutionListener {

    private static final Map<String, LongAdder> SKIPPED = new ConcurrentHashMap<>();

    /** Skips the calling test, saying what to install, unless {@code installed}. */
    public static void assumeInstalled(boolean installed, String whatToInstall) {
        if (!installed) {
            throw new Missing(whatToInstall);
        }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (test.isTest() && result.getThrowable().orElse(null) instanceof Missing missing) {
            SKIPPED.computeIfAbsent(missing.getMessage(), m -> new LongAdder()).increment();
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (SKIPPED.isEmpty()) {
            return;
        }
        // the console of the build, not the test's redirected System.err
        PrintStream console = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        SKIPPED.forEach((what, count) -> console.printf("[WARNING] %d test(s) skipped: %s%n", count.sum(), what));
        SKIPPED.clear();
    }

    /** The abort of a test whose system package is not installed. */
    private static final class Missing extends TestAbortedException {
        private static final long serialVersionUID = 1L;

        Missing(String whatToInstall) {
            super(whatToInstall);
        }
    }
}
