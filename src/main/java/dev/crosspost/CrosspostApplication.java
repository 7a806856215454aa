package dev.crosspost;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Crosspost: one process that takes content in and lands every post exactly once. */
@SpringBootApplication
public class CrosspostApplication {

    public static void main(String[] args) {
        // SIGTERM is the normal way to stop a service: run the graceful shutdown and exit 0, not 143
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> System.exit(0));
        SpringApplication.run(CrosspostApplication.class, args);
    }
}
