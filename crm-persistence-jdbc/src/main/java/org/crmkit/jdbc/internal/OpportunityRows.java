package org.crmkit.jdbc.internal;

import static java.sql.Types.BIGINT;
import static java.sql.Types.CHAR;
import static java.sql.Types.DATE;
import static java.sql.Types.INTEGER;
import static java.sql.Types.NUMERIC;
import static java.sql.Types.VARCHAR;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import org.crmkit.core.Attitude;
import org.crmkit.core.ClientId;
import org.crmkit.core.ClientKind;
import org.crmkit.core.ClientRef;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.Competitor;
import org.crmkit.core.ContactId;
import org.crmkit.core.DecisionRole;
import org.crmkit.core.FieldChange;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.HistoryEntry;
import org.crmkit.core.HistoryKind;
import org.crmkit.core.Lead;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.Participant;
import org.crmkit.core.ProcessId;
import org.crmkit.core.ProductLine;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.StageTransition;
import org.crmkit.core.TrackedField;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;

/**
 * Maps an opportunity to the rows of its tables (the opportunity row with the derived columns
 * aggregates need, and one row per child) and back.
 */
public final class OpportunityRows {
    /**
     * The client columns of an opportunity without a client: empty text in all three, which
     * no client id can be (ids are non-blank), so it never matches a client filter and needs
     * no schema change on any database.
     */
    static final String NO_CLIENT = "";

    /** The opportunity table; the first column is the id, the second the version. */
    public static final Table OPPORTUNITY = Table.of("crm_opportunity",
            "id", VARCHAR, "version", BIGINT, "title", VARCHAR, "client_id", VARCHAR, "client_kind", VARCHAR,
            "client_name", VARCHAR, "owner_id", VARCHAR, "process_id", VARCHAR, "stage", VARCHAR,
            "probability", INTEGER, "currency", CHAR, "budget", NUMERIC, "budget_scale", INTEGER,
            "amount", NUMERIC, "amount_scale", INTEGER, "created_s", BIGINT, "created_n", INTEGER,
            "expected_close_date", DATE, "tactic", VARCHAR, "forecast_category", VARCHAR, "close_date", DATE,
            "close_revenue", NUMERIC, "close_revenue_scale", INTEGER, "close_hours", NUMERIC,
            "close_hours_scale", INTEGER, "close_reason", VARCHAR, "close_winner", VARCHAR, "status", VARCHAR,
            "stage_index", INTEGER, "furthest_open_index", INTEGER, "entered_mask", BIGINT, "amount_minor", BIGINT,
            "budget_minor", BIGINT, "revenue_minor", BIGINT, "created_date", DATE, "stage_entered_s", BIGINT,
            "last_transition_s", BIGINT, "last_transition_n", INTEGER, "process_hash", BIGINT,
            "last_change_s", BIGINT, "last_change_n", INTEGER, "history_start_s", BIGINT, "history_start_n", INTEGER,
            "stage_s_0", BIGINT,
            "stage_s_1", BIGINT, "stage_s_2", BIGINT, "stage_s_3", BIGINT, "stage_s_4", BIGINT, "stage_s_5", BIGINT,
            "stage_s_6", BIGINT, "stage_s_7", BIGINT, "stage_s_8", BIGINT, "stage_s_9", BIGINT, "stage_s_10", BIGINT,
            "stage_s_11", BIGINT, "content_hi", BIGINT, "content_lo", BIGINT);

    /** The position of the first time-in-stage column in {@link #OPPORTUNITY}. */
    private static final int STAGE_SECONDS = OPPORTUNITY.columns().indexOf("stage_s_0");
    /** After the last of the opportunity's own columns (from {@code id} to {@code status}) in {@link #OPPORTUNITY}. */
    private static final int OWN_END = OPPORTUNITY.columns().indexOf("status") + 1;

    /** A child table and how an opportunity's rows for it are made. */
    public record Child(Table table, Function<Opportunity, List<Object[]>> rows) {
    }

