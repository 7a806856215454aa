package dev.crosspost.sandbox.jetstream;

import dev.crosspost.sandbox.SandboxEnabled;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** {@code /sandbox/jetstream/rate}: reads or sets the posts per second synthesized for streams without {@code ?rate=}. */
@RestController
@Validated
@SandboxEnabled
class JetstreamRateController {

    private final JetstreamSimulator simulator;

    JetstreamRateController(JetstreamSimulator simulator) {
        this.simulator = simulator;
    }

    @GetMapping("/sandbox/jetstream/rate")
    Map<String, Integer> rate() {
        return Map.of("eventsPerSecond", simulator.rate());
    }

    @PostMapping("/sandbox/jetstream/rate")
    Map<String, Integer> rate(@RequestParam @Min(0) @Max(JetstreamSimulator.MAX_RATE) int eventsPerSecond) {
        simulator.rate(eventsPerSecond);
        return rate();
    }
}
