package org.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.core.Fixtures.rejected;

import org.junit.jupiter.api.Test;

class OrgStructureTest {
    private static final ManagerId ANN = ManagerId.of("ann");
    private static final ManagerId BEN = ManagerId.of("ben");
    private static final ManagerId CAT = ManagerId.of("cat");
    private static final ManagerId DAN = ManagerId.of("dan");
    private static final UnitId COMPANY = UnitId.of("company");
    private static final UnitId SALES = UnitId.of("sales");
    private static final UnitId ENTERPRISE = UnitId.of("enterprise");
    private static final UnitId EAST = UnitId.of("east");
    private static final UnitId KEY_ACCOUNTS = UnitId.of("key-accounts");

    /**
     * company
     * ├── sales ── enterprise ── key-accounts (ann, ben)
     * │        └── east ─────────┘ (key-accounts has two parents), cat
     * └── ann also directly in sales; dan in no unit.
     */
    private static OrgStructure org() {
        return OrgStructure.builder()
                .manager(ManagerId.of("ann"), "Ann").manager(ManagerId.of("ben"), "Ben").manager(ManagerId.of("cat"), "Cat").manager(ManagerId.of("dan"), "Dan")
                .unit(UnitId.of("company"), "Company", UnitKind.COMPANY)
                .unit(UnitId.of("sales"), "Sales", UnitKind.DEPARTMENT)
                .unit(UnitId.of("enterprise"), "Enterprise", UnitKind.DIVISION)
                .unit(UnitId.of("east"), "East", UnitKind.of("REGION"))
                .unit(UnitId.of("key-accounts"), "Key accounts", UnitKind.GROUP)
                .link(UnitId.of("sales"), UnitId.of("company"))
                .link(UnitId.of("enterprise"), UnitId.of("sales"))
                .link(UnitId.of("east"), UnitId.of("sales"))
                .link(UnitId.of("key-accounts"), UnitId.of("enterprise"))
                .link(UnitId.of("key-accounts"), UnitId.of("east"))
                .member(ManagerId.of("ann"), UnitId.of("key-accounts")).member(ManagerId.of("ben"), UnitId.of("key-accounts"))
                .member(ManagerId.of("cat"), UnitId.of("east"))
                .member(ManagerId.of("ann"), UnitId.of("sales"))
                .build();
    }

    @Test
    void aManagerMayBelongToTwoUnits() {
        OrgStructure org = org();
        assertThat(org.parentsOf(ANN)).containsExactly(KEY_ACCOUNTS, SALES);
        assertThat(org.membersOf(SALES)).contains(ANN);
        assertThat(org.membersOf(KEY_ACCOUNTS)).containsExactly(ANN, BEN);
    }

    @Test
    void aUnitMayHaveTwoParents() {
        OrgStructure org = org();
        assertThat(org.parentsOf(KEY_ACCOUNTS)).containsExactly(ENTERPRISE, EAST);
        assertThat(org.membersOf(ENTERPRISE)).containsExactly(ANN, BEN);
        assertThat(org.membersOf(EAST)).containsExactly(ANN, BEN, CAT);
    }

    @Test
    void transitiveMembersAreDistinctEvenWhenReachableByTwoPaths() {
        OrgStructure org = org();
        // ann is reachable through enterprise, east and directly: counted once.
        assertThat(org.membersOf(COMPANY)).containsExactly(ANN, BEN, CAT).doesNotHaveDuplicates();
        assertThat(org.membersOf(DAN)).containsExactly(DAN);
    }

    @Test
    void childrenParentsAncestorsAndRoots() {
        OrgStructure org = org();
        assertThat(org.childrenOf(SALES)).containsExactly(ENTERPRISE, EAST, ANN);
        assertThat(org.childUnitsOf(SALES)).containsExactly(ENTERPRISE, EAST);
        assertThat(org.directMembersOf(EAST)).containsExactly(CAT);
        assertThat(org.parentsOf(COMPANY)).isEmpty();
        assertThat(org.parentsOf(DAN)).isEmpty();
        assertThat(org.ancestorsOf(KEY_ACCOUNTS)).containsExactlyInAnyOrder(ENTERPRISE, EAST, SALES, COMPANY);
        assertThat(org.ancestorsOf(BEN)).containsExactlyInAnyOrder(KEY_ACCOUNTS, ENTERPRISE, EAST, SALES, COMPANY);
        assertThat(org.roots()).containsExactly(COMPANY);
        assertThat(org.nameOf(EAST)).isEqualTo("East");
        assertThat(org.nameOf(CAT)).isEqualTo("Cat");
        assertThat(org.unit(EAST).map(OrgUnit::kind)).contains(UnitKind.of("REGION"));
    }

