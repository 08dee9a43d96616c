package org.crmkit.jdbc;

import java.util.UUID;
import javax.sql.DataSource;
import org.crmkit.jdbc.internal.DriverDataSource;

class H2MaintainedAggregatesTest extends MaintainedAggregatesBehaviour {
    @Override
    DataSource freshDataSource() {
        return new DriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:m-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }
}
