package dev.codedeploy.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AbstractServiceTest {

    /** Acquires a "resource" and then, when told to, fails half-way through starting. */
    private static final class Counting extends AbstractService {
        final boolean failAfterAcquiring;
        int starts;
        int closes;
        boolean acquired;

        Counting(boolean failAfterAcquiring) {
            this.failAfterAcquiring = failAfterAcquiring;
        }

        @Override
        protected void doStart() {
            starts++;
            acquired = true;
            if (failAfterAcquiring) {
                throw new IllegalArgumentException("port 1 is taken");
            }
        }

        @Override
        protected void doClose() {
            closes++;
            acquired = false;
        }
    }

    @Test
    void aSecondStartIsRefusedNamingTheServiceAndItsState() {
        Counting service = new Counting(false);
        service.start();

        assertThatThrownBy(service::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Counting").hasMessageContaining("STARTED");
        assertThat(service.starts).isEqualTo(1);
        service.close();
    }

    @Test
    void startingAfterCloseIsRefused() {
        Counting service = new Counting(false);
        service.start();
        service.close();

        assertThatThrownBy(service::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Counting").hasMessageContaining("CLOSED");
        assertThat(service.starts).isEqualTo(1);
    }

    @Test
    void closeIsIdempotentAndClosesOnce() {
        Counting service = new Counting(false);
        service.start();

        service.close();
        service.close();

        assertThat(service.closes).isEqualTo(1);
        assertThat(service.state()).isEqualTo(Service.State.CLOSED);
    }

    @Test
    void closingAServiceNeverStartedDoesNothing() {
        Counting service = new Counting(false);

        service.close();

        assertThat(service.closes).isZero();
        assertThat(service.state()).isEqualTo(Service.State.CLOSED);
    }

    @Test
    void aFailedStartReleasesWhatItAcquiredAndLeavesTheServiceClosable() {
        Counting service = new Counting(true);

        assertThatThrownBy(service::start).isInstanceOf(IllegalArgumentException.class).hasMessage("port 1 is taken");

        assertThat(service.acquired).isFalse();
        assertThat(service.closes).isEqualTo(1);
        assertThat(service.state()).isEqualTo(Service.State.CLOSED);
        service.close();
        assertThat(service.closes).isEqualTo(1);
    }

    @Test
    void aFailureWhileUndoingAFailedStartIsKeptBesideTheCause() {
        AbstractService service = new AbstractService() {
            @Override
            protected void doStart() {
                throw new IllegalStateException("no database");
            }

            @Override
            protected void doClose() {
                throw new NullPointerException("executor");
            }
        };

        assertThatThrownBy(service::start).hasMessage("no database")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly("executor"));
    }

    @Test
    void shutdownClosesTheLastAddedFirstEachOnceAndGoesOnPastAFailure() throws Exception {
        List<String> closed = new ArrayList<>();
        Counting pool = new Counting(false);
        pool.start();
        Shutdown shutdown = Shutdown.create("worker", () -> closed.add("database"), () -> {
            closed.add("store");
            throw new IllegalStateException("store already gone");
        });
        shutdown.add(() -> closed.add("pool"));
        shutdown.add(pool);

        shutdown.closeAll();
        shutdown.closeAll();
        shutdown.await();

        assertThat(closed).containsExactly("pool", "store", "database");
        assertThat(pool.closes).isEqualTo(1);
    }
}
