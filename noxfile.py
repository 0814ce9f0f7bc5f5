"""Sessions: tests, lint, docs (``-- --serve`` to serve), site, bench.

The README's test command is ``nox -s lint tests``.
"""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "tests"]

PYTHON = "3.11"


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Unit tests and doctests of relu_guide."""
    session.install("-e", ".[docs]")
    session.run(
        "pytest", "-m", "not site and not browser", *session.posargs, env={"MPLBACKEND": "Agg"}
    )


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff (lint and format check) on everything, mypy on the package."""
    session.install("-e", ".[lint,test]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy", "relu_guide")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Every benchmark in benchmarks/, printing ratios against the naive way."""
    session.install("-e", ".[docs]")
    for script in sorted(__import__("pathlib").Path("benchmarks").glob("bench_*.py")):
        session.run("python", str(script), *session.posargs, env={"MPLBACKEND": "Agg"})
