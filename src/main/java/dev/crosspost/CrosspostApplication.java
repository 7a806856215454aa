package dev.crosspost;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Crosspost: one process that takes content in and lands every post exactly once. */
@SpringBootApplication
public class CrosspostApplication {

    public static void main(String[] args) {
        SpringApplication.run(CrosspostApplication.class, args);
    }
}
