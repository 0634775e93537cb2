package io.livequeue.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The operator token check: the exact token, as itself or as a Bearer credential, and nothing else. */
class OperatorTokenTest {

    private final OperatorToken token = new OperatorToken("s3cret-token");

    @Test
    void onlyTheExactTokenMatches() {
        assertThat(token.matches("s3cret-token")).isTrue();
        assertThat(token.matches("s3cret-toke")).isFalse();
        assertThat(token.matches("s3cret-token ")).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches(null)).isFalse();
    }

    @Test
    void bearerCredentialsMatchInAnyCaseOfTheScheme() {
        assertThat(token.matchesBearer("Bearer s3cret-token")).isTrue();
        assertThat(token.matchesBearer("bearer s3cret-token")).isTrue();
        assertThat(token.matchesBearer("Basic s3cret-token")).isFalse();
        assertThat(token.matchesBearer("s3cret-token")).isFalse();
        assertThat(token.matchesBearer("Bearer ")).isFalse();
        assertThat(token.matchesBearer(null)).isFalse();
    }

    @Test
    void anEmptyTokenIsRefusedAtStart() {
        assertThatThrownBy(() -> new OperatorToken(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
