package io.github.reactivekoyeb.snapshots.reliability;

import io.github.reactivekoyeb.snapshots.support.Slow;
import io.github.reactivekoyeb.snapshots.support.TestProxy;
import io.github.reactivekoyeb.snapshots.support.Tinyproxy;
import org.jspecify.annotations.Nullable;

/**
 * The proxy behaviours through a proxy process of another make (Debian's tinyproxy), in the
 * {@link Slow} group: skipped, saying what to install, where tinyproxy is not installed (an error
 * on CI, which installs it).
 */
@Slow
class TinyproxyTest extends ProxyBehaviour {

    @Override
    @Nullable String unavailable() {
        return Tinyproxy.missing();
    }

    @Override
    TestProxy startProxy(String username, String password) throws Exception {
        return Tinyproxy.start(username, password);
    }
}
