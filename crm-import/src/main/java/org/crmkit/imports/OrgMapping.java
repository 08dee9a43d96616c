package org.crmkit.imports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.crmkit.core.BatchCheck;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.ValidationException;

/**
 * Which columns of a row describe a manager and the units above them, e.g. a
 * {@code sales_teams.csv} of {@code sales_agent, manager, regional_office}: each row is one
 * manager (rep), a member of the unit named in the first level's column (the team), which sits
 * under the unit of the next level's column (the office), and so on up to an optional root unit
 * above every top-level unit (the company).
 *
 * <p>Unit ids are the level's prefix and the value, e.g. {@code team:Dustin Brinkmann} and
 * {@code office:Central} (prefix default: the unit kind in lower case and a colon), so two
 * levels may use the same names; the unit's name is the value. A blank level value skips the
 * level: the manager (or the unit below) is linked to the next level that has a value. A unit
 * may sit under several parents across rows (the org is a DAG). A manager in two rows belongs
 * to both rows' units; a row repeating a manager in the same unit adds nothing.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class OrgMapping {
    private final String source;
    private final String manager;
    private final String managerName;
    private final List<Level> levels;
    private final UnitId rootId;
    private final String rootName;
    private final UnitKind rootKind;

    /** One level of units: its column, kind and id prefix. */
    private record Level(String column, UnitKind kind, String prefix) {
    }

    private OrgMapping(Builder b) {
        this.source = b.source;
        this.manager = b.manager;
        this.managerName = b.managerName;
        this.levels = List.copyOf(b.levels);
        this.rootId = b.rootId;
        this.rootName = b.rootName;
        this.rootKind = b.rootKind;
    }

    /**
     * Starts a mapping.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The id a unit of a level gets.
     *
     * @param column the level's column
     * @param value the unit's name in that column
     * @return the unit id
     * @throws ValidationException when the column is not a level of this mapping
     */
    public UnitId unitId(String column, String value) {
        for (Level l : levels) {
            if (l.column.equals(column)) {
                return UnitId.of(l.prefix + value.strip());
            }
        }
        throw new ValidationException("mapping.unit", column, "a level column: one of "
                + levels.stream().map(Level::column).toList());
    }

    /**
     * Reads rows into an org structure.
     *
     * @param rows the rows, e.g. from {@link CsvRows#read}
     * @return the structure of the valid rows, and every rejected row
     * @throws ValidationException when a mapped column is in no row, or the rows make a cycle
     */
    public ImportReport<OrgStructure> read(List<Row> rows) {
        Objects.requireNonNull(rows, "rows");
        if (!rows.isEmpty()) {
            Set<String> present = new LinkedHashSet<>();
            rows.forEach(r -> present.addAll(r.values().keySet()));
            List<String> mapped = new ArrayList<>(List.of(manager));
            if (managerName != null) {
                mapped.add(managerName);
            }
            levels.forEach(l -> mapped.add(l.column));
            for (String c : mapped) {
                ValidationException.require(present.contains(c), "mapping.column", c,
                        "a column of " + source + ": one of " + present);
            }
        }
        OrgStructure.Builder org = OrgStructure.builder();
        Map<ManagerId, String> managers = new LinkedHashMap<>();
        Map<UnitId, String> units = new LinkedHashMap<>();
        Map<UnitId, UnitKind> kinds = new LinkedHashMap<>();
        Set<List<Object>> links = new LinkedHashSet<>();
        Set<List<Object>> members = new LinkedHashSet<>();
        if (rootId != null) {
            units.put(rootId, rootName);
            kinds.put(rootId, rootKind);
        }
        BatchCheck.Builder<ManagerId> check = BatchCheck.builder("rows");
        for (Row row : rows) {
            Cells cells = new Cells(row, java.time.ZoneOffset.UTC, null);
            String id = cells.required(manager, "the manager id");
            ManagerId m = null;
            if (id != null) {
                try {
                    m = ManagerId.of(id);
                } catch (ValidationException e) {
                    cells.fail(manager, id, e.expected());
                }
            }
            String name = managerName == null ? id : cells.text(managerName);
            List<UnitId> chain = new ArrayList<>();
            List<Level> chainLevels = new ArrayList<>();
            for (Level l : levels) {
                String v = cells.text(l.column);
                if (v == null) {
                    continue;
                }
                try {
                    chain.add(UnitId.of(l.prefix + v));
                    chainLevels.add(l);
                } catch (ValidationException e) {
                    cells.fail(l.column, v, e.expected());
                }
            }
            if (!cells.failures().isEmpty()) {
                check.reject(source + " line " + row.line(), null, cells.failures().toArray(ValidationException[]::new));
                continue;
            }
            String known = managers.putIfAbsent(m, name == null ? id : name);
            if (known != null && name != null && !known.equals(name)) {
                check.reject(source + " line " + row.line(), null, new ValidationException(managerName, name,
                        "the name of manager " + m + " as before: " + known));
                continue;
            }
            for (int i = 0; i < chain.size(); i++) {
                UnitId u = chain.get(i);
                units.putIfAbsent(u, u.value().substring(chainLevels.get(i).prefix.length()));
                kinds.putIfAbsent(u, chainLevels.get(i).kind);
            }
            if (!chain.isEmpty()) {
                members.add(List.of(m, chain.get(0)));
            }
            for (int i = 1; i < chain.size(); i++) {
                links.add(List.of(chain.get(i - 1), chain.get(i)));
            }
            if (rootId != null && !chain.isEmpty()) {
                links.add(List.of(chain.get(chain.size() - 1), rootId));
            } else if (rootId != null) {
                members.add(List.of(m, rootId));
            }
            check.accept(m);
        }
        managers.forEach(org::manager);
        units.forEach((u, n) -> org.unit(u, n, kinds.get(u)));
        for (List<Object> l : links) {
            org.link((UnitId) l.get(0), (UnitId) l.get(1));
        }
        for (List<Object> ms : members) {
            org.member((ManagerId) ms.get(0), (UnitId) ms.get(1));
        }
        BatchCheck<ManagerId> done = check.build();
        List<String> notes = new ArrayList<>();
        notes.add(managers.size() + " managers, " + units.size() + " units");
        return new ImportReport<>(org.build(), done.size(), done.rejections(), notes);
    }

    /** Collects a mapping; {@link #build()} validates it. */
    public static final class Builder {
        private String source = "rows";
        private String manager;
        private String managerName;
        private final List<Level> levels = new ArrayList<>();
        private UnitId rootId;
        private String rootName;
        private UnitKind rootKind;

        private Builder() {
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
         * The column of the manager id (required); it is also the name unless
         * {@link #managerName} is mapped.
         *
         * @param column the column name
         * @return this builder
         */
        public Builder manager(String column) {
            this.manager = ValidationException.requireText(column, "mapping.manager");
            return this;
        }

        /**
         * The column of the manager's display name.
         *
         * @param column the column name
         * @return this builder
         */
        public Builder managerName(String column) {
            this.managerName = ValidationException.requireText(column, "mapping.managerName");
            return this;
        }

        /**
         * Adds the next level of units, from the manager's own unit upwards; ids are the kind in
         * lower case, a colon and the value.
         *
         * @param column the column holding the unit's name
         * @param kind the units' kind
         * @return this builder
         */
        public Builder unit(String column, UnitKind kind) {
            return unit(column, kind, Objects.requireNonNull(kind, "kind").name().toLowerCase(Locale.ROOT) + ":");
        }

        /**
         * Adds the next level of units with an id prefix of its own.
         *
         * @param column the column holding the unit's name
         * @param kind the units' kind
         * @param idPrefix what precedes the value in a unit id, e.g. {@code "office:"}; may be empty
         * @return this builder
         */
        public Builder unit(String column, UnitKind kind, String idPrefix) {
            levels.add(new Level(ValidationException.requireText(column, "mapping.unit"),
                    Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(idPrefix, "idPrefix")));
            return this;
        }

        /**
         * Puts one unit above every top-level unit (and every manager without a unit).
         *
         * @param id the root's id
         * @param name the root's name
         * @param kind the root's kind, e.g. {@link UnitKind#COMPANY}
         * @return this builder
         */
        public Builder root(UnitId id, String name, UnitKind kind) {
            this.rootId = Objects.requireNonNull(id, "id");
            this.rootName = ValidationException.requireText(name, "mapping.root");
            this.rootKind = Objects.requireNonNull(kind, "kind");
            return this;
        }

        /**
         * Validates and builds the mapping.
         *
         * @return the mapping
         * @throws ValidationException when the manager column is missing
         */
        public OrgMapping build() {
            ValidationException.requireNonNull(manager, "mapping.manager");
            return new OrgMapping(this);
        }
    }
}
