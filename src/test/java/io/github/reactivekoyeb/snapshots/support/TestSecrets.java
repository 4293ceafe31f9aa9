package io.github.reactivekoyeb.snapshots.support;

import java.util.List;

/** Every token the test suite gives a client or a fake server: none may ever reach a log line. */
public final class TestSecrets {

    /** The token of most tests. */
    public static final String TOKEN = "tok_test_0123456789abcdefSECRET";

    /** The token a rotation replaces {@link #TOKEN} with. */
    public static final String ROTATED = "tok_test_rotated_9876543210SECRET";

    /** All of them, for the leak checks. */
    public static final List<String> ALL = List.of(TOKEN, ROTATED, "t0ken-fake-server-test", "test-token-readme-example",
            "example-token-lifecycle", "wrong-token-for-401");

    private TestSecrets() {
    }
}
