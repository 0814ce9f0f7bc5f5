"""How long each study, example and notebook took: the order in which a build starts them.

A build starts the studies, the examples and the notebooks it runs longest first, so that the
last to end is a short one: on two cores, a long job started last keeps one core busy while
the other waits. The seconds are those of the last build that ran each job, recorded beside the
cache's folders (:data:`FILE`); a clean build, which has no record, reads the copy of a record
that the docs keep (the config value ``relu_guide_build_seconds``: a path relative to
``conf.py``). Seconds only order the work: stale ones never change what a build makes.

The record holds one table per kind of job, ``{"studies": {name: seconds}, "examples": ...,
"notebooks": ...}``; refresh the docs' copy by copying a build's record over it.

Examples
--------
>>> longest_first(["a", "b", "c"], {"b": 3.0, "c": 1.0})
['b', 'c', 'a']
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from relu_guide.studies.cache import cache_folder

__all__ = ["FILE", "KINDS", "known_seconds", "longest_first", "record_seconds"]

#: The record's name, beside the cache's folders (and the name of the docs' copy).
FILE = "build_seconds.json"
#: The kinds of jobs timed.
KINDS = ("studies", "examples", "notebooks")


def _read(path: Path | None) -> dict[str, dict[str, float]]:
    """The tables of a record (empty for a missing or unreadable file)."""
    try:
        data = json.loads(path.read_text()) if path is not None else {}
        return {
            kind: {str(k): float(v) for k, v in data.get(kind, {}).items()}
            for kind in KINDS
            if isinstance(data.get(kind), dict)
        }
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def _record_path() -> Path | None:
    folder = cache_folder()
    return None if folder is None else folder.parent / FILE


def known_seconds(app: Any, kind: str) -> dict[str, float]:
    """Seconds of each job of ``kind``: the last build's, else the docs' copy's."""
    copy = getattr(app.config, "relu_guide_build_seconds", "") or ""
    confdir = getattr(app, "confdir", None)
    hints = _read(Path(confdir, copy)) if copy and confdir is not None else {}
    return {**hints.get(kind, {}), **_read(_record_path()).get(kind, {})}


def record_seconds(kind: str, seconds: dict[str, float]) -> None:
    """Add ``seconds`` to the record's table of ``kind`` (nothing without a cache folder)."""
    path = _record_path()
    if path is None:
        return
    tables = _read(path)
    tables[kind] = {**tables.get(kind, {}), **{k: float(v) for k, v in seconds.items()}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(tables, indent=1, sort_keys=True) + "\n")


def longest_first(
    jobs: Iterable[Any], seconds: dict[str, float], name: Callable[[Any], str] = str
) -> list[Any]:
    """``jobs``, the longest first; jobs never timed keep their order, after the timed ones."""
    return sorted(jobs, key=lambda job: -seconds.get(name(job), 0.0))
