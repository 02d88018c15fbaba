"""Memory budgets for visitors' tables: one per visitor, one for the whole server.

Each visitor's uploads, derived tables and training text are counted (by their bytes)
against both; one that would exceed either is refused with a message naming the budget,
and a visitor's items are released together when the visitor leaves.
"""
from __future__ import annotations

import ctypes
import os
import threading

from engine.units import MIB, mebibytes


def budget_from_env(variable: str, default_mb: int) -> int:
    """Bytes from an environment variable in MiB ($EMBEDDING_LAB_SESSION_MB, ...)."""
    raw = os.environ.get(variable, "")
    try:
        return int(float(raw) * MIB) if raw else default_mb * MIB
    except ValueError:
        raise ValueError(f"{variable}={raw!r} is not a number of MiB (2²⁰ bytes)") from None


class OverBudget(ValueError):
    """A table that would take a visitor, or the server, past its memory budget."""


class MemoryBudget:
    """Bytes held per owner (a visitor's session), bounded per owner and in total.

    Parameters
    ----------
    per_owner : bytes one owner may hold.
    total : bytes all owners together may hold.
    """

    def __init__(self, per_owner: int, total: int):
        self.per_owner, self.total = int(per_owner), int(total)
        self._lock = threading.Lock()
        self._held: dict[str, dict[str, int]] = {}     # owner -> {item: bytes}

    def held(self, owner: str | None = None) -> int:
        with self._lock:
            if owner is None:
                return sum(sum(items.values()) for items in self._held.values())
            return sum(self._held.get(owner, {}).values())

    def room(self, owner: str) -> int:
        """Bytes `owner` may still add: the smaller of its own and the server's room."""
        with self._lock:
            mine = sum(self._held.get(owner, {}).values())
            everyone = sum(sum(items.values()) for items in self._held.values())
        return max(0, min(self.per_owner - mine, self.total - everyone))

    def charge(self, owner: str, item: str, size: int) -> None:
        """Count `size` bytes for `item` (replacing an item of that name), or raise
        OverBudget naming the budget that would be exceeded."""
        with self._lock:
            items = self._held.setdefault(owner, {})
            mine = sum(items.values()) - items.get(item, 0)
            everyone = sum(sum(held.values()) for held in self._held.values()) - items.get(item, 0)
            if mine + size > self.per_owner:
                raise OverBudget(
                    f"{item!r} needs {mebibytes(size)}, but your tables and training texts may "
                    f"take {mebibytes(self.per_owner)} in all and already take {mebibytes(mine)}; "
                    f"remove a table on the Load page first")
            if everyone + size > self.total:
                raise OverBudget(
                    f"{item!r} needs {mebibytes(size)}, but the server's budget for visitors' "
                    f"tables and texts ({mebibytes(self.total)}) is nearly used up by everyone's; "
                    f"try again later or with a smaller file")
            items[item] = size

    def release(self, owner: str, item: str | None = None) -> None:
        """Stop counting one item of `owner`, or all of them."""
        with self._lock:
            if item is None:
                self._held.pop(owner, None)
            elif owner in self._held:
                self._held[owner].pop(item, None)


def return_freed_memory() -> None:
    """Ask glibc to hand freed heap pages back to the system (no-op elsewhere): after a
    visitor's large tables are dropped, the server's resident memory then falls again."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
