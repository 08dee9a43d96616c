package org.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.crmkit.core.TenantId;
import org.crmkit.core.spi.CrmStorage;
import org.crmkit.core.spi.TenantAdministration;
import org.junit.jupiter.api.Test;

/**
 * Tenants as schemas owned by roles of their own, on a real PostgreSQL: besides the behaviour
 * every store has, hand-written SQL on a tenant's connections cannot read or change another
 * tenant's rows or the default tenant's; the database refuses it.
 */
class PostgresTenantTest extends TenantBehaviour {
    private final String url = EmbeddedPg.freshDatabaseUrl();
    private final DataSource database = new org.crmkit.jdbc.internal.DriverDataSource(new org.postgresql.Driver(), url);

    @Override
    CrmStorage open(TenantId tenant) {
        return CrmStore.builder().dataSource(database).tenant(tenant).build();
    }

    @Override
    TenantAdministration administration() {
        return CrmStore.tenantAdministration(database);
    }

    @Test
    void handWrittenSqlOnATenantsConnectionCannotReachAnotherTenantsRows() throws SQLException {
        CrmStore home = (CrmStore) tracked(TenantId.DEFAULT);
        CrmStore a = (CrmStore) tracked(TenantId.of("sql_a"));
        CrmStore b = (CrmStore) tracked(TenantId.of("sql_b"));
        for (CrmStore s : new CrmStore[] {home, a, b}) {
            s.processes().save(RandomBook.PROCESS);
        }
        home.opportunities().insertAll(RandomBook.opportunities(1, 7));
        a.opportunities().insertAll(RandomBook.opportunities(2, 5));
        b.opportunities().insertAll(RandomBook.opportunities(3, 9));

        try (Connection c = a.dataSource().getConnection(); Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT COUNT(*) FROM crm_opportunity")).isEqualTo(5);
            for (String sql : new String[] {
                "SELECT COUNT(*) FROM crm_tenant_sql_b.crm_opportunity",
                "SELECT COUNT(*) FROM crm_tenant_sql_b.crm_opp_transition",
                "SELECT COUNT(*) FROM public.crm_opportunity",
                "UPDATE crm_tenant_sql_b.crm_opportunity SET probability = 0",
                "DELETE FROM public.crm_opportunity"}) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            }
            // pointing the search path elsewhere does not help: b's schema is skipped as not
            // usable, and the default tenant's table that is found instead is not readable
            s.execute("SET search_path TO crm_tenant_sql_b, public");
            assertThatThrownBy(() -> count(s, "SELECT COUNT(*) FROM crm_opportunity")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
        assertThat(b.opportunities().count(org.crmkit.core.spi.OpportunityQuery.all())).isEqualTo(9);
        assertThat(home.opportunities().count(org.crmkit.core.spi.OpportunityQuery.all())).isEqualTo(7);
    }

    @Test
    void aPooledConnectionGoesBackWithItsRoleAndSearchPathReset() throws SQLException {
        try (Connection physical = database.getConnection()) {
            DataSource onePool = singleConnection(physical);
            CrmStore a = CrmStore.builder().dataSource(onePool).tenant(TenantId.of("pool_a")).build();
            a.processes().save(RandomBook.PROCESS);
            a.opportunities().insertAll(RandomBook.opportunities(4, 3));
            try (Statement s = physical.createStatement()) {
                assertThat(text(s, "SELECT current_user")).isEqualTo("postgres");
                assertThat(text(s, "SHOW search_path")).isEqualTo("\"$user\", public");
            }
            // the default tenant's store on the same connection sees its own (empty) book
            CrmStore home = CrmStore.builder().dataSource(onePool).build();
            assertThat(home.opportunities().count(org.crmkit.core.spi.OpportunityQuery.all())).isZero();
            assertThat(a.opportunities().count(org.crmkit.core.spi.OpportunityQuery.all())).isEqualTo(3);
        }
    }

    @Test
    void aDataSourceDedicatedToTheTenantIsUsedAsItIsAndItsSessionsCannotResetTheirWayOut() throws SQLException {
        CrmStore shared = (CrmStore) tracked(TenantId.of("ded"));
        shared.processes().save(RandomBook.PROCESS);
        shared.opportunities().insertAll(RandomBook.opportunities(5, 3));
        CrmStore other = (CrmStore) tracked(TenantId.of("ded_other"));
        other.processes().save(RandomBook.PROCESS);
        other.opportunities().insertAll(RandomBook.opportunities(6, 4));
        DataSource dedicated = new org.crmkit.jdbc.internal.DriverDataSource(new org.postgresql.Driver(),
                url + "&options=-c%20role%3Dcrm_tenant_ded%20-c%20search_path%3Dcrm_tenant_ded");

        CrmStore own = CrmStore.builder().dataSource(dedicated).tenant(TenantId.of("ded")).build();
        try {
            // the store hands out the caller's own connections: nothing to reset, nothing to widen
            assertThat(own.dataSource()).isSameAs(dedicated);
            assertThat(own.opportunities().count(org.crmkit.core.spi.OpportunityQuery.all())).isEqualTo(3);
            own.opportunities().insert(RandomBook.opportunities(7, 1).get(0).toBuilder().id("o-ded").build());
            assertThat(shared.opportunities().findById(org.crmkit.core.OpportunityId.of("o-ded"))).isPresent();
            try (Connection c = own.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("RESET ROLE");
                assertThat(text(s, "SELECT current_user")).isEqualTo("crm_tenant_ded");
                assertThatThrownBy(() -> count(s, "SELECT COUNT(*) FROM crm_tenant_ded_other.crm_opportunity"))
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            }
        } finally {
            own.close();
        }
        assertThat(other.opportunities().count(org.crmkit.core.spi.OpportunityQuery.all())).isEqualTo(4);
    }

    @Test
    void onSessionsWhoseSearchPathHasNoUserEntryTheSearchPathIsSetToo() throws SQLException {
        tracked(TenantId.of("path_a")).processes().save(RandomBook.PROCESS);
        DataSource publicFirst = new org.crmkit.jdbc.internal.DriverDataSource(new org.postgresql.Driver(),
                url + "&currentSchema=public");
        try (Connection physical = publicFirst.getConnection()) {
            CrmStore a = CrmStore.builder().dataSource(singleConnection(physical)).tenant(TenantId.of("path_a")).build();
            a.opportunities().insertAll(RandomBook.opportunities(8, 2));
            assertThat(a.opportunities().count(org.crmkit.core.spi.OpportunityQuery.all())).isEqualTo(2);
            try (Connection c = a.dataSource().getConnection(); Statement s = c.createStatement()) {
                assertThat(text(s, "SELECT current_schema()")).isEqualTo("crm_tenant_path_a");
            }
            try (Statement s = physical.createStatement()) {
                assertThat(text(s, "SHOW search_path")).isEqualTo("public");
                assertThat(text(s, "SELECT current_user")).isEqualTo("postgres");
            }
        }
    }

    /** A pool of one: every getConnection hands out the same physical connection, whose close is a no-op. */
    private static DataSource singleConnection(Connection physical) {
        return new DelegatingDataSource(null) {
            @Override
            public Connection getConnection(String user, String password) {
                return getConnection();
            }

            @Override
            public Connection getConnection() {
                return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                        (proxy, m, args) -> {
                            if (m.getName().equals("close")) {
                                return null;
                            }
                            try {
                                return m.invoke(physical, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        };
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String text(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
