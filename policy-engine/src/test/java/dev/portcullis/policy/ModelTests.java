package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.policy.ConnectionSelector.ByName;
import dev.portcullis.policy.ConnectionSelector.ByTag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelTests {

    @ParameterizedTest
    @CsvSource({
        "ALLOW, ALLOW, ALLOW",
        "ALLOW, REVIEW, REVIEW",
        "REVIEW, ALLOW, REVIEW",
        "ALLOW, BLOCK, BLOCK",
        "BLOCK, REVIEW, BLOCK",
        "REVIEW, BLOCK, BLOCK",
        "BLOCK, BLOCK, BLOCK"
    })
    void mostRestrictiveWhenTwoActionsThenStricterWins(Action a, Action b, Action expected) {
        assertThat(Action.mostRestrictive(a, b)).isEqualTo(expected);
    }

    @Test
    void isMoreRestrictiveThanWhenComparedThenBlockOverReviewOverAllow() {
        assertThat(Action.BLOCK.isMoreRestrictiveThan(Action.REVIEW)).isTrue();
        assertThat(Action.REVIEW.isMoreRestrictiveThan(Action.ALLOW)).isTrue();
        assertThat(Action.ALLOW.isMoreRestrictiveThan(Action.ALLOW)).isFalse();
        assertThat(Action.REVIEW.isMoreRestrictiveThan(Action.BLOCK)).isFalse();
    }

    @Test
    void connectionSelectorWhenParsedThenByNameOrByTag() {
        assertThat(ConnectionSelector.parse("demo-db")).isEqualTo(new ByName("demo-db"));
        assertThat(ConnectionSelector.parse("tag:prod")).isEqualTo(new ByTag("prod"));
        assertThat(ConnectionSelector.parse("tag:prod").asText()).isEqualTo("tag:prod");
        assertThatIllegalArgumentException().isThrownBy(() -> ConnectionSelector.parse("tag:"));
        assertThatIllegalArgumentException().isThrownBy(() -> ConnectionSelector.parse(" "));
    }

    @Test
    void connectionSelectorWhenMatchingThenByNameOrTag() {
        assertThat(new ByName("demo-db").matches("demo-db", Set.of())).isTrue();
        assertThat(new ByName("demo-db").matches("demo-api", Set.of("demo-db"))).isFalse();
        assertThat(new ByTag("prod").matches("orders", Set.of("prod", "eu"))).isTrue();
        assertThat(new ByTag("prod").matches("prod", Set.of("staging"))).isFalse();
        assertThat(new ByTag("prod").matches("orders", null)).isFalse();
    }

    @Test
    void appliesToWhenAnySelectorMatchesThenTrue() {
        Policy policy = policy(List.of(new ByName("demo-db"), new ByTag("prod")), List.of());

        assertThat(policy.appliesTo("demo-db", null)).isTrue();
        assertThat(policy.appliesTo("orders", List.of("prod"))).isTrue();
        assertThat(policy.appliesTo("orders", List.of("staging"))).isFalse();
    }

    @Test
    void policyWhenNullsThenFailClosedDefaultsAndEmptyLists() {
        Policy policy = new Policy("p", " ", 100, List.of(new ByName("db")), null, null, null, null);

        assertThat(policy.defaultAction()).isEqualTo(Action.BLOCK);
        assertThat(policy.onUnparsed()).isEqualTo(Action.BLOCK);
        assertThat(policy.rules()).isEmpty();
        assertThat(policy.masking()).isEmpty();
        assertThat(policy.description()).isNull();
    }

    @Test
    void policyWhenListsChangeAfterwardsThenPolicyUnchanged() {
        List<Rule> rules = new ArrayList<>(List.of(block("a")));
        Policy policy = policy(List.of(new ByName("db")), rules);
        rules.add(block("b"));

        assertThat(policy.rules()).hasSize(1);
        assertThatThrownBy(() -> policy.rules().add(block("c"))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void policyWhenDuplicateRuleNamesThenRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> policy(List.of(new ByName("db")), List.of(block("a"), block("a"))))
                .withMessage("duplicate rule name 'a'");
    }

    @Test
    void policyWhenNoConnectionsOrBadNameThenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> policy(List.of(), List.of()));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Policy("Bad", null, 1, List.of(new ByName("db")), null, null, null, null));
    }

    @Test
    void ruleFindsByName() {
        Policy policy = policy(List.of(new ByName("db")), List.of(block("a"), block("b")));

        assertThat(policy.rule("b")).contains(block("b"));
        assertThat(policy.rule("c")).isEmpty();
    }

    @Test
    void ruleWhenReviewDoesNotFitActionThenRefused() {
        ReviewSpec review = new ReviewSpec(List.of("approvers"));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Rule("r", null, Action.REVIEW, null, null))
                .withMessage("REVIEW rule needs review.approvers");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Rule("r", null, Action.BLOCK, null, review))
                .withMessageContaining("'review' is only allowed on REVIEW rules");
        assertThat(new Rule("r", null, Action.REVIEW, null, review).review()).isEqualTo(review);
    }

    @Test
    void ruleWhenEmptyConditionOrBlankReasonThenNull() {
        Rule rule = new Rule("r", Condition.ANY, Action.BLOCK, " ", null);

        assertThat(rule.when()).isNull();
        assertThat(rule.reason()).isNull();
    }

    @Test
    void reviewSpecWhenOutOfRangeThenRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ReviewSpec(List.of("a"), 0, null))
                .withMessageStartingWith("'approvals' must be between 1 and 10");
        assertThatIllegalArgumentException().isThrownBy(() -> new ReviewSpec(List.of("a"), 11, null));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ReviewSpec(List.of("a"), 1, Duration.ofMillis(999)))
                .withMessageStartingWith("'hold' must be between 1s and 24h");
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        new ReviewSpec(List.of("a"), 1, Duration.ofHours(24).plusMillis(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> new ReviewSpec(List.of()));
        assertThat(new ReviewSpec(List.of("a"), 10, null).hold()).isEqualTo(ReviewSpec.DEFAULT_HOLD);
    }

    @Test
    void httpMatchWhenMethodsInAnyCaseThenUpperCasedAndChecked() {
        HttpMatch match = new HttpMatch(List.of("get", "Delete"), List.of("/a/**"));

        assertThat(match.methods()).containsExactly("GET", "DELETE");
        assertThat(match.pathPatterns()).containsExactly(new PathPattern("/a/**"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new HttpMatch(List.of("FETCH"), null))
                .withMessageStartingWith("unknown HTTP method 'FETCH'");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpMatch(null, List.of("a/**")));
    }

    @Test
    void kubernetesMatchWhenVerbsInAnyCaseThenLowerCasedAndChecked() {
        assertThat(new KubernetesMatch(List.of("GET", "DeleteCollection"), null, null, null).verbs())
                .containsExactly("get", "deletecollection");
        assertThatIllegalArgumentException().isThrownBy(() -> new KubernetesMatch(List.of("exec"), null, null, null));
    }

    @Test
    void sqlMatchWhenPatternDoesNotCompileThenRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SqlMatch(null, null, null, null, "[a-"))
                .withMessageStartingWith("'pattern' is not a valid regular expression");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SqlMatch(null, null, List.of(" "), null, null))
                .withMessage("'tables' must not contain empty entries");
    }

    @Test
    void maskingRuleWhenNothingToMaskThenRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new MaskingRule(null, List.of()))
                .withMessage("masking rule needs 'fields' or 'detectors'");
    }

    @Test
    void durationsWhenFormattedThenLargestExactUnit() {
        assertThat(Durations.format(Duration.ofSeconds(60))).isEqualTo("60s");
        assertThat(Durations.format(Duration.ofSeconds(120))).isEqualTo("2m");
        assertThat(Durations.format(Duration.ofSeconds(150))).isEqualTo("150s");
        assertThat(Durations.format(Duration.ofMinutes(60))).isEqualTo("1h");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(Durations.format(Duration.ofNanos(1))).isEqualTo("PT0.000000001S");
        assertThat(Durations.parse("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("1d"));
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("-5s"));
    }

    private static Policy policy(List<ConnectionSelector> connections, List<Rule> rules) {
        return new Policy("p", null, 100, connections, Action.ALLOW, Action.BLOCK, rules, List.of());
    }

    private static Rule block(String name) {
        return new Rule(name, null, Action.BLOCK, null, null);
    }
}
