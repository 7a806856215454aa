package dev.crosspost.intake.web;

import dev.crosspost.intake.InboundSignatures;
import dev.crosspost.intake.internal.ContentIntake;
import dev.crosspost.intake.internal.IntakeSettings;
import dev.crosspost.intake.internal.Views;
import dev.crosspost.intake.internal.WebhookSecrets;
import dev.crosspost.system.CrosspostException;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /api/v1/hooks/campaigns/{id}/rows}: a signed request adds content rows to a campaign. No user signs
 * in here; the HMAC with the campaign's secret is the authentication, checked before the body is even parsed.
 * An unknown campaign reads exactly like a wrong signature, so ids cannot be probed.
 */
@RestController
class ContentWebhookController {

    static final int MAX_ROWS = 1000;

    private final ContentIntake intake;
    private final WebhookSecrets secrets;
    private final InboundSignatures signatures;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final long maxBody;

    ContentWebhookController(ContentIntake intake, WebhookSecrets secrets, InboundSignatures signatures, TransactionTemplate tx,
                             JsonMapper json, IntakeSettings settings) {
        this.intake = intake;
        this.secrets = secrets;
        this.signatures = signatures;
        this.tx = tx;
        this.json = json;
        this.maxBody = settings.webhookMaxBody().toBytes();
    }

    @PostMapping("/api/v1/hooks/campaigns/{id}/rows")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Signed webhook: add rows ({\"rows\":[{...}]}, fields as in the CSV) to a campaign; answers with the validation report")
    Views.ImportReport rows(@PathVariable UUID id, @RequestHeader(name = InboundSignatures.TIMESTAMP_HEADER, required = false) @Nullable String timestamp,
                            @RequestHeader(name = InboundSignatures.SIGNATURE_HEADER, required = false) @Nullable String signature,
                            HttpServletRequest request) throws IOException {
        byte[] body = read(request);
        UUID workspace = intake.campaignWorkspace(id).orElse(null);
        return tx.execute(s -> {
            // an unknown campaign is checked against a secret nobody has, so it fails exactly like a bad signature
            signatures.verify("campaign:" + id, secrets.secret(id).getBytes(StandardCharsets.UTF_8), timestamp, signature, body);
            if (workspace == null) {
                throw new CrosspostException(CrosspostException.Kind.UNAUTHORIZED, "signature_invalid",
                        "The signature does not match the body and timestamp for this endpoint's secret.");
            }
            return intake.importRows(workspace, id, rows(body), "webhook");
        });
    }

    private byte[] read(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > maxBody) {
            throw tooLarge();
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
            if (body.length > maxBody) {
                throw tooLarge();
            }
            return body;
        }
    }

    private CrosspostException tooLarge() {
        return new CrosspostException(CrosspostException.Kind.TOO_LARGE, "payload_too_large", "Webhook bodies are limited to " + maxBody + " bytes.");
    }

    private List<ContentIntake.NumberedRow> rows(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw malformed("The body is not valid JSON.");
        }
        JsonNode rows = root == null ? null : root.get("rows");
        if (rows == null || !rows.isArray() || rows.isEmpty()) {
            throw malformed("The body must be {\"rows\": [ {...}, ... ]} with at least one row.");
        }
        if (rows.size() > MAX_ROWS) {
            throw malformed("At most " + MAX_ROWS + " rows per request.");
        }
        List<ContentIntake.NumberedRow> out = new ArrayList<>();
        int n = 0;
        for (JsonNode row : rows) {
            n++;
            if (!row.isObject()) {
                throw malformed("rows[" + (n - 1) + "] must be an object.");
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (var field : row.properties()) {
                String name = field.getKey().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
                JsonNode value = field.getValue();
                values.put(name, value.isArray() ? String.join(";", value.valueStream().map(JsonNode::asString).toList())
                        : value.isNull() ? null : value.asString());
            }
            out.add(new ContentIntake.NumberedRow(n, values));
        }
        return out;
    }

    private static CrosspostException malformed(String message) {
        return new CrosspostException(CrosspostException.Kind.INVALID, "malformed_body", message);
    }
}
