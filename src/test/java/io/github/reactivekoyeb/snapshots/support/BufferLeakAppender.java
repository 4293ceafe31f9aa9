package io.github.reactivekoyeb.snapshots.support;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Records the reports of Netty's leak detector ({@code LEAK: ByteBuf.release() was not called
 * ...}), which the suite runs at {@code paranoid}: every buffer is tracked. In memory only.
 */
public final class BufferLeakAppender extends AppenderBase<ILoggingEvent> {

    private static final ConcurrentLinkedQueue<String> REPORTS = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        if (message != null && message.startsWith("LEAK:")) {
            REPORTS.add(message);
        }
    }

    /** The reports seen since the last call; drains them. */
    public static List<String> drain() {
        List<String> reports = new ArrayList<>();
        for (String report; (report = REPORTS.poll()) != null; ) {
            reports.add(report);
        }
        return reports;
    }
}
