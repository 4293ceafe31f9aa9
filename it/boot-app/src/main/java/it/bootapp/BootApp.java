package it.bootapp;

import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.Snapshot;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/** A WebFlux service that streams the listing, as the README's Spring Boot section shows. */
@SpringBootApplication
@RestController
public class BootApp {

    private final ReactiveSnapshotsClient koyeb;

    public BootApp(ReactiveSnapshotsClient koyeb) {
        this.koyeb = koyeb;
    }

    @GetMapping(path = "/snapshots", produces = "application/x-ndjson")
    Flux<Snapshot> snapshots() {
        return koyeb.listSnapshots();
    }

    public static void main(String[] args) {
        SpringApplication.run(BootApp.class, args);
    }
}
