package io.github.reactivekoyeb.snapshots.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class (ServiceLoader + autodetection): after the class, collects the
 * garbage and makes Netty's leak detector report what it found, then fails the class if a buffer
 * was never released, naming each report in full. The detector reports a leak only once the
 * buffer is collected and another buffer is tracked, so this runs per class; with the
 * environment variable {@code LEAKS_PER_TEST=1} it runs after every test too, to find the test
 * that leaked (slower).
 */
public final class NoBufferLeaksExtension implements AfterAllCallback, AfterEachCallback {

    private static final boolean PER_TEST = System.getenv("LEAKS_PER_TEST") != null;

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        if (PER_TEST) {
            Thread.sleep(300); // exchanges cut by a cancel end on their closed connections
            check(context);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new AssertionError("the suite runs Netty's leak detector at PARANOID, but it is at "
                    + ResourceLeakDetector.getLevel() + ": see the Surefire argLine in pom.xml");
        }
        check(context);
    }

    private static void check(ExtensionContext context) throws InterruptedException {
        provokeReports();
        List<String> reports = BufferLeakAppender.drain();
        if (!reports.isEmpty()) {
            throw new AssertionError(reports.size() + " buffer leak report(s) by Netty's leak detector during or"
                    + " just before " + context.getDisplayName() + ":\n" + String.join("\n\n", reports));
        }
    }

    /**
     * GC, then track new buffers: tracking is when the detector reports the collected ones. Twice,
     * for a buffer that only the first collection made unreachable; a leak that shows later still
     * fails the build, reported after a later class.
     */
    public static void provokeReports() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(20); // the reference handler queues what the collection cleared
            for (int j = 0; j < 8; j++) {
                ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer(8);
                direct.release();
                ByteBuf heap = PooledByteBufAllocator.DEFAULT.heapBuffer(8);
                heap.release();
            }
        }
    }
}
