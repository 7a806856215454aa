package dev.crosspost.publishing;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.crosspost.publishing.PublicationState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PublicationStateUnitTests {

    @Test
    void illegalChangesThrowANamedError() {
        assertThatThrownBy(() -> PUBLISHED.check(QUEUED))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("publication cannot move from published to queued")
                .satisfies(e -> {
                    var t = (IllegalTransitionException) e;
                    assertThat(t.from()).isEqualTo(PUBLISHED);
                    assertThat(t.to()).isEqualTo(QUEUED);
                });
    }

    @Test
    void anUnknownOutcomeCanOnlyBeReconciledNeverResentDirectly() {
        assertThat(OUTCOME_UNKNOWN.canMoveTo(RECONCILING)).isTrue();
        assertThat(Arrays.stream(values()).filter(OUTCOME_UNKNOWN::canMoveTo)).containsExactly(RECONCILING);
        assertThat(RECONCILING.canMoveTo(RUNNING)).isFalse();
    }

    @Test
    void publishedAndCancelledAreFinalAndOnlyFailuresReplay() {
        assertThat(Arrays.stream(values()).filter(PUBLISHED::canMoveTo)).isEmpty();
        assertThat(Arrays.stream(values()).filter(CANCELLED::canMoveTo)).isEmpty();
        assertThat(Arrays.stream(values()).filter(FAILED::canMoveTo)).containsExactly(QUEUED);
        assertThat(Arrays.stream(values()).filter(DEAD::canMoveTo)).containsExactlyInAnyOrder(QUEUED, CANCELLED);
    }

    @Test
    void waitsLeadBackToTheQueueAndEveryNonTerminalStateCanEnd() {
        for (PublicationState wait : new PublicationState[] {RETRY_WAIT, WAITING_QUOTA, WAITING_BREAKER}) {
            assertThat(wait.canMoveTo(QUEUED)).as(wait.name()).isTrue();
            assertThat(wait.waiting()).isTrue();
        }
        assertThat(Arrays.stream(values()).filter(PublicationState::terminal))
                .containsExactlyInAnyOrder(PUBLISHED, FAILED, DEAD, CANCELLED);
    }
}
