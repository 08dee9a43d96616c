package org.crmkit.imports;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import org.crmkit.core.BatchCheck;
import org.crmkit.core.ClientId;
import org.crmkit.core.ClientKind;
import org.crmkit.core.ClientRef;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.ProductLine;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.Stage;
import org.crmkit.core.StageTransition;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;

/**
 * Which column of a row holds which value of an opportunity, and the rules that fill in what
 * real exports lack. {@link #read(List)} turns rows into opportunities of one process and
 * reports every invalid row at once.
 *
 * <h2>Columns</h2>
 * Required: the id, the owner and the stage. Optional: title (default: the id), client (blank:
 * no client; its value is the client's id and name), creation date, a date per open stage,
 * close date, expected close date, amount, revenue, probability, currency, loss reason,
 * winning competitor, product (priced from a {@link ProductCatalog}). The stage column may use
 * the process's codes, its stage names (either case-insensitively) or labels declared with
 * {@link Builder#stageValue}.
 *
 * <h2>The stage history, rebuilt from the row's dates</h2>
 * Every date is a day; a day becomes the instant it starts in the mapping's zone.
 * <ol>
 *   <li>Created: the creation column, else the earliest date the row has, else (a row with no
 *       date at all, like the early-stage rows of many exports) the mapping's as-of instant,
 *       the moment the data was exported.</li>
 *   <li>The opportunity enters the process's first open stage when created.</li>
 *   <li>It then enters, in process order, every later open stage that has a date, up to its
 *       current stage (open) or the last stage with a date (closed); a stage without a date is
 *       skipped (the funnel's LINEAR policy counts it as passed, STRICT does not). An open
 *       current stage without a date is entered when the stage before it was.</li>
 *   <li>A won or lost row closes on its close date, from the stage it reached: the close date
 *       is required (without it the cycle, the time in stage and the period of the close would
 *       be made up).</li>
 *   <li>Dates may not go back along the process: a later stage dated before an earlier one is
 *       rejected naming both.</li>
 * </ol>
 *
 * <h2>Other defaults, each counted in the report's notes</h2>
 * <ul>
 *   <li>probability: the probability column, else the current stage's default;</li>
 *   <li>amount: the amount column, else the product's list price, else none;</li>
 *   <li>revenue of a won deal: the revenue column, else the amount (a won row with neither is
 *       rejected);</li>
 *   <li>expected close date of an open deal without one: the as-of date, so forecasts treat the
 *       deal as due now (the forecast's overdue policy) rather than dropping it; of a closed
 *       deal: its close date.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe once built.
 */
public final class OpportunityMapping {
    private final SalesProcess process;
    private final String source;
    private final String id;
    private final String title;
    private final String owner;
    private final String client;
    private final ClientKind clientKind;
    private final String stage;
    private final Map<String, String> stageValues;
    private final String created;
    private final Map<String, String> stageDates;
    private final String closeDate;
    private final String expectedCloseDate;
    private final String amount;
    private final String revenue;
    private final String probability;
    private final String currencyColumn;
    private final CurrencyUnit currency;
    private final String reason;
    private final String competitor;
    private final String product;
    private final ProductCatalog catalog;
    private final ZoneId zone;
    private final Instant asOf;
    private final DateTimeFormatter dateFormat;

    private OpportunityMapping(Builder b) {
        this.process = b.process;
        this.source = b.source;
        this.id = b.id;
        this.title = b.title;
        this.owner = b.owner;
        this.client = b.client;
        this.clientKind = b.clientKind;
        this.stage = b.stage;
        this.stageValues = Map.copyOf(b.stageValues);
        this.created = b.created;
        this.stageDates = new LinkedHashMap<>(b.stageDates);
        this.closeDate = b.closeDate;
        this.expectedCloseDate = b.expectedCloseDate;
        this.amount = b.amount;
        this.revenue = b.revenue;
        this.probability = b.probability;
        this.currencyColumn = b.currencyColumn;
        this.currency = b.currency;
        this.reason = b.reason;
        this.competitor = b.competitor;
        this.product = b.product;
        this.catalog = b.catalog;
        this.zone = b.zone;
        this.asOf = b.asOf;
        this.dateFormat = b.dateFormat;
    }

