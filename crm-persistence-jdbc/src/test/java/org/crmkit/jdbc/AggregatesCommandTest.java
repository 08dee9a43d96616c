package org.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.crmkit.jdbc.internal.DriverDataSource;
import org.junit.jupiter.api.Test;

/** The documented command verifies, reports a difference with exit status 1, and rebuilds. */
class AggregatesCommandTest {
    @Test
    void verifyReportsADifferenceAndRebuildRepairsIt() throws Exception {
        String url = "jdbc:h2:mem:cmd-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (CrmStore store = CrmStore.builder().dataSource(new DriverDataSource(new org.h2.Driver(), url)).build()) {
            store.processes().save(RandomBook.PROCESS);
            store.opportunities().insertAll(RandomBook.opportunities(29, 60));
            store.compactAggregates();
        }
        assertThat(run("verify", url)).startsWith("0:").contains("equal the opportunity table");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM crm_agg WHERE owner_id = 'm2' AND created_month = 0");
        }
        assertThat(run("verify", url)).startsWith("1:").contains("owner m2", "1 keys differ");
        assertThat(run("rebuild", url)).startsWith("0:").contains("rebuilt:");
        assertThat(run("verify", url)).startsWith("0:");
        assertThat(run("vacuum", url)).startsWith("2:");
    }

    private static String run(String command, String url) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AggregatesCommand.run(new String[] {command, url}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return status + ":" + out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }
}
