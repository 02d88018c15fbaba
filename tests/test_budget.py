"""Memory budgets for visitors' tables."""
import pytest

from engine.budget import MB, MemoryBudget, OverBudget, budget_from_env


def test_per_visitor_and_server_budgets_refuse_and_name_the_budget():
    budget = MemoryBudget(per_owner=100 * MB, total=150 * MB)
    budget.charge("a", "first", 60 * MB)
    with pytest.raises(OverBudget, match=r"'second' needs 50 MB, but your tables may take 100 MB"):
        budget.charge("a", "second", 50 * MB)
    budget.charge("a", "first", 90 * MB)          # replacing an item counts it once
    assert budget.held("a") == 90 * MB and budget.room("a") == 10 * MB
    with pytest.raises(OverBudget, match=r"server's budget for visitors' tables \(150 MB\)"):
        budget.charge("b", "big", 70 * MB)
    budget.charge("b", "small", 60 * MB)
    assert budget.room("b") == 0 and budget.held() == 150 * MB
    budget.release("a", "first")
    assert budget.held("a") == 0 and budget.room("b") == 40 * MB
    budget.release("b")
    assert budget.held() == 0


def test_budget_from_env(monkeypatch):
    monkeypatch.setenv("LAB_TEST_MB", "2.5")
    assert budget_from_env("LAB_TEST_MB", 7) == int(2.5 * MB)
    monkeypatch.delenv("LAB_TEST_MB")
    assert budget_from_env("LAB_TEST_MB", 7) == 7 * MB
    monkeypatch.setenv("LAB_TEST_MB", "lots")
    with pytest.raises(ValueError, match="LAB_TEST_MB='lots' is not a number of megabytes"):
        budget_from_env("LAB_TEST_MB", 7)
