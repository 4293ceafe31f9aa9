package io.github.reactivekoyeb.snapshots.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Prints, after the whole suite, how many log lines the token-leak net read (the README quotes it). */
public final class LogScanReport implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        System.out.printf("Token-leak net: %d log lines read at TRACE, %d of them DEBUG/TRACE lines of the client%n",
                TokenLeakAppender.lines(), TokenLeakAppender.libraryDebugLines());
    }
}
