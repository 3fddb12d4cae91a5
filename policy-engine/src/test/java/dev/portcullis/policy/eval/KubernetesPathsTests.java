package dev.portcullis.policy.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.CsvSource;

class KubernetesPathsTests {

    @ParameterizedTest(name = "{0} {1} watch={2}")
    @CsvFileSource(resources = "/eval/kubernetes-paths.csv", numLinesToSkip = 1)
    void parseWhenResourcePathThenCallAsTheApiServerReadsIt(
            String method,
            String path,
            String watch,
            String verb,
            String group,
            String version,
            String namespace,
            String resource,
            String name,
            String subresource) {
        Map<String, List<String>> query = watch == null ? Map.of() : Map.of("watch", List.of(watch));

        assertThat(KubernetesPaths.parse(method, path, query))
                .contains(new KubernetesCall(verb, group, version, namespace, resource, name, subresource));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            nullValues = "-",
            value = {
                // non-resource paths and discovery
                "GET, /",
                "GET, /version",
                "GET, /healthz",
                "GET, /livez",
                "GET, /openapi/v2",
                "GET, /openapi/v3/apis/apps/v1",
                "GET, /.well-known/openid-configuration",
                "GET, /api",
                "GET, /api/v1",
                "GET, /apis",
                "GET, /apis/apps",
                "GET, /apis/apps/v1",
                "GET, /metrics",
                // not in canonical form: the API server would read these differently
                "GET, /api/v1/namespaces/prod/pods/web-1/exec/",
                "GET, //api/v1/pods",
                "GET, /api/v1//pods",
                "GET, /api/v1/./pods",
                "GET, /api/v1/namespaces/prod/../kube-system/secrets",
                "GET, /api/v1/namespaces/prod/pods/web-1/exec/..",
                "GET, /version/../api/v1/secrets",
                "POST, /api/v1/namespaces/prod/pods/web-1%2Fexec",
                "GET, /api/v1/namespaces/pr%6Fd/secrets",
                "GET, /api/v1/%73ecrets",
                "GET, /apis/apps%2Fv1/deployments/x",
                // garbage
                "GET, api/v1/pods",
                "GET, ''",
                "GET, -",
                "-, /api/v1/pods",
                "OPTIONS, /api/v1/pods",
                "CONNECT, /api/v1/namespaces/prod/pods/web-1/exec",
                "GET, /api/v1/watch",
                "GET, /apis/apps/v1/proxy",
                "GET, /foo/bar/baz",
                "GET, /apiz/v1/pods",
            })
    void parseWhenNotAResourcePathThenEmpty(String method, String path) {
        assertThat(KubernetesPaths.parse(method, path, Map.of())).isEmpty();
    }

    @Test
    void parseWhenWatchHasNoValueThenWatchAsTheApiServerDecodesIt() {
        // ?watch reaches the API server as an empty string, which its boolean decoding takes as true
        assertThat(KubernetesPaths.parse("GET", "/api/v1/pods", Map.of("watch", List.of(""))))
                .map(KubernetesCall::verb)
                .contains("watch");
        assertThat(KubernetesPaths.parse("GET", "/api/v1/pods", Map.of("watch", Collections.singletonList(null))))
                .map(KubernetesCall::verb)
                .contains("watch");
    }

    @Test
    void parseWhenWatchRepeatedThenFirstValueDecides() {
        assertThat(KubernetesPaths.parse("GET", "/api/v1/pods", Map.of("watch", Arrays.asList("false", "true"))))
                .map(KubernetesCall::verb)
                .contains("list");
    }

    @Test
    void parseWhenNoQueryThenList() {
        assertThat(KubernetesPaths.parse("GET", "/api/v1/pods", null))
                .map(KubernetesCall::verb)
                .contains("list");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "/, true",
        "/version, true",
        "/healthz, true",
        "/openapi/v2, true",
        "/.well-known/openid-configuration, true",
        "/api, true",
        "/api/v1, true",
        "/apis, true",
        "/apis/apps, true",
        "/apis/apps/v1, true",
        "/api/v1/pods, false",
        "/apis/apps/v1/deployments, false",
        "/api/v1/, false",
        "//api/v1/pods, false",
        "/version/../api/v1/secrets, false",
        "/healthz%2F..%2Fapi, false",
        "/./version, false",
        "version, false",
    })
    void isNonResourcePathWhenPathThenExpected(String path, boolean expected) {
        assertThat(KubernetesPaths.isNonResourcePath(path)).isEqualTo(expected);
    }
}
