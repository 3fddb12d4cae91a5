package dev.portcullis.controlplane.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.controlplane.ApiClient;
import dev.portcullis.controlplane.ApiIntegrationTest;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A person signs in to the built-in issuer's login page and the web console's client gets a token through the
 * authorization code flow with PKCE, the way a browser and the console do it.
 */
class SignInIntegrationTests extends ApiIntegrationTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    @Autowired
    UserAccounts users;

    @Test
    void authorizationCodeWithPkceWhenSignedInThenTokenCarriesTheUsersGroups() throws Exception {
        String username = "pkce-" + UUID.randomUUID().toString().substring(0, 8);
        users.createUser(username, "correct horse battery", List.of("approvers"));
        HttpClient browser = browser();
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String challenge = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String redirect = "http://127.0.0.1:8080/login/oauth2/code/portcullis";
        String authorize = "/oauth2/authorize?response_type=code&client_id=web-console&scope=openid&state=s1"
                + "&redirect_uri=" + URLEncoder.encode(redirect, StandardCharsets.UTF_8)
                + "&code_challenge=" + challenge + "&code_challenge_method=S256";

        HttpResponse<String> first = get(browser, authorize);
        assertThat(first.statusCode()).isEqualTo(302);
        assertThat(first.headers().firstValue("Location").orElseThrow()).endsWith("/login");

        HttpResponse<String> signedIn = signIn(browser, username, "correct horse battery");
        assertThat(signedIn.statusCode()).isEqualTo(302);
        String back = signedIn.headers().firstValue("Location").orElseThrow();
        assertThat(back).contains("/oauth2/authorize");

        HttpResponse<String> authorized = get(
                browser, URI.create(back).getRawPath() + "?" + URI.create(back).getRawQuery());
        String location = authorized.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(redirect).contains("state=s1");
        Matcher code = Pattern.compile("code=([^&]+)").matcher(location);
        assertThat(code.find()).isTrue();

        HttpResponse<String> token = browser.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth2/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&client_id=web-console"
                                + "&code=" + code.group(1) + "&code_verifier=" + verifier
                                + "&redirect_uri=" + URLEncoder.encode(redirect, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        JsonNode body = JsonMapper.builder().build().readTree(token.body());
        JsonNode claims =
                IdentityApiIntegrationTests.claims(body.get("access_token").asString());
        assertThat(claims.get("sub").asString()).isEqualTo(username);
        assertThat(claims.get("groups").toString()).isEqualTo("[\"approvers\"]");
        assertThat(body.get("id_token").asString()).isNotBlank();
        // An approver holds no admin role.
        assertThat(ApiClient.bearer(port, body.get("access_token").asString())
                        .get("/api/v1/connections")
                        .status())
                .isEqualTo(403);
        assertThat(admin().get("/api/v1/audit-log?resourceName=" + username).body())
                .contains("user.login");
    }

    @Test
    void signInWhenWrongPasswordThenRefusedAndAudited() throws Exception {
        String username = "wrong-" + UUID.randomUUID().toString().substring(0, 8);
        users.createUser(username, "the right password", List.of());

        HttpResponse<String> response = signIn(browser(), username, "not the password");

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
        assertThat(admin().get("/api/v1/audit-log?resourceName=" + username).body())
                .contains("user.login-failed")
                .doesNotContain("not the password");
    }

    @Test
    void signInWhenDisabledUserThenRefused() throws Exception {
        String username = "gone-" + UUID.randomUUID().toString().substring(0, 8);
        users.createUser(username, "the right password", List.of());
        admin().post("/api/v1/users/" + username + "/disable", "application/json", "");

        HttpResponse<String> response = signIn(browser(), username, "the right password");

        assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
    }

    private HttpResponse<String> signIn(HttpClient browser, String username, String password) throws Exception {
        HttpResponse<String> page = get(browser, "/login");
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher csrf = CSRF.matcher(page.body());
        assertThat(csrf.find()).as("login page has a CSRF token").isTrue();
        String form = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + csrf.group(1);
        return browser.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(HttpClient browser, String path) throws Exception {
        return browser.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Accept", "text/html")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient browser() {
        return HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }
}
