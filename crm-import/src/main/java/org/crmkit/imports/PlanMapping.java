package org.crmkit.imports;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.money.CurrencyUnit;
import org.crmkit.core.BatchCheck;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.UnitId;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;

/**
 * Which columns of a row make a sales plan: the node (a manager column, or a unit column with
 * the id prefix of the {@link OrgMapping} level the units come from), any day of the period
 * (the period is the calendar's period of the mapping's type holding that day: quarters start
 * at the fiscal year start), and the target. A node and period given twice is rejected on the
 * second row, naming the first.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class PlanMapping {
    private final String source;
    private final FiscalCalendar calendar;
    private final PeriodType type;
    private final String manager;
    private final String unit;
    private final String unitPrefix;
    private final String day;
    private final String target;
    private final CurrencyUnit currency;

    private PlanMapping(Builder b) {
        this.source = b.source;
        this.calendar = b.calendar;
        this.type = b.type;
        this.manager = b.manager;
        this.unit = b.unit;
        this.unitPrefix = b.unitPrefix;
        this.day = b.day;
        this.target = b.target;
        this.currency = b.currency;
    }

    /**
     * Starts a mapping of plans for periods of one type.
     *
     * @param calendar the fiscal calendar that makes the periods
     * @param type the period type, e.g. {@link PeriodType#QUARTER}
     * @return the builder
     * @throws ValidationException when the type is {@link PeriodType#CUSTOM}
     */
    public static Builder builder(FiscalCalendar calendar, PeriodType type) {
        ValidationException.require(type != PeriodType.CUSTOM, "mapping.periodType", type,
                "a calendar period type (month, quarter, half-year, year)");
        return new Builder(Objects.requireNonNull(calendar, "calendar"), Objects.requireNonNull(type, "type"));
    }

    /**
     * Reads rows into plans.
     *
     * @param rows the rows
     * @return the plans of the valid rows, and every rejected row
     * @throws ValidationException when a mapped column is in no row
     */
    public ImportReport<List<SalesPlan>> read(List<Row> rows) {
        Objects.requireNonNull(rows, "rows");
        if (!rows.isEmpty()) {
            Set<String> present = new LinkedHashSet<>();
            rows.forEach(r -> present.addAll(r.values().keySet()));
            for (String c : new String[] {manager != null ? manager : unit, day, target}) {
                ValidationException.require(present.contains(c), "mapping.column", c,
                        "a column of " + source + ": one of " + present);
            }
        }
        BatchCheck.Builder<SalesPlan> check = BatchCheck.builder("rows");
        Map<String, Long> seen = new HashMap<>();
        for (Row row : rows) {
            Cells cells = new Cells(row, calendar.zone(), null);
            String where = source + " line " + row.line();
            String nodeColumn = manager != null ? manager : unit;
            String nodeText = cells.required(nodeColumn, manager != null ? "the manager id" : "the unit name");
            LocalDate inPeriod = cells.date(day);
            if (inPeriod == null && cells.text(day) == null) {
                cells.fail(day, null, "a day of the plan's period");
            }
            BigDecimal amount = cells.decimal(target);
            if (amount == null && cells.text(target) == null) {
                cells.fail(target, null, "the plan's target");
            }
            if (!cells.failures().isEmpty()) {
                check.reject(where, null, cells.failures().toArray(ValidationException[]::new));
                continue;
            }
            check.attempt(where, null, () -> {
                OrgNodeId node = manager != null ? ManagerId.of(nodeText) : UnitId.of(unitPrefix + nodeText);
                Period period = calendar.periodOf(type, inPeriod);
                Long first = seen.putIfAbsent(node.key() + "|" + period.start(), row.line());
                if (first != null) {
                    throw new ValidationException(day, inPeriod, "a node and period given once: " + node.key() + " "
                            + period.label() + " is on line " + first);
                }
                return new SalesPlan(node, period, Amounts.of(amount, currency));
            });
        }
        BatchCheck<SalesPlan> done = check.build();
        return new ImportReport<>(done.accepted(), done.size(), done.rejections(), new ArrayList<>());
    }

    /** Collects a mapping; {@link #build()} validates it. */
    public static final class Builder {
        private final FiscalCalendar calendar;
        private final PeriodType type;
        private String source = "rows";
        private String manager;
        private String unit;
        private String unitPrefix;
        private String day;
        private String target;
        private CurrencyUnit currency;

        private Builder(FiscalCalendar calendar, PeriodType type) {
            this.calendar = calendar;
            this.type = type;
        }

        /**
         * Names the rows' source in messages (default {@code "rows"}).
         *
         * @param value the name, e.g. the file name
         * @return this builder
         */
        public Builder source(String value) {
            this.source = ValidationException.requireText(value, "mapping.source");
            return this;
        }

        /**
         * Plans of managers: the column of the manager id.
         *
         * @param column the column name
         * @return this builder
         */
        public Builder manager(String column) {
            this.manager = ValidationException.requireText(column, "mapping.manager");
            this.unit = null;
            return this;
        }

        /**
         * Plans of units: the column of the unit name and the id prefix of its level (as the
         * {@link OrgMapping} made the ids, e.g. {@code "office:"}).
         *
         * @param column the column name
         * @param idPrefix what precedes the name in the unit id; may be empty
         * @return this builder
         */
        public Builder unit(String column, String idPrefix) {
            this.unit = ValidationException.requireText(column, "mapping.unit");
            this.unitPrefix = Objects.requireNonNull(idPrefix, "idPrefix");
            this.manager = null;
            return this;
        }

        /**
         * The column of any day of the period (ISO-8601), e.g. its first day.
         *
         * @param column the column name
         * @return this builder
         */
        public Builder period(String column) {
            this.day = ValidationException.requireText(column, "mapping.period");
            return this;
        }

        /**
         * The column of the target amount.
         *
         * @param column the column name
         * @return this builder
         */
        public Builder target(String column) {
            this.target = ValidationException.requireText(column, "mapping.target");
            return this;
        }

        /**
         * The currency of the targets.
         *
         * @param code an ISO-4217 code
         * @return this builder
         */
        public Builder currency(String code) {
            this.currency = Amounts.currency(code);
            return this;
        }

        /**
         * Validates and builds the mapping.
         *
         * @return the mapping
         * @throws ValidationException when the node, period, target or currency is missing
         */
        public PlanMapping build() {
            ValidationException.require(manager != null || unit != null, "mapping.node", null,
                    "a manager or a unit column");
            ValidationException.requireNonNull(day, "mapping.period");
            ValidationException.requireNonNull(target, "mapping.target");
            ValidationException.requireNonNull(currency, "mapping.currency");
            return new PlanMapping(this);
        }
    }
}
