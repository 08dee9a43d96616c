package org.crmkit.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Fresh SQLite database files for tests, under {@code target/} so nothing is left in /tmp. */
final class SqliteFiles {
    private static final Path DIR = Path.of("target", "sqlite-tests");

    private SqliteFiles() {
    }

    static Path fresh() {
        try {
            Files.createDirectories(DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return DIR.resolve("t-" + UUID.randomUUID() + ".db");
    }
}
