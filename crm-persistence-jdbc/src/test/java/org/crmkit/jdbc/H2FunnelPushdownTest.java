package org.crmkit.jdbc;

import java.util.UUID;
import org.crmkit.jdbc.internal.DriverDataSource;

class H2FunnelPushdownTest extends FunnelPushdownBehaviour {
    @Override
    CrmStore.Builder freshStore() {
        return CrmStore.builder().dataSource(new DriverDataSource(new org.h2.Driver(),
                "jdbc:h2:mem:f-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
    }
}
