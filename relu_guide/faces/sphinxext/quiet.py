"""A quiet build log: Sphinx's progress and real problems, nothing a reader must learn to ignore.

Four sources of noise, each stopped where it starts:

- ``a11y_pygments`` (the highlighting styles) calls ``logging.basicConfig(level=INFO)`` when
  imported, so every library's INFO records (matplotlib's mathtext font lookups, traitlets'
  "Executing notebook with kernel") reach the terminal. It is imported here first and the root
  logger put back to WARNING.
- MyST-NB and MyST-Parser log their whole configuration and a line per notebook state, and
  sphinx-gallery a header for the run-time table it is told not to show: ``QuietFilter``
  drops those INFO records (and only INFO records) from Sphinx's console handlers.
- Notebook kernels warned "Kernel is running over TCP without encryption": the guide's
  notebooks run without a kernel, in the build's workers
  (:mod:`relu_guide.faces.sphinxext.notebooks`).
- sphinx-gallery runs its examples on joblib's loky workers, and loky replaces a worker whose
  memory grew by more than 300 MB (torch, matplotlib and a study's results easily do), warning
  "A worker stopped while some jobs were given to the executor". The job goes on in the new
  worker and the build is unchanged, so that one warning is ignored (``IGNORED_WARNINGS``).
"""

from __future__ import annotations

import contextlib
import logging
import re
import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__: list[str] = []

#: INFO records dropped: (logger name pattern, message pattern).
NOISE = (
    (r"sphinx\.myst_parser\..*", r"myst v.*: MdParserConfig\("),
    (r"sphinx\.myst_nb\..*", r"(myst-nb v.*: NbParserConfig\(|Using jupyter-cache at)"),
    (r"sphinx\.mystnb-.*", r".*"),  # per notebook: executing, executed, cached, using cached
    (r"sphinx\.sphinx[-_]gallery.*", r"(Using Sphinx-Gallery to convert|computation time summary)"),
)
#: Python warnings ignored: (message pattern, category).
IGNORED_WARNINGS = ((r"A worker stopped while some jobs were given to the executor", UserWarning),)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class QuietFilter(logging.Filter):
    """Drop the INFO records listed in :data:`NOISE`; let everything else through."""

    def __init__(self) -> None:
        super().__init__()
        self.noise = [(re.compile(n), re.compile(m)) for n, m in NOISE]

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.INFO:
            return True
        try:
            message = _ANSI.sub("", record.getMessage())
        except (TypeError, ValueError):
            return True
        return not any(n.fullmatch(record.name) and m.match(message) for n, m in self.noise)


def quiet_logging(app: Sphinx) -> None:
    """Install :class:`QuietFilter` on Sphinx's handlers, silence the root logger's INFO and
    ignore :data:`IGNORED_WARNINGS`."""
    for message, category in IGNORED_WARNINGS:
        warnings.filterwarnings("ignore", message=message, category=category)
    root = logging.getLogger()
    with contextlib.suppress(ImportError):
        import a11y_pygments  # noqa: F401  (its import sets the root logger to INFO)
    root.setLevel(logging.WARNING)
    quiet = QuietFilter()
    for handler in logging.getLogger("sphinx").handlers:
        handler.addFilter(quiet)
