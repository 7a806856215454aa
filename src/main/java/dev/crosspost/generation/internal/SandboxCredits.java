package dev.crosspost.generation.internal;

import dev.crosspost.generation.GenerationSettings;
import dev.crosspost.system.Workspaces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** While the sandbox is on, the sandbox workspace starts with a demo balance, once, so the demo can generate. */
@Component
@ConditionalOnBooleanProperty(name = "crosspost.sandbox.enabled", matchIfMissing = true)
class SandboxCredits {

    private static final Logger log = LoggerFactory.getLogger(SandboxCredits.class);

    private final Credits credits;
    private final long amount;

    SandboxCredits(Credits credits, GenerationSettings settings) {
        this.credits = credits;
        this.amount = settings.generation().sandboxDemoBalance();
    }

    @EventListener(ApplicationReadyEvent.class)
    void grant() {
        if (amount > 0 && credits.grantOnce(Workspaces.SANDBOX, amount, "sandbox demo balance")) {
            log.info("Sandbox workspace starts with {} demo credits", amount);
        }
    }
}
