package dev.codedeploy.ghaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.ghaction.github.DeploymentState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The last deployment status of a run: the change's failure is {@code failure}, anything else that went wrong {@code error}. */
class DeploymentStatesTest {

    @ParameterizedTest
    @CsvSource({
        "SUCCEEDED, SUCCESS",
        "FAILED, FAILURE",
        "TIMED_OUT, ERROR",
        "CANCELLED, ERROR",
        "SUPERSEDED, ERROR",
        "ERROR, ERROR",
    })
    void eachEndOfARunHasItsDeploymentState(String status, DeploymentState state) {
        assertThat(DeploymentStatuses.finalState(status)).isEqualTo(state);
    }
}
