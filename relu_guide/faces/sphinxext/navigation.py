"""The site's navigation tree resolved once per position in it, not once per page.

furo draws the sidebar of every page from Sphinx's global toctree (``toctree(collapse=False,
titles_only=True, maxdepth=-1, includehidden=True)``). Sphinx resolves that tree anew for each
page: it deep-copies the table of contents of every document, object entries of the API pages
included, and only then strips all but the titles. For this site that was half of the CPU of
writing the pages (pradyunsg/furo#939).

The titles it keeps depend on the page only through the page's ancestors in the toctree (an
ancestor's subtree is never pruned); the ``current`` classes and the relative links are added
after, per page. So ``cache_toctree_entries`` memoizes Sphinx's
``_entries_from_toctree`` on its arguments, the page's set of ancestors among them, and hands
out a deep copy of the stored entries (a few hundred nodes: cheap). Each page's tree is then
marked and linked by Sphinx as before: the HTML is the same, byte for byte (a test compares).
The memo lives for one build (it is cleared when the environment changes) and in each writer
process.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["cache_toctree_entries"]

_Entries = Callable[..., list[Any]]


def _identity(toctreenode: Any) -> tuple[Any, ...]:
    """What a toctree node lists: its document, entries and options (the node itself is a
    fresh copy each time the root document is read back)."""
    entries = tuple((title, ref) for title, ref in toctreenode["entries"])
    options = ("maxdepth", "hidden", "includehidden", "titlesonly", "caption", "glob")
    return (toctreenode.get("parent"), entries, *(repr(toctreenode.get(o)) for o in options))


def _sensitive(env: Any) -> frozenset[str]:
    """Documents whose entry differs when they are an ancestor of the page (see the module).

    Sphinx deep-copies an ancestor's table of contents and cuts the others at the document's
    ``tocdepth``: the two differ only for a document with a ``tocdepth`` or with ``only``
    nodes in its table of contents.
    """
    from sphinx import addnodes

    return frozenset(
        doc
        for doc, toc in env.tocs.items()
        if env.metadata.get(doc, {}).get("tocdepth", 0) or any(toc.findall(addnodes.only))
    )


def _memoized(original: _Entries) -> _Entries:
    """``_entries_from_toctree`` answering repeated calls from a memo (see the module)."""
    memo: dict[tuple[Any, ...], list[Any]] = {}
    sensitive: list[frozenset[str]] = []  # computed once per environment

    @functools.wraps(original)
    def entries(
        env: Any,
        prune: bool,
        titles_only: bool,
        collapse: bool,
        includehidden: bool,
        tags: Any,
        toctree_ancestors: Any,
        included: Any,
        excluded: Any,
        toctreenode: Any,
        parents: list[str],
        subtree: bool = False,
    ) -> list[Any]:
        args: tuple[Any, ...] = (env, prune, titles_only, collapse, includehidden, tags)
        args += (toctree_ancestors, included, excluded, toctreenode, parents, subtree)
        if not titles_only or collapse:  # the per-page kinds of tree: as Sphinx does
            return original(*args)
        if not sensitive:
            sensitive.append(_sensitive(env))
        ancestors = frozenset(toctree_ancestors) & sensitive[0]
        key = (_identity(toctreenode), prune, includehidden, ancestors, tuple(parents), subtree)
        if key not in memo:
            memo[key] = original(*args)
        return [node.deepcopy() for node in memo[key]]

    def clear() -> None:
        memo.clear()
        sensitive.clear()

    entries.clear = clear  # type: ignore[attr-defined]
    return entries


def _clear(app: Sphinx, *_args: Any) -> None:
    """Forget every stored tree (the environment, hence the toctree, may have changed)."""
    from sphinx.environment.adapters import toctree

    clear = getattr(toctree._entries_from_toctree, "clear", None)
    if clear is not None:
        clear()


def cache_toctree_entries(app: Sphinx) -> None:
    """Install the memo on Sphinx's toctree resolution for this process (see the module)."""
    from sphinx.environment.adapters import toctree

    if not hasattr(toctree._entries_from_toctree, "clear"):
        toctree._entries_from_toctree = _memoized(toctree._entries_from_toctree)
    app.connect("env-updated", _clear)


def setup(app: Sphinx) -> dict[str, Any]:
    """The memo alone, as an extension (``relu_guide.faces.sphinxext`` installs it too)."""
    cache_toctree_entries(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
