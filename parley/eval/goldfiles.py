"""What every gold-set evaluation shares: reading JSON Lines gold files, dev/held-out splits, P/R/F1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

SPLITS = ("all", "dev", "held-out")


class GoldFileError(ValueError):
    """A gold line that cannot be scored (named by file and line)."""


def split_of(item_id: str) -> str:
    """ids ending in an even digit are dev, odd held-out; ids without a final digit count as dev."""
    last = item_id[-1:]
    return "held-out" if last.isdigit() and int(last) % 2 else "dev"


def gold_records(path: str | Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """("file:line", record) for each non-empty line; a line that is not a JSON object with a string "text"
    raises GoldFileError naming the file and line."""
    for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldFileError(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise GoldFileError(f"{where}: needs an object with a string 'text'")
        yield where, record


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