    /**
     * Starts a mapping into a process.
     *
     * @param process the sales process of every opportunity read
     * @return the builder
     */
    public static Builder builder(SalesProcess process) {
        return new Builder(Objects.requireNonNull(process, "process"));
    }

    /**
     * The process the opportunities are read into.
     *
     * @return the process
     */
    public SalesProcess process() {
        return process;
    }

    /**
     * Reads rows into opportunities (version 0, ready for {@code insertAll}).
     *
     * @param rows the rows, e.g. from {@link CsvRows#read}
     * @return the opportunities of the valid rows, every rejected row with every failure found
     *     in it, and a note for every default applied
     * @throws ValidationException when a mapped column is in no row (a misspelled column name)
     */
    public ImportReport<List<Opportunity>> read(List<Row> rows) {
        Objects.requireNonNull(rows, "rows");
        requireColumns(rows);
        BatchCheck.Builder<Opportunity> check = BatchCheck.builder("rows");
        Notes notes = new Notes();
        Set<String> ids = new HashSet<>();
        for (Row row : rows) {
            readRow(row, check, notes, ids);
        }
        BatchCheck<Opportunity> done = check.build();
        return new ImportReport<>(done.accepted(), done.size(), done.rejections(), notes.list());
    }

    private void requireColumns(List<Row> rows) {
        Set<String> present = new HashSet<>();
        for (Row r : rows) {
            present.addAll(r.values().keySet());
        }
        if (rows.isEmpty()) {
            return;
        }
        List<String> mapped = new ArrayList<>();
        for (String c : new String[] {id, title, owner, client, stage, created, closeDate, expectedCloseDate, amount,
            revenue, probability, currencyColumn, reason, competitor, product}) {
            if (c != null) {
                mapped.add(c);
            }
        }
        mapped.addAll(stageDates.values());
        for (String c : mapped) {
            ValidationException.require(present.contains(c), "mapping.column", c,
                    "a column of " + source + ": one of " + new TreeMap<>(rows.get(0).values()).keySet());
        }
    }

    private void readRow(Row row, BatchCheck.Builder<Opportunity> check, Notes notes, Set<String> ids) {
        String where = source + " line " + row.line();
        Cells cells = new Cells(row, zone, dateFormat);
        String idText = cells.required(id, "the opportunity id");
        OpportunityId oid = null;
        if (idText != null) {
            try {
                oid = OpportunityId.of(idText);
            } catch (ValidationException e) {
                cells.fail(id, idText, e.expected());
            }
            if (oid != null && !ids.add(idText)) {
                cells.fail(id, idText, "an id used once in " + source);
            }
        }
        String ownerText = cells.required(owner, "the owner (responsible manager)");
        String stageCode = stageCode(cells);
        LocalDate createdDay = cells.date(created);
        Map<String, LocalDate> entered = new LinkedHashMap<>();
        stageDates.forEach((code, column) -> {
            LocalDate d = cells.date(column);
            if (d != null) {
                entered.put(code, d);
            }
        });
        LocalDate closedOn = cells.date(closeDate);
        LocalDate expected = cells.date(expectedCloseDate);
        BigDecimal amountValue = cells.decimal(amount);
        BigDecimal revenueValue = cells.decimal(revenue);
        Integer probabilityValue = cells.integer(probability);
        CurrencyUnit cur = currency(cells);
        String productName = product(cells, notes);
        if (!cells.failures().isEmpty() || stageCode == null) {
            check.reject(where, oid, cells.failures().toArray(ValidationException[]::new));
            return;
        }
        int current = process.indexOf(stageCode);
        boolean closed = current >= process.openStageCount();
        History history = history(cells, stageCode, current, closed, createdDay, entered, closedOn, notes);
        if (closed && stageCode.equals(SalesProcess.WON) && revenueValue == null && amountValue == null
                && productName == null) {
            cells.fail(revenue != null ? revenue : amount != null ? amount : "revenue", null,
                    "the revenue of a won deal (a revenue or an amount)");
        }
        if (!cells.failures().isEmpty()) {
            check.reject(where, oid, cells.failures().toArray(ValidationException[]::new));
            return;
        }
        OpportunityId finalId = oid;
        check.attempt(where, oid, () -> build(finalId, cells, ownerText, stageCode, closed, history, closedOn, expected,
                amountValue, revenueValue, probabilityValue, cur, productName, notes));
    }

