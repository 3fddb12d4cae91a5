package dev.portcullis.policy.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.portcullis.policy.Action;
import dev.portcullis.policy.connection.ConnectionType;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EvalModelTests {

    @Test
    void subjectWhenGroupsGivenThenCopied() {
        Set<String> groups = new HashSet<>(Set.of("admins"));
        Subject subject = new Subject("alice", groups, false);
        groups.add("approvers");

        assertThat(subject.groups()).containsExactly("admins");
        assertThat(new Subject("alice", null, false).groups()).isEmpty();
        assertThat(Subject.user("alice", "a", "a").groups()).containsExactly("a");
    }

    @Test
    void subjectWhenNameEmptyOrGroupNullThenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Subject(" ", Set.of(), false));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Subject("alice", new HashSet<>(Arrays.asList("a", null)), false));
    }

    @Test
    void httpCallWhenPathRelativeOrMethodEmptyThenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpCall("GET", "customers"));
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpCall("", "/customers"));
        assertThat(new HttpCall("GET", "/").kubernetes()).isNull();
    }

    @Test
    void kubernetesCallWhenRequiredPartMissingThenRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new KubernetesCall("", "", "v1", null, "pods", null, null));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new KubernetesCall("get", null, "v1", null, "pods", null, null));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new KubernetesCall("get", "", "v1", null, "", null, null));
    }

    @Test
    void requestContextWhenPartMissingThenRefused() {
        Subject subject = Subject.user("alice");
        HttpCall call = new HttpCall("GET", "/");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RequestContext(null, "c", Set.of(), ConnectionType.HTTP, call));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RequestContext(subject, "", Set.of(), ConnectionType.HTTP, call));
        assertThatIllegalArgumentException().isThrownBy(() -> new RequestContext(subject, "c", Set.of(), null, call));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RequestContext(subject, "c", Set.of(), ConnectionType.HTTP, null));
        assertThat(new RequestContext(subject, "c", null, ConnectionType.HTTP, call).connectionTags())
                .isEmpty();
    }

    @Test
    void verdictWhenBuiltThenActionAndCopies() {
        assertThat(new Verdict.Allow("p", null, null).masking()).isEmpty();
        assertThat(new Verdict.Allow("p", null, null).action()).isEqualTo(Action.ALLOW);
        assertThat(new Verdict.Block(null, null, "no").action()).isEqualTo(Action.BLOCK);
        assertThat(new Verdict.Review("p", "r", List.of("a"), 1, Duration.ofSeconds(1), null).action())
                .isEqualTo(Action.REVIEW);
    }

    @Test
    void verdictWhenInvalidThenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Verdict.Block("p", "r", null));
        assertThatIllegalArgumentException().isThrownBy(() -> new Verdict.Allow(null, "r", List.of()));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Verdict.Review("p", "r", List.of(), 1, Duration.ofSeconds(1), List.of()));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Verdict.Review("p", "r", List.of("a"), 0, Duration.ofSeconds(1), List.of()));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Verdict.Review("p", null, List.of("a"), 1, Duration.ofSeconds(1), List.of()));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Verdict.Review("p", "r", List.of("a"), 1, Duration.ZERO, List.of()));
    }
}
