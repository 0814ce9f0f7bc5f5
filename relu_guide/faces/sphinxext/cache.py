"""Fresh caches: re-run every example and notebook when the ``relu_guide`` source changes.

See :mod:`relu_guide.faces.sphinxext` ("No stale outputs").
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.errors import SphinxError
from sphinx.util import logging

from relu_guide.studies.cache import PACKAGE_DIR, source_hash

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__all__: list[str] = []  # source_hash is documented in relu_guide.studies.cache

logger = logging.getLogger(__name__)

HASH_FILE = "relu_guide_source.sha256"


# --------------------------------------------------------------------------------------------
# Hash of the package source, and invalidation of the caches that do not know about it
# --------------------------------------------------------------------------------------------


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
        msg = (
            "relu_guide.faces.sphinxext: set sphinx_gallery_conf['write_computation_times'] = False: "
            "sg_execution_times pages load jQuery and DataTables from CDNs"
        )
        raise SphinxError(msg)