    private Opportunity build(OpportunityId oid, Cells cells, String ownerText, String stageCode, boolean closed,
            History history, LocalDate closedOn, LocalDate expected, BigDecimal amountValue, BigDecimal revenueValue,
            Integer probabilityValue, CurrencyUnit cur, String productName, Notes notes) {
        ManagerId ownerId = ManagerId.of(ownerText);
        Opportunity.Builder b = Opportunity.builder().id(oid).process(process).owner(ownerId).stage(stageCode)
                .currency(cur).createdAt(history.createdAt);
        String titleText = cells.text(title);
        b.title(titleText != null ? titleText : oid.value());
        String clientText = cells.text(client);
        if (clientText != null) {
            b.client(new ClientRef(ClientId.of(clientText), clientKind, clientText));
        } else if (client != null) {
            notes.count("rows have no client: imported without one (column " + client + ")");
        }
        List<StageTransition> ts = new ArrayList<>();
        String from = null;
        for (Map.Entry<String, Instant> e : history.entries) {
            ts.add(new StageTransition(from, e.getKey(), e.getValue(), ownerId));
            from = e.getKey();
        }
        b.transitions(ts);
        MonetaryAmount amountMoney = amountValue == null ? null : Amounts.of(amountValue, cur);
        if (productName != null) {
            MonetaryAmount price = catalog.priceOf(productName);
            ValidationException.require(price.getCurrency().equals(cur), product, productName,
                    "a product priced in the deal's currency " + cur.getCurrencyCode() + ", not "
                            + price.getCurrency().getCurrencyCode());
            b.addProductLine(new ProductLine(productName, BigDecimal.ONE, price, null));
            if (amountMoney == null) {
                amountMoney = price;
                notes.count("rows have no amount: the list price of their product");
            }
        }
        b.amount(amountMoney);
        if (probabilityValue != null) {
            b.probability(probabilityValue);
        } else {
            notes.count("rows have no probability: their stage's default");
        }
        if (!closed) {
            if (expected != null) {
                b.expectedCloseDate(expected);
            } else {
                LocalDate day = LocalDate.ofInstant(asOf, zone);
                b.expectedCloseDate(day.isBefore(history.createdDay) ? history.createdDay : day);
                notes.count("open deals have no expected close date: the as-of date " + day
                        + " (forecasts count them as due now)");
            }
        } else {
            b.expectedCloseDate(expected);
            String reasonText = cells.text(reason);
            if (stageCode.equals(SalesProcess.WON)) {
                MonetaryAmount booked = revenueValue != null ? Amounts.of(revenueValue, cur) : amountMoney;
                if (revenueValue == null) {
                    notes.count("won deals have no revenue: their amount");
                }
                b.closeInfo(CloseInfo.won(closedOn, booked, reasonText));
            } else {
                b.closeInfo(CloseInfo.lost(closedOn, reasonText, cells.text(competitor)));
            }
        }
        return b.build();
    }

    private String stageCode(Cells cells) {
        String v = cells.required(stage, "the stage");
        if (v == null) {
            return null;
        }
        String mapped = stageValues.get(normal(v));
        if (mapped != null) {
            return mapped;
        }
        for (Stage s : process.stages()) {
            if (normal(s.code()).equals(normal(v)) || normal(s.name()).equals(normal(v))) {
                return s.code();
            }
        }
        List<String> known = new ArrayList<>();
        for (Stage s : process.stages()) {
            known.add(s.name());
        }
        known.addAll(new TreeMap<>(stageValues).keySet());
        cells.fail(stage, v, "a stage of process " + process.id() + ": one of " + known
                + " (or a label declared with stageValue)");
        return null;
    }

