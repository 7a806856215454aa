package dev.crosspost.sandbox.sheets;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Google Sheets API v4 as {@code platforms.md} §10 describes it, in memory. The token endpoint checks the JWT
 * bearer grant's form, header and claims (iss, scope, aud, iat, exp ≤ iat + 3600); it holds no service account's
 * public key, so the RS256 signature itself is verified by the client's contract test against WireMock.
 */
@RestController
@ConditionalOnBooleanProperty(name = "crosspost.sandbox.enabled", matchIfMissing = true)
@RequestMapping("/sandbox/sheets")
class SheetsSimulator {

    static final String GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final String SCOPE = "https://www.googleapis.com/auth/spreadsheets";

    private record Token(String email, boolean readOnly, Instant expires) {
    }

    private record Window(long minute, int count) {
    }

    private final Map<String, Map<String, List<List<String>>>> books = new ConcurrentHashMap<>();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, Window> quota = new ConcurrentHashMap<>();
    private final AtomicInteger rateLimitNext = new AtomicInteger();
    private final SandboxSheetsSettings settings;
    private final JsonMapper json;
    private final Clock clock;

    SheetsSimulator(SandboxSheetsSettings settings, JsonMapper json, Clock clock) {
        this.settings = settings;
        this.json = json;
        this.clock = clock;
    }

