"""API pages: alias resolution for nitpicky builds, napoleon fixes, foreign members,
mini-galleries.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__all__ = []

# --------------------------------------------------------------------------------------------
# API pages: aliases (``relu_guide.train`` is ``relu_guide.core.training.train``), mini-galleries
# --------------------------------------------------------------------------------------------


def _import_path(path: str) -> Any:
    """The object at dotted ``path`` (module, then attributes), or ``_MISSING``."""
    import importlib

    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return _MISSING
        return obj
    return _MISSING


_MISSING = object()


def _documented_by_identity(env: BuildEnvironment) -> dict[int, str]:
    cache: dict[int, str] | None = getattr(env, "_relu_guide_alias_cache", None)
    objects = env.get_domain("py").objects  # type: ignore[attr-defined]
    if cache is None or len(cache) < 1 or getattr(env, "_relu_guide_alias_n", 0) != len(objects):
        cache = {}
        for name, entry in objects.items():
            if not name.startswith("relu_guide") or entry.aliased:
                continue
            obj = _import_path(name)
            if obj is not _MISSING and not isinstance(obj, int | float | str | bool):
                cache.setdefault(id(obj), name)
        env._relu_guide_alias_cache = cache  # type: ignore[attr-defined]
        env._relu_guide_alias_n = len(objects)  # type: ignore[attr-defined]
    return cache


def _resolve_alias(
    app: Sphinx, env: BuildEnvironment, node: Any, contnode: nodes.Element
) -> nodes.Element | None:
    """Resolve ``relu_guide.X`` to the documented object that ``relu_guide.X`` *is*.

    Also: in the *type* of a numpydoc field (``x : array_like, shape (n,)``, rendered in
    italics), words that name no relu_guide object are prose, not references: they stay text.
    Names in ``relu_guide`` are always checked, and so is every explicit role (``:func:``...).
    """
    if node.get("refdomain") != "py":
        return None
    resolved = _resolve_alias_of(app, env, node, contnode)
    if resolved is not None:
        return resolved
    target = node.get("reftarget", "")
    in_type_field = isinstance(contnode, nodes.emphasis | addnodes.literal_emphasis)
    if in_type_field and not target.startswith("relu_guide") and node["reftype"] == "class":
        return contnode
    if target.startswith("relu_guide") and target.rsplit(".", 1)[-1].startswith("_"):
        return contnode  # a private name (say a type alias in a signature) has no page
    return None


def _resolve_alias_of(
    app: Sphinx, env: BuildEnvironment, node: Any, contnode: nodes.Element
) -> nodes.Element | None:
    target = node.get("reftarget", "").lstrip(".~")
    module = node.get("py:module") or ""
    candidates = [target] + ([f"{module}.{target}"] if module else [])
    if not target.startswith("relu_guide"):
        candidates.append(f"relu_guide.{target}")  # a bare name outside any module context
    for candidate in candidates:
        if not candidate.startswith("relu_guide"):
            continue
        obj = _import_path(candidate)
        if obj is _MISSING:
            continue
        canonical = _documented_by_identity(env).get(id(obj))
        if canonical is None or canonical == candidate:
            continue
        domain = env.get_domain("py")
        return domain.resolve_xref(
            env, node["refdoc"], app.builder, node["reftype"], canonical, node, contnode
        )
    return _resolve_field(app, env, node, contnode)


def _resolve_field(
    app: Sphinx, env: BuildEnvironment, node: Any, contnode: nodes.Element
) -> nodes.Element | None:
    """``Activation.name``, a dataclass field or attribute of a documented class: link the class."""
    if node["reftype"] not in {"attr", "obj"} or "." not in node.get("reftarget", ""):
        return None
    owner, attr = node["reftarget"].rsplit(".", 1)
    module = node.get("py:module") or ""
    for candidate in [owner, f"{module}.{owner}"] if module else [owner]:
        if not candidate.startswith("relu_guide"):
            continue
        cls = _import_path(candidate)
        if not isinstance(cls, type) or not (
            attr in getattr(cls, "__dataclass_fields__", {}) or hasattr(cls, attr)
        ):
            continue
        canonical = _documented_by_identity(env).get(id(cls))
        if canonical is not None:
            domain = env.get_domain("py")
            return domain.resolve_xref(
                env, node["refdoc"], app.builder, "class", canonical, node, contnode
            )
    return None


def _backreferences(app: Sphinx) -> dict[str, Any]:
    conf = getattr(app.config, "sphinx_gallery_conf", None) or {}
    folder = conf.get("backreferences_dir")
    if not folder:
        return {}
    path = Path(app.srcdir, folder, "backreferences_all.json")
    if not path.is_file():
        return {}
    stamp = path.stat().st_mtime_ns
    cached = getattr(app, "_relu_guide_backrefs", None)
    if cached is None or cached[0] != stamp:
        cached = (stamp, json.loads(path.read_text()))
        app._relu_guide_backrefs = cached  # type: ignore[attr-defined]
    return cached[1]  # type: ignore[no-any-return]


_PROSE_COLON = re.compile(r"^\s*[^:`]*\w\s+\w[^:`]*:(?!:)\s")


def _protect_prose_colon(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """Keep napoleon from reading "Widths of every layer: ..." as a type named "Widths...".

    For a property or attribute, napoleon takes whatever precedes the first colon of the first
    line as its type. When that is prose (several words), an empty reST comment in front makes
    napoleon see a first line without a colon; nothing is rendered for it.
    """
    if what in {"property", "attribute", "data"}:
        first = next((line for line in lines if line.strip()), "")
        if _PROSE_COLON.match(first):
            lines[:0] = ["..", ""]


def _skip_foreign_members(
    app: Sphinx, what: str, name: str, obj: Any, skip: bool, options: Any
) -> bool | None:
    """Document only what relu_guide defines: not the ``set`` method matplotlib writes into
    every Artist subclass, nor anything else another library attaches to our classes."""
    module = getattr(obj, "__module__", None)
    if what == "class" and callable(obj) and module and not module.startswith("relu_guide"):
        return True
    return None


def _add_minigallery(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """Append the gallery examples that use an object to its docstring."""
    if what not in {"function", "class", "exception"} or not _backreferences(app).get(name):
        return
    short = name.rsplit(".", 1)[-1]
    lines.extend(
        ["", f".. rubric:: Examples using ``{short}``", "", f".. minigallery:: {name}", ""]
    )


# --------------------------------------------------------------------------------------------
# Module data: registries and tables as tables, short values inline, never a long repr
# --------------------------------------------------------------------------------------------

#: Longest value repr shown as is under a module constant; longer ones are summarised.
SHORT_REPR = 80

_GREEK = {"pi", "tau", "alpha", "beta", "gamma", "delta", "epsilon", "sigma", "lambda", "mu"}
_HEX_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _summary(fn: Any) -> str:
    """One sentence saying what a callable computes, from its docstring (numpy ufuncs start
    with their signature: the sentence after it)."""
    doc = (getattr(fn, "__doc__", None) or "").strip()
    for paragraph in doc.split("\n\n"):
        first = " ".join(paragraph.split())
        if first and not re.match(r"^[\w.]+\(.*\)$", first) and not first.startswith(">>>"):
            return first.split(". ")[0].rstrip(".") + "."
    return ""


def _callable_name(fn: Any) -> str:
    module = getattr(fn, "__module__", None) or ("numpy" if type(fn).__name__ == "ufunc" else "")
    name = getattr(fn, "__name__", repr(fn))
    return f"{module}.{name}" if module else name


def _literal(value: Any) -> str:
    return "``" + repr(value).replace("`", "'") + "``"


def _cells(key: Any, value: Any) -> tuple[str, str, str]:
    """The name, meaning and typeset formula of one entry of a registry."""
    name = f"``{key}``"
    parts = value if isinstance(value, tuple) else (value,)
    meaning: list[str] = []
    formula = ""
    for part in parts:
        if callable(part) and getattr(part, "__name__", "").startswith("_"):
            continue  # a private helper: its formula says what it computes
        if callable(part):
            said = _summary(part)
            meaning.append(
                f"{said.rstrip('.')} (``{_callable_name(part)}``)"
                if said
                else f"``{_callable_name(part)}``"
            )
        elif isinstance(part, str) and "{0}" in part:
            try:
                formula = ":math:`" + part.format(*("x", "y", "z")) + "`"
            except (IndexError, KeyError, ValueError):
                formula = _literal(part)
        elif isinstance(part, bool):
            meaning.append(_literal(part))
        elif isinstance(part, int) and isinstance(value, tuple):
            meaning.append(f"{part} argument{'s' if part != 1 else ''}")
        elif isinstance(part, float):
            meaning.append(f"{part!r}")
            if str(key) in _GREEK:
                formula = f":math:`\\{key}`"
            elif isinstance(key, str) and len(key) == 1:
                formula = f":math:`{key}`"
        elif isinstance(part, str) and _HEX_COLOR.match(part):
            meaning.append(f"colour ``{part}``")
        else:
            text = repr(part)
            meaning.append(
                _literal(part) if len(text) <= SHORT_REPR else f"a {type(part).__name__}"
            )
    return name, "; ".join(meaning) or "–", formula


def registry_table(value: Any) -> list[str]:
    """reST lines of a table of a registry (a dict, or a tuple of tuples); [] for others.

    Columns: the name, its meaning (what a function computes, a number, a colour...), and the
    formula typeset, when the entries carry one (LaTeX with ``{0}`` for the argument).

    Examples
    --------
    >>> import numpy as np
    >>> lines = registry_table({"sin": (np.sin, 1, r"\\sin({0})")})
    >>> lines[-3:]
    ['   * - ``sin``', '     - :math:`\\\\sin(x)`', '     - Trigonometric sine, element-wise (``numpy.sin``); 1 argument']
    >>> registry_table(3.0)
    []
    """
    if isinstance(value, dict) and value:
        rows = [_cells(k, v) for k, v in value.items()]
    elif (
        isinstance(value, tuple)
        and value
        and all(isinstance(v, tuple) and v and isinstance(v[0], str) for v in value)
    ):
        rows = [_cells(v[0], v[1:] if len(v) > 2 else v[1]) for v in value]
    else:
        return []
    with_formula = any(r[2] for r in rows)
    header = ("name", "meaning", "formula")
    lines = ["", ".. list-table::", "   :header-rows: 1", "   :class: relu-registry", ""]
    for row in [header, *rows]:
        # the formula, short, before the meaning, which wraps: both fit a phone's column
        cells = (row[0], row[2], row[1]) if with_formula else row[:2]
        for j, cell in enumerate(cells):
            lead = "   * - " if j == 0 else "     - "
            lines.append(lead + (cell or "–"))
    return lines


def _data_values(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """Under a module constant (the template gives every ``autodata`` ``:no-value:``): a table
    for a registry, the value for a short one, the type and size for a long one."""
    if what != "data":
        return
    table = registry_table(obj)
    if table:
        lines.extend(table)
        return
    text = repr(obj)
    if len(text) <= SHORT_REPR:
        lines.extend(["", f"**Value:** {_literal(obj)}"])
    else:
        size = f" of {len(obj)} items" if hasattr(obj, "__len__") else ""
        lines.extend(["", f"**Value:** a ``{type(obj).__name__}``{size}."])
