package io.github.reactivekoyeb.snapshots.reliability;

import io.github.reactivekoyeb.snapshots.support.OnEachTransport;
import io.github.reactivekoyeb.snapshots.support.ClientTransport;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.ConnectionPoolSettings;
import io.github.reactivekoyeb.snapshots.CreateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.UpdateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.WaitOptions;
import io.github.reactivekoyeb.snapshots.internal.ClientPool;
import io.github.reactivekoyeb.snapshots.support.BufferLeakAppender;
import io.github.reactivekoyeb.snapshots.support.NoBufferLeaksExtension;
import io.github.reactivekoyeb.snapshots.support.Slow;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.github.reactivekoyeb.snapshots.testing.FakeResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A cancel reaches the wire: disposing a call, a listing or a waiter closes the connection of
 * each exchange in flight at once (the server sees it closed), sends nothing more, and never
 * gives the pool a connection that a later call could find leftovers on; and all of it without a
 * buffer leak (Netty's detector runs at paranoid for the whole suite).
 */
class CancelReachesTheWireTest implements ClientTransport.Aware {

    /** How this test's clients send: each {@link OnEachTransport} test runs once on each transport. */
    private ClientTransport transport = ClientTransport.REACTOR_NETTY;

    @Override
    public void useTransport(ClientTransport transport) {
        this.transport = transport;
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final WaitOptions FAST_POLLS = WaitOptions.builder().initialInterval(Duration.ofMillis(50))
            .backoffFactor(1.0).maxInterval(Duration.ofMillis(50)).timeout(Duration.ofSeconds(30)).build();

    private FakeKoyebServer server;
    private final List<ReactiveSnapshotsClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        server = FakeKoyebServer.start();
        server.seed(2_000);
    }

    @AfterEach
    void stop() {
        clients.forEach(ReactiveSnapshotsClient::close);
        server.close();
        io.github.reactivekoyeb.snapshots.internal.ApplicationConnector.disposeAll();
    }

    private ReactiveSnapshotsClient client(ConnectionPoolSettings pool, Duration responseTimeout) {
        ReactiveSnapshotsClient client = transport.apply(ReactiveSnapshotsClient.builder()).baseUrl(server.baseUrl()).connectionPool(pool)
                .responseTimeout(responseTimeout).build();
        clients.add(client);
        return client;
    }

    private ReactiveSnapshotsClient client() {
        return client(ConnectionPoolSettings.defaults(), Duration.ofSeconds(20));
    }

    static Stream<Arguments> calls() {
        ListSnapshotsRequest readAhead = ListSnapshotsRequest.builder().pageSize(10).readAhead(4).build();
        return Stream.of(
                call("getSnapshot", 1, c -> c.getSnapshot("snap-000001")),
                call("createSnapshot", 1, c -> c.createSnapshot(CreateSnapshotRequest.of("vol-1", "n"))),
                call("updateSnapshot", 1, c -> c.updateSnapshot("snap-000002", new UpdateSnapshotRequest("m"))),
                call("deleteSnapshot", 1, c -> c.deleteSnapshot("snap-000003")),
                call("listing", 1, c -> c.listSnapshots()),
                call("listing with read-ahead 4", 4, c -> c.listSnapshots(readAhead)),
                call("listSnapshotPages with read-ahead 4", 4, c -> c.listSnapshotPages(readAhead)),
                call("awaitSnapshot", 1, c -> c.awaitSnapshot("snap-000004", s -> false, FAST_POLLS)));
    }

    private static Arguments call(String name, int exchanges, Function<ReactiveSnapshotsClient, Publisher<?>> call) {
        return Arguments.of(name, exchanges, call);
    }

    static Stream<Arguments> callsOnEachTransport() {
        return ClientTransport.onEach(calls());
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("callsOnEachTransport")
    void disposingAPendingCallClosesEachOfItsConnectionsAtOnce(ClientTransport transport, String name, int exchanges,
            Function<ReactiveSnapshotsClient, Publisher<?>> call) {
        useTransport(transport);
        server.latency(Duration.ofSeconds(5)); // the server does not answer while the test looks
        ReactiveSnapshotsClient client = client();
        Disposable pending = reactor.core.publisher.Flux.from(call.apply(client)).subscribe(v -> { }, e -> { });
        await(() -> server.requestCount() == exchanges && server.openConnections() == exchanges);

        long cancelled = System.nanoTime();
        pending.dispose();
        await(() -> server.openConnections() == 0);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelled);
        System.out.printf("%s: %d connection(s) closed %d ms after the cancel%n", name, exchanges, tookMillis);
        // typically a few ms; the bound only has to tell the cut from the reply, 5 s away (a GC pause on a
        // loaded machine can take hundreds of ms)
        assertThat(tookMillis).as("the server saw the connections closed long before the reply").isLessThan(2_000);

        await(() -> ClientPool.of(client).acquired() == 0);
        LockSupport.parkNanos(Duration.ofMillis(150).toNanos());
        assertThat(server.requestCount()).as("nothing is sent after the cancel").isEqualTo(exchanges);
        assertThat(ClientPool.of(client).allocated()).as("the cut connections are not pooled").isZero();
    }

    @OnEachTransport
    void aCallCancelledWhileItWaitsForAPooledConnectionSendsNothing() {
        ReactiveSnapshotsClient single = client(ConnectionPoolSettings.builder().maxConnections(1).build(), TIMEOUT);
        server.enqueue(FakeResponse.delayed(Duration.ofMillis(400)));
        Disposable first = single.getSnapshot("snap-000001").subscribe();
        await(() -> server.requestCount() == 1);
        Disposable waiting = single.getSnapshot("snap-000002").subscribe();
        await(() -> ClientPool.of(single).pending() == 1);
        waiting.dispose();
        await(() -> ClientPool.of(single).pending() == 0);
        await(() -> ClientPool.of(single).acquired() == 0); // the first call's reply arrives
        first.dispose();
        LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        assertThat(server.requestCount()).as("the cancelled call never reached the server").isEqualTo(1);
        assertThat(single.getSnapshot("snap-000003").block(TIMEOUT).id()).isEqualTo("snap-000003");
    }

    @OnEachTransport
    void afterFourDisposedCallsOnAPoolOfFourTheNextCallIsServedAtOnce() {
        ReactiveSnapshotsClient client = client(ConnectionPoolSettings.builder().maxConnections(4).build(),
                Duration.ofSeconds(20));
        for (int i = 0; i < 4; i++) {
            server.enqueue(FakeResponse.delayed(Duration.ofSeconds(15)));
        }
        List<Disposable> stuck = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            stuck.add(client.getSnapshot("snap-00000" + (i + 1)).subscribe(s -> { }, e -> { }));
        }
        await(() -> server.requestCount() == 4);
        stuck.forEach(Disposable::dispose);

        long start = System.nanoTime();
        Snapshot next = client.getSnapshot("snap-000005").block(TIMEOUT);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("pool of 4, four calls disposed: the fifth was served in %d ms%n", tookMillis);
        assertThat(next.id()).isEqualTo("snap-000005");
        assertThat(tookMillis).isLessThan(500);
    }

    @OnEachTransport
    void callsCancelledWhileTheyWaitForAConnectionNeverOpenOneLater() {
        // Reactor Netty's pool keeps an acquire whose call was cancelled, and serves it later with a
        // fresh connection that it closes at once: the client's own queue must drop it instead
        ReactiveSnapshotsClient single = client(ConnectionPoolSettings.builder().maxConnections(1).build(), TIMEOUT);
        server.enqueue(FakeResponse.delayed(Duration.ofMillis(300)));
        Disposable first = single.getSnapshot("snap-000001").subscribe();
        await(() -> server.requestCount() == 1);
        List<Disposable> waiting = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            waiting.add(single.getSnapshot("snap-000002").subscribe(s -> { }, e -> { }));
        }
        await(() -> ClientPool.of(single).pending() == 50);
        waiting.forEach(Disposable::dispose);
        assertThat(ClientPool.of(single).pending()).as("no acquire is left waiting").isZero();
        await(() -> ClientPool.of(single).acquired() == 0); // the first call's reply arrives
        first.dispose();
        LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        assertThat(server.connectionsOpened()).as("the cancelled calls opened no connection").isEqualTo(1);
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(ClientPool.of(single).pending()).isZero();
    }

    /**
     * 200 listings with read-ahead, each cancelled at a random point, on both transports: 7 s of
     * real time (each page takes 500 ms), so in the slow group; the everyday suite's cancel tests
     * above and {@code CancelledExchangeLeakTest}'s cancelled listings cover the same at a smaller scale.
     */
    @Slow
    @OnEachTransport
    void twoHundredListingsCancelledAtRandomPointsLeaveNothingQueuedAndSendNothingMore() throws InterruptedException {
        server.latency(Duration.ofMillis(500));
        ReactiveSnapshotsClient client = client();
        ListSnapshotsRequest readAhead = ListSnapshotsRequest.builder().pageSize(10).readAhead(4).build();
        long seed = System.nanoTime();
        System.out.println("random cancel points, seed " + seed);
        Random random = new Random(seed);
        ClientPool pool = ClientPool.of(client);
        // the pool is sampled every half millisecond on a thread of its own, so that the figures are
        // the pool's, not how late the test thread wakes up on a busy machine (seen: 160 ms)
        AtomicLong zeroSince = new AtomicLong();
        AtomicLong queuedUntil = new AtomicLong();
        Queue<String> trace = new ConcurrentLinkedQueue<>();
        Thread sampler = new Thread(() -> {
            int before = -1;
            while (!Thread.currentThread().isInterrupted()) {
                long now = System.nanoTime();
                int acquired = pool.acquired();
                int pending = pool.pending();
                if (acquired != before) {
                    trace.add(now + " " + acquired + "/" + pending);
                    before = acquired;
                }
                if (pending > 0) {
                    queuedUntil.set(now);
                }
                if (acquired == 0) {
                    zeroSince.compareAndSet(0, now);
                } else {
                    zeroSince.set(0);
                }
                LockSupport.parkNanos(500_000);
            }
        }, "pool-sampler");
        sampler.setDaemon(true);
        Scheduler timer = Schedulers.newSingle("cancel-timer");
        try {
            CountDownLatch allCancelled = new CountDownLatch(200);
            AtomicLong lastCancel = new AtomicLong();
            AtomicLong openedAtLastCancel = new AtomicLong();
            AtomicLong sentAtLastCancel = new AtomicLong();
            for (int i = 0; i < 200; i++) {
                Disposable listing = client.listSnapshots(readAhead).subscribe(s -> { }, e -> { });
                timer.schedule(() -> {
                    listing.dispose();
                    lastCancel.set(System.nanoTime());
                    openedAtLastCancel.set(server.connectionsOpened());
                    sentAtLastCancel.set(server.requestCount());
                    allCancelled.countDown();
                }, random.nextInt(1_500), TimeUnit.MILLISECONDS);
            }
            sampler.start();
            assertThat(allCancelled.await(10, TimeUnit.SECONDS)).isTrue();
            await(() -> zeroSince.get() != 0 && pool.pending() == 0);
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // and it stays at 0
            long last = lastCancel.get();
            long zeroMillis = TimeUnit.NANOSECONDS.toMillis(Math.max(0, zeroSince.get() - last));
            long queuedMillis = TimeUnit.NANOSECONDS.toMillis(Math.max(0, queuedUntil.get() - last));
            long lateConnections = server.connectionsOpened() - openedAtLastCancel.get();
            // acquired/pending at each change of the acquired count after the last cancel, for a failure
            List<String> changes = trace.stream().map(t -> t.split(" "))
                    .filter(t -> Long.parseLong(t[0]) >= last)
                    .map(t -> TimeUnit.NANOSECONDS.toMillis(Long.parseLong(t[0]) - last) + " ms: " + t[1]).toList();
            System.out.printf("200 listings with read-ahead 4 cancelled at random points: %d requests sent, nothing"
                    + " queued %d ms after the last cancel, %d connections still being opened then (closed unused),"
                    + " no connection acquired %d ms after it%n", server.requestCount(), queuedMillis,
                    lateConnections, zeroMillis);
            // a request the client wrote just before a cancel may reach the server just after it (seen once
            // on a loaded machine: one more than at the cancel): what counts is that nothing more comes once
            // the pool has been idle a while, although each answer would have asked for the next page
            int settled = server.requestCount();
            LockSupport.parkNanos(Duration.ofMillis(1_200).toNanos()); // over twice the server's latency
            assertThat(server.requestCount()).as("nothing sent after the last cancel").isEqualTo(settled);
            assertThat(settled - sentAtLastCancel.get()).as("requests that were on the wire at the last cancel")
                    .isLessThanOrEqualTo(5); // one listing's page and its 4 read-ahead pages, at most
            assertThat(queuedMillis).as("nothing left queued for a connection: %s", changes).isLessThan(50);
            // Reactor Netty finishes opening a connection whose call was cancelled while it was being
            // opened, and closes it unused; the client's queue lets no more start than the pool holds
            assertThat(lateConnections).as("connections opened after the last cancel: %s", changes)
                    .isLessThanOrEqualTo(ConnectionPoolSettings.DEFAULT_MAX_CONNECTIONS);
            assertThat(zeroSince.get()).as("no connection acquired since").isNotZero();
            assertThat(zeroMillis).as("acquired/pending after the last cancel: %s", changes).isLessThan(1_000);
            assertThat(client.getSnapshot("snap-000010").block(TIMEOUT).id()).isEqualTo("snap-000010");
        } finally {
            sampler.interrupt();
            timer.dispose();
        }
    }

    @OnEachTransport
    void twoHundredCancelsThenReuseOnOneConnectionLeakNothingAndNeverReachTheNextCall() throws InterruptedException {
        cancelsThenReuse(200);
    }

    @Slow
    @OnEachTransport
    void aThousandCancelsThenReuseOnOneConnectionLeakNothingAndNeverReachTheNextCall() throws InterruptedException {
        cancelsThenReuse(1_000);
    }

    private void cancelsThenReuse(int rounds) throws InterruptedException {
        NoBufferLeaksExtension.provokeReports();
        BufferLeakAppender.drain();
        ReactiveSnapshotsClient single = client(ConnectionPoolSettings.builder().maxConnections(1).build(), TIMEOUT);
        long seed = System.nanoTime();
        System.out.println("random cancel points, seed " + seed);
        Random random = new Random(seed);
        int reachedTheServer = 0;
        for (int round = 0; round < rounds; round++) {
            int sentBefore = server.requestCount();
            Disposable cancelled = single.listSnapshotPages(ListSnapshotsRequest.builder().pageSize(100).build())
                    .subscribe(p -> { }, e -> { });
            // anywhere from before the connection is acquired to after the reply has arrived
            LockSupport.parkNanos(random.nextInt(2_000_000));
            cancelled.dispose();
            if (server.requestCount() > sentBefore) {
                reachedTheServer++;
            }
            String id = String.format("snap-%06d", round % 2_000 + 1);
            Snapshot next = single.getSnapshot(id).block(TIMEOUT);
            assertThat(next.id()).as("round %d (seed %d)", round, seed).isEqualTo(id);
        }
        System.out.printf("%d cancels then reuse on one connection: %d of the cancelled listings reached the"
                + " server, %d connections opened%n", rounds, reachedTheServer, server.connectionsOpened());
        NoBufferLeaksExtension.provokeReports();
        assertThat(BufferLeakAppender.drain()).isEmpty();
    }

    /** Polls a condition every millisecond, for at most 5 s. */
    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 5 s").isLessThan(deadline);
            LockSupport.parkNanos(1_000_000);
        }
    }
}
