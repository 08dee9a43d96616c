package org.crmkit.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.crmkit.core.Manager;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Membership;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.OrgUnit;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.UnitLink;
import org.crmkit.core.spi.OrgStructureRepository;

/** The org structure in four tables, replaced as a whole in one transaction. */
public final class JdbcOrgStructure implements OrgStructureRepository {
    private final Db db;

    /**
     * Creates the repository.
     *
     * @param db the database
     */
    public JdbcOrgStructure(Db db) {
        this.db = db;
    }

    @Override
    public OrgStructure load() {
        return db.snapshot("reading the org structure", c -> {
            List<Manager> managers = new ArrayList<>();
            List<OrgUnit> units = new ArrayList<>();
            List<UnitLink> links = new ArrayList<>();
            List<Membership> members = new ArrayList<>();
            try (Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT id, name FROM crm_manager ORDER BY pos")) {
                    while (rs.next()) {
                        managers.add(new Manager(ManagerId.of(rs.getString(1)), rs.getString(2)));
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT id, name, kind FROM crm_unit ORDER BY pos")) {
                    while (rs.next()) {
                        units.add(new OrgUnit(UnitId.of(rs.getString(1)), rs.getString(2), UnitKind.of(rs.getString(3))));
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT child_id, parent_id FROM crm_unit_link ORDER BY pos")) {
                    while (rs.next()) {
                        links.add(new UnitLink(UnitId.of(rs.getString(1)), UnitId.of(rs.getString(2))));
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT manager_id, unit_id FROM crm_membership ORDER BY pos")) {
                    while (rs.next()) {
                        members.add(new Membership(ManagerId.of(rs.getString(1)), UnitId.of(rs.getString(2))));
                    }
                }
            }
            return OrgStructure.of(managers, units, links, members);
        });
    }

    @Override
    public void save(OrgStructure structure) {
        Objects.requireNonNull(structure, "structure");
        db.inTurn("saving the org structure", "org", "org structure", "(the whole)", c -> {
            write(c, structure);
            return null;
        });
    }

    /**
     * Writes the org structure, replacing the stored one, inside the caller's transaction
     * (which holds the {@code org} turn).
     *
     * @param c the connection
     * @param structure the structure
     * @throws SQLException on a database error
     */
    public static void write(Connection c, OrgStructure structure) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String table : List.of("crm_membership", "crm_unit_link", "crm_unit", "crm_manager")) {
                s.executeUpdate("DELETE FROM " + table);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO crm_manager (pos, id, name) VALUES (?, ?, ?)")) {
            int pos = 0;
            for (Manager m : structure.managers()) {
                ps.setInt(1, pos++);
                ps.setString(2, m.id().value());
                ps.setString(3, m.name());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO crm_unit (pos, id, name, kind) VALUES (?, ?, ?, ?)")) {
            int pos = 0;
            for (OrgUnit u : structure.units()) {
                ps.setInt(1, pos++);
                ps.setString(2, u.id().value());
                ps.setString(3, u.name());
                ps.setString(4, u.kind().name());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO crm_unit_link (pos, child_id, parent_id) VALUES (?, ?, ?)")) {
            int pos = 0;
            for (UnitLink l : structure.unitLinks()) {
                ps.setInt(1, pos++);
                ps.setString(2, l.child().value());
                ps.setString(3, l.parent().value());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO crm_membership (pos, manager_id, unit_id) VALUES (?, ?, ?)")) {
            int pos = 0;
            for (Membership m : structure.memberships()) {
                ps.setInt(1, pos++);
                ps.setString(2, m.manager().value());
                ps.setString(3, m.unit().value());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
