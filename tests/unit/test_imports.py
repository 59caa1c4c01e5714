"""No import cycle anywhere in drafter/: the module graph (grimp, as import-linter builds it) has no module that
reaches itself. Imports under `if TYPE_CHECKING:` are left out (they never run); every other import counts,
including those inside functions."""
import grimp
import pytest


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("drafter", cache_dir=None, exclude_type_checking_imports=True)


def cycles(graph) -> list[tuple[str, ...]]:
    """One chain per module that reaches itself: (module, …, module)."""
    out = []
    for m in sorted(graph.modules):
        for d in sorted(graph.find_modules_directly_imported_by(m)):
            chain = graph.find_shortest_chain(importer=d, imported=m)
            if chain:
                out.append((m, *chain))
                break
    return out


def test_no_module_reaches_itself(graph):
    assert cycles(graph) == []


def test_the_check_finds_a_cycle():
    g = grimp.ImportGraph()
    for m in ("p", "p.a", "p.b", "p.c"):
        g.add_module(m)
    g.add_import(importer="p.a", imported="p.b")
    g.add_import(importer="p.b", imported="p.c")
    assert cycles(g) == []
    g.add_import(importer="p.c", imported="p.a")
    assert cycles(g) == [("p.a", "p.b", "p.c", "p.a"), ("p.b", "p.c", "p.a", "p.b"), ("p.c", "p.a", "p.b", "p.c")]


def test_checks_and_narrative_meet_only_in_the_rule_registry(graph):
    # the cycle this replaced: checks loaded drafter.narrative by name and narrative imported checks
    narrative = {m for m in graph.modules if m == "drafter.narrative" or m.startswith("drafter.narrative.")}
    for m in narrative:
        assert "drafter.checks" not in graph.find_modules_directly_imported_by(m), m
        assert not graph.chain_exists(importer=m, imported="drafter.checks"), m
    assert "drafter.rules" in graph.find_modules_directly_imported_by("drafter.narrative.kinds")
    assert "drafter.rules" in graph.find_modules_directly_imported_by("drafter.checks")
    assert not graph.chain_exists(importer="drafter.rules", imported="drafter.checks")
    assert not graph.chain_exists(importer="drafter.rules", imported="drafter.narrative.kinds")
