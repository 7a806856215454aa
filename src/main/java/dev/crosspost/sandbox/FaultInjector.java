package dev.crosspost.sandbox;

import dev.crosspost.sandbox.SandboxSettings.Faults;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The faults of each platform (from settings, or set at runtime) and the seeded draws that decide which fault, if
 * any, hits a request.
 */
@Component
@SandboxEnabled
public class FaultInjector {

    /** What happens to one request. */
    public enum Fault { NONE, ERROR, RATE_LIMIT, RESET, TIMEOUT_AFTER_COMMIT, SLOW_BODY }

    /** The fault drawn for a request, with the settings it was drawn from. */
    public record Decision(Fault fault, Faults faults) {
    }

    /**
     * A platform's faults and its own random sequences: one for effects, one for reads (metrics lookups), so that
     * reads never shift the draws a seeded test of effects expects.
     */
    private record Active(Faults faults, Random random, Random reads) {
        static Active of(Faults faults) {
            return new Active(faults, new Random(faults.seed()), new Random(~faults.seed()));
        }
    }

    private final SandboxSettings settings;
    private final ConcurrentMap<String, Faults> overrides = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Active> active = new ConcurrentHashMap<>();

    FaultInjector(SandboxSettings settings) {
        this.settings = settings;
    }

    /** The platform's current faults. */
    public Faults faults(String platform) {
        return active(platform).faults();
    }

    /** One draw for one request; the rates are taken cumulatively in the order of {@link Fault}. */
    public Decision draw(String platform) {
        Active a = active(platform);
        double u = a.random().nextDouble();
        return new Decision(pick(a.faults(), u), a.faults());
    }

    /** One draw for a read: only an error or a rate limit can hit it, from the read sequence. */
    public Decision drawRead(String platform) {
        Active a = active(platform);
        Fault fault = pick(a.faults(), a.reads().nextDouble());
        return new Decision(fault == Fault.ERROR || fault == Fault.RATE_LIMIT ? fault : Fault.NONE, a.faults());
    }

    static Fault pick(Faults f, double u) {
        double edge = f.errorRate();
        if (u < edge) {
            return Fault.ERROR;
        }
        edge += f.rateLimitRate();
        if (u < edge) {
            return Fault.RATE_LIMIT;
        }
        edge += f.resetRate();
        if (u < edge) {
            return Fault.RESET;
        }
        edge += f.timeoutAfterCommitRate();
        if (u < edge) {
            return Fault.TIMEOUT_AFTER_COMMIT;
        }
        edge += f.slowBodyRate();
        return u < edge ? Fault.SLOW_BODY : Fault.NONE;
    }

    /** Replaces the platform's faults and restarts its draws from the seed. */
    Faults set(String platform, Faults faults) {
        overrides.put(platform, faults);
        active.put(platform, Active.of(faults));
        return faults;
    }

    /** Faults of every platform named in settings or set at runtime, by platform name. */
    Map<String, Faults> all() {
        Set<String> names = new TreeSet<>(settings.platforms().keySet());
        names.addAll(overrides.keySet());
        Map<String, Faults> all = new TreeMap<>();
        names.forEach(name -> all.put(name, faults(name)));
        return all;
    }

    /** Drops runtime faults: platforms go back to their configured faults, with fresh draws. */
    void clear() {
        overrides.clear();
        active.clear();
    }

    private Active active(String platform) {
        return active.computeIfAbsent(platform,
                name -> Active.of(overrides.getOrDefault(name, settings.platform(name).faults())));
    }
}
