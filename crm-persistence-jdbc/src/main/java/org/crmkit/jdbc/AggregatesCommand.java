package org.crmkit.jdbc;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * The command line of the maintained aggregates ({@code docs/design.md}, "Maintained
 * aggregates"): verify them against the opportunity table, rebuild them, or compact their
 * deltas, on a store given by a JDBC URL or an embedded SQLite file.
 *
 * <pre>
 * java -cp crm-benchmarks/target/benchmarks.jar org.crmkit.jdbc.AggregatesCommand verify jdbc:postgresql://host/db?user=u&amp;password=p
 * java -cp crm-benchmarks/target/benchmarks.jar org.crmkit.jdbc.AggregatesCommand rebuild --embedded data/crm.db
 * </pre>
 *
 * Exit status: 0 when done (for {@code verify}: no difference), 1 when {@code verify} found
 * differences, 2 on a usage or store error. The store is migrated when it opens, as
 * {@link CrmStore.Builder#build} does.
 */
public final class AggregatesCommand {
    private AggregatesCommand() {
    }

    /**
     * Runs the command and exits with its status.
     *
     * @param args {@code verify|rebuild|compact} then a JDBC URL, or {@code --embedded} and a file
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command.
     *
     * @param args {@code verify|rebuild|compact} then a JDBC URL, or {@code --embedded} and a file
     * @param out where the report goes
     * @param err where usage and errors go
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean embedded = args.length == 3 && "--embedded".equals(args[1]);
        if (!(args.length == 2 || embedded) || !List.of("verify", "rebuild", "compact").contains(args[0])) {
            err.println("usage: AggregatesCommand verify|rebuild|compact <jdbc-url> | --embedded <sqlite-file>");
            return 2;
        }
        try (CrmStore store = embedded ? CrmStore.embedded(Path.of(args[2]))
                : CrmStore.builder().dataSource(dataSource(args[1])).build()) {
            switch (args[0]) {
                case "verify" -> {
                    List<AggregateDifference> differences = store.verifyAggregates();
                    for (AggregateDifference d : differences) {
                        out.printf("differs: owner %s, process %s, month %d (%s): expected %s, maintained %s%n",
                                d.owner(), d.process(), d.month(), d.what(),
                                d.expected() == null ? "none" : d.expected().count() + " opportunities",
                                d.maintained() == null ? "none" : d.maintained().count() + " opportunities");
                    }
                    out.println(differences.isEmpty() ? "the maintained aggregates equal the opportunity table"
                            : differences.size() + " keys differ; run rebuild to replace them");
                    return differences.isEmpty() ? 0 : 1;
                }
                case "rebuild" -> {
                    out.println("rebuilt: " + store.rebuildAggregates() + " keys (owner, process, month)");
                    return 0;
                }
                default -> {
                    out.println("compacted: " + store.compactAggregates() + " deltas");
                    return 0;
                }
            }
        } catch (RuntimeException e) {
            err.println(args[0] + " failed: " + e.getMessage());
            return 2;
        }
    }

    /** A data source on a JDBC URL through the driver that accepts it. */
    private static DataSource dataSource(String url) {
        return new org.crmkit.jdbc.internal.DriverDataSource(driver(url), url);
    }

    private static java.sql.Driver driver(String url) {
        try {
            return DriverManager.getDriver(url);
        } catch (SQLException e) {
            throw new IllegalArgumentException("no JDBC driver accepts " + url, e);
        }
    }
}