    /** The child tables, in the order they are written. */
    public static final List<Child> CHILDREN = List.of(
            new Child(Table.of("crm_opp_competitor", "opp_id", VARCHAR, "pos", INTEGER, "name", VARCHAR,
                    "strengths", VARCHAR, "weaknesses", VARCHAR),
                    o -> rows(o, o.competitors(), c -> new Object[] {c.name(), c.strengths(), c.weaknesses()})),
            new Child(Table.of("crm_opp_participant", "opp_id", VARCHAR, "pos", INTEGER, "contact_id", VARCHAR,
                    "name", VARCHAR, "role", VARCHAR, "attitude", VARCHAR),
                    o -> rows(o, o.participants(), p -> new Object[] {p.contact().value(), p.name(), p.role().name(),
                        p.attitude().name()})),
            new Child(Table.of("crm_opp_lead", "opp_id", VARCHAR, "pos", INTEGER, "lead_id", VARCHAR, "need",
                    VARCHAR),
                    o -> rows(o, o.leads(), l -> new Object[] {l.id(), l.need()})),
            new Child(Table.of("crm_opp_product_line", "opp_id", VARCHAR, "pos", INTEGER, "product", VARCHAR,
                    "quantity", NUMERIC, "quantity_scale", INTEGER, "currency", CHAR, "unit_price", NUMERIC,
                    "unit_price_scale", INTEGER, "discount", NUMERIC, "discount_scale", INTEGER),
                    o -> rows(o, o.productLines(), OpportunityRows::productLine)),
            new Child(Table.of("crm_opp_history", "opp_id", VARCHAR, "pos", INTEGER, "entry_id", VARCHAR, "kind",
                    VARCHAR, "at_s", BIGINT, "at_n", INTEGER, "author_id", VARCHAR, "subject", VARCHAR, "body",
                    VARCHAR),
                    o -> rows(o, o.history(), h -> new Object[] {h.id(), h.kind().name(), h.at().getEpochSecond(),
                        h.at().getNano(), h.author().value(), h.subject(), h.body()})),
            new Child(Table.of("crm_opp_transition", "opp_id", VARCHAR, "pos", INTEGER, "from_stage", VARCHAR,
                    "to_stage", VARCHAR, "at_s", BIGINT, "at_n", INTEGER, "by_id", VARCHAR, "to_index", INTEGER, "to_bit", BIGINT,
                    "next_s", BIGINT, "next_n", INTEGER),
                    // the stage index and the next instant are filled in by childRows; rows() leaves placeholders
                    o -> rows(o, o.transitions(), t -> new Object[] {t.from(), t.to(), t.at().getEpochSecond(),
                        t.at().getNano(), t.by().value(), null, null, null, null})),
            new Child(Table.of("crm_opp_step", "opp_id", VARCHAR, "pos", INTEGER, "step_code", VARCHAR),
                    o -> rows(o, List.copyOf(o.completedSteps()), s -> new Object[] {s})),
            // the field history (schema version 9): values as FieldChange keeps them, as text
            new Child(Table.of("crm_opp_change", "opp_id", VARCHAR, "pos", INTEGER, "field", VARCHAR, "from_value",
                    VARCHAR, "to_value", VARCHAR, "at_s", BIGINT, "at_n", INTEGER, "by_id", VARCHAR),
                    o -> rows(o, o.changes(), c -> new Object[] {c.field().name(), c.from(), c.to(),
                        c.at().getEpochSecond(), c.at().getNano(), c.by().value()})));

    /** Index of the transition table in {@link #CHILDREN}. */
    static final int TRANSITIONS = 5;
    /** Index of the field history table in {@link #CHILDREN}. */
    static final int CHANGES = 7;

    private OpportunityRows() {
    }

