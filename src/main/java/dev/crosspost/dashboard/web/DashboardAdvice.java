package dev.crosspost.dashboard.web;

import dev.crosspost.system.CrosspostException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolationException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/**
 * What every dashboard page gets (the viewer's zone, the current section), and errors as a page rather than
 * problem+json: people read these, in the same words the API uses.
 */
@ControllerAdvice(basePackageClasses = DashboardAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class DashboardAdvice {

    private final ViewerResolver viewers;

    DashboardAdvice(ViewerResolver viewers) {
        this.viewers = viewers;
    }

    @ModelAttribute("viewer")
    Viewer viewer(HttpServletRequest request, HttpServletResponse response) {
        return viewers.resolve(request, response);
    }

    @ModelAttribute("path")
    String path(HttpServletRequest request) {
        return request.getRequestURI();
    }

    @ExceptionHandler(CrosspostException.class)
    ModelAndView crosspost(CrosspostException e, HttpServletRequest request, HttpServletResponse response) {
        HttpStatus status = switch (e.kind()) {
            case INVALID, UNPROCESSABLE, TOO_LARGE -> HttpStatus.BAD_REQUEST;
            case UNAUTHORIZED -> HttpStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        return page(status, e.getMessage(), request, response);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ModelAndView mismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request, HttpServletResponse response) {
        return page(HttpStatus.BAD_REQUEST, e.getName() + ": '" + shorten(String.valueOf(e.getValue()), 60) + "' is not a valid value", request,
                response);
    }

    @ExceptionHandler({HandlerMethodValidationException.class, ConstraintViolationException.class,
            MissingServletRequestParameterException.class})
    ModelAndView invalid(Exception e, HttpServletRequest request, HttpServletResponse response) {
        String message = switch (e) {
            case MissingServletRequestParameterException m -> m.getParameterName() + ": is required";
            case HandlerMethodValidationException h -> String.join("; ", h.getParameterValidationResults().stream()
                    .flatMap(r -> r.getResolvableErrors().stream()
                            .map(err -> r.getMethodParameter().getParameterName() + ": " + err.getDefaultMessage()))
                    .toList());
            case ConstraintViolationException c -> String.join("; ", c.getConstraintViolations().stream()
                    .map(v -> v.getPropertyPath() + ": " + v.getMessage()).toList());
            default -> "the request is not valid";
        };
        return page(HttpStatus.BAD_REQUEST, message, request, response);
    }

    private ModelAndView page(HttpStatus status, String message, HttpServletRequest request, HttpServletResponse response) {
        ModelAndView page = new ModelAndView("dashboard/error", status);
        page.addObject("status", status.value());
        page.addObject("reason", status.getReasonPhrase());
        page.addObject("message", message);
        page.addObject("viewer", viewers.resolve(request, response));
        page.addObject("path", request.getRequestURI());
        return page;
    }

    /** {@code value} cut to at most {@code max} characters, ending in "..." when cut: user input echoed on an error page. */
    static String shorten(String value, int max) {
        return value.length() > max ? value.substring(0, max - 3) + "..." : value;
    }
}
