"""Fork notebook kernels from one warm process: a server, and the launcher jupyter_client runs.

Run by path, never imported by the package (standard library only until a kernel starts)::

    python kernel_fork.py serve SOCKET MODULE...   # import MODULEs, then fork kernels on demand
    python kernel_fork.py launch SOCKET -f CONNECTION_FILE   # what jupyter_client runs

``serve`` imports the modules every notebook needs (ipykernel, torch, relu_guide...), prints
``ready`` and answers on the unix socket ``SOCKET``: each request carries a launcher's working
directory, environment, standard streams (passed as file descriptors) and connection file, and
gets a forked child that becomes an IPython kernel with those, as ``python -m ipykernel_launcher
-f CONNECTION_FILE`` would be, minus the imports. The server is one thread (forking a threaded
process is unsafe), reports each child's pid and, when it ends, its exit status; it kills the
child of a launcher that goes away, and stops, killing the rest, when a line or the end of file
arrives on its standard input, or when its parent dies. (The end of file alone is not enough: a
process the build forks meanwhile, such as a ``multiprocessing`` manager, inherits the pipe's
writing end and keeps it open.)

``launch`` is the process jupyter_client starts and watches: it asks the server on ``SOCKET``
for a kernel (with the arguments that follow), forwards the signals it receives to it
and exits with its status.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import sys
from pathlib import Path
from typing import Any

_MAX_MESSAGE = 1 << 20
_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


def _send(conn: socket.socket, **message: Any) -> None:
    with contextlib.suppress(OSError):  # the launcher may be gone already
        conn.send(json.dumps(message).encode())


def _become_kernel(request: dict[str, Any], fds: list[int]) -> None:
    """In the forked child: take the launcher's streams, folder and environment; run a kernel."""
    code = 1
    try:
        for target, fd in enumerate(fds[:3]):
            os.dup2(fd, target)
        for fd in fds:
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        # The kernel watches its parent, this server (its default, $JPY_PARENT_PID, was read
        # when the server imported ipykernel, and is not this kernel's parent).
        argv = [*request["argv"], f"--IPKernelApp.parent_handle={os.getppid()}"]
        sys.argv = ["ipykernel_launcher", *argv]
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=argv)
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


def serve(path: str, modules: list[str]) -> None:
    """Import ``modules``, then fork a kernel for each request on ``path`` (see the module)."""
    import importlib

    for name in modules:
        importlib.import_module(name)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(path)
    listener.listen()
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    kernels: dict[socket.socket, int] = {}  # launcher's connection -> kernel pid
    parent = os.getppid()
    try:
        while True:
            ready, _, _ = select.select([listener, sys.stdin, *kernels], [], [], 0.05)
            if sys.stdin in ready or os.getppid() != parent:
                return  # the build is done with us (a line, the end of file) or is gone
            if listener in ready:
                conn, _ = listener.accept()
                message, fds, _, _ = socket.recv_fds(conn, _MAX_MESSAGE, 3)
                pid = os.fork()
                if pid == 0:
                    listener.close()
                    for other in kernels:
                        other.close()
                    conn.close()
                    _become_kernel(json.loads(message), fds)
                for fd in fds:
                    os.close(fd)
                kernels[conn] = pid
                _send(conn, pid=pid)
            for conn in [c for c in ready if c in kernels]:
                if not conn.recv(_MAX_MESSAGE):  # the launcher is gone: so is its kernel
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(kernels[conn], signal.SIGKILL)
            _reap(kernels)
    finally:
        for pid in kernels.values():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        listener.close()
        Path(path).unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # its folder, if empty (its parent may be gone)
            Path(path).parent.rmdir()


def _reap(kernels: dict[socket.socket, int]) -> None:
    """Tell the launcher of every kernel that ended its exit status, and forget it."""
    for conn, pid in list(kernels.items()):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            _send(conn, status=os.waitstatus_to_exitcode(status))
            conn.close()
            del kernels[conn]


def launch(path: str, argv: list[str]) -> int:
    """Ask the server on ``path`` for a kernel with this process's folder, environment, streams."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    conn.connect(path)
    request = {"argv": argv, "cwd": str(Path.cwd()), "env": dict(os.environ)}
    socket.send_fds(conn, [json.dumps(request).encode()], [0, 1, 2])
    pid = json.loads(conn.recv(_MAX_MESSAGE))["pid"]

    def forward(signum: int, _frame: object) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)

    for signum in _SIGNALS:
        signal.signal(signum, forward)
    reply = conn.recv(_MAX_MESSAGE)
    if not reply:  # the server went away without a word
        forward(signal.SIGKILL, None)
        return 1
    return int(json.loads(reply)["status"])


if __name__ == "__main__":
    del sys.path[0]  # this file's folder: its neighbours are no top-level modules
    if len(sys.argv) >= 3 and sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) >= 3 and sys.argv[1] == "launch":
        sys.exit(launch(sys.argv[2], sys.argv[3:]))
    else:
        sys.exit("usage: kernel_fork.py serve SOCKET MODULE... | launch SOCKET KERNEL_ARGS...")
