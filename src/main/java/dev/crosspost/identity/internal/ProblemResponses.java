package dev.crosspost.identity.internal;

import dev.crosspost.system.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** problem+json written straight from security filters, which run before any controller advice could. */
final class ProblemResponses {

    private final JsonMapper json;

    ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String code, String detail)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        ProblemDetail p = Problems.of(status, code, detail, request);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", p.getType().toString());
        body.put("title", p.getTitle());
        body.put("status", p.getStatus());
        body.put("detail", p.getDetail());
        if (p.getProperties() != null) {
            body.putAll(p.getProperties());
        }
        response.setStatus(status.value());
        response.setContentType(Problems.PROBLEM_JSON.toString());
        response.getOutputStream().write(json.writeValueAsBytes(body));
    }
}
