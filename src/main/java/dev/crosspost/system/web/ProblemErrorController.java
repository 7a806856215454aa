package dev.crosspost.system.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Errors raised outside controllers (filters, the container) also leave as problem+json, without internals. */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        HttpStatus resolved = HttpStatus.resolve(status);
        String detail = resolved == null ? null : switch (resolved) {
            case NOT_FOUND -> "No resource at " + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            case CONTENT_TOO_LARGE -> "The request body is larger than this endpoint accepts.";
            case INTERNAL_SERVER_ERROR -> "Something went wrong on our side. Quote the requestId when you report it.";
            default -> null;
        };
        return Problems.response(HttpStatus.valueOf(resolved == null ? 500 : status), Problems.codeFor(status), detail, request);
    }
}
