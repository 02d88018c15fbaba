"""Memory budgets for visitors' tables."""
import pytest

from engine.budget import MemoryBudget, OverBudget, budget_from_env
from engine.units import MIB


def test_per_visitor_and_server_budgets_refuse_and_name_the_budget():
    budget = MemoryBudget(per_owner=100 * MIB, total=150 * MIB)
    budget.charge("a", "first", 60 * MIB)
    with pytest.raises(OverBudget, match=r"'second' needs 50 MiB, but your tables and training texts may take 100 MiB"):
        budget.charge("a", "second", 50 * MIB)
    budget.charge("a", "first", 90 * MIB)          # replacing an item counts it once
    assert budget.held("a") == 90 * MIB and budget.room("a") == 10 * MIB
    with pytest.raises(OverBudget, match=r"server's budget for visitors' tables and texts \(150 MiB\)"):
        budget.charge("b", "big", 70 * MIB)
    budget.charge("b", "small", 60 * MIB)
    assert budget.room("b") == 0 and budget.held() == 150 * MIB
    budget.release("a", "first")
    assert budget.held("a") == 0 and budget.room("b") == 40 * MIB
    budget.release("b")
    assert budget.held() == 0


def test_budget_from_env(monkeypatch):
    monkeypatch.setenv("LAB_TEST_MB", "2.5")
    assert budget_from_env("LAB_TEST_MB", 7) == int(2.5 * MIB)
    monkeypatch.delenv("LAB_TEST_MB")
    assert budget_from_env("LAB_TEST_MB", 7) == 7 * MIB
    monkeypatch.setenv("LAB_TEST_MB", "lots")
    with pytest.raises(ValueError, match=r"LAB_TEST_MB='lots' is not a number of MiB \(2²⁰ bytes\)"):
        budget_from_env("LAB_TEST_MB", 7)
