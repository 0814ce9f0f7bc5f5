"""Publishing: which commit and day a page was built from, and a 404 page that works anywhere.

Every HTML page gets ``relu_build`` in its template context (``docs/_templates/page.html``
prints it in the footer): the commit (from CI's environment or ``git``) and the build date
(UTC; ``SOURCE_DATE_EPOCH`` when set, for reproducible builds). The page ``404`` is served by
GitHub Pages for any missing URL, at any depth: it gets a ``<base>`` naming the site's root path
(from ``html_baseurl``), so its styles and links resolve from wherever it is shown.

Examples
--------
>>> site_root_path("https://example.org/relu-guide")
'/relu-guide/'
>>> site_root_path("")
'/'
"""

from __future__ import annotations

import datetime as _dt
import os
import subprocess
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["build_stamp", "site_root_path"]

#: Environment variables that name the commit being built, by CI service.
_COMMIT_VARS = ("GITHUB_SHA", "READTHEDOCS_GIT_COMMIT_HASH")


def site_root_path(baseurl: str) -> str:
    """The path of the site's root in its published URL, with a trailing slash."""
    path = urlsplit(baseurl).path or "/"
    return path if path.endswith("/") else path + "/"


@cache
def build_stamp(srcdir: str) -> dict[str, str]:
    """The commit (full and short) and the UTC date of this build.

    Examples
    --------
    >>> stamp = build_stamp(".")
    >>> sorted(stamp), len(stamp["date"])
    (['commit', 'date', 'short', 'url'], 10)
    """
    commit = next((os.environ[v] for v in _COMMIT_VARS if os.environ.get(v)), "")
    if not commit:
        try:
            commit = subprocess.run(
                ["git", "rev-parse", "HEAD"],
                cwd=srcdir,
                capture_output=True,
                text=True,
                check=True,
                timeout=10,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            commit = ""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (
        _dt.datetime.fromtimestamp(int(epoch), _dt.UTC)
        if epoch and epoch.isdigit()
        else _dt.datetime.now(_dt.UTC)
    )
    server, repo = os.environ.get("GITHUB_SERVER_URL"), os.environ.get("GITHUB_REPOSITORY")
    url = f"{server}/{repo}/commit/{commit}" if server and repo and commit else ""
    return {
        "commit": commit or "unknown",
        "short": commit[:7] or "unknown",
        "date": when.strftime("%Y-%m-%d"),
        "url": url,
    }


#: How docutils opens a list of citations (a role that its children do not fit).
CITATION_LIST_ROLE = '<div role="list" class="citation-list">'


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    context["relu_build"] = build_stamp(str(Path(app.srcdir)))
    if "body" in context:
        # docutils gives the bibliography role="list" over entries that are not list items
        # (axe: aria-required-children); the entries keep their doc-biblioentry roles.
        context["body"] = context["body"].replace(CITATION_LIST_ROLE, '<div class="citation-list">')
    if pagename == "404":
        base = site_root_path(app.config.html_baseurl or "")
        context["metatags"] = f'<base href="{base}">\n' + context.get("metatags", "")
