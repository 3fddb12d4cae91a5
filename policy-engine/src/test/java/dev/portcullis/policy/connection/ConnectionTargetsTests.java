package dev.portcullis.policy.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectionTargetsTests {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "HTTP, http://127.0.0.1:9090, http://127.0.0.1:9090",
        "HTTP, http://127.0.0.1:9090/, http://127.0.0.1:9090",
        "HTTP, HTTPS://API.Example.com/v1/, https://api.example.com/v1",
        "HTTP, https://api.example.com/base/path, https://api.example.com/base/path",
        "HTTP, '  https://api.example.com  ', https://api.example.com",
        "HTTP, http://[::1]:8080, http://[::1]:8080",
        "HTTP, https://api.example.com:443, https://api.example.com:443",
        "KUBERNETES, https://kubernetes.default.svc, https://kubernetes.default.svc",
        "KUBERNETES, https://10.0.0.1:6443/, https://10.0.0.1:6443",
        "POSTGRES, postgresql://127.0.0.1:5433/demo, postgresql://127.0.0.1:5433/demo",
        "POSTGRES, postgresql://db.internal/orders, postgresql://db.internal:5432/orders",
        "POSTGRES, postgres://DB.internal:6543/orders, postgresql://db.internal:6543/orders",
        "POSTGRES, db.internal:5433/demo, postgresql://db.internal:5433/demo",
        "POSTGRES, localhost/demo, postgresql://localhost:5432/demo",
    })
    void validateWhenTargetAcceptableThenNormalized(ConnectionType type, String target, String expected) {
        assertThat(ConnectionTargets.validate(type, target)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "HTTP, ftp://files.example.com, absolute http or https URL",
        "HTTP, api.example.com, absolute http or https URL",
        "HTTP, /relative/path, absolute http or https URL",
        "HTTP, http:opaque, must name a host",
        "HTTP, http://, not a valid URL",
        "HTTP, https://bob:hunter2@api.example.com, must not contain a user name or password",
        "HTTP, https://api.example.com/?debug=1, must not have a query",
        "HTTP, https://api.example.com/#top, must not have a fragment",
        "HTTP, http://exa mple.com, not a valid URL",
        "HTTP, '', target is required",
        "KUBERNETES, postgresql://db/demo, absolute http or https URL",
        "POSTGRES, http://db.internal:5432/demo, postgresql://host:port/database",
        "POSTGRES, postgresql://db.internal:5432, must name the database",
        "POSTGRES, postgresql://db.internal:5432/, must name the database",
        "POSTGRES, postgresql://db.internal/demo/extra, exactly one database",
        "POSTGRES, postgresql://demo:hunter2@db.internal/demo, must not contain a user name or password",
        "POSTGRES, postgresql://db.internal/demo?sslmode=require, must not have a query",
        "POSTGRES, postgresql://:5432/demo, must name a host",
        "POSTGRES, postgresql://db.internal:99999/demo, port must be between 1 and 65535",
    })
    void validateWhenTargetUnacceptableThenRefused(ConnectionType type, String target, String fragment) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ConnectionTargets.validate(type, target))
                .withMessageContaining(fragment)
                .withMessageNotContaining("hunter2");
    }

    @Test
    void validateWhenTypeOrTargetMissingThenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> ConnectionTargets.validate(null, "http://a"));
        assertThatIllegalArgumentException().isThrownBy(() -> ConnectionTargets.validate(ConnectionType.HTTP, null));
    }
}
