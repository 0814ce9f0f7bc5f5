"""The ledger of checked claims: every claim of the guide and the gallery goes through ``check``.

A claim is a sentence with the numbers behind it. :func:`check` fills the sentence from those
numbers, records it (with the seeds it was checked over and where it was made) and raises
:class:`ClaimError` when it is false, so a false claim fails the build that makes it.

Records go to the folder named by the environment variable ``RELU_GUIDE_LEDGER`` (the docs build
sets it; without it nothing is written), one JSON-lines file per source: the page or script that
made the claims. A claim made by code in a gallery script (a file ``.../gallery/<folder>/<name>.py``)
belongs to ``"gallery/<folder>/<name>"``, whatever :func:`set_source` said before (sphinx-gallery
runs every script in one process); any other claim belongs to the source last named with
:func:`set_source` (a guide page names itself in its first cell), else to the calling file. The first record a process writes for a source replaces that source's old file,
so a page that runs again cannot leave stale claims behind. The Sphinx glue turns the records into
the page "What this guide checks".

Examples
--------
>>> from relu_guide.core.claims import check
>>> c = check("{dead} of {n} runs end with a dead unit", 3 < 10, dead=3, n=10, seeds=range(10))
>>> c.text
'3 of 10 runs end with a dead unit'
>>> c.seeds
'0–9 (10 seeds)'
>>> check("the loss falls", 2.0 < 1.0, before=1.0, after=2.0)
Traceback (most recent call last):
...
relu_guide.core.claims.ClaimError: false claim: the loss falls (before=1.0, after=2.0)
"""

from __future__ import annotations

import inspect
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "Claim",
    "ClaimError",
    "check",
    "format_seeds",
    "read_ledger",
    "set_source",
    "source_of",
]

#: The environment variable naming the folder of ledger files.
LEDGER_ENV = "RELU_GUIDE_LEDGER"

_source: str | None = None
_started: set[str] = set()


class ClaimError(AssertionError):
    """A claim of the guide is false: the message is the claim with its numbers."""


@dataclass(frozen=True)
class Claim:
    """One checked claim.

    Attributes
    ----------
    text : str
        The sentence, filled from ``values``.
    values : dict
        The numbers behind it, by name (plain Python numbers, strings or booleans).
    seeds : str or None
        The seeds it was checked over, in words (``"0–199 (200 seeds)"``), or None.
    source : str
        Where it was made: a guide page (``"guide/06-dead-relus"``) or a gallery script.
    holds : bool
    """

    text: str
    values: dict[str, Any] = field(default_factory=dict)
    seeds: str | None = None
    source: str = ""
    holds: bool = True

    def _ipython_display_(self) -> None:
        """Show nothing when a notebook cell ends in a check: the ledger lists the claim."""


def _plain(value: Any) -> Any:
    """Numpy scalars and arrays as plain Python values (JSON can hold them)."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def format_seeds(seeds: Iterable[int] | None) -> str | None:
    """The seeds in words: a run of consecutive seeds as a range, else a list.

    Examples
    --------
    >>> format_seeds(range(24, 120))
    '24–119 (96 seeds)'
    >>> format_seeds([0, 3, 7])
    '0, 3, 7 (3 seeds)'
    >>> format_seeds([5])
    'seed 5'
    """
    if seeds is None:
        return None
    s = [int(v) for v in seeds]
    if not s:
        msg = "seeds must not be empty"
        raise ValueError(msg)
    if len(s) == 1:
        return f"seed {s[0]}"
    if s == list(range(s[0], s[0] + len(s))):
        return f"{s[0]}–{s[-1]} ({len(s)} seeds)"
    return f"{', '.join(map(str, s))} ({len(s)} seeds)"


def set_source(source: str) -> None:
    """Name the page or script whose claims follow (a guide page calls it once, first).

    Without it, a claim is attributed to the file of the code that calls :func:`check`.
    """
    global _source  # noqa: PLW0603  (the page's source, set by the page itself)
    if not isinstance(source, str) or not source.strip():
        msg = f"source must be a non-empty string, got {source!r}"
        raise ValueError(msg)
    _source = source.strip()


def _caller_file() -> str:
    """The file of the code that called into this module (as compiled: a gallery script's path)."""
    frame = inspect.currentframe()
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    if frame is None:
        return "<unknown>"
    return str(frame.f_code.co_filename)


def source_of(filename: str) -> str | None:
    """The ledger source of a gallery script's path, or None for any other file.

    Examples
    --------
    >>> source_of("/repo/gallery/beyond/plot_dead_relus.py")
    'gallery/beyond/plot_dead_relus'
    >>> source_of("/tmp/ipykernel_1/123.py") is None
    True
    """
    parts = Path(filename).parts
    if filename.endswith(".py") and "gallery" in parts[:-1]:
        i = len(parts) - 1 - parts[::-1].index("gallery")
        return "/".join(("gallery", *parts[i + 1 : -1], Path(filename).stem))
    return None


def _current_source() -> str:
    caller = _caller_file()
    return source_of(caller) or _source or caller


def _slug(source: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", source).strip("_") or "claims"


def _record(claim: Claim) -> None:
    folder = os.environ.get(LEDGER_ENV)
    if not folder:
        return
    path = Path(folder) / f"{_slug(claim.source)}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "a" if claim.source in _started else "w"
    _started.add(claim.source)
    with path.open(mode, encoding="utf-8") as f:
        f.write(json.dumps(asdict(claim), ensure_ascii=False) + "\n")


def check(
    statement: str, holds: object, *, seeds: Iterable[int] | None = None, **values: Any
) -> Claim:
    """Check a claim, record it with its numbers, and fail loudly if it is false.

    Parameters
    ----------
    statement : str
        The claim in words, a ``str.format`` template filled from ``values``
        (``"{rate:.0%} of runs end dead"``).
    holds : bool
        Whether it is true, computed by the caller from the same numbers.
    seeds : iterable of int, optional
        The seeds it was checked over (a general claim names many; a claim about one run, one).
    **values
        The numbers behind it.

    Returns
    -------
    Claim

    Raises
    ------
    ClaimError
        If ``holds`` is false; the message gives the claim and its values.
    """
    plain = {k: _plain(v) for k, v in values.items()}
    try:
        text = statement.format(**values)
    except (KeyError, IndexError, ValueError) as err:
        msg = f"claim {statement!r} does not fit its values: {err}"
        raise ValueError(msg) from None
    claim = Claim(
        text=text,
        values=plain,
        seeds=format_seeds(seeds),
        source=_current_source(),
        holds=bool(holds),
    )
    _record(claim)
    if not claim.holds:
        details = ", ".join(f"{k}={v!r}" for k, v in plain.items())
        raise ClaimError(f"false claim: {text}" + (f" ({details})" if details else ""))
    return claim


def read_ledger(folder: str | os.PathLike[str]) -> dict[str, list[Claim]]:
    """Every recorded claim in a ledger folder, by source, sources in sorted order."""
    out: dict[str, list[Claim]] = {}
    for path in sorted(Path(folder).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec: Mapping[str, Any] = json.loads(line)
                claim = Claim(**rec)
                out.setdefault(claim.source, []).append(claim)
    return out
