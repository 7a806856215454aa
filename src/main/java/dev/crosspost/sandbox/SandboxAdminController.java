package dev.crosspost.sandbox;

import dev.crosspost.sandbox.PlatformJson.PostView;
import dev.crosspost.sandbox.PlatformJson.RecordsView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Test and demo controls: faults per platform and the records of what the platforms accepted. No auth. */
@RestController
@SandboxEnabled
@RequestMapping("/sandbox")
class SandboxAdminController {

    private final FaultInjector faults;
    private final SimulatedPlatforms platforms;

    SandboxAdminController(FaultInjector faults, SimulatedPlatforms platforms) {
        this.faults = faults;
        this.platforms = platforms;
    }

    @PostMapping("/faults")
    FaultConfig setFaults(@Valid @RequestBody FaultConfig config) {
        String platform = Objects.requireNonNull(config.platform());
        return FaultConfig.of(platform, faults.set(platform, config.toFaults()));
    }

    @GetMapping("/faults")
    Map<String, FaultConfig> faults() {
        Map<String, FaultConfig> all = new LinkedHashMap<>();
        faults.all().forEach((platform, f) -> all.put(platform, FaultConfig.of(platform, f)));
        return all;
    }

    @DeleteMapping("/faults")
    ResponseEntity<Void> clearFaults() {
        faults.clear();
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/records")
    RecordsView records(@RequestParam @Pattern(regexp = SandboxSettings.PLATFORM_NAME) String platform) {
        List<RecordedPost> accepted = platforms.accepted(platform);
        return new RecordsView(platform, accepted.size(), platforms.duplicates(platform), platforms.quota429(platform),
                platforms.injected429(platform), accepted.stream().map(PostView::of).toList());
    }

    @DeleteMapping("/records")
    ResponseEntity<Void> resetRecords() {
        platforms.reset();
        return ResponseEntity.noContent().build();
    }
}
