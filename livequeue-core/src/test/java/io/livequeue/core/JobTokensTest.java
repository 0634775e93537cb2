package io.livequeue.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Job tokens: issuing and checking the HMAC capability, key rotation and secret validation. */
class JobTokensTest {

    private static final String JOB_ID = "0b6a3a9e-1f0c-4c55-9f59-2d7c3f1e8a10";
    private static final String OTHER_JOB_ID = "5d1f2e3c-4b5a-4c6d-8e7f-9a0b1c2d3e4f";

    private final JobTokens tokens = new JobTokens("current-secret", Optional.empty());

    @Test
    void issuedTokenIsVerifiedForItsJob() {
        String token = tokens.issue(JOB_ID);

        assertThat(token).matches("[A-Za-z0-9_-]{43}"); // 32 bytes of HMAC-SHA256, base64url without padding
        assertThat(tokens.issue(JOB_ID)).isEqualTo(token);
        assertThat(tokens.verify(JOB_ID, token)).isTrue();
    }

    @Test
    void tokenOfOneJobIsRejectedForAnotherJob() {
        String token = tokens.issue(JOB_ID);

        assertThat(tokens.issue(OTHER_JOB_ID)).isNotEqualTo(token);
        assertThat(tokens.verify(OTHER_JOB_ID, token)).isFalse();
    }

    @Test
    void tamperedTokenIsRejected() {
        String token = tokens.issue(JOB_ID);
        char first = token.charAt(0);
        String tampered = (first == 'A' ? 'B' : 'A') + token.substring(1);

        assertThat(tokens.verify(JOB_ID, tampered)).isFalse();
        assertThat(tokens.verify(JOB_ID, token.substring(1))).isFalse();
        assertThat(tokens.verify(JOB_ID, token + "A")).isFalse();
    }

    @Test
    void missingJobIdOrTokenIsRejected() {
        assertThat(tokens.verify(JOB_ID, null)).isFalse();
        assertThat(tokens.verify(null, tokens.issue(JOB_ID))).isFalse();
        assertThat(tokens.verify(JOB_ID, "")).isFalse();
    }

    @Test
    void tokenSignedWithAnotherSecretIsRejected() {
        String foreign = new JobTokens("some-other-secret", Optional.empty()).issue(JOB_ID);

        assertThat(tokens.verify(JOB_ID, foreign)).isFalse();
    }

    @Test
    void tokenIssuedBeforeRotationIsAcceptedWhileThePreviousSecretIsConfigured() {
        String oldToken = new JobTokens("old-secret", Optional.empty()).issue(JOB_ID);
        JobTokens rotated = new JobTokens("new-secret", Optional.of("old-secret"));

        assertThat(rotated.verify(JOB_ID, oldToken)).isTrue();
        assertThat(rotated.verify(JOB_ID, rotated.issue(JOB_ID))).isTrue();
        assertThat(rotated.issue(JOB_ID)).isNotEqualTo(oldToken);
        assertThat(new JobTokens("new-secret", Optional.empty()).verify(JOB_ID, oldToken)).isFalse();
    }

    @Test
    void blankPreviousSecretIsIgnored() {
        JobTokens withBlankPrevious = new JobTokens("current-secret", Optional.of("  "));

        assertThat(withBlankPrevious.verify(JOB_ID, tokens.issue(JOB_ID))).isTrue();
        assertThat(withBlankPrevious.verify(JOB_ID, "")).isFalse();
    }

    @Test
    void blankOrMissingSecretIsRejected() {
        assertThatThrownBy(() -> new JobTokens("", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("livequeue.token.secret must not be empty");
        assertThatThrownBy(() -> new JobTokens("   ", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JobTokens(null, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
