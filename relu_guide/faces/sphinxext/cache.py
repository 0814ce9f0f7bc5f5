"""Fresh caches: re-run every example and notebook when the ``relu_guide`` source changes.

See :mod:`relu_guide.faces.sphinxext` ("No stale outputs").
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.errors import SphinxError
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__all__ = ["source_hash"]

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # the relu_guide package
HASH_FILE = "relu_guide_source.sha256"


# --------------------------------------------------------------------------------------------
# Hash of the package source, and invalidation of the caches that do not know about it
# --------------------------------------------------------------------------------------------


def source_hash(dirs: Iterable[str | os.PathLike[str]] | None = None) -> str:
    """sha256 (hex) of every ``*.py`` file under ``dirs`` (default: the ``relu_guide`` package).

    Paths (relative to their folder) and contents both count; modification times do not.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.py").write_text("x = 1\\n")
    >>> h1 = source_hash([d])
    >>> _ = (d / "a.py").write_text("x = 2\\n")
    >>> source_hash([d]) != h1
    True
    """
    digest = hashlib.sha256()
    for folder in [Path(p) for p in (dirs if dirs is not None else [PACKAGE_DIR])]:
        if not folder.is_dir():
            raise ValueError(f"source folder {str(folder)!r} does not exist")
        for path in sorted(folder.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def _gallery_dirs(app: Any) -> list[Path]:
    """The gallery output folders; ``app`` is anything with ``config`` and ``srcdir``."""
    conf = getattr(app.config, "sphinx_gallery_conf", None) or {}
    dirs = conf.get("gallery_dirs", "auto_gallery")
    if isinstance(dirs, str):
        dirs = [dirs]
    return [Path(app.srcdir, d) for d in dirs]


def _invalidate_if_package_changed(app: Sphinx) -> None:
    dirs = app.config.relu_guide_source_dirs or [PACKAGE_DIR]
    new = source_hash(dirs)
    app._relu_guide_hash = new  # type: ignore[attr-defined]
    stored_file = Path(app.doctreedir, HASH_FILE)
    old = stored_file.read_text().strip() if stored_file.is_file() else None
    changed = old != new
    app._relu_guide_changed = changed  # type: ignore[attr-defined]
    if not changed:
        return
    removed = 0
    for gallery in _gallery_dirs(app):
        for md5 in gallery.rglob("*.py.md5"):
            md5.unlink()
            removed += 1
    cache = getattr(app.config, "nb_execution_cache_path", "")
    if cache and Path(cache).is_dir():
        shutil.rmtree(cache)
    logger.info(
        "[relu_guide] package source %s: re-running every example (%d cached) and notebook",
        "is new" if old is None else "changed",
        removed,
    )


def _outdated_docs(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    if getattr(app, "_relu_guide_changed", False):
        return sorted(env.found_docs - added - changed - removed)
    return []


def _store_hash(app: Sphinx, exception: BaseException | None) -> None:
    new = getattr(app, "_relu_guide_hash", None)
    if exception is None and new:
        Path(app.doctreedir).mkdir(parents=True, exist_ok=True)
        Path(app.doctreedir, HASH_FILE).write_text(new + "\n")


def _refuse_execution_times(app: Sphinx) -> None:
    conf = getattr(app.config, "sphinx_gallery_conf", None)
    if conf and conf.get("write_computation_times", False):
        raise SphinxError(
            "relu_guide.faces.sphinxext: set sphinx_gallery_conf['write_computation_times'] = False: "
            "sg_execution_times pages load jQuery and DataTables from CDNs"
        )
