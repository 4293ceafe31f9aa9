package io.github.reactivekoyeb.snapshots.reliability;

import io.github.reactivekoyeb.snapshots.support.LittleProxy;
import io.github.reactivekoyeb.snapshots.support.TestProxy;

/** The proxy behaviours through a real HTTP proxy in the JVM (LittleProxy): nothing to install. */
class ProxyTest extends ProxyBehaviour {

    @Override
    TestProxy startProxy(String username, String password) {
        return LittleProxy.start(username, password);
    }
}
