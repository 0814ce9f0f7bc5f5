"""Notebooks executed in the build's workers: a kernel's outputs, and the process left as it was."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import nbformat
import pytest
import torch

from relu_guide.core import claims
from relu_guide.faces.sphinxext.inprocess import execute

V4: Any = nbformat.v4  # untyped
NBFORMAT: Any = nbformat

#: What a chapter does, and more: streams in both orders, displays between prints, glue, a
#: result and a silenced one, clearing, a display updated later, cells nbclient skips.
CELLS = [
    "import os, sys, warnings\nprint(os.getcwd())\nprint('err', file=sys.stderr)\nprint('out', sys.stdout.encoding)",
    "from IPython.display import display\nprint('before')\ndisplay({'text/plain': 'shown'}, raw=True)"
    "\nprint('after')\n6 * 7",
    "from myst_nb import glue\nglue('answer', 42, display=False)\nwarnings.warn('careful')\n1;",
    # shown by a kernel: deprecated in the notebook's own code; hidden: in a module's
    "warnings.warn('old', DeprecationWarning)\nimport json\n"
    "exec(compile('import warnings; warnings.warn(\"hidden\", DeprecationWarning)', 'm.py', 'exec'),"
    " {'__name__': 'some.module'})",
    "",
    "print('never')",  # tagged skip-execution
    "from IPython.display import clear_output\nprint('gone')\nclear_output(wait=True)\n"
    "handle = display({'text/plain': 'old'}, raw=True, display_id=True)\n'last'",
    "handle.update({'text/plain': 'new'}, raw=True)\n{'a': [1, 2]}",
]


def _notebook() -> Any:
    nb = V4.new_notebook(cells=[V4.new_markdown_cell("# Title"), *map(V4.new_code_cell, CELLS)])
    nb.cells[6].metadata["tags"] = ["skip-execution"]
    return nb


def _merged(outputs: list[Any]) -> list[dict[str, Any]]:
    """Outputs as dicts, consecutive stream text of one name joined (a kernel may send a
    stream in several messages), the process id in cell names (``/tmp/ipykernel_PID/``) out."""
    out: list[dict[str, Any]] = []
    for o in outputs:
        o = dict(o)  # noqa: PLW2901
        if "text" in o:
            o["text"] = re.sub(r"ipykernel_\d+", "ipykernel_PID", o["text"])
        if out and o["output_type"] == "stream" and out[-1].get("name") == o.get("name"):
            out[-1]["text"] += o["text"]
        else:
            out.append(o)
    return out


def _execute_in_new_process(nb: Any, cwd: Path) -> Any:
    """:func:`execute` in a new Python process, as in a build's worker (not under pytest,
    which records warnings instead of printing them)."""
    code = (
        "import sys, nbformat\n"
        "from relu_guide.faces.sphinxext.inprocess import execute\n"
        "done = execute(nbformat.reads(sys.stdin.read(), 4), sys.argv[1], 60)\n"
        "print(nbformat.writes(done) if done is not None else 'failed')"
    )
    root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": root, "MPLBACKEND": "Agg"}
    done = subprocess.run(
        [sys.executable, "-c", code, str(cwd)],
        input=NBFORMAT.writes(nb), capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    return None if done.stdout.strip() == "failed" else NBFORMAT.reads(done.stdout, 4)


def test_outputs_are_those_of_a_kernel(tmp_path: Path) -> None:
    from jupyter_cache.executors.utils import single_nb_execution

    kernel = single_nb_execution(_notebook(), cwd=str(tmp_path), timeout=60, allow_errors=False)
    assert kernel.err is None, kernel.exc_string
    mine = _execute_in_new_process(_notebook(), tmp_path)
    assert mine is not None
    assert mine.metadata["language_info"] == kernel.nb.metadata["language_info"]
    for ours, theirs in zip(mine.cells, kernel.nb.cells, strict=True):
        assert ours.get("execution_count") == theirs.get("execution_count")
        assert _merged(ours.get("outputs", [])) == _merged(theirs.get("outputs", []))
    outputs = [_merged(c.outputs) for c in mine.cells if c.cell_type == "code"]
    assert "UserWarning: careful" in outputs[2][1]["text"]  # as a new process shows it
    assert "DeprecationWarning: old" in outputs[3][0]["text"]
    assert "hidden" not in str(outputs[3])
    assert outputs[0][0]["text"] == f"{tmp_path}\nout UTF-8\n"  # its folder; stdout first
    assert [o["output_type"] for o in outputs[1]] == ["stream", "display_data", "stream",
                                                     "execute_result"]  # fmt: skip
    assert outputs[5] == []  # skipped: not run, no count
    assert outputs[6][0]["data"] == {"text/plain": "new"}  # cleared, then updated in place


def test_a_failing_or_slow_cell_gives_none(tmp_path: Path) -> None:
    failing = V4.new_notebook(cells=[V4.new_code_cell("x = 1"), V4.new_code_cell("1 / 0")])
    assert execute(failing, tmp_path, 60) is None
    slow = V4.new_notebook(cells=[V4.new_code_cell("import time\ntime.sleep(30)")])
    assert execute(slow, tmp_path, 0.5) is None
    slow.metadata["execution"] = {"timeout": 0.5}  # the notebook's own limit wins
    assert execute(slow, tmp_path, 600) is None
    fine = V4.new_notebook(cells=[V4.new_code_cell("import time\ntime.sleep(0.6)\n'done'")])
    done = execute(fine, tmp_path, 5)  # an earlier timer left running would fire here
    assert done is not None
    assert done.cells[0].outputs[0]["data"] == {"text/plain": "'done'"}


def test_notebooks_that_allow_errors_are_left_to_a_kernel(tmp_path: Path) -> None:
    nb = V4.new_notebook(cells=[V4.new_code_cell("1 / 0")])
    nb.cells[0].metadata["tags"] = ["raises-exception"]
    assert execute(nb, tmp_path, 60) is None
    nb = V4.new_notebook(
        cells=[V4.new_code_cell("1")], metadata={"execution": {"allow_errors": True}}
    )
    assert execute(nb, tmp_path, 60) is None


def test_the_process_is_left_as_it_was(tmp_path: Path) -> None:
    code = (
        "import os, sys, warnings, torch, matplotlib as mpl, matplotlib.pyplot as plt\n"
        "from relu_guide.core.claims import set_source\n"
        "secret = 1\nset_source('guide/elsewhere')\nos.chdir('/')\nsys.path.insert(0, 'x')\n"
        "mpl.rcParams['lines.linewidth'] = 9\nplt.figure()\n"
        "print(torch.rand(2).tolist())\nwarnings.simplefilter('error')"
    )
    torch.manual_seed(1)
    state = torch.get_rng_state()
    before = (Path.cwd(), list(sys.path), sys.modules["__main__"], plt.get_fignums())
    filters, width, source = list(warnings.filters), mpl.rcParams["lines.linewidth"], claims._source
    done = execute(V4.new_notebook(cells=[V4.new_code_cell(code)]), tmp_path, 60)
    assert done is not None
    after = (Path.cwd(), list(sys.path), sys.modules["__main__"], plt.get_fignums())
    assert after == before
    assert (list(warnings.filters), mpl.rcParams["lines.linewidth"]) == (filters, width)
    assert claims._source == source
    assert torch.equal(torch.get_rng_state(), state)
    # the environment given, then this process's again
    show = V4.new_notebook(cells=[V4.new_code_cell("import os\nos.environ['GIVEN']")])
    given = execute(show, tmp_path, 60, env={**os.environ, "GIVEN": "yes"})
    assert given is not None
    assert given.cells[0].outputs[0]["data"] == {"text/plain": "'yes'"}
    assert "GIVEN" not in os.environ
    # the next notebook starts with an empty namespace
    assert execute(V4.new_notebook(cells=[V4.new_code_cell("secret")]), tmp_path, 60) is None


def test_not_inside_another_ipython_shell(tmp_path: Path) -> None:
    from IPython.core.interactiveshell import InteractiveShell

    InteractiveShell.instance()
    try:
        with pytest.raises(RuntimeError, match="inside another IPython shell"):
            execute(V4.new_notebook(cells=[V4.new_code_cell("1")]), tmp_path, 60)
    finally:
        InteractiveShell.clear_instance()
