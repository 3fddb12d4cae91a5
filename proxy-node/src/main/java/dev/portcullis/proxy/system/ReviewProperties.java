package dev.portcullis.proxy.system;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the proxy holds requests for review, under {@code portcullis.review.*}.
 *
 * @param hold the longest a request is held waiting for its review's decision; a rule's own {@code hold} applies
 *     when shorter. Still pending after it: 409 with the review's id and link
 * @param commandBodyChars how much of a request body (UTF-8 text) the review's command text shows approvers
 */
@Validated
@ConfigurationProperties("portcullis.review")
public record ReviewProperties(
        @NotNull @DefaultValue("60s") Duration hold,
        @DefaultValue("4096") int commandBodyChars) {}
