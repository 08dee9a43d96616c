package org.crmkit.jdbc;

class PostgresFunnelPushdownTest extends FunnelPushdownBehaviour {
    @Override
    CrmStore.Builder freshStore() {
        return CrmStore.builder().dataSource(EmbeddedPg.freshSchema());
    }
}
