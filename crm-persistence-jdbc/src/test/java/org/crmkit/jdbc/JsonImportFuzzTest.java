package org.crmkit.jdbc;

import org.crmkit.core.memory.InMemoryStorage;
import org.crmkit.core.spi.CrmStorage;
import org.junit.jupiter.api.Nested;

/** The JSON import fuzz on every store: in memory, the embedded SQLite default, H2, PostgreSQL. */
class JsonImportFuzzTest {
    @Nested
    class InMemory extends JsonImportFuzzBehaviour {
        @Override
        CrmStorage freshStore() {
            return new InMemoryStorage();
        }
    }

    @Nested
    class Embedded extends JsonImportFuzzBehaviour {
        @Override
        CrmStorage freshStore() {
            return CrmStore.embedded(SqliteFiles.fresh());
        }
    }

    @Nested
    class H2 extends JsonImportFuzzBehaviour {
        @Override
        CrmStorage freshStore() {
            return CrmStore.inMemory();
        }
    }

    @Nested
    class Postgres extends JsonImportFuzzBehaviour {
        @Override
        CrmStorage freshStore() {
            return CrmStore.builder().dataSource(EmbeddedPg.freshSchema()).build();
        }

        @Override
        int documents() {
            // each accepted document migrates a fresh schema (about 0.2 s)
            return Integer.getInteger("fuzz.documents", 60);
        }
    }
}