    private CurrencyUnit currency(Cells cells) {
        if (currencyColumn != null) {
            String code = cells.text(currencyColumn);
            if (code != null) {
                try {
                    return Amounts.currency(code);
                } catch (ValidationException e) {
                    cells.fail(currencyColumn, code, "an ISO-4217 currency code");
                    return null;
                }
            }
            if (currency == null) {
                cells.fail(currencyColumn, null, "a currency code");
            }
        }
        return currency;
    }

    private String product(Cells cells, Notes notes) {
        String v = cells.text(product);
        if (v == null) {
            return null;
        }
        String name = catalog.nameOf(v).orElse(null);
        if (name == null) {
            cells.fail(product, v, "one of the products " + catalog.names() + " (or a spelling declared with"
                    + " ProductCatalog.Builder.alias)");
            return null;
        }
        if (catalog.isAlias(v)) {
            notes.count("rows spell product '" + name + "' as '" + v + "'");
        }
        return name;
    }

    /** The rebuilt history: creation and the stages entered with their instants, in order. */
    private record History(Instant createdAt, LocalDate createdDay, List<Map.Entry<String, Instant>> entries) {
    }

    private History history(Cells cells, String stageCode, int current, boolean closed, LocalDate createdDay,
            Map<String, LocalDate> entered, LocalDate closedOn, Notes notes) {
        List<Stage> open = process.openStages();
        LocalDate earliest = createdDay;
        for (LocalDate d : entered.values()) {
            earliest = earliest == null || d.isBefore(earliest) ? d : earliest;
        }
        if (closedOn != null && (earliest == null || closedOn.isBefore(earliest))) {
            earliest = closedOn;
        }
        Instant createdAt;
        LocalDate day;
        if (createdDay != null) {
            createdAt = cells.start(createdDay);
            day = createdDay;
        } else if (earliest != null) {
            createdAt = cells.start(earliest);
            day = earliest;
        } else {
            createdAt = asOf;
            day = LocalDate.ofInstant(asOf, zone);
            notes.count("rows have no date: created at the as-of instant " + asOf);
        }
        List<Map.Entry<String, Instant>> entries = new ArrayList<>();
        entries.add(Map.entry(open.get(0).code(), createdAt));
        Instant last = createdAt;
        String lastColumn = created != null && createdDay != null ? created : null;
        int furthest = current;
        if (closed) {
            furthest = 0;
            for (int i = 1; i < open.size(); i++) {
                if (entered.containsKey(open.get(i).code())) {
                    furthest = i;
                }
            }
        }
        for (int i = 1; i <= furthest; i++) {
            String code = open.get(i).code();
            LocalDate d = entered.get(code);
            if (d == null && (closed || i != current)) {
                continue;
            }
            Instant at = d == null ? last : cells.start(d);
            if (at.isBefore(last)) {
                cells.fail(stageDates.get(code), d, "a date not before " + LocalDate.ofInstant(last, zone)
                        + (lastColumn == null ? " (the creation)" : " (" + lastColumn + ")"));
                at = last;
            }
            entries.add(Map.entry(code, at));
            last = at;
            if (d != null) {
                lastColumn = stageDates.get(code);
            }
        }
        if (closed) {
            if (closedOn == null) {
                cells.fail(closeDate != null ? closeDate : "closeDate", null, "the close date of a " + stageCode
                        + " deal (its closing transition is dated by it)");
            } else {
                Instant at = cells.start(closedOn);
                if (at.isBefore(last)) {
                    cells.fail(closeDate, closedOn, "a date not before " + LocalDate.ofInstant(last, zone)
                            + (lastColumn == null ? " (the creation)" : " (" + lastColumn + ")"));
                    at = last;
                }
                entries.add(Map.entry(stageCode, at));
            }
        }
        return new History(createdAt, day, entries);
    }

    private static String normal(String s) {
        return s.strip().toLowerCase(Locale.ROOT);
    }

    /** Counts how many rows each default concerned, in the order first met. */
    static final class Notes {
        private final Map<String, Integer> counts = new LinkedHashMap<>();

        void count(String note) {
            counts.merge(note, 1, Integer::sum);
        }

