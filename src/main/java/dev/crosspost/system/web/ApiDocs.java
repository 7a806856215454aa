package dev.crosspost.system.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.StringSchema;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.LocalDateTime;

/** What the API description ({@code /v3/api-docs}, Swagger UI) says about the API as a whole. */
@Configuration(proxyBeanMethods = false)
class ApiDocs {

    static {
        // a local date-time has no offset: "date-time" would tell generated clients to send one
        SpringDocUtils.getConfig().replaceWithSchema(LocalDateTime.class, new StringSchema()
                .pattern("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?$").example("2027-03-01T09:00")
                .description("local date-time without an offset, read in the accompanying IANA timezone"));
    }

    @Bean
    OpenAPI crosspostApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        return new OpenAPI().info(new Info()
                .title("Crosspost API")
                .version(properties != null ? properties.getVersion() : "dev")
                .description("""
                        Posts to X, Instagram, YouTube, TikTok, Pinterest and Bluesky, each landing exactly once; campaigns \
                        from CSV, Google Sheets or signed webhooks; generated captions and videos; media rendered per platform.

                        Sign in with `POST /api/v1/auth/login` (a bearer access token) or send an API key as `X-API-Key`. \
                        Errors are `application/problem+json` with a machine-readable `code`, field errors under `errors`, \
                        and the `requestId` to quote in a report. Lists page with `cursor` and `limit`. A POST sent \
                        with an `Idempotency-Key` header runs once: a retry with the same key and body gets the first \
                        answer back (`Idempotent-Replayed: true`), the same key with another body gets 422; keys live 24 hours."""));
    }
}
