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

Then furo renders each page's tree to HTML and rewrites it with BeautifulSoup (checkboxes to fold
each branch): the other half of the sidebar's cost, for trees that differ from page to page only
in their marks. So ``fast_navigation_tree`` has furo make, once per folder of pages, the tree of
a page that is in no toctree (the links are relative, hence the same for every page of a folder),
and marks each page in a copy of it as Sphinx and furo would (:func:`mark_current`): its link
``current`` and ``href="#"``, its ancestors' items and lists ``current``, their checkboxes
checked, the innermost item ``current-page``. Pages below a document with a ``tocdepth`` (the
ones whose entry depends on the page, as above) get furo's own tree. In each process the first
page of each folder gets both, compared: if they ever differ, furo's own is used from then on (a
test compares every page too).
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["cache_toctree_entries", "fast_navigation_tree", "mark_current"]

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


#: The tags :func:`mark_current` reads in furo's tree.
_TAG = re.compile(r"<(/?)(ul|li|a|input)\b([^>]*)>")
_CLASS = re.compile(r' class="([^"]*)"')


def _with_class(tag: str, add: str, *, last: bool = False) -> str:
    """``tag`` with the class ``add``: last, or before furo's ``has-children`` (Sphinx adds
    ``current`` before furo adds ``has-children``; furo adds ``current-page`` after)."""
    found = _CLASS.search(tag)
    if found is None:
        return tag[:-1] + f' class="{add}">'
    classes = found.group(1).split()
    furo_last = not last and classes and classes[-1] == "has-children"
    classes.insert(len(classes) - 1 if furo_last else len(classes), add)
    return tag[: found.start(1)] + " ".join(classes) + tag[found.end(1) :]


#: After an item's opening tag: its checkbox, or the first tag that shows it has none.
_CHECKBOX = re.compile(r"<input [^>]*>|<ul\b|<li\b|</li>")


def mark_current(tree: str, href: str) -> str:
    """furo's sidebar ``tree`` of a page in no toctree, marked for the page linked as ``href``.

    What Sphinx and furo do for that page: every link to it (``class="reference internal"
    href=href``) gets the class ``current`` and ``href="#"``; each list and item around it the
    class ``current``; the checkbox of each such item is checked; the last item marked, in
    document order, also gets ``current-page``.

    Examples
    --------
    >>> tree = ('<ul><li class="toctree-l1 has-children"><a class="reference internal" '
    ...         'href="a.html">A</a><input aria-label="Toggle" class="toctree-checkbox"/>'
    ...         '<ul><li class="toctree-l2"><a class="reference internal" href="b.html">B</a>'
    ...         '</li></ul></li></ul>')
    >>> print(mark_current(tree, "b.html").replace("><", ">\\n<"))
    <ul class="current">
    <li class="toctree-l1 current has-children">
    <a class="reference internal" href="a.html">A</a>
    <input aria-label="Toggle" checked="" class="toctree-checkbox"/>
    <ul class="current">
    <li class="toctree-l2 current current-page">
    <a class="current reference internal" href="#">B</a>
    </li>
    </ul>
    </li>
    </ul>
    """
    link = f' class="reference internal" href="{href}"'
    stack: list[re.Match[str]] = []  # the open lists and items
    marked: dict[int, re.Match[str]] = {}  # by position: the lists and items around a link
    links: list[re.Match[str]] = []
    for tag in _TAG.finditer(tree):
        closing, name, attributes = tag.groups()
        if name in {"ul", "li"}:
            if closing:
                stack.pop()
            else:
                stack.append(tag)
        elif name == "a" and not closing and attributes == link:
            links.append(tag)
            marked.update((t.start(), t) for t in stack)
    if not links:
        return tree
    edits = {t.start(): (t.end(), '<a class="current reference internal" href="#">') for t in links}
    last_item = max((p for p, t in marked.items() if t.group(2) == "li"), default=-1)
    for position, tag in marked.items():
        new = _with_class(tag.group(0), "current")
        if position == last_item:
            new = _with_class(new, "current-page", last=True)
        edits[position] = (tag.end(), new)
        box = _CHECKBOX.search(tree, tag.end()) if tag.group(2) == "li" else None
        if box is not None and box.group(0).startswith("<input"):  # checked, in sorted place
            checked = box.group(0).replace(" class=", ' checked="" class=', 1)
            edits[box.start()] = (box.end(), checked)
    out, done = [], 0
    for start in sorted(edits):
        end, new = edits[start]
        out += [tree[done:start], new]
        done = end
    return "".join(out) + tree[done:]


def fast_navigation_tree(app: Sphinx) -> None:
    """furo's sidebar of each page from one tree per folder of pages (see the module)."""
    import sys

    furo: Any = sys.modules.get("furo")
    found = getattr(furo, "_compute_navigation_tree", None)
    if found is None or getattr(found, "fast", False):
        return
    original: Callable[[dict[str, Any]], str] = found
    if getattr(app.builder, "name", "") != "html":  # dirhtml links differ from page to page
        return
    from sphinx.environment.adapters.toctree import _get_toctree_ancestors

    stats = {"marked": 0, "furo": 0}  # pages: marked in a folder's tree, or furo's own
    trees: dict[str, str] = {}  # folder -> the tree of a page of it in no toctree
    sensitive: list[frozenset[str]] = []  # computed once
    listed: list[set[str]] = []  # the documents some toctree lists, computed once
    checked: set[str] = set()  # folders whose first page was compared with furo's own
    trusted = [True]

    def navigation_tree(context: dict[str, Any]) -> str:
        pagename = context.get("pagename")
        builder: Any = app.builder
        if not trusted[0] or "toctree" not in context or not isinstance(pagename, str):
            stats["furo"] += 1
            return original(context)
        env = builder.env
        if not sensitive:
            sensitive.append(_sensitive(env))
            listed.append({doc for docs in env.toctree_includes.values() for doc in docs})
        if sensitive[0] & set(_get_toctree_ancestors(env.toctree_includes, pagename)):
            stats["furo"] += 1
            return original(context)
        folder = posixpath.dirname(pagename)
        nowhere = posixpath.join(folder, "_relu_guide_in_no_toctree")
        if folder not in trees:
            toctree = functools.partial(builder._get_local_toctree, nowhere)
            trees[folder] = original({"toctree": toctree})
        tree = mark_current(trees[folder], builder.get_relative_uri(nowhere, pagename))
        if tree is trees[folder] and pagename in listed[0]:  # listed, yet its link not found
            stats["furo"] += 1
            return original(context)
        if folder not in checked:
            checked.add(folder)
            own = original(context)
            if tree != own:
                from sphinx.util import logging

                logging.getLogger(__name__).info(
                    "[relu_guide] furo's own navigation tree from now on (%s differs)", pagename
                )
                trusted[0] = False
                stats["furo"] += 1
                return own
        stats["marked"] += 1
        return tree

    def restore(_app: Sphinx, _exception: BaseException | None) -> None:
        furo._compute_navigation_tree = original

    navigation_tree.fast = True  # type: ignore[attr-defined]
    navigation_tree.stats = stats  # type: ignore[attr-defined]
    furo._compute_navigation_tree = navigation_tree
    app.connect("build-finished", restore)


def setup(app: Sphinx) -> dict[str, Any]:
    """The memo and the folder trees, as an extension (``relu_guide.faces.sphinxext`` installs
    them too)."""
    cache_toctree_entries(app)
    app.connect("builder-inited", fast_navigation_tree)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
