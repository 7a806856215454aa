package dev.crosspost.identity.internal;

import dev.crosspost.identity.Caller;
import dev.crosspost.system.SecuritySettings;
import dev.crosspost.system.SystemSettings;
import dev.crosspost.system.config.SettingsValidator;
import dev.crosspost.system.web.Problems;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * Who may call what. Two filter chains: machine endpoints with their own authentication (simulators, signed
 * inbound webhooks, health probes) are public; everything else signs in by access token, API key or session
 * cookie, is rate-limited, and gets CORS, CSRF (cookie sessions only) and security headers.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; "
            + "media-src 'self' https:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
            + "form-action 'self'; frame-ancestors 'none'";

    private static final String[] PUBLIC = {
            "/login", "/error", "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html",
            "/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout",
            "/api/v1/accounts/callback/**", "/webjars/**", "/css/**", "/js/**", "/favicon.ico"};

    @Bean
    JwtCodec jwtCodec(SecuritySettings security, SystemSettings system, IdentitySettings identity, JsonMapper json,
                      Clock clock, Environment env) {
        boolean prod = env.acceptsProfiles(Profiles.of(SettingsValidator.PROD_PROFILE));
        byte[] current = JwtKeys.load(security.jwtSecret(), system.dataDir(), prod);
        List<byte[]> previous = identity.previousJwtSecrets().stream().map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toList();
        return new JwtCodec(current, previous, system.publicBaseUrl(), identity.audience(), json, clock);
    }

    @Bean
    RateLimiter rateLimiter(DataSource dataSource, IdentitySettings settings) {
        return new RateLimiter(dataSource, settings.rateLimits());
    }

    /** The only authentication provider, so the sign-in form checks each attempt once (and counts each failure once). */
    @Bean
    PasswordAuthenticationProvider passwordAuthenticationProvider(IdentityService identity) {
        return new PasswordAuthenticationProvider(identity);
    }

    /** The dashboard's session cookie: never readable by scripts, sent on top-level navigation only, Secure in prod. */
    @Bean
    ServletContextInitializer sessionCookie(IdentitySettings settings) {
        return servletContext -> {
            SessionCookieConfig cookie = servletContext.getSessionCookieConfig();
            cookie.setHttpOnly(true);
            cookie.setSecure(settings.secureCookies());
            cookie.setAttribute("SameSite", "Lax");
        };
    }

    /**
     * No Micrometer observation per security filter: on every request of the hot path that is a dozen extra
     * observations; HTTP server metrics still time the whole request.
     */
    @Bean
    HttpFirewall httpFirewall() {
        return HeaderFirewall.strict();
    }

    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /** Redirects stay relative, so no Location is ever built from a client-supplied Host header. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> relativeRedirects() {
        return new WebServerFactoryCustomizer<>() {
            @Override
            public void customize(TomcatServletWebServerFactory factory) {
                factory.addContextCustomizers(context -> context.setUseRelativeRedirects(true));
            }
        };
    }

    @Bean
    @Order(1)
    SecurityFilterChain machineEndpoints(HttpSecurity http) throws Exception {
        // open to all; security headers stay
        http.securityMatcher("/sandbox/**", "/api/v1/hooks/**", "/actuator/health", "/actuator/health/**")
                .authorizeHttpRequests(a -> a.anyRequest().permitAll());
        return stateless(http).build();
    }

    /**
     * API calls that present a bearer token or an API key. They are stateless, so this chain has none of the session
     * machinery (CSRF, logout, sign-in form, saved requests, anonymous callers): fewer filters on the hottest path.
     * Everything a caller can see (limits, rules, errors, headers, CORS) comes from {@link #guard}, as for the chain below.
     */
    @Bean
    @Order(2)
    SecurityFilterChain tokenApi(HttpSecurity http, JwtCodec jwt, IdentityService identity, ApiKeyService apiKeys,
                                 RateLimiter limiter, IdentitySettings settings, JsonMapper json) throws Exception {
        http.securityMatcher(request -> request.getRequestURI().startsWith("/api/") && TokenAuthenticationFilter.presented(request) != null);
        guard(http, jwt, identity, apiKeys, limiter, settings, json);
        return stateless(http).build();
    }

    /** None of the session machinery: no CSRF, logout, anonymous caller, servlet-API wrapper, saved request or session. */
    private static HttpSecurity stateless(HttpSecurity http) throws Exception {
        return http.csrf(c -> c.disable())
                .logout(l -> l.disable())
                .anonymous(a -> a.disable())
                .servletApi(a -> a.disable())
                .requestCache(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()));
    }

    /** The dashboard (session cookie and sign-in form), and API calls without a token. */
    @Bean
    @Order(3)
    SecurityFilterChain application(HttpSecurity http, JwtCodec jwt, IdentityService identity, ApiKeyService apiKeys,
                                    RateLimiter limiter, IdentitySettings settings, JsonMapper json) throws Exception {
        // CSRF guards cookie sessions: a call with a token (here: outside /api, e.g. an admin's metrics scrape) or an API
        // call with no session at all has nothing to forge
        RequestMatcher noCookieSession = request -> TokenAuthenticationFilter.presented(request) != null
                || (request.getRequestURI().startsWith("/api/") && request.getRequestedSessionId() == null);
        guard(http, jwt, identity, apiKeys, limiter, settings, json);
        return http.formLogin(f -> f.loginPage("/login").usernameParameter("email").passwordParameter("password")
                        .defaultSuccessUrl("/app", true)
                        .failureHandler((request, response, e) -> response.sendRedirect(
                                e instanceof org.springframework.security.authentication.LockedException ? "/login?locked" : "/login?error")))
                .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?logout"))
                .csrf(c -> c.ignoringRequestMatchers(noCookieSession)
                        .ignoringRequestMatchers("/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout"))
                .requestCache(c -> c.requestCache(new NullRequestCache()))
                // sessions come from the sign-in form only (no SessionManagementFilter): token calls are never saved into one
                .sessionManagement(s -> s.requireExplicitAuthenticationStrategy(true))
                .build();
    }

    /** What both chains share: body limit, token sign-in, rate limits, access rules, error bodies, headers and CORS. */
    private static void guard(HttpSecurity http, JwtCodec jwt, IdentityService identity, ApiKeyService apiKeys, RateLimiter limiter,
                              IdentitySettings settings, JsonMapper json) throws Exception {
        TokenAuthenticationFilter tokens = new TokenAuthenticationFilter(jwt, identity, apiKeys, json);
        RequestMatcher api = request -> request.getRequestURI().startsWith("/api/") || request.getRequestURI().startsWith("/actuator/");
        http.addFilterBefore(new BodyLimitFilter(settings.maxBody().toBytes(), json), CsrfFilter.class);
        http.addFilterBefore(tokens, UsernamePasswordAuthenticationFilter.class);
        if (settings.rateLimits().enabled()) {
            http.addFilterAfter(new RateLimitFilter(limiter, json), TokenAuthenticationFilter.class);
        }
        http.authorizeHttpRequests(a -> a
                        .requestMatchers(PUBLIC).permitAll()
                        .requestMatchers(HttpMethod.OPTIONS, "/api/**").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/accounts/rotate-keys").hasRole("ADMIN")
                        // metrics name workspaces' platforms and volumes: admins only (scrape with an admin key with the admin scope)
                        .requestMatchers("/actuator/**").hasRole("ADMIN")
                        .requestMatchers("/api/**").access(apiAccess())
                        .anyRequest().authenticated())
                .cors(c -> c.configurationSource(cors(settings.cors())))
                .exceptionHandling(e -> e
                        .defaultAuthenticationEntryPointFor((request, response, ex) -> Problems.write(request, response, json,
                                HttpStatus.UNAUTHORIZED, "unauthorized", "Sign in first: send a bearer access token, an API key or the session cookie."), api)
                        .defaultAuthenticationEntryPointFor(loginPage(), AnyRequestMatcher.INSTANCE)
                        .accessDeniedHandler((request, response, ex) -> {
                            if (ex instanceof CsrfException) {
                                Problems.write(request, response, json, HttpStatus.FORBIDDEN, "csrf_failed",
                                        "The CSRF token is missing or wrong; send the page's token in the X-CSRF-TOKEN header.");
                            } else {
                                Problems.write(request, response, json, HttpStatus.FORBIDDEN, "forbidden",
                                        "You may not do this: it needs an admin, or an API key scope this key does not have.");
                            }
                        }))
                .headers(h -> {
                    h.contentSecurityPolicy(csp -> csp.policyDirectives(CSP));
                    h.referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN));
                    h.frameOptions(f -> f.deny());
                    if (settings.hsts()) {
                        // TLS ends at the proxy in front of us, so the request itself does not look secure
                        h.httpStrictTransportSecurity(s -> s.requestMatcher(AnyRequestMatcher.INSTANCE).maxAgeInSeconds(31_536_000).includeSubDomains(true));
                    } else {
                        h.httpStrictTransportSecurity(s -> s.disable());
                    }
                });
    }

    /** A relative redirect: an absolute one would be built from the request's Host header, which the client controls. */
    private static LoginUrlAuthenticationEntryPoint loginPage() {
        LoginUrlAuthenticationEntryPoint entryPoint = new LoginUrlAuthenticationEntryPoint("/login");
        entryPoint.setFavorRelativeUris(true);
        return entryPoint;
    }

    /** Signed in; and an API key needs a scope for this method and resource. */
    private static AuthorizationManager<RequestAuthorizationContext> apiAccess() {
        return (Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) -> {
            if (!(authentication.get() instanceof CallerAuthentication auth)) {
                return new AuthorizationDecision(false);
            }
            Caller caller = auth.caller();
            HttpServletRequest request = context.getRequest();
            return new AuthorizationDecision(caller.via() != Caller.Via.API_KEY
                    || ApiScopes.allows(caller.scopes(), request.getMethod(), request.getRequestURI()));
        };
    }

    private static CorsConfigurationSource cors(IdentitySettings.Cors settings) {
        CorsOrigins origins = new CorsOrigins(settings.allowedOrigins());
        CorsConfiguration config = new CorsConfiguration() {
            @Override
            public String checkOrigin(String origin) {
                return origins.allows(origin) ? origin : null;
            }
        };
        config.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"));
        config.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key", "X-API-Key", "X-Request-Id", "Last-Event-ID"));
        config.setExposedHeaders(List.of("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After",
                "X-Request-Id", "Location", "Idempotent-Replayed"));
        config.setAllowCredentials(false);
        config.setMaxAge(settings.maxAge());
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", config);
        return source;
    }
}
