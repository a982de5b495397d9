"""Relations between CAMEO codes, from `data/fusion/threat_actions.yaml`: what a threat threatens to do,
and which codes report one kind of happening. Used by the coder (a conditional hostile act is a threat)
and by fusion (a threat and the act it threatens are one story)."""

from __future__ import annotations

from functools import lru_cache

from parley.config import DATA_DIR
from parley.datafiles import read_yaml
from parley.errors import DataFileError

RELATIONS_FILE = DATA_DIR / "fusion" / "threat_actions.yaml"


@lru_cache(maxsize=1)
def code_relations() -> tuple[dict[str, str], dict[str, str]]:
    """(threat code prefix -> threatened action code, CAMEO code -> family representative)."""
    path = RELATIONS_FILE
    data = read_yaml(path)
    table = data.get("threat_actions")
    if not isinstance(table, dict) or not all(str(k).isdigit() and str(v).isdigit() for k, v in table.items()):
        raise DataFileError(str(path), "threat_actions must map CAMEO code strings to CAMEO code strings")
    family: dict[str, str] = {}
    for group in data.get("equivalent") or []:
        if not isinstance(group, list) or not all(str(c).isdigit() for c in group):
            raise DataFileError(str(path), f"equivalent: each group must be a list of CAMEO codes, not {group!r}")
        for code in group:
            family[str(code)] = str(group[0])
    return {str(k): str(v) for k, v in table.items()}, family


@lru_cache(maxsize=1)
def negated_actions() -> dict[str, str]:
    """CAMEO code prefix of an action -> the code its denial reports ("will not mediate" -> halt mediation)."""
    path = RELATIONS_FILE
    table = read_yaml(path).get("negated_actions") or {}
    if not isinstance(table, dict) or not all(str(k).isdigit() and str(v).isdigit() for k, v in table.items()):
        raise DataFileError(str(path), "negated_actions must map CAMEO code strings to CAMEO code strings")
    return {str(k): str(v) for k, v in table.items()}


def threat_code(action_cameo: str | None) -> str:
    """The CAMEO code for threatening to do `action_cameo` (165 halt mediation -> 135), else 130."""
    if not action_cameo:
        return "130"
    threats, _ = code_relations()
    by_action: dict[str, str] = {}
    for threat, action in sorted(threats.items(), key=lambda kv: len(kv[0])):
        by_action.setdefault(action, threat)
    for n in range(len(action_cameo), 1, -1):
        if action_cameo[:n] in by_action:
            return by_action[action_cameo[:n]]
    return "130"