    @PostMapping(path = "/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<Map<String, Object>> token(@RequestParam Map<String, String> form) {
        if (!GRANT.equals(form.get("grant_type"))) {
            return oauthError("unsupported_grant_type", "Invalid grant_type: " + form.getOrDefault("grant_type", ""));
        }
        String assertion = form.get("assertion");
        String[] parts = assertion == null ? new String[0] : assertion.split("\\.", -1);
        if (parts.length != 3 || parts[2].isEmpty()) {
            return oauthError("invalid_grant", "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe");
        }
        JsonNode header;
        JsonNode claims;
        try {
            header = json.readTree(Base64.getUrlDecoder().decode(parts[0]));
            claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
            Base64.getUrlDecoder().decode(parts[2]);
        } catch (RuntimeException e) {
            return oauthError("invalid_grant", "Invalid JWT Signature.");
        }
        if (!"RS256".equals(text(header, "alg"))) {
            return oauthError("invalid_grant", "Invalid JWT: alg must be RS256");
        }
        String iss = text(claims, "iss");
        String scope = text(claims, "scope");
        String aud = text(claims, "aud");
        long now = clock.instant().getEpochSecond();
        if (iss == null || iss.isBlank()) {
            return oauthError("invalid_grant", "Invalid JWT: iss (the service account email) is missing");
        }
        if (aud == null || !(aud.equals("https://oauth2.googleapis.com/token") || aud.endsWith("/sandbox/sheets/token"))) {
            return oauthError("invalid_grant", "Invalid JWT: aud must be the token endpoint");
        }
        if (!claims.has("iat") || !claims.has("exp") || !claims.get("iat").isNumber() || !claims.get("exp").isNumber()) {
            return oauthError("invalid_grant", "Invalid JWT: iat and exp are required");
        }
        long iat = claims.get("iat").asLong();
        long exp = claims.get("exp").asLong();
        if (exp <= now || exp - iat > 3600 || iat > now + 60 || exp <= iat) {
            return oauthError("invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
                    + "Check your iat and exp values in the JWT claim.");
        }
        List<String> scopes = scope == null ? List.of() : List.of(scope.split(" "));
        boolean write = scopes.contains(SCOPE);
        if (!write && !scopes.contains(SCOPE + ".readonly")) {
            return oauthError("invalid_scope", "Invalid OAuth scope or ID token audience provided.");
        }
        String token = "ya29.sandbox-" + UUID.randomUUID();
        tokens.put(token, new Token(iss, !write, clock.instant().plus(settings.tokenTtl())));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token);
        body.put("expires_in", settings.tokenTtl().toSeconds());
        body.put("token_type", "Bearer");
        return ResponseEntity.ok(body);
    }

    @GetMapping("/v4/spreadsheets/{id}/values/{range}")
    ResponseEntity<Map<String, Object>> get(@PathVariable String id, @PathVariable String range,
                                            @RequestParam(defaultValue = "ROWS") String majorDimension,
                                            @RequestHeader(name = "Authorization", required = false) @Nullable String authorization) {
        ResponseEntity<Map<String, Object>> refused = admit(authorization, false);
        if (refused != null) {
            return refused;
        }
        Map<String, List<List<String>>> book = books.get(id);
        if (book == null) {
            return notFound();
        }
        A1Range r = A1Range.parse(range, book.keySet().iterator().next());
        if (r == null || !book.containsKey(r.sheet())) {
            return googleError(HttpStatus.BAD_REQUEST, "INVALID_ARGUMENT", "Unable to parse range: " + range);
        }
        if (!"ROWS".equals(majorDimension)) {
            return googleError(HttpStatus.BAD_REQUEST, "INVALID_ARGUMENT", "Only majorDimension=ROWS is simulated");
        }
        List<List<String>> values = new ArrayList<>();
        synchronized (book) {
            List<List<String>> sheet = book.get(r.sheet());
            for (int row = r.firstRow(); row < sheet.size() && row <= r.lastRow(); row++) {
                List<String> cells = sheet.get(row);
                List<String> out = new ArrayList<>();
                for (int col = r.firstCol(); col < cells.size() && col <= r.lastCol(); col++) {
                    out.add(cells.get(col));
                }
                values.add(trimTrailing(out));
            }
        }
        while (!values.isEmpty() && values.getLast().isEmpty()) {
            values.removeLast(); // Google omits trailing empty rows and cells
        }
        int cols = values.stream().mapToInt(List::size).max().orElse(0);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("range", r.a1(values.size(), cols));
        body.put("majorDimension", "ROWS");
        if (!values.isEmpty()) {
            body.put("values", values);
        }
        return ResponseEntity.ok(body);
    }

    @PutMapping("/v4/spreadsheets/{id}/values/{range}")
    ResponseEntity<Map<String, Object>> update(@PathVariable String id, @PathVariable String range,
                                               @RequestParam(required = false) @Nullable String valueInputOption, @RequestBody JsonNode body,
                                               @RequestHeader(name = "Authorization", required = false) @Nullable String authorization) {
        ResponseEntity<Map<String, Object>> refused = admit(authorization, true);
        if (refused != null) {
            return refused;
        }
        if (valueInputOption == null || !(valueInputOption.equals("RAW") || valueInputOption.equals("USER_ENTERED"))) {
            return googleError(HttpStatus.BAD_REQUEST, "INVALID_ARGUMENT", "'valueInputOption' is required but not specified");
        }
        return batch(id, List.of(Map.entry(range, body.path("values"))), false);
    }

    @PostMapping("/v4/spreadsheets/{id}/values:batchUpdate")
    ResponseEntity<Map<String, Object>> batchUpdate(@PathVariable String id, @RequestBody JsonNode body,
                                                    @RequestHeader(name = "Authorization", required = false) @Nullable String authorization) {
        ResponseEntity<Map<String, Object>> refused = admit(authorization, true);
        if (refused != null) {
            return refused;
        }
        String option = text(body, "valueInputOption");
        if (option == null || !(option.equals("RAW") || option.equals("USER_ENTERED"))) {
            return googleError(HttpStatus.BAD_REQUEST, "INVALID_ARGUMENT", "'valueInputOption' is required but not specified");
        }
        List<Map.Entry<String, JsonNode>> data = new ArrayList<>();
        for (JsonNode d : body.path("data")) {
            data.add(Map.entry(d.path("range").asString(""), d.path("values")));
        }
        return batch(id, data, true);
    }

    /** Applies every write or none (Google applies a batch atomically). */
    private ResponseEntity<Map<String, Object>> batch(String id, List<Map.Entry<String, JsonNode>> data, boolean batch) {
        Map<String, List<List<String>>> book = books.get(id);
        if (book == null) {
            return notFound();
        }
        synchronized (book) {
            List<A1Range> ranges = new ArrayList<>();
            for (var d : data) {
                A1Range r = A1Range.parse(d.getKey(), book.keySet().iterator().next());
                if (r == null || !book.containsKey(r.sheet())) {
                    return googleError(HttpStatus.BAD_REQUEST, "INVALID_ARGUMENT", "Unable to parse range: " + d.getKey());
                }
                JsonNode values = d.getValue();
                if (!values.isArray()) {
                    return googleError(HttpStatus.BAD_REQUEST, "INVALID_ARGUMENT", "Invalid values: must be a list of rows");
                }
                int rows = values.size();
                int cols = 0;
                for (JsonNode row : values) {
                    cols = Math.max(cols, row.size());
                }
                if (r.lastRow() != Integer.MAX_VALUE && r.firstRow() + rows - 1 > r.lastRow()
                        || r.lastCol() != Integer.MAX_VALUE && r.firstCol() + cols - 1 > r.lastCol()) {
                    return googleError(HttpStatus.BAD_REQUEST, "INVALID_ARGUMENT", "Requested writing within range [" + d.getKey()
                            + "], but tried writing beyond it.");
                }
                ranges.add(r);
            }
            List<Map<String, Object>> responses = new ArrayList<>();
            int totalRows = 0;
            int totalCols = 0;
            int totalCells = 0;
            for (int i = 0; i < data.size(); i++) {
                A1Range r = ranges.get(i);
                List<List<String>> sheet = book.get(r.sheet());
                int rows = 0;
                int cols = 0;
                int cells = 0;
                for (JsonNode row : data.get(i).getValue()) {
                    int at = r.firstRow() + rows;
                    while (sheet.size() <= at) {
                        sheet.add(new ArrayList<>());
                    }
                    List<String> target = sheet.get(at);
                    int c = 0;
                    for (JsonNode cell : row) {
                        int col = r.firstCol() + c;
                        while (target.size() <= col) {
                            target.add("");
                        }
                        target.set(col, cell.isNull() ? "" : cell.asString());
                        c++;
                        cells++;
                    }
                    cols = Math.max(cols, c);
                    rows++;
                }
                Map<String, Object> response = new LinkedHashMap<>();
                response.put("spreadsheetId", id);
                response.put("updatedRange", r.a1(rows, cols));
                response.put("updatedRows", rows);
                response.put("updatedColumns", cols);
                response.put("updatedCells", cells);
                responses.add(response);
                totalRows += rows;
                totalCols = Math.max(totalCols, cols);
                totalCells += cells;
            }
            if (!batch) {
                return ResponseEntity.ok(responses.getFirst());
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("spreadsheetId", id);
            body.put("totalUpdatedRows", totalRows);
            body.put("totalUpdatedColumns", totalCols);
            body.put("totalUpdatedCells", totalCells);
            body.put("totalUpdatedSheets", ranges.stream().map(A1Range::sheet).distinct().count());
            body.put("responses", responses);
            return ResponseEntity.ok(body);
        }
    }

    /** Seeds a spreadsheet: {@code {"sheets": {"Sheet1": [["id","title"], ...]}}}. */
    @PutMapping("/admin/spreadsheets/{id}")
    ResponseEntity<Void> seed(@PathVariable String id, @RequestBody Map<String, Map<String, List<List<String>>>> body) {
        Map<String, List<List<String>>> book = new LinkedHashMap<>();
        body.getOrDefault("sheets", Map.of()).forEach((name, rows) -> {
            List<List<String>> copy = new ArrayList<>();
            rows.forEach(r -> copy.add(new ArrayList<>(r)));
            book.put(name, copy);
        });
        if (book.isEmpty()) {
            return ResponseEntity.badRequest().build();
        }
        books.put(id, book);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/admin/spreadsheets/{id}")
    ResponseEntity<Map<String, List<List<String>>>> read(@PathVariable String id) {
        Map<String, List<List<String>>> book = books.get(id);
        if (book == null) {
            return ResponseEntity.notFound().build();
        }
        synchronized (book) {
            Map<String, List<List<String>>> copy = new LinkedHashMap<>();
            book.forEach((name, rows) -> copy.put(name, rows.stream().map(r -> (List<String>) new ArrayList<>(r)).toList()));
            return ResponseEntity.ok(copy);
        }
    }

    /** Faults: {@code {"rateLimitNext": n}} answers the next n API calls with 429. */
    @PostMapping("/admin/faults")
    ResponseEntity<Void> faults(@RequestBody Map<String, Integer> body) {
        rateLimitNext.set(Math.max(0, body.getOrDefault("rateLimitNext", 0)));
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/admin")
    ResponseEntity<Void> reset() {
        books.clear();
        tokens.clear();
        quota.clear();
        rateLimitNext.set(0);
        return ResponseEntity.noContent().build();
    }

    private @Nullable ResponseEntity<Map<String, Object>> admit(@Nullable String authorization, boolean write) {
        Token token = authorization != null && authorization.startsWith("Bearer ") ? tokens.get(authorization.substring(7).trim()) : null;
        if (token == null || !token.expires().isAfter(clock.instant())) {
            return googleError(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "Request had invalid authentication credentials. "
                    + "Expected OAuth 2 access token, login cookie or other valid authentication credential.");
        }
        if (write && token.readOnly()) {
            return googleError(HttpStatus.FORBIDDEN, "PERMISSION_DENIED", "Request had insufficient authentication scopes.");
        }
        if (rateLimitNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return quotaExceeded(write);
        }
        long minute = clock.instant().getEpochSecond() / 60;
        Window w = quota.compute(token.email() + (write ? "|write" : "|read"),
                (k, old) -> old == null || old.minute() != minute ? new Window(minute, 1) : new Window(minute, old.count() + 1));
        if (w.count() > settings.requestsPerMinute()) {
            return quotaExceeded(write);
        }
        return null;
    }

    private static ResponseEntity<Map<String, Object>> quotaExceeded(boolean write) {
        String metric = write ? "Write requests" : "Read requests";
        return googleError(HttpStatus.TOO_MANY_REQUESTS, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric '" + metric
                + "' and limit '" + metric + " per minute per user' of service 'sheets.googleapis.com'.");
    }

    private static ResponseEntity<Map<String, Object>> notFound() {
        return googleError(HttpStatus.NOT_FOUND, "NOT_FOUND", "Requested entity was not found.");
    }

    private static ResponseEntity<Map<String, Object>> googleError(HttpStatus status, String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", status.value());
        error.put("message", message);
        error.put("status", code);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Map.of("error", error));
    }

    private static ResponseEntity<Map<String, Object>> oauthError(String error, String description) {
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", error, "error_description", description));
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static List<String> trimTrailing(List<String> cells) {
        int end = cells.size();
        while (end > 0 && cells.get(end - 1).isEmpty()) {
            end--;
        }
        return new ArrayList<>(cells.subList(0, end));
    }

}
