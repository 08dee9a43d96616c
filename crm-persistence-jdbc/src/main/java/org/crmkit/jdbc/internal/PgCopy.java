package org.crmkit.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Iterator;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Bulk loads rows into PostgreSQL with {@code COPY ... FROM STDIN} in CSV. Only loaded when
 * the PostgreSQL driver is present and the connection unwraps to {@link PGConnection}; the
 * copy runs inside the caller's transaction, so a failure leaves nothing behind.
 */
final class PgCopy {
    private static final int FLUSH_BYTES = 1 << 16;

    private PgCopy() {
    }

    /**
     * Whether a connection is a PostgreSQL connection the copy API can use.
     *
     * @param c the connection (may be a pool's proxy)
     * @return true when it unwraps to {@link PGConnection}
     */
    static boolean usable(Connection c) {
        try {
            return c.isWrapperFor(PGConnection.class);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Copies rows into a table.
     *
     * @param c the connection, in a transaction
     * @param table the table
     * @param rows the rows in the table's column order
     * @return the number of rows copied
     * @throws SQLException on a database error (the copy is cancelled)
     */
    static long copy(Connection c, Table table, Iterator<Object[]> rows) throws SQLException {
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(table.copySql());
        try {
            CsvBuffer buf = new CsvBuffer(FLUSH_BYTES + 4096);
            while (rows.hasNext()) {
                buf.row(rows.next());
                if (buf.length() >= FLUSH_BYTES) {
                    write(in, buf);
                }
            }
            write(in, buf);
            return in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private static void write(CopyIn in, CsvBuffer buf) throws SQLException {
        if (buf.length() > 0) {
            in.writeToCopy(buf.bytes(), 0, buf.length());
            buf.clear();
        }
    }
}
