package org.crmkit.jdbc.internal;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.spi.PlanRepository;
import org.crmkit.jdbc.Dialect;

/** Sales plans in one table keyed by (node key, period start, period end). */
public final class JdbcPlans implements PlanRepository {
    private static final String COLUMNS = "node_key, period_start, period_end, period_type, label, currency, target,"
            + " target_scale FROM crm_plan";
    private static final String ORDER = " ORDER BY node_key, period_start, period_end";

    private final Db db;

    /**
     * Creates the repository.
     *
     * @param db the database
     */
    public JdbcPlans(Db db) {
        this.db = db;
    }

    @Override
    public void save(SalesPlan plan) {
        saveAll(List.of(Objects.requireNonNull(plan, "plan")));
    }

    @Override
    public void saveAll(Collection<SalesPlan> plans) {
        List<SalesPlan> copy = List.copyOf(Objects.requireNonNull(plans, "plans"));
        db.inTurn("saving plans", "plans", "plans", copy.size() + " plan(s)", c -> {
            write(c, db.dialect(), copy);
            return null;
        });
    }

    /**
     * Stores or replaces plans by key inside the caller's transaction (which holds the
     * {@code plans} turn).
     *
     * @param c the connection
     * @param dialect the database
     * @param plans the plans
     * @throws SQLException on a database error
     */
    public static void write(Connection c, Dialect dialect, List<SalesPlan> plans) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(dialect.upsertPlanSql())) {
            for (SalesPlan p : plans) {
                ps.setString(1, p.node().key());
                ps.setObject(2, p.period().start());
                ps.setObject(3, p.period().end());
                ps.setString(4, p.period().type().name());
                ps.setString(5, p.period().label());
                ps.setString(6, p.target().getCurrency().getCurrencyCode());
                Decimals.bind(ps, 7, Amounts.decimal(p.target()), "plan.target");
                ps.setLong(9, Amounts.toMinorUnits(p.target()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public Optional<SalesPlan> find(OrgNodeId node, Period period) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(period, "period");
        return select("SELECT " + COLUMNS + " WHERE node_key = ? AND period_start = ? AND period_end = ?",
                node.key(), period.start(), period.end()).stream().findFirst();
    }

    @Override
    public List<SalesPlan> findByNode(OrgNodeId node) {
        Objects.requireNonNull(node, "node");
        return select("SELECT " + COLUMNS + " WHERE node_key = ?" + ORDER, node.key());
    }

    @Override
    public List<SalesPlan> findOverlapping(LocalDate from, LocalDate toExclusive) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(toExclusive, "toExclusive");
        return select("SELECT " + COLUMNS + " WHERE period_start < ? AND period_end > ?" + ORDER, toExclusive, from);
    }

    @Override
    public List<SalesPlan> findAll() {
        return select("SELECT " + COLUMNS + ORDER);
    }

    @Override
    public boolean delete(OrgNodeId node, Period period) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(period, "period");
        return db.inTurn("deleting a plan", "plans", "plan", node.key() + " " + period.label(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM crm_plan WHERE node_key = ? AND period_start = ? AND period_end = ?")) {
                ps.setString(1, node.key());
                ps.setObject(2, period.start());
                ps.setObject(3, period.end());
                return ps.executeUpdate() > 0;
            }
        });
    }

    private List<SalesPlan> select(String sql, Object... params) {
        return db.read("reading plans", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                List<SalesPlan> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
                return out;
            }
        });
    }

    private static SalesPlan read(ResultSet rs) throws SQLException {
        Period period = new Period(PeriodType.valueOf(rs.getString("period_type")),
                rs.getObject("period_start", LocalDate.class), rs.getObject("period_end", LocalDate.class),
                rs.getString("label"));
        BigDecimal target = Decimals.read(rs, "target", "target_scale");
        return new SalesPlan(OrgNodeId.parse(rs.getString("node_key")), period,
                Amounts.of(target, Amounts.currency(rs.getString("currency"))));
    }
}
