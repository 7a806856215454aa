package dev.crosspost.system.web;

import dev.crosspost.system.CrosspostException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.util.List;

/**
 * Maps every error a controller can raise to problem+json, once. Spring's own exceptions keep their status and
 * gain a {@code code} and {@code requestId}; anything unexpected becomes a 500 without internals.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(CrosspostException.class)
    ResponseEntity<ProblemDetail> crosspost(CrosspostException e, HttpServletRequest request) {
        HttpStatus status = switch (e.kind()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case UNAUTHORIZED -> HttpStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case UNPROCESSABLE -> HttpStatus.UNPROCESSABLE_CONTENT;
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        ProblemDetail problem = Problems.of(status, e.code(), e.getMessage(), request);
        e.details().forEach(problem::setProperty);
        var builder = ResponseEntity.status(status).contentType(Problems.PROBLEM_JSON);
        if (e.details().get("retryAfterSeconds") instanceof Number seconds) {
            builder.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds.longValue()));
        }
        return builder.body(problem);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException e, HttpServletRequest request) {
        List<Problems.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problems.FieldError(lastNode(v.getPropertyPath().toString()), v.getMessage()))
                .toList();
        return ResponseEntity.badRequest().contentType(Problems.PROBLEM_JSON).body(Problems.validation(errors, request));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        String expected = e.getRequiredType() != null ? e.getRequiredType().getSimpleName() : "another type";
        var error = new Problems.FieldError(e.getName(), "must be a valid " + expected);
        return ResponseEntity.badRequest().contentType(Problems.PROBLEM_JSON).body(Problems.validation(List.of(error), request));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        log.error("Unhandled error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return Problems.response(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
                "Something went wrong on our side. Quote the requestId when you report it.", request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<Problems.FieldError> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(f -> new Problems.FieldError(f.getField(), f.getDefaultMessage() == null ? "is invalid" : f.getDefaultMessage()))
                .toList();
        var globals = ex.getBindingResult().getGlobalErrors().stream()
                .map(g -> new Problems.FieldError(g.getObjectName(), g.getDefaultMessage() == null ? "is invalid" : g.getDefaultMessage()))
                .toList();
        var all = new java.util.ArrayList<>(errors);
        all.addAll(globals);
        return ResponseEntity.badRequest().contentType(Problems.PROBLEM_JSON).body(Problems.validation(all, servlet(request)));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex, HttpHeaders headers,
                                                                            HttpStatusCode status, WebRequest request) {
        List<Problems.FieldError> errors = ex.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream().map(err -> new Problems.FieldError(
                        r.getMethodParameter().getParameterName() == null ? "parameter" : r.getMethodParameter().getParameterName(),
                        err.getDefaultMessage() == null ? "is invalid" : err.getDefaultMessage())))
                .toList();
        return ResponseEntity.badRequest().contentType(Problems.PROBLEM_JSON).body(Problems.validation(errors, servlet(request)));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "malformed_body",
                "The request body is not valid JSON for this endpoint" + location(ex) + ".", servlet(request));
        problem.setTitle("Malformed request body");
        return ResponseEntity.badRequest().contentType(Problems.PROBLEM_JSON).body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> entity = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (entity != null && entity.getBody() instanceof ProblemDetail problem) {
            Problems.enrich(problem, Problems.codeFor(statusCode.value()), servlet(request));
            return ResponseEntity.status(entity.getStatusCode()).headers(entity.getHeaders())
                    .contentType(Problems.PROBLEM_JSON).body(problem);
        }
        return entity;
    }

    private static String location(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getMostSpecificCause();
        if (cause instanceof tools.jackson.core.JacksonException jackson && jackson.getLocation() != null) {
            var loc = jackson.getLocation();
            return " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
        }
        return "";
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot >= 0 ? path.substring(dot + 1) : path;
    }

    private static @Nullable HttpServletRequest servlet(WebRequest request) {
        return request instanceof NativeWebRequest nwr ? nwr.getNativeRequest(HttpServletRequest.class) : null;
    }
}
