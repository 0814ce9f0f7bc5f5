"""The ledger page: every claim the guide and the gallery checked, listed after they ran.

Guide pages and gallery scripts check their claims with :func:`relu_guide.core.claims.check`,
which records each one (its sentence, its numbers, its seeds) to the folder named by the
environment variable ``RELU_GUIDE_LEDGER``. This module makes a page of them:

- at ``config-inited`` it points ``RELU_GUIDE_LEDGER`` at the folder given by the config value
  ``relu_guide_ledger_dir`` (default ``<doctree folder>/ledger``), before any gallery script or
  notebook runs: scripts run inside Sphinx, notebook kernels inherit its environment;
- the directive ``relu-ledger`` marks where the list goes; at ``doctree-resolved``, when every
  notebook has executed, it becomes one section per source (linked to the page or example that
  made the claims) with a table of statement, numbers and seeds, after a one-line total;
- the directive ``relu-ledger-link`` (optional argument: the source, default the page's own
  name) becomes a sentence linking a page to its part of the ledger, with its number of claims;
- the ledger page is re-written by every build (``env-get-outdated``), so it never lags behind a
  page that ran again. A recorded claim that does not hold is a build warning (an error with
  ``-W``); the check that made it has already failed its page.

Sources are matched to documents by name: ``guide/06-dead-relus`` is that page,
``gallery/beyond/plot_dead_relus`` is the example page ``auto_gallery/beyond/plot_dead_relus``
(sphinx-gallery's output folder, ``gallery_dirs``). Records of a source that is no longer a
document (a renamed page, before a clean build) are left out.

Examples
--------
>>> ledger_anchor("guide/06-dead-relus")
'ledger-guide-06-dead-relus'
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from relu_guide.core.claims import LEDGER_ENV, Claim, read_ledger

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

__all__ = ["LedgerDirective", "LedgerLinkDirective", "ledger_anchor", "ledger_folder"]

logger = logging.getLogger(__name__)


class ledger_list(nodes.General, nodes.Element):
    """Placeholder for the list of claims, filled at ``doctree-resolved``."""


class ledger_link(nodes.General, nodes.Element):
    """Placeholder for the sentence linking a page to its part of the ledger."""


def ledger_anchor(source: str) -> str:
    """The id of a source's section on the ledger page."""
    return "ledger-" + (re.sub(r"[^a-z0-9]+", "-", source.lower()).strip("-") or "claims")


def ledger_folder(app: Sphinx) -> Path:
    """The folder the build's claims are recorded to."""
    configured = app.config.relu_guide_ledger_dir
    return Path(configured) if configured else Path(app.doctreedir) / "ledger"


def _point_ledger(app: Sphinx, config: Config) -> None:
    folder = ledger_folder(app)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[LEDGER_ENV] = str(folder)


