package dev.crosspost.sandbox.x;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An X error answer: a problem object ({@code type, title, detail, status}, {@code errors[]} for invalid requests). */
final class XProblem extends RuntimeException {

    private final HttpStatus status;
    private final Map<String, Object> body;
    private final HttpHeaders headers = new HttpHeaders();

    XProblem(HttpStatus status, Map<String, Object> body) {
        super(String.valueOf(body.get("detail")), null, false, false);
        this.status = status;
        this.body = body;
    }

    XProblem withHeaders(HttpHeaders more) {
        headers.addAll(more);
        return this;
    }

    HttpStatus status() {
        return status;
    }

    Map<String, Object> body() {
        return body;
    }

    HttpHeaders headers() {
        return headers;
    }

    static Map<String, Object> problem(String type, String title, String detail, int status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title);
        body.put("detail", detail);
        body.put("type", type);
        body.put("status", status);
        return body;
    }

    /** 400 the way X words it: the generic detail, and what exactly was wrong in {@code errors[]}. */
    static XProblem invalid(String parameter, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errors", List.of(Map.of("parameters", Map.of(parameter, List.of()), "message", message)));
        body.putAll(problem("https://api.x.com/2/problems/invalid-request", "Invalid Request",
                "One or more parameters to your request was invalid.", 400));
        return new XProblem(HttpStatus.BAD_REQUEST, body);
    }

    static XProblem notFound(String detail) {
        return new XProblem(HttpStatus.NOT_FOUND, problem("https://api.x.com/2/problems/resource-not-found", "Not Found Error", detail, 404));
    }

    static XProblem unauthorized() {
        HttpHeaders challenge = new HttpHeaders();
        challenge.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return new XProblem(HttpStatus.UNAUTHORIZED, problem("about:blank", "Unauthorized", "Unauthorized", 401)).withHeaders(challenge);
    }

    static XProblem unavailable() {
        return new XProblem(HttpStatus.SERVICE_UNAVAILABLE, problem("about:blank", "Service Unavailable", "Service Unavailable", 503));
    }

    /** X's 429 body, per its rate-limit page. */
    static XProblem rateLimited(HttpHeaders limits) {
        Map<String, Object> body = Map.of("errors", List.of(Map.of("code", 88, "message", "Rate limit exceeded")));
        return new XProblem(HttpStatus.TOO_MANY_REQUESTS, body).withHeaders(limits);
    }
}
