/** An application module that uses the library by its module name. */
module it.modular {
    requires io.github.reactivekoyeb.snapshots;
    requires reactor.core;
}
