package org.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.UUID;
import javax.sql.DataSource;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.UnitKind;
import org.crmkit.core.ValidationException;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.jdbc.internal.DriverDataSource;
import org.crmkit.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2StoreTest extends JdbcStoreBehaviour {
    @Override
    DataSource freshDataSource() {
        // DB_CLOSE_DELAY=-1: the database outlives its connections, as a pooled one would
        return new DriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:t-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    @Override
    String textTheDatabaseRejects() {
        return "x".repeat(1_000_001);
    }

    @Override
    Dialect expectedDialect() {
        return Dialect.H2;
    }

    @Test
    void embeddedFileStoreKeepsItsDataAcrossCloseAndReopen(@TempDir Path dir) {
        Path file = dir.resolve("crm");
        OrgStructure org = OrgStructure.builder().manager("m1", "Ann").unit("g", "Group", UnitKind.GROUP)
                .member("m1", "g").build();
        try (CrmStore store = CrmStore.embedded(file)) {
            givenProcess(store);
            store.opportunities().insert(Fixtures.fullyPopulatedWon("kept"));
            store.orgStructure().save(org);
        }

        try (CrmStore reopened = CrmStore.embedded(file)) {
            assertThat(reopened.opportunities().get(OpportunityId.of("kept")))
                    .isEqualTo(Fixtures.fullyPopulatedWon("kept").toBuilder().version(1).build());
            assertThat(reopened.orgStructure().load()).isEqualTo(org);
            assertThat(reopened.processes().get(Fixtures.process().id())).isEqualTo(Fixtures.process());
        }
    }

    @Test
    void embeddedPathCannotSmuggleConnectionSettings(@TempDir Path dir) {
        Path sneaky = dir.resolve("crm;INIT=DROP ALL OBJECTS");

        assertThatThrownBy(() -> CrmStore.embedded(sneaky)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("file");
    }

    @Test
    void inMemoryStoresAreIndependentAndGoneWhenClosed() {
        try (CrmStore a = CrmStore.inMemory(); CrmStore b = CrmStore.inMemory()) {
            givenProcess(a);
            a.opportunities().insert(Fixtures.minimal("only-in-a"));

            assertThat(b.opportunities().count(OpportunityQuery.all())).isZero();
            assertThat(a.opportunities().count(OpportunityQuery.all())).isEqualTo(1);
        }
    }
}