    @Test
    void aCycleIsRejectedWithItsPath() {
        assertThatThrownBy(() -> org().toBuilder().link(UnitId.of("company"), UnitId.of("key-accounts")).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("unitLinks");
                    assertThat(e.value()).startsWith("[").contains("company").contains("key-accounts")
                            .contains("sales");
                    // the path closes on the unit it started from
                    String[] path = e.value().substring(1, e.value().length() - 1).split(", ");
                    assertThat(path[0]).isEqualTo(path[path.length - 1]);
                });
        assertThatThrownBy(() -> OrgStructure.builder().unit(UnitId.of("a"), "A", UnitKind.GROUP).unit(UnitId.of("b"), "B", UnitKind.GROUP)
                .link(UnitId.of("a"), UnitId.of("b")).link(UnitId.of("b"), UnitId.of("a")).build()).isInstanceOf(ValidationException.class)
                .hasMessageContaining("cycle");
        rejected(() -> new UnitLink(SALES, SALES), "unitLink.parent", "sales");
    }

    @Test
    void unknownReferencesAndDuplicateIdsAreRejected() {
        rejected(() -> OrgStructure.builder().unit(UnitId.of("a"), "A", UnitKind.GROUP).link(UnitId.of("a"), UnitId.of("ghost")).build(),
                "unitLink.parent", "ghost");
        rejected(() -> OrgStructure.builder().unit(UnitId.of("a"), "A", UnitKind.GROUP).link(UnitId.of("ghost"), UnitId.of("a")).build(),
                "unitLink.child", "ghost");
        rejected(() -> OrgStructure.builder().unit(UnitId.of("a"), "A", UnitKind.GROUP).member(ManagerId.of("ghost"), UnitId.of("a")).build(),
                "membership.manager", "ghost");
        rejected(() -> OrgStructure.builder().manager(ManagerId.of("m"), "M").member(ManagerId.of("m"), UnitId.of("ghost")).build(), "membership.unit",
                "ghost");
        rejected(() -> OrgStructure.builder().manager(ManagerId.of("m"), "M").manager(ManagerId.of("m"), "Again").build(), "manager.id", "m");
        rejected(() -> OrgStructure.builder().unit(UnitId.of("a"), "A", UnitKind.GROUP).unit(UnitId.of("a"), "A2", UnitKind.GROUP).build(),
                "unit.id", "a");
    }

    @Test
    void unknownNodesAreNotFound() {
        OrgStructure org = org();
        assertThatThrownBy(() -> org.membersOf(UnitId.of("ghost"))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("ghost");
        assertThatThrownBy(() -> org.membersOf(ManagerId.of("ghost"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> org.childrenOf(UnitId.of("ghost"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> org.parentsOf(ManagerId.of("ghost"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> org.ancestorsOf(UnitId.of("ghost"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> org.nameOf(UnitId.of("ghost"))).isInstanceOf(NotFoundException.class);
        assertThat(org.contains(UnitId.of("ghost"))).isFalse();
        assertThat(org.manager(ManagerId.of("ghost"))).isEmpty();
    }

    @Test
    void duplicateEdgesCountOnceAndEqualityIgnoresOrder() {
        OrgStructure a = OrgStructure.builder().manager(ManagerId.of("m"), "M").unit(UnitId.of("u"), "U", UnitKind.GROUP).member(ManagerId.of("m"), UnitId.of("u"))
                .member(ManagerId.of("m"), UnitId.of("u")).build();
        assertThat(a.memberships()).hasSize(1);
        OrgStructure b = OrgStructure.builder().unit(UnitId.of("u"), "U", UnitKind.GROUP).member(ManagerId.of("m"), UnitId.of("u")).manager(ManagerId.of("m"), "M")
                .build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(org().toBuilder().build()).isEqualTo(org());
        assertThat(OrgStructure.empty().units()).isEmpty();
    }

    @Test
    void orgNodeKeysTellManagersAndUnitsApart() {
        assertThat(ANN.key()).isEqualTo("manager:ann");
        assertThat(SALES.key()).isEqualTo("unit:sales");
        assertThat(OrgNodeId.parse("manager:ann")).isEqualTo(ANN);
        assertThat(OrgNodeId.parse("unit:sales")).isEqualTo(SALES);
        rejected(() -> OrgNodeId.parse("team:x"), "orgNode", "team:x");
    }
}
