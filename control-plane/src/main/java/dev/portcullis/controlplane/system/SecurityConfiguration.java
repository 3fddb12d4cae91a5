package dev.portcullis.controlplane.system;

import dev.portcullis.controlplane.identity.Roles;
import dev.portcullis.controlplane.identity.UserAccounts;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what. The API is an OAuth2 resource server: every request carries a bearer token from the issuer (the
 * built-in one or an external one), roles come from the token's groups, every path is bound to a role, and anything
 * unlisted is denied. A path added without a rule here is refused, and the role matrix test fails.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(
            HttpSecurity http, JsonMapper json, Converter<Jwt, AbstractAuthenticationToken> jwtAuthentication)
            throws Exception {
        BearerTokenAuthenticationEntryPoint bearerEntryPoint = new BearerTokenAuthenticationEntryPoint();
        AuthenticationEntryPoint unauthenticated = (request, response, e) -> {
            bearerEntryPoint.commence(request, response, e);
            writeProblem(response, json, HttpStatus.UNAUTHORIZED, "A valid bearer token is required");
        };
        BearerTokenAccessDeniedHandler bearerDenied = new BearerTokenAccessDeniedHandler();
        AccessDeniedHandler denied = (request, response, e) -> {
            bearerDenied.handle(request, response, e);
            writeProblem(response, json, HttpStatus.FORBIDDEN, "Your roles do not allow this request");
        };
        http.securityMatcher("/api/**")
                .authorizeHttpRequests(auth -> auth.requestMatchers(
                                "/api/v1/connections/**",
                                "/api/v1/policies/**",
                                "/api/v1/users/**",
                                "/api/v1/service-accounts/**",
                                "/api/v1/audit-log/**",
                                "/api/v1/signing-keys/**",
                                "/api/v1/proxy-nodes/**")
                        .hasRole(Roles.ADMIN)
                        .requestMatchers("/api/v1/reviews/**")
                        .hasRole(Roles.APPROVER)
                        .requestMatchers("/api/v1/sessions/**")
                        .hasRole(Roles.AUDITOR)
                        .requestMatchers("/api/v1/proxy/**")
                        .hasRole(Roles.PROXY)
                        .anyRequest()
                        .denyAll())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(jwtAuthentication))
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(denied))
                .exceptionHandling(
                        e -> e.authenticationEntryPoint(unauthenticated).accessDeniedHandler(denied))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // Bearer tokens, no cookies: there is no cross-site request to forge.
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain publicEndpoints(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(auth -> auth.requestMatchers(
                                "/actuator/health",
                                "/actuator/health/**",
                                "/actuator/info",
                                "/actuator/prometheus",
                                "/v3/api-docs",
                                "/v3/api-docs/**",
                                "/swagger-ui.html",
                                "/swagger-ui/**",
                                "/error")
                        .permitAll()
                        .anyRequest()
                        .denyAll())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** Local users for the built-in issuer's sign-in page. */
    @Bean
    UserDetailsService userDetailsService(UserAccounts users) {
        return username -> users.findLogin(username)
                .filter(login -> login.passwordHash() != null)
                .map(login -> User.withUsername(login.username())
                        .password(login.passwordHash())
                        .disabled(!login.enabled())
                        .authorities("ROLE_USER")
                        .build())
                .orElseThrow(() -> new UsernameNotFoundException("No such user"));
    }

    private static void writeProblem(HttpServletResponse response, JsonMapper json, HttpStatus status, String detail)
            throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", detail);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(problem));
    }
}