        List<String> list() {
            List<String> out = new ArrayList<>();
            counts.forEach((note, n) -> out.add(n + " " + note));
            return out;
        }
    }

    /** Collects a mapping; {@link #build()} checks it against the process. */
    public static final class Builder {
        private final SalesProcess process;
        private String source = "rows";
        private String id;
        private String title;
        private String owner;
        private String client;
        private ClientKind clientKind = ClientKind.ACCOUNT;
        private String stage;
        private final Map<String, String> stageValues = new LinkedHashMap<>();
        private String created;
        private final Map<String, String> stageDates = new LinkedHashMap<>();
        private String closeDate;
        private String expectedCloseDate;
        private String amount;
        private String revenue;
        private String probability;
        private String currencyColumn;
        private CurrencyUnit currency;
        private String reason;
        private String competitor;
        private String product;
        private ProductCatalog catalog;
        private ZoneId zone = ZoneOffset.UTC;
        private Instant asOf;
        private DateTimeFormatter dateFormat;

        private Builder(SalesProcess process) {
            this.process = process;
        }

        /**
         * Names the rows' source in messages (default {@code "rows"}), e.g. the file name.
         *
         * @param value the name
         * @return this builder
         */
        public Builder source(String value) {
            this.source = ValidationException.requireText(value, "mapping.source");
            return this;
        }

        /**
         * The column of the opportunity id (required).
         *
         * @param column the column name
         * @return this builder
         */
        public Builder id(String column) {
            this.id = column(column);
            return this;
        }

        /**
         * The column of the title; without one the title is the id.
         *
         * @param column the column name
         * @return this builder
         */
        public Builder title(String column) {
            this.title = column(column);
            return this;
        }

        /**
         * The column of the owner's manager id (required).
         *
         * @param column the column name
         * @return this builder
         */
        public Builder owner(String column) {
            this.owner = column(column);
            return this;
        }

        /**
         * The column of the client, an account by default; its value is the client's id and
         * name, and a blank value is a deal without a client.
         *
         * @param column the column name
         * @return this builder
         */
        public Builder client(String column) {
            this.client = column(column);
            return this;
        }

        /**
         * The kind of client the client column holds (default: accounts).
         *
         * @param kind account or contact
         * @return this builder
         */
        public Builder clientKind(ClientKind kind) {
            this.clientKind = Objects.requireNonNull(kind, "kind");
            return this;
        }

        /**
         * The column of the current stage (required): a stage code or name of the process, or a
         * label declared with {@link #stageValue}.
         *
         * @param column the column name
         * @return this builder
         */
        public Builder stage(String column) {
            this.stage = column(column);
            return this;
        }

        /**
         * Declares a label the stage column uses for a stage, e.g. {@code "Closed Won"} for
         * {@code WON} (matched case-insensitively).
         *
         * @param label the label in the data
         * @param stageCode the stage code of the process
         * @return this builder
         */
        public Builder stageValue(String label, String stageCode) {
            process.indexOf(stageCode);
            stageValues.put(normal(ValidationException.requireText(label, "mapping.stageValue")), stageCode);
            return this;
        }

        /**
         * The column of the creation date; without one a row is created on its earliest date.
         *
         * @param column the column name
         * @return this builder
         */
        public Builder createdAt(String column) {
            this.created = column(column);
            return this;
        }

        /**
         * The column of the date an open stage was entered (any number of stages).
         *
         * @param stageCode an open stage of the process, not its first (entered at creation)
         * @param column the column name
         * @return this builder
         * @throws ValidationException when the stage is not a later open stage of the process
         */
        public Builder stageEnteredAt(String stageCode, String column) {
            int i = process.indexOf(stageCode);
            ValidationException.require(i > 0 && i < process.openStageCount(), "mapping.stageEnteredAt", stageCode,
                    "an open stage after the first (the first is entered at creation; a close has closeDate)");
            stageDates.put(stageCode, column(column));
            return this;
        }

        /**
         * The column of the close date of won and lost deals.
         *
         * @param column the column name
         * @return this builder
         */
        public Builder closeDate(String column) {
            this.closeDate = column(column);
            return this;
        }

