"""Sessions: tests, lint, docs (``-- --serve`` to serve), site, bench.

The README's test command is ``nox -s lint tests site``.
"""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "tests", "site"]

PYTHON = "3.11"
#: pip 25.1 is the first to install PEP 735 dependency groups (``--group``); a new venv's pip
#: (from ensurepip) is older.
PIP = "pip==26.3"


def install(session: nox.Session, *groups: str) -> None:
    """The package (editable) and the pinned dependency groups of pyproject.toml."""
    session.install(PIP)
    session.install(*(f"--group={g}" for g in groups), "-e", ".")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Unit tests and doctests of relu_guide (the docs build executes the guide's pages)."""
    install(session, "docs")  # the tests of the Sphinx glue need Sphinx
    # One pytest-xdist worker per core: 139 s instead of 207-225 s on two cores.
    session.run(
        "pytest", "-n", "auto", "-m", "not site and not browser", *session.posargs,
        env={"MPLBACKEND": "Agg"},
    )  # fmt: skip


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff (lint and format check) on everything, mypy on the package and its tests."""
    install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy", "relu_guide", "tests")


#: The docs build: warnings are errors, references are checked, every core used.
DOCS_BUILD = ["-j", "auto", "-W", "-n", "--keep-going", "-b", "html", "-d", "docs/_build/doctrees"]
DOCS_BUILD += ["docs", "docs/_build/html"]


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the site into docs/_build/html; ``nox -s docs -- --serve`` rebuilds and serves it.

    ``--serve`` runs sphinx-autobuild on http://127.0.0.1:8000, rebuilding when the docs, the
    gallery or the package change (a package change re-runs every example and notebook).
    Other arguments go to sphinx-build (or sphinx-autobuild).
    """
    install(session, "docs")
    env = {"MPLBACKEND": "Agg"}
    args = [a for a in session.posargs if a != "--serve"]
    if "--serve" in session.posargs:
        generated = r"(auto_gallery|api/generated|gen_modules|_build|\.jupyter_cache)[/\\]"
        session.run(
            "sphinx-autobuild",
            *DOCS_BUILD,
            "--watch", "relu_guide",
            "--watch", "gallery",
            "--re-ignore", generated,
            "--re-ignore", r"(__pycache__|\.ipynb_checkpoints)",
            "--host", "127.0.0.1",
            "--port", "8000",
            *args,
            env=env,
        )  # fmt: skip
    else:
        session.run("sphinx-build", *DOCS_BUILD, *args, env=env)


@nox.session(python=PYTHON)
def site(session: nox.Session) -> None:
    """Build the site, then check it: files, links and downloads, then in headless Chromium.

    The browser checks use the system's Chromium, or else install playwright's own
    (``playwright install chromium``, once); they fail, never skip, without a browser.
    """
    install(session, "docs")
    session.run("sphinx-build", *DOCS_BUILD, env={"MPLBACKEND": "Agg"})
    # Four workers (pytest-xdist) on two cores: a page read in Chromium waits more than it
    # computes, so two workers leave the cores half idle.
    session.run("pytest", "-n", "4", "-m", "site or browser", "tests/test_site.py",
                "tests/test_notebooks.py", "tests/test_browser.py",
                "tests/test_playground_browser.py", *session.posargs)  # fmt: skip
    for report in ("page-weights.txt", "media-weight.txt"):
        session.log(f"{report}:\n" + Path("docs/_build", report).read_text(encoding="utf-8"))
    session.log("screenshots of light and dark themes: docs/_build/screenshots/")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Every benchmark in benchmarks/, printing ratios against the naive way."""
    install(session, "docs")
    for script in sorted(Path("benchmarks").glob("bench_*.py")):
        session.run("python", str(script), *session.posargs, env={"MPLBACKEND": "Agg"})
