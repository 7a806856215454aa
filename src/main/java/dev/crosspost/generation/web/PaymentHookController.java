package dev.crosspost.generation.web;

import dev.crosspost.generation.GenerationSettings;
import dev.crosspost.generation.internal.Credits;
import dev.crosspost.intake.InboundSignatures;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.web.Problems;
import org.springframework.http.MediaType;
import org.springframework.transaction.support.TransactionTemplate;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** {@code POST /api/v1/hooks/payments}: a payment provider tops up a workspace's credits; the HMAC is the auth. */
@RestController
class PaymentHookController {

    private static final Pattern PAYMENT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private final Credits credits;
    private final GenerationSettings.Payments settings;
    private final InboundSignatures signatures;
    private final TransactionTemplate tx;
    private final JsonMapper json = JsonMapper.builder().build();

    PaymentHookController(Credits credits, GenerationSettings settings, InboundSignatures signatures, TransactionTemplate tx) {
        this.credits = credits;
        this.settings = settings.generation().payments();
        this.signatures = signatures;
        this.tx = tx;
    }

    /** The body: {@code {"paymentId":"pay_123","workspaceId":"<uuid>","credits":500}}. */
    @PostMapping(path = "/api/v1/hooks/payments", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Top up a workspace's credits from a payment provider, signed with HMAC-SHA256 (Crosspost-Signature); once per paymentId")
    Credits.TopUp receive(@RequestHeader(name = "Crosspost-Timestamp", required = false) String timestamp,
                          @RequestHeader(name = "Crosspost-Signature", required = false) String signature,
                          @RequestBody(required = false) byte[] body) {
        if (settings.secret() == null || settings.secret().isBlank()) {
            throw new CrosspostException(CrosspostException.Kind.UNAVAILABLE, "payments_not_configured",
                    "Payment top-ups are off: crosspost.generation.payments.secret is not set.");
        }
        byte[] raw = body == null ? new byte[0] : body;
        // the nonce is kept only when the top-up commits, so a refused payment can be sent again with the same signature
        return tx.execute(s -> {
            signatures.verify("payments", settings.secret().getBytes(StandardCharsets.UTF_8), timestamp, signature, raw);
            return topUp(raw);
        });
    }

    private Credits.TopUp topUp(byte[] raw) {
        JsonNode payment;
        try {
            payment = json.readTree(raw);
        } catch (JacksonException e) {
            throw invalid(List.of(new Problems.FieldError("body", "must be a JSON object")));
        }
        List<Problems.FieldError> errors = new ArrayList<>();
        String paymentId = text(payment, "paymentId");
        if (paymentId == null || !PAYMENT_ID.matcher(paymentId).matches()) {
            errors.add(new Problems.FieldError("paymentId", "must be 1-128 letters, digits or _.:-"));
        }
        UUID workspace = null;
        try {
            String w = text(payment, "workspaceId");
            workspace = w == null ? null : UUID.fromString(w);
        } catch (IllegalArgumentException e) {
            // reported below
        }
        if (workspace == null) {
            errors.add(new Problems.FieldError("workspaceId", "must be a workspace id (UUID)"));
        }
        JsonNode amount = payment == null ? null : payment.get("credits");
        if (amount == null || !amount.isIntegralNumber() || !amount.canConvertToLong()
                || amount.asLong() < 1 || amount.asLong() > settings.maxCredits()) {
            errors.add(new Problems.FieldError("credits", "must be a whole number from 1 to " + settings.maxCredits()));
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return credits.topUp(paymentId, workspace, amount.asLong());
    }

    private static String text(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }

    private static CrosspostException invalid(List<Problems.FieldError> errors) {
        return CrosspostException.invalid(CrosspostException.Kind.UNPROCESSABLE, errors);
    }
}
