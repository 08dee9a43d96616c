package org.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.crmkit.core.UnitId;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.UnitKind;
import org.crmkit.core.ValidationException;
import org.crmkit.jdbc.internal.Sqlite;
import org.crmkit.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC behaviour on SQLite, and the embedded default built on it. */
class SqliteStoreTest extends JdbcStoreBehaviour {
    @Override
    DataSource freshDataSource() {
        return Sqlite.readers(SqliteFiles.fresh());
    }

    @Override
    Dialect expectedDialect() {
        return Dialect.SQLITE;
    }

    @Test
    void embeddedFileStoreKeepsItsDataAcrossCloseAndReopen(@TempDir Path dir) {
        Path file = dir.resolve("crm.db");
        OrgStructure org = OrgStructure.builder().manager(ManagerId.of("m1"), "Ann").unit(UnitId.of("g"), "Group", UnitKind.GROUP)
                .member(ManagerId.of("m1"), UnitId.of("g")).build();
        try (CrmStore store = CrmStore.embedded(file)) {
            assertThat(store.dialect()).isEqualTo(Dialect.SQLITE);
            givenProcess(store);
            store.opportunities().insert(Fixtures.fullyPopulatedWon("kept"));
            store.orgStructure().save(org);
        }

        assertThat(Files.exists(file)).isTrue();
        try (CrmStore reopened = CrmStore.embedded(file)) {
            assertThat(reopened.opportunities().get(OpportunityId.of("kept")))
                    .isEqualTo(Fixtures.fullyPopulatedWon("kept").toBuilder().version(1).build());
            assertThat(reopened.orgStructure().load()).isEqualTo(org);
            assertThat(reopened.processes().get(Fixtures.process().id())).isEqualTo(Fixtures.process());
        }
    }

    @Test
    void embeddedStoreSyncsEveryCommitThroughTheWriteAheadLog(@TempDir Path dir) throws Exception {
        try (CrmStore store = CrmStore.embedded(dir.resolve("crm.db"));
                Connection c = store.dataSource().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
            try (ResultSet rs = s.executeQuery("PRAGMA synchronous")) {
                rs.next();
                assertThat(rs.getInt(1)).as("2 = FULL: the WAL is synced at every commit").isEqualTo(2);
            }
            try (ResultSet rs = s.executeQuery("PRAGMA foreign_keys")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void embeddedPathCannotSmuggleConnectionSettings(@TempDir Path dir) {
        Path sneaky = dir.resolve("crm.db?journal_mode=OFF");

        assertThatThrownBy(() -> CrmStore.embedded(sneaky)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("file");
    }
}