        /**
         * The column of the expected close date of open deals.
         *
         * @param column the column name
         * @return this builder
         */
        public Builder expectedCloseDate(String column) {
            this.expectedCloseDate = column(column);
            return this;
        }

        /**
         * The column of the amount (expected deal value).
         *
         * @param column the column name
         * @return this builder
         */
        public Builder amount(String column) {
            this.amount = column(column);
            return this;
        }

        /**
         * The column of a won deal's booked revenue (ignored on other rows).
         *
         * @param column the column name
         * @return this builder
         */
        public Builder revenue(String column) {
            this.revenue = column(column);
            return this;
        }

        /**
         * The column of the probability in percent; without a value, the stage's default.
         *
         * @param column the column name
         * @return this builder
         */
        public Builder probability(String column) {
            this.probability = column(column);
            return this;
        }

        /**
         * The currency of every amount.
         *
         * @param code an ISO-4217 code
         * @return this builder
         */
        public Builder currency(String code) {
            this.currency = Amounts.currency(code);
            return this;
        }

        /**
         * The column of each row's currency (the fixed {@link #currency} fills blanks).
         *
         * @param column the column name
         * @return this builder
         */
        public Builder currencyColumn(String column) {
            this.currencyColumn = column(column);
            return this;
        }

        /**
         * The column of the win or loss reason.
         *
         * @param column the column name
         * @return this builder
         */
        public Builder reason(String column) {
            this.reason = column(column);
            return this;
        }

        /**
         * The column of the competitor who won a lost deal.
         *
         * @param column the column name
         * @return this builder
         */
        public Builder winningCompetitor(String column) {
            this.competitor = column(column);
            return this;
        }

        /**
         * The column of the product sold, priced from a catalog: the deal gets one product line
         * at the list price, which is its amount when the row has none.
         *
         * @param column the column name
         * @param products the catalog, with the other spellings the data uses
         * @return this builder
         */
        public Builder product(String column, ProductCatalog products) {
            this.product = column(column);
            this.catalog = Objects.requireNonNull(products, "products");
            return this;
        }

        /**
         * The zone in which a day starts (default UTC).
         *
         * @param value the zone
         * @return this builder
         */
        public Builder zone(ZoneId value) {
            this.zone = Objects.requireNonNull(value, "zone");
            return this;
        }

        /**
         * When the data was exported (required): rows without any date are created then, and
         * open deals without an expected close date are due then.
         *
         * @param value the instant of the export
         * @return this builder
         */
        public Builder asOf(Instant value) {
            this.asOf = Objects.requireNonNull(value, "asOf");
            return this;
        }

        /**
         * The pattern of the dates (default ISO-8601), e.g. {@code "d.M.yyyy"} or
         * {@code "M/d/yyyy"}.
         *
         * @param pattern a {@link DateTimeFormatter} pattern
         * @return this builder
         */
        public Builder datePattern(String pattern) {
            this.dateFormat = DateTimeFormatter.ofPattern(ValidationException.requireText(pattern, "mapping.datePattern"),
                    Locale.ROOT);
            return this;
        }

        /**
         * Checks and builds the mapping.
         *
         * @return the mapping
         * @throws ValidationException when a required column, the currency or the as-of instant
         *     is missing, or a column is mapped twice to different values
         */
        public OpportunityMapping build() {
            ValidationException.requireNonNull(id, "mapping.id");
            ValidationException.requireNonNull(owner, "mapping.owner");
            ValidationException.requireNonNull(stage, "mapping.stage");
            ValidationException.require(currency != null || currencyColumn != null, "mapping.currency", null,
                    "a currency, or a currency column");
            ValidationException.requireNonNull(asOf, "mapping.asOf");
            Set<String> dated = new LinkedHashSet<>(stageDates.values());
            ValidationException.require(dated.size() == stageDates.size(), "mapping.stageEnteredAt", stageDates,
                    "one column per stage");
            return new OpportunityMapping(this);
        }

        private static String column(String name) {
            return ValidationException.requireText(name, "mapping.column");
        }
    }
}