class LedgerDirective(SphinxDirective):
    """The directive ``relu-ledger``: the list of every checked claim (one per site)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        docs: set[str] = getattr(self.env, "relu_ledger_docs", set())
        docs.add(self.env.docname)
        self.env.relu_ledger_docs = docs  # type: ignore[attr-defined]
        return [ledger_list()]


class LedgerLinkDirective(SphinxDirective):
    """The directive ``relu-ledger-link`` (optional argument: a source): link a page to its claims."""

    optional_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        source = self.arguments[0] if self.arguments else self.env.docname
        return [ledger_link(source=source)]


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "relu_ledger_docs", set()).discard(docname)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: Any) -> None:
    docs: set[str] = getattr(env, "relu_ledger_docs", set())
    docs |= getattr(other, "relu_ledger_docs", set())
    env.relu_ledger_docs = docs  # type: ignore[attr-defined]


def _always_rewrite(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    return sorted(getattr(env, "relu_ledger_docs", set()) - removed)


def _docname_of(source: str, env: BuildEnvironment) -> str | None:
    """The document a source's claims were made on, if it is one of this build's."""
    candidates = [source]
    if source.startswith("gallery/"):
        gallery = env.config.sphinx_gallery_conf if "sphinx_gallery_conf" in env.config else {}
        dirs = gallery.get("gallery_dirs", "auto_gallery")
        candidates += [
            d.strip("/") + source[len("gallery") :]
            for d in ([dirs] if isinstance(dirs, str) else list(dirs))
        ]
    return next((c for c in candidates if c in env.found_docs), None)


def _claims_by_doc(app: Sphinx) -> list[tuple[str, str, list[Claim]]]:
    """(source, docname, claims) for every source that is a document, in document order."""
    env = app.env
    folder = ledger_folder(app)
    ledger = read_ledger(folder) if folder.is_dir() else {}
    order = {d: i for i, d in enumerate(_reading_order(env))}
    found = []
    for source, claims in ledger.items():
        doc = _docname_of(source, env)
        if doc is not None:
            found.append((source, doc, claims))
    return sorted(found, key=lambda t: (order.get(t[1], len(order)), t[1]))


def _reading_order(env: BuildEnvironment) -> list[str]:
    """Documents in the order of the toctrees, from the root document down."""
    out: list[str] = []

    def walk(doc: str) -> None:
        if doc in out:
            return
        out.append(doc)
        for child in env.toctree_includes.get(doc, []):
            walk(child)

    walk(env.config.root_doc)
    return out


def _format_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        if len(value) > 8:
            head = ", ".join(_format_value(v) for v in value[:8])
            return f"[{head}, … ({len(value)} values)]"
        return "[" + ", ".join(_format_value(v) for v in value) + "]"
    return str(value)


def _title(app: Sphinx, doc: str) -> str:
    title = app.env.titles.get(doc)
    return title.astext() if title is not None else doc


def _link(app: Sphinx, fromdoc: str, todoc: str, text: str, anchor: str = "") -> nodes.Node:
    uri = app.builder.get_relative_uri(fromdoc, todoc) + (f"#{anchor}" if anchor else "")
    para = nodes.inline()
    para += nodes.reference("", text, internal=True, refuri=uri)
    return para


def _table(claims: list[Claim]) -> nodes.table:
    table = nodes.table(classes=["relu-ledger-table"])
    group = nodes.tgroup(cols=3)
    table += group
    for width in (50, 32, 18):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    row = nodes.row()
    for label in ("Claim", "Computed values", "Seeds"):
        row += nodes.entry("", nodes.paragraph(text=label))
    head += row
    body = nodes.tbody()
    group += body
    for claim in claims:
        row = nodes.row()
        row += nodes.entry("", nodes.paragraph(text=claim.text))
        values = "; ".join(f"{k} = {_format_value(v)}" for k, v in claim.values.items())
        row += nodes.entry("", nodes.paragraph(text=values or "–"))
        row += nodes.entry("", nodes.paragraph(text=claim.seeds or "–"))
        body += row
    return table


def _fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    lists = list(doctree.findall(ledger_list))
    links = list(doctree.findall(ledger_link))
    if not lists and not links:
        return
    found = _claims_by_doc(app)
    ledger_docs = sorted(getattr(app.env, "relu_ledger_docs", set()))
    for node in lists:
        out: list[nodes.Node] = []
        n_claims = sum(len(c) for *_, c in found)
        n_seeded = sum(1 for *_, c in found for claim in c if claim.seeds)
        pages = sum(1 for _, d, _ in found if not d.startswith("auto_gallery"))
        out.append(
            nodes.paragraph(
                text=f"{n_claims} claims, from {pages} guide pages and "
                f"{len(found) - pages} gallery examples; {n_seeded} of them name the seeds "
                "they were checked over."
            )
        )
        for source, doc, claims in found:
            bad = [c for c in claims if not c.holds]
            for c in bad:
                logger.warning("false claim recorded by %s: %s", source, c.text, location=docname)
            section = nodes.section(ids=[ledger_anchor(source)], names=[ledger_anchor(source)])
            title = nodes.title()
            title += nodes.reference(
                "",
                _title(app, doc),
                internal=True,
                refuri=app.builder.get_relative_uri(docname, doc),
            )
            section += title
            section += _table(claims)
            out.append(section)
        node.replace_self(out)
    for node in links:
        source = node["source"]
        claims = next((c for s, _, c in found if s == source), [])
        para = nodes.paragraph(classes=["relu-ledger-link"])
        if not ledger_docs:
            logger.warning(
                "relu-ledger-link needs a page with the relu-ledger directive", location=docname
            )
            node.replace_self(para)
            continue
        n = len(claims)
        para += nodes.Text(
            f"The build checked {n} claim{'s' if n != 1 else ''} on this page, "
            "each recomputed from its seeds whenever the site is built: "
        )
        para += _link(app, docname, ledger_docs[0], "see them in the ledger", ledger_anchor(source))
        para += nodes.Text(".")
        node.replace_self(para)


def setup_ledger(app: Sphinx) -> None:
    """Register the config value, directives, nodes and events (called by the extension)."""
    app.add_config_value("relu_guide_ledger_dir", "", "env", types=(str,))
    app.add_node(ledger_list)
    app.add_node(ledger_link)
    app.add_directive("relu-ledger", LedgerDirective)
    app.add_directive("relu-ledger-link", LedgerLinkDirective)
    app.connect("config-inited", _point_ledger)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _always_rewrite)
    app.connect("doctree-resolved", _fill)
