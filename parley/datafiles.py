"""Reading Parley's versioned YAML data files, with one error shape for every loader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from parley.errors import DataFileError


# libyaml's loader when PyYAML was built with it: the same documents, read about ten times faster.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path | str) -> dict[str, Any]:
    """The mapping a data file holds; DataFileError naming the file when it is missing, bad YAML or not a mapping."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except OSError as exc:
        raise DataFileError(str(path), f"cannot read: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise DataFileError(str(path), f"not valid YAML: {exc}") from None
    except ValueError as exc:  # a scalar that looks like a date but is none ("2020-13-01")
        raise DataFileError(str(path), f"a value is not an ISO date: {exc}") from None
    if not isinstance(data, dict):
        raise DataFileError(str(path), "the top level must be a mapping")
    return data
