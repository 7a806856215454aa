package dev.crosspost.identity.web;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The dashboard's sign-in page; Spring Security handles {@code POST /login} and {@code POST /logout}. */
@Controller
@Hidden
class LoginController {

    @GetMapping("/login")
    String login() {
        return "login";
    }
}
