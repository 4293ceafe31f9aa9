package io.github.reactivekoyeb.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.examples.SnapshotLifecycleExample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example in examples/ compiles with the suite and runs its whole story against the fake server. */
class ExampleTest {

    @Test
    void lifecycleExampleRunsAgainstTheFakeServerWithoutAToken() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = SnapshotLifecycleExample.run(new String[0], Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as(out).isZero();
        assertThat(out)
                .contains("running against the fake Koyeb server")
                .contains("status=CREATING")
                .contains("watched: CREATING").contains("watched: AVAILABLE")
                .contains("page offset=0 limit=20 items=20 hasNext=true")
                .contains("page offset=40 limit=20")
                .contains("renamed ").contains("name=example-snapshot-renamed")
                .contains("deleted ").contains("(now DELETED)")
                .contains("after 2 requests");
    }
}
