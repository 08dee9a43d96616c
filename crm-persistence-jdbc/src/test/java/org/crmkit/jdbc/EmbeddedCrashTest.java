package org.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The embedded default survives being killed: a child JVM writing to {@link CrmStore#embedded}
 * is killed with SIGKILL at random moments, a few times with one writer and a few with four,
 * and after every kill the store opens, streams, holds every acknowledged write and no torn
 * opportunity. The default build runs a handful of kills (seeded: {@code -Dcrash.seed});
 * the soak in {@code docs/reliability.md} runs the same test with {@code -Dcrash.kills=200}.
 */
class EmbeddedCrashTest {
    private static final int KILLS = Integer.getInteger("crash.kills", 4);
    private static final long SEED = Long.getLong("crash.seed", 20261202L);
    private static final String SPEC = System.getProperty("crash.spec", "default");

    @Test
    void oneWriterKilledAtRandomMomentsLosesNoAcknowledgedWrite() throws IOException {
        assertSurvives(1);
    }

    @Test
    void fourConcurrentWritersKilledAtRandomMomentsLoseNoAcknowledgedWrite() throws IOException {
        assertSurvives(4);
    }

    private static void assertSurvives(int writers) throws IOException {
        // a directory of its own per run: two builds of one tree must not share a database file
        Path dir = Path.of("target", "crash", SPEC + "-" + writers + "-" + ProcessHandle.current().pid() + "-"
                + System.nanoTime());
        Files.createDirectories(dir);
        CrashHarness.Outcome outcome = new CrashHarness(SPEC, writers, dir, SEED + writers).run(KILLS);
        System.out.println("crash test: " + outcome + " (seed " + (SEED + writers) + ", files in " + dir + ")");
        assertThat(outcome.problems()).as("seed %d, files kept in %s", SEED + writers, dir).isEmpty();
        assertThat(outcome.clean()).isTrue();
        assertThat(outcome.acknowledged()).as("writes acknowledged before the kills").isPositive();
        CrashHarness.deleteTree(dir);
    }
}
