package org.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library is quiet on the happy path: opening and migrating a store and creating money
 * print nothing at INFO (Flyway's lines are DEBUG, Moneta's context line is not shown), yet
 * Flyway's lines are still there for whoever switches DEBUG on. Runs {@link QuietStoreMain}
 * (an in-memory and an embedded file store) in a child JVM, where SLF4J and
 * java.util.logging start fresh at INFO.
 */
class QuietLoggingTest {

    @TempDir
    Path dir;

    private String run(String... properties) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info"));
        command.addAll(List.of(properties));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), QuietStoreMain.class.getName(),
                dir.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }

    @Test
    void openingAStoreAndCreatingMoneyPrintNothingAtInfo() throws Exception {
        String out = run();
        assertThat(out).contains("stored 1\nstored 1");
        assertThat(out).as("output at INFO").doesNotContain(" INFO ").doesNotContain("INFO:")
                .doesNotContain("flywaydb").doesNotContain("MathContext");
    }

    @Test
    void flywaysLinesAreDebugNotLost() throws Exception {
        String out = run("-Dorg.slf4j.simpleLogger.log.org.flywaydb=debug");
        assertThat(out).contains("DEBUG org.flywaydb.core.internal.command.DbMigrate - Migrating schema")
                .doesNotContain("INFO org.flywaydb");
    }
}
