package dev.crosspost.publishing.engine;

import dev.crosspost.publishing.PlatformsSettings;
import dev.crosspost.publishing.ReadQuotas;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Optional;

/** {@link ReadQuotas} on the engine's buckets, under read keys of their own. */
@Component
class EngineReadQuotas implements ReadQuotas {

    private final QuotaGate gate;

    EngineReadQuotas(QuotaGate gate) {
        this.gate = gate;
    }

    @Override
    public Optional<Instant> take(String platform, String account, PlatformsSettings.Quota quota) {
        return switch (gate.takeRead(platform, account, quota)) {
            case QuotaGate.Decision.Granted g -> Optional.empty();
            case QuotaGate.Decision.Wait w -> Optional.of(w.until());
        };
    }

    @Override
    public void blockUntil(String platform, String account, Instant until) {
        gate.blockUntil(QuotaGate.readKey(platform, account), until);
    }
}
