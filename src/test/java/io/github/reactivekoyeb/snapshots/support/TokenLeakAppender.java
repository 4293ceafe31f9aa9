package io.github.reactivekoyeb.snapshots.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads every log line of the suite (message, arguments, MDC, exceptions and their causes) and
 * records any that holds a test token. In memory only, so it never blocks an event loop.
 */
public final class TokenLeakAppender extends AppenderBase<ILoggingEvent> {

    private static final AtomicLong LINES = new AtomicLong();
    private static final AtomicLong LIBRARY_DEBUG_LINES = new AtomicLong();
    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();
    private static final int RECENT_MAX = 2000;
    private static final ConcurrentLinkedQueue<String> RECENT = new ConcurrentLinkedQueue<>();
    private static final AtomicLong RECENT_SIZE = new AtomicLong();

    @Override
    protected void append(ILoggingEvent event) {
        LINES.incrementAndGet();
        if (event.getLoggerName().startsWith("io.github.reactivekoyeb") && !event.getLevel().isGreaterOrEqual(Level.INFO)) {
            LIBRARY_DEBUG_LINES.incrementAndGet();
        }
        StringBuilder text = new StringBuilder(event.getFormattedMessage() == null ? "" : event.getFormattedMessage());
        Object[] args = event.getArgumentArray();
        if (args != null) {
            for (Object arg : args) {
                text.append(' ').append(arg);
            }
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            text.append(' ').append(mdc);
        }
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            text.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
        }
        String line = text.toString();
        RECENT.add(event.getLevel() + " " + event.getLoggerName() + " " + line);
        if (RECENT_SIZE.incrementAndGet() > RECENT_MAX && RECENT.poll() != null) {
            RECENT_SIZE.decrementAndGet();
        }
        for (String secret : TestSecrets.ALL) {
            if (line.contains(secret)) {
                LEAKS.add(event.getLevel() + " " + event.getLoggerName() + ": " + line.replace(secret, "<TOKEN>"));
            }
        }
    }

    /** How many log lines the suite has produced so far. */
    public static long lines() {
        return LINES.get();
    }

    /** How many DEBUG and TRACE lines the library's own loggers produced so far. */
    public static long libraryDebugLines() {
        return LIBRARY_DEBUG_LINES.get();
    }

    /** The last log lines (level, logger, text), oldest first. */
    public static List<String> recentLines() {
        return List.copyOf(RECENT);
    }

    /** The leaks seen so far (token replaced by {@code <TOKEN>}); drains them. */
    public static List<String> drainLeaks() {
        List<String> leaks = new java.util.ArrayList<>();
        for (String leak; (leak = LEAKS.poll()) != null; ) {
            leaks.add(leak);
        }
        return leaks;
    }
}