    private static <T> List<Object[]> rows(Opportunity o, List<T> items, Function<T, Object[]> values) {
        List<Object[]> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Object[] v = values.apply(items.get(i));
            Object[] row = new Object[v.length + 2];
            row[0] = o.id().value();
            row[1] = i;
            System.arraycopy(v, 0, row, 2, v.length);
            out.add(row);
        }
        return out;
    }

    private static Object[] productLine(ProductLine line) {
        BigDecimal price = Amounts.decimal(line.unitPrice());
        return new Object[] {line.product(), line.quantity().stripTrailingZeros(), line.quantity().scale(),
            line.unitPrice().getCurrency().getCurrencyCode(), price.stripTrailingZeros(), price.scale(),
            line.discountPercent().stripTrailingZeros(), line.discountPercent().scale()};
    }

    /**
     * The child rows of an opportunity for one child table, with derived values filled in.
     *
     * @param child the child table
     * @param o the opportunity
     * @param process its process
     * @return the rows
     */
    public static List<Object[]> childRows(Child child, Opportunity o, SalesProcess process) {
        List<Object[]> rows = child.rows().apply(o);
        if (child == CHILDREN.get(TRANSITIONS)) {
            DerivedColumns d = derive(o, process);
            for (int i = 0; i < rows.size(); i++) {
                Object[] row = rows.get(i);
                row[7] = d.toIndex()[i];
                row[8] = d.toBit()[i];
                if (i + 1 < rows.size()) {
                    row[9] = rows.get(i + 1)[4];
                    row[10] = rows.get(i + 1)[5];
                }
            }
        }
        return rows;
    }

    /**
     * The opportunity row, with the derived columns computed from the process.
     *
     * @param o the opportunity (already checked against its process)
     * @param process its process
     * @param version the version to store
     * @param zone the zone of the derived creation date
     * @return the values in {@link #OPPORTUNITY} column order
     */
    public static Object[] opportunityRow(Opportunity o, SalesProcess process, long version, ZoneId zone) {
        MonetaryAmount budget = o.budget().orElse(null);
        MonetaryAmount amount = o.amount().orElse(null);
        CloseInfo close = o.closeInfo().orElse(null);
        MonetaryAmount revenue = close == null ? null : close.actualRevenue();
        StageTransition last = o.transitions().get(o.transitions().size() - 1);
        BigDecimal hours = close == null ? null : close.hoursSpent();
        BigDecimal budgetValue = budget == null ? null : Amounts.decimal(budget);
        BigDecimal amountValue = amount == null ? null : Amounts.decimal(amount);
        BigDecimal revenueValue = revenue == null ? null
                : Amounts.decimal(revenue);
        DerivedColumns d = derive(o, process);
        // schema version 10: a past figure reconstructs exactly the deals changed after its instant
        Instant lastChange = o.lastChangeAt().orElse(null);
        // and the start of a history that does not go back to creation (a HISTORY_START after it)
        Instant historyStart = o.historyStartsAfter(o.createdAt()) ? o.historyStart() : null;
        Object[] row = new Object[] {
            o.id().value(), version, o.title(), o.client().map(c -> c.id().value()).orElse(NO_CLIENT),
            o.client().map(c -> c.kind().name()).orElse(NO_CLIENT), o.client().map(ClientRef::name).orElse(NO_CLIENT),
            o.owner().value(), o.processId().value(), o.stage(), o.probability(), o.currency().getCurrencyCode(),
            stripped(budgetValue), scale(budgetValue), stripped(amountValue), scale(amountValue),
            o.createdAt().getEpochSecond(), o.createdAt().getNano(), o.expectedCloseDate(), o.tactic(),
            o.forecastCategory().map(Enum::name).orElse(null), close == null ? null : close.closeDate(),
            stripped(revenueValue), scale(revenueValue), stripped(hours), scale(hours),
            close == null ? null : close.reason(), close == null ? null : close.winningCompetitor(),
            o.status().name(), d.stageIndex(), d.furthestOpenIndex(), d.enteredMask(), minor(amount, "amount"),
            minor(budget, "budget"), minor(revenue, "close.actualRevenue"), LocalDate.ofInstant(o.createdAt(), zone),
            o.stageEnteredAt().getEpochSecond(), last.at().getEpochSecond(), last.at().getNano(), d.fingerprint(),
            lastChange == null ? null : lastChange.getEpochSecond(), lastChange == null ? null : lastChange.getNano(),
            historyStart == null ? null : historyStart.getEpochSecond(),
            historyStart == null ? null : historyStart.getNano(),
            null, null, null, null, null, null, null, null, null, null, null, null, null, null};
        System.arraycopy(d.stageSeconds(), 0, row, STAGE_SECONDS, DerivedColumns.STAGE_TIME_COLUMNS);
        long[] content = contentHash(o, row);
        row[row.length - 2] = content[0];
        row[row.length - 1] = content[1];
        return row;
    }

    /**
     * The fingerprint of an opportunity's own content: its row's own columns except the version,
     * and its child rows as the opportunity gives them (before the derived transition columns),
     * except the field history: a sync from a source that keeps none compares everything else
     * ({@link Opportunity#sameContentApartFromHistoryAs}), and fingerprints written before the
     * history table existed stay valid.
     */
    private static long[] contentHash(Opportunity o, Object[] row) {
        ContentHash h = new ContentHash().row(row, 0, 1).row(row, 2, OWN_END);
        for (int t = 0; t < CHILDREN.size(); t++) {
            if (t != CHANGES) {
                h.rows(t, CHILDREN.get(t).rows().apply(o));
            }
        }
        return h.finish();
    }

    /** The derived columns of an opportunity (one replay, {@link DerivedColumns#of}). */
    static DerivedColumns derive(Opportunity o, SalesProcess process) {
        List<String> codes = new ArrayList<>(o.transitions().size());
        List<Instant> ats = new ArrayList<>(o.transitions().size());
        for (StageTransition t : o.transitions()) {
            codes.add(t.to());
            ats.add(t.at());
        }
        return DerivedColumns.of(process, codes, ats);
    }

    private static BigDecimal stripped(BigDecimal v) {
        return v == null ? null : v.stripTrailingZeros();
    }

    private static Integer scale(BigDecimal v) {
        return v == null ? null : v.scale();
    }

    private static Long minor(MonetaryAmount m, String field) {
        if (m == null) {
            return null;
        }
        try {
            return Amounts.toMinorUnits(m);
        } catch (ValidationException e) {
            throw new ValidationException(field, m, "an amount whose minor units fit 64 bits");
        }
    }

    /** The columns {@link #read} needs, for SELECT lists. */
    public static final String SELECT_COLUMNS = "id, version, title, client_id, client_kind, client_name, owner_id,"
            + " process_id, stage, probability, currency, budget, budget_scale, amount, amount_scale, created_s,"
            + " created_n, expected_close_date, tactic, forecast_category, close_date, close_revenue,"
            + " close_revenue_scale, close_hours, close_hours_scale, close_reason, close_winner";

    /**
     * Reads the current opportunity row into a builder (children are added by the caller), by
     * column position: {@link #SELECT_COLUMNS} must come first in the select list.
     *
     * @param rs the result set positioned on a row selected with {@link #SELECT_COLUMNS}
     * @return the builder
     * @throws SQLException on a driver error
     */
    public static Opportunity.Builder read(ResultSet rs) throws SQLException {
        CurrencyUnit currency = Amounts.currency(rs.getString(11));
        String clientId = rs.getString(4);
        Opportunity.Builder b = Opportunity.builder()
                .id(rs.getString(1))
                .version(rs.getLong(2))
                .title(rs.getString(3))
                .client(NO_CLIENT.equals(clientId) ? null
                        : new ClientRef(ClientId.of(clientId), ClientKind.valueOf(rs.getString(5)), rs.getString(6)))
                .owner(ManagerId.of(rs.getString(7)))
                .processId(ProcessId.of(rs.getString(8)))
                .stage(rs.getString(9))
                .probability(rs.getInt(10))
                .currency(currency)
                .budget(money(Decimals.read(rs, 12), currency))
                .amount(money(Decimals.read(rs, 14), currency))
                .createdAt(Instant.ofEpochSecond(rs.getLong(16), rs.getInt(17)))
                .expectedCloseDate(rs.getObject(18, LocalDate.class))
                .tactic(rs.getString(19));
        String category = rs.getString(20);
        b.forecastCategory(category == null ? null : ForecastCategory.valueOf(category));
        LocalDate closeDate = rs.getObject(21, LocalDate.class);
        if (closeDate != null) {
            b.closeInfo(new CloseInfo(closeDate, money(Decimals.read(rs, 22), currency), Decimals.read(rs, 24),
                    rs.getString(26), rs.getString(27)));
        }
        return b;
    }

    /** The columns {@link #trackedValues} reads, in its order. */
    static final String TRACKED_COLUMNS = "owner_id, probability, currency, budget, budget_scale, amount, amount_scale,"
            + " expected_close_date, forecast_category";

    /**
     * Reads the stored values of the tracked fields (other than the stage) of a row selected
     * with {@link #TRACKED_COLUMNS}, for continuing its field history.
     *
     * @param rs the result set positioned on the row
     * @param first the position of the first of {@link #TRACKED_COLUMNS}
     * @return the value of each field, null when not set
     * @throws SQLException on a driver error
     */
    static Map<TrackedField, Object> trackedValues(ResultSet rs, int first) throws SQLException {
        CurrencyUnit currency = Amounts.currency(rs.getString(first + 2));
        String category = rs.getString(first + 8);
        Map<TrackedField, Object> v = new java.util.EnumMap<>(TrackedField.class);
        v.put(TrackedField.OWNER, ManagerId.of(rs.getString(first)));
        v.put(TrackedField.PROBABILITY, rs.getInt(first + 1));
        v.put(TrackedField.CURRENCY, currency);
        v.put(TrackedField.BUDGET, money(Decimals.read(rs, first + 3), currency));
        v.put(TrackedField.AMOUNT, money(Decimals.read(rs, first + 5), currency));
        v.put(TrackedField.EXPECTED_CLOSE_DATE, rs.getObject(first + 7, LocalDate.class));
        v.put(TrackedField.FORECAST_CATEGORY, category == null ? null : ForecastCategory.valueOf(category));
        return v;
    }

    private static MonetaryAmount money(BigDecimal value, CurrencyUnit currency) {
        return value == null ? null : Amounts.of(value, currency);
    }

    /**
     * Reads one child row selected with its table's columns in {@link Table#columns()} order
     * ({@code opp_id}, {@code pos}, then the values), by column position.
     *
     * @param table the index of the child table in {@link #CHILDREN}
     * @param rs the result set positioned on a row of it
     * @return the child (a {@link Competitor}, {@link Participant}, {@link Lead},
     *     {@link ProductLine}, {@link HistoryEntry}, {@link StageTransition}, step code or
     *     {@link FieldChange})
     * @throws SQLException on a driver error
     */
    static Object child(int table, ResultSet rs) throws SQLException {
        return switch (table) {
            case 0 -> new Competitor(rs.getString(3), rs.getString(4), rs.getString(5));
            case 1 -> new Participant(ContactId.of(rs.getString(3)), rs.getString(4),
                    DecisionRole.valueOf(rs.getString(5)), Attitude.valueOf(rs.getString(6)));
            case 2 -> new Lead(rs.getString(3), rs.getString(4));
            case 3 -> new ProductLine(rs.getString(3), Decimals.read(rs, 4),
                    Amounts.of(Decimals.read(rs, 7), Amounts.currency(rs.getString(6))), Decimals.read(rs, 9));
            case 4 -> new HistoryEntry(rs.getString(3), HistoryKind.valueOf(rs.getString(4)),
                    Instant.ofEpochSecond(rs.getLong(5), rs.getInt(6)), ManagerId.of(rs.getString(7)),
                    rs.getString(8), rs.getString(9));
            case 5 -> new StageTransition(rs.getString(3), rs.getString(4),
                    Instant.ofEpochSecond(rs.getLong(5), rs.getInt(6)), ManagerId.of(rs.getString(7)));
            case 6 -> rs.getString(3);
            case 7 -> new FieldChange(TrackedField.valueOf(rs.getString(3)), rs.getString(4), rs.getString(5),
                    Instant.ofEpochSecond(rs.getLong(6), rs.getInt(7)), ManagerId.of(rs.getString(8)));
            default -> throw new IllegalArgumentException("child table " + table);
        };
    }

    /**
     * Completes a builder with its children, one list per child table in {@link #CHILDREN}
     * order (as {@link #child} makes them), and builds it.
     *
     * @param b the builder from {@link #read}
     * @param children the children by table
     * @return the opportunity
     */
    @SuppressWarnings("unchecked")
    static Opportunity complete(Opportunity.Builder b, List<?>[] children) {
        return b.competitors((List<Competitor>) children[0])
                .participants((List<Participant>) children[1])
                .leads((List<Lead>) children[2])
                .productLines((List<ProductLine>) children[3])
                .history((List<HistoryEntry>) children[4])
                .transitions((List<StageTransition>) children[5])
                .completedSteps((List<String>) children[6])
                .changes((List<FieldChange>) children[7])
                .build();
    }

    /** The children of opportunities read in one go, by opportunity id. */
    public static final class Children {
        private final List<Map<String, List<Object>>> byTable = new ArrayList<>();

        /** Creates an empty collection of children. */
        public Children() {
            for (int t = 0; t < CHILDREN.size(); t++) {
                byTable.add(new java.util.HashMap<>());
            }
        }

        /**
         * Adds a child row read from one of {@link #CHILDREN} (rows ordered by id, pos).
         *
         * @param table the index of the child table
         * @param rs the result set positioned on a row of it
         * @throws SQLException on a driver error
         */
        public void add(int table, ResultSet rs) throws SQLException {
            byTable.get(table).computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(child(table, rs));
        }

        /**
         * Completes a builder with the children of its opportunity and builds it.
         *
         * @param id the opportunity id
         * @param b the builder from {@link #read}
         * @return the opportunity
         */
        public Opportunity complete(String id, Opportunity.Builder b) {
            List<?>[] lists = new List<?>[CHILDREN.size()];
            for (int t = 0; t < lists.length; t++) {
                lists[t] = byTable.get(t).getOrDefault(id, List.of());
            }
            return OpportunityRows.complete(b, lists);
        }
    }
}
