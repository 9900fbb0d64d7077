"""Run each trainee's notebook kernel inside a bubblewrap sandbox while autograding.

nbgrader executes a trainee's notebook with the supervisor's rights: without a sandbox a cell can read
``answer-keys/``, ``gradebook.db`` or another trainee's submission, rewrite files anywhere, reach the
network, or leave a process running after grading. :class:`SandboxedKernelManager` starts the kernel as::

    bwrap <flags> -- prlimit --as=... --nproc=... --core=0 -- python -m ipykernel_launcher -f <conn>

(the kernel spec's own argv, wrapped) so the kernel sees only a read-only Python (``/usr``, the few
``/etc`` files Python needs, ``sys.base_prefix``, ``sys.prefix``), the ``trauma_curriculum`` package
with ``supervisor/`` replaced by an empty tmpfs (plus an ``__init__.py`` that raises ImportError: an empty
directory would still import as a namespace package), a private ``/tmp``, and, read-write, only the
folder of the notebook being graded (the ``cwd`` nbclient starts the kernel with).

Why bubblewrap and not ``systemd-run -p DynamicUser=yes``: on the machines this course is graded on
(Debian 12 containers and CI) systemd 252 is installed but is not PID 1, so ``systemd-run`` fails with
"System has not been booted with systemd as init system (PID 1). Can't operate." and "Failed to connect
to bus". bubblewrap needs no daemon and no setuid bit when run as root, and a mount namespace is a
whitelist (what is not bound does not exist), where a dynamic user is a blacklist over file permissions.

What was found on this machine (Debian 12, bubblewrap 0.8.0, kernel 6.x, running as root):

- ``bwrap --unshare-all --die-with-parent --ro-bind / / true`` works: user namespaces are allowed.
- As root, bwrap keeps *every* capability in the sandbox (CapEff 000001fffeffffff) unless told
  ``--cap-drop ALL``; with CAP_SYS_ADMIN a cell could unmount the tmpfs that hides ``supervisor/``, and
  CAP_DAC_READ_SEARCH allows open_by_handle_at() escapes. So: ``--unshare-user`` (insist on the user
  namespace instead of ``--unshare-all``'s "try"), ``--cap-drop ALL`` and ``--disable-userns`` (no nested
  user namespace in which to regain capabilities). bwrap always sets no_new_privs.
- ``--unshare-all`` also unshares the network: only a private loopback exists, so the kernel talks to the
  grader over zmq ``ipc://`` sockets in a private per-kernel directory bind-mounted at the same path.
- The root tmpfs that bwrap builds, and ``/dev``, are writable and as large as half the RAM, which an
  address-space limit does not bound: both are remounted read-only; ``/tmp`` and ``/dev/shm`` are private
  tmpfs mounts capped at :attr:`SandboxedKernelManager.tmp_size`.
- ``--unshare-pid`` makes bwrap's reaper PID 1 of a new PID namespace: when the kernel exits (or bwrap is
  killed, or the grader dies: ``--die-with-parent``) every process the notebook started is killed.
  ``--new-session`` puts the kernel in its own session; interrupts are sent as ``interrupt_request``
  messages (a SIGINT to bwrap itself would kill the sandbox instead of interrupting the cell).
- Memory: an address-space limit (RLIMIT_AS) set by util-linux's ``prlimit`` *inside* the sandbox, which
  execs the kernel in place. It bounds the kernel and everything it starts, but not bwrap's own monitor
  and reaper, so they can always clean up; ``preexec_fn`` is not reachable through jupyter_client's
  launcher, and a Python launcher would cost a second interpreter start. A 3 GiB allocation under the
  2 GiB default raises MemoryError.
- Processes: RLIMIT_NPROC is *not* enforced for host uid 0 (the kernel's uid is mapped to root; measured:
  20 processes started under ``--nproc=5``), so as root the count is bounded with a ``pids`` cgroup
  (v1 ``/sys/fs/cgroup/pids`` here, or the v2 unified hierarchy) that the launcher joins before it execs
  bwrap. Where no writable pids cgroup exists only RLIMIT_NPROC remains (effective for non-root graders).

Where bubblewrap is missing or cannot build a sandbox, starting a kernel raises a one-line RuntimeError,
unless ``TRAUMA_CURRICULUM_UNSAFE=1`` (what ``--unsafe`` sets), which grades without a sandbox.

nbgrader config (nbgrader's Execute preprocessor is an nbclient NotebookClient)::

    c.Execute.kernel_manager_class = "trauma_curriculum.supervisor.sandbox.SandboxedKernelManager"

:class:`AsyncSandboxedKernelManager` is the same sandbox on jupyter_client's AsyncKernelManager, the class
nbgrader uses by default.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager, KernelManager
from jupyter_core.utils import run_sync
from traitlets import Bool, CaselessStrEnum, Integer, List, Unicode

__all__ = ["UNSAFE_ENV", "AsyncSandboxedKernelManager", "SandboxedKernelManager", "sandbox_available"]

#: Set to "1" to grade without a sandbox where bubblewrap is unavailable (``--unsafe``).
UNSAFE_ENV = "TRAUMA_CURRICULUM_UNSAFE"

MiB = 1024**2
GiB = 1024**3

# bwrap flags that isolate the sandbox; sandbox_available() checks exactly these.
_ISOLATION = [
    "--unshare-all",  # user, ipc, pid, net, uts and cgroup namespaces
    "--unshare-user",  # insist: --unshare-all only *tries* the user namespace
    "--disable-userns",  # no nested user namespace to regain capabilities in
    "--cap-drop", "ALL",  # as root bwrap would otherwise keep every capability
    "--die-with-parent",
    "--new-session",
    "--hostname", "grading-sandbox",
]  # fmt: skip

_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# The parts of /etc that Python, ipykernel and matplotlib read (no shadow, no ssh, no ssl keys).
_ETC = (
    "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone", "nsswitch.conf", "passwd",
    "group", "hosts", "alternatives", "fonts", "mime.types", "matplotlibrc", "ipython", "jupyter",
)  # fmt: skip
# Environment variables the kernel gets from the grader (everything else, secrets included, is dropped).
_ENV_NAMES = {
    "PATH", "LANG", "LANGUAGE", "TZ", "TERM", "COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "CLICOLOR",
    "CLICOLOR_FORCE", "SOURCE_DATE_EPOCH", "MPLBACKEND", "JUPYTER_PLATFORM_DIRS",
}  # fmt: skip
_ENV_PREFIXES = ("LC_", "PYTHON", "JPY_", "PYDEVD_", "OPENBLAS_", "OMP_", "MKL_", "NUMEXPR_", "VECLIB_")
_STUB = (
    'raise ImportError("trauma_curriculum.supervisor (the scoring code) is not available inside the '
    'grading sandbox")\n'
)


def _probe_command(bwrap: str) -> list[str]:
    return [bwrap, *_ISOLATION, "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev",
            "--size", str(MiB), "--tmpfs", "/tmp", "--remount-ro", "/", "true"]  # fmt: skip


@functools.lru_cache(maxsize=8)
def sandbox_available(bwrap: str = "bwrap") -> str | None:
    """None when bubblewrap can build the kernel sandbox here, else a one-line reason."""
    if not sys.platform.startswith("linux"):
        return f"the grading sandbox needs Linux (bubblewrap), not {sys.platform}"
    path = shutil.which(bwrap)
    if path is None:
        return "bubblewrap (bwrap) is not installed: apt-get install bubblewrap"
    if shutil.which("prlimit") is None:
        return "prlimit is not installed: apt-get install util-linux"
    try:
        probe = subprocess.run(_probe_command(path), capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap ({path}) could not be run: {error}"
    if probe.returncode != 0:
        said = (probe.stderr.strip().splitlines() or [f"exit status {probe.returncode}"])[-1]
        return f"bubblewrap cannot build a sandbox here ({said}): user namespaces may be disabled"
    return None


def _within(path: str, base: str) -> bool:
    return path == base or path.startswith(base.rstrip("/") + "/")


def _package_dir() -> str:
    import trauma_curriculum

    return os.path.realpath(os.path.dirname(trauma_curriculum.__file__))


def _pids_cgroup(name: str, limit: int) -> Path | None:
    """A new cgroup limited to ``limit`` tasks, or None where no pids controller is writable here."""
    v1, v2 = Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")
    try:
        if (v1 / "cgroup.procs").is_file():
            group = v1 / "trauma-curriculum"
            group.mkdir(exist_ok=True)
        elif "pids" in (v2 / "cgroup.controllers").read_text().split():
            group = v2 / "trauma-curriculum"
            (v2 / "cgroup.subtree_control").write_text("+pids")
            group.mkdir(exist_ok=True)
            (group / "cgroup.subtree_control").write_text("+pids")
        else:
            return None
        cgroup = group / name
        cgroup.mkdir()
    except OSError:
        return None
    try:
        (cgroup / "pids.max").write_text(str(limit))
    except OSError:
        _remove_cgroup(cgroup)
        return None
    return cgroup


def _remove_cgroup(cgroup: Path) -> None:
    for _ in range(40):  # the sandbox's processes are reaped just after bwrap is gone
        try:
            cgroup.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.05)


class SandboxedKernelManager(KernelManager):
    """A KernelManager whose kernel runs inside bubblewrap (see the module docstring)."""

    memory_limit = Integer(
        2 * GiB, config=True, help="Address-space limit (RLIMIT_AS) in bytes for the kernel and every "
        "process it starts; 0 for none."
    )  # fmt: skip
    process_limit = Integer(
        256, config=True, help="Most tasks (processes and threads) in the sandbox, as a pids cgroup where "
        "one is writable, and RLIMIT_NPROC (not enforced for root); 0 for none."
    )  # fmt: skip
    tmp_size = Integer(
        256 * MiB, config=True, help="Size in bytes of the sandbox's private /tmp and /dev/shm."
    )
    extra_ro_paths = List(
        Unicode(), config=True, help="More host paths the kernel may read (bound read-only at the same path)."
    )
    pass_env = List(Unicode(), config=True, help="More environment variable names passed to the kernel.")
    bwrap = Unicode("bwrap", config=True, help="The bubblewrap executable.")

    # No network in the sandbox: zmq over unix sockets, never cached TCP ports.
    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)
    cache_ports = Bool(False, config=False)

    _sandbox_dir: str | None = None
    _sandboxed = False
    _cgroup: Path | None = None

    async def _async_pre_start_kernel(self, **kw):
        reason = sandbox_available(self.bwrap)
        if reason is not None:
            if os.environ.get(UNSAFE_ENV) != "1":
                raise RuntimeError(
                    f"cannot sandbox the notebook kernel: {reason}; to grade without a sandbox (trainee code "
                    f"can then read the answer keys and the gradebook) pass --unsafe or set {UNSAFE_ENV}=1"
                )
            self.log.warning("%s=1: running the kernel WITHOUT a sandbox (%s)", UNSAFE_ENV, reason)
        self._sandboxed = reason is None
        if self._sandboxed and kw.get("cwd"):
            kw["cwd"] = os.path.realpath(kw["cwd"])
            self._check_workdir(kw["cwd"])
        self._prepare_private_dir()
        if self._sandboxed:
            if not kw.get("cwd"):  # never the grader's own folder: an empty one of the kernel's
                kw["cwd"] = os.path.join(self._sandbox_dir, "work")
                os.makedirs(kw["cwd"], exist_ok=True)
            if self.kernel_spec is not None:
                self.kernel_spec.interrupt_mode = "message"  # a SIGINT would reach bwrap, not the kernel
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        if self._sandboxed:
            kw["env"] = self._sandbox_env(kw.get("env") or dict(os.environ))
        return kernel_cmd, kw

    pre_start_kernel = run_sync(_async_pre_start_kernel)

    def format_kernel_cmd(self, extra_arguments=None):
        """The kernel spec's command, wrapped in bwrap and prlimit when sandboxed."""
        cmd = super().format_kernel_cmd(extra_arguments=extra_arguments)
        if not self._sandboxed:
            return cmd
        return self._wrap(cmd, self._launch_args["cwd"])

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if restart:
            return
        if self._cgroup is not None:
            _remove_cgroup(self._cgroup)
            self._cgroup = None
        if self._sandbox_dir is not None:
            shutil.rmtree(self._sandbox_dir, ignore_errors=True)
            self._sandbox_dir = None

    cleanup_resources = run_sync(_async_cleanup_resources)

    # -- the sandbox --------------------------------------------------------------------------------

    def _prepare_private_dir(self) -> None:
        """A 0700 directory per kernel: run/ (connection file and sockets, bound read-write) and stub/."""
        if self._sandbox_dir is not None and os.path.isdir(self._sandbox_dir):
            return  # a restart keeps its connection file
        self._sandbox_dir = os.path.realpath(tempfile.mkdtemp(prefix="tc-kernel-"))
        run = os.path.join(self._sandbox_dir, "run")
        os.mkdir(run, 0o700)
        os.mkdir(os.path.join(self._sandbox_dir, "stub"), 0o700)
        Path(self._sandbox_dir, "stub", "__init__.py").write_text(_STUB, encoding="utf-8")
        self.connection_file = os.path.join(run, "kernel.json")
        self._connection_file_written = False
        self.transport = "ipc"
        self.ip = os.path.join(run, "kernel")  # sockets run/kernel-1 ... (short: sun_path has 108 bytes)

    def _read_only_paths(self, executable: str) -> list[str]:
        """Host paths bound read-only at the same place, besides /usr (outermost first, none nested)."""
        etc = [os.path.join("/etc", name) for name in _ETC] + [str(p) for p in Path("/etc").glob("python3*")]
        paths = [p for p in etc if os.path.lexists(p)]  # bound where they are (/etc/localtime is a symlink)
        real = [sys.base_prefix, sys.prefix, sys.base_exec_prefix, sys.exec_prefix, _package_dir(),
                shutil.which("prlimit") or "/usr/bin/prlimit", executable, *self.extra_ro_paths]  # fmt: skip
        paths += [os.path.realpath(p) for p in real if os.path.exists(p)]
        kept: list[str] = []
        for path in sorted(set(paths), key=len):
            if not any(_within(path, base) for base in ("/usr", *kept)):
                kept.append(path)
        return kept

    def _check_workdir(self, workdir: str) -> None:
        if not os.path.isdir(workdir):
            raise RuntimeError(f"the kernel's working directory {workdir} is not a directory")
        for path in [*self._read_only_paths(sys.executable), os.path.realpath(tempfile.gettempdir())]:
            if _within(path, workdir):
                raise RuntimeError(
                    f"refusing to sandbox a kernel whose working directory {workdir} contains {path}: "
                    "start it in the folder of the notebook being graded"
                )

    def _wrap(self, cmd: list[str], workdir: str) -> list[str]:
        executable = shutil.which(cmd[0]) or cmd[0]
        run = os.path.join(self._sandbox_dir, "run")
        supervisor = os.path.join(_package_dir(), "supervisor")
        args = [shutil.which(self.bwrap) or self.bwrap, *_ISOLATION]
        for name in _SYSTEM_DIRS:
            if os.path.islink(name):
                args += ["--symlink", os.readlink(name), name]
            elif os.path.isdir(name):
                args += ["--ro-bind", name, name]
        args += ["--proc", "/proc", "--dev", "/dev"]
        args += ["--size", str(self.tmp_size), "--tmpfs", "/dev/shm", "--remount-ro", "/dev"]
        args += ["--size", str(self.tmp_size), "--tmpfs", "/tmp"]
        # bwrap makes the folders leading to a bind; under /tmp they would be writable (if private) copies of
        # the course's folders: each goes on its own tmpfs, remounted read-only once the binds are in.
        # The same for the read-only paths (a venv or a clone under /tmp, as CI may put them), which are
        # bound after the tmpfs mounts so that none hides them.
        read_only = self._read_only_paths(executable)
        binds = {run, workdir, *read_only}
        ancestors = sorted({"/tmp/" + Path(p).relative_to("/tmp").parts[0] for p in binds if _within(p, "/tmp")}
                           - binds)  # fmt: skip
        for path in ancestors:
            args += ["--size", str(MiB), "--tmpfs", path]
        for path in read_only:
            args += ["--ro-bind", path, path]
        args += ["--bind", run, run, "--bind", workdir, workdir]
        for path in ancestors:
            args += ["--remount-ro", path]
        if os.path.isdir(supervisor):  # hidden: no scoring code is importable or readable
            args += ["--tmpfs", supervisor]
            args += ["--ro-bind", os.path.join(self._sandbox_dir, "stub", "__init__.py"),
                     os.path.join(supervisor, "__init__.py"), "--remount-ro", supervisor]  # fmt: skip
        # The kernel's parent in the sandbox is bwrap's reaper, PID 1: ipykernel's parent poller, given the
        # grader's pid, would take that for init and exit. JPY_PARENT_PID=1 is the truth and turns the poller
        # off (--die-with-parent does its job); unset, ipykernel prints a console banner on stderr.
        args += ["--remount-ro", "/", "--chdir", workdir, "--setenv", "JPY_PARENT_PID", "1", "--"]
        limits = ["--core=0"]
        if self.memory_limit > 0:
            limits.append(f"--as={self.memory_limit}")
        if self.process_limit > 0:
            limits.append(f"--nproc={self.process_limit}")
        args += [shutil.which("prlimit") or "prlimit", *limits, "--", *cmd]
        if self.process_limit > 0 and self._cgroup is None:
            self._cgroup = _pids_cgroup(f"{os.getpid()}-{self.kernel_id}", self.process_limit)
        if self._cgroup is not None:  # join the cgroup before bwrap starts, so nothing escapes it
            args = ["/bin/sh", "-c", 'echo $$ > "$0" && exec "$@"', str(self._cgroup / "cgroup.procs"), *args]
        return args

    def _sandbox_env(self, env: dict[str, str]) -> dict[str, str]:
        """The grader's environment, less everything the kernel has no need for (secrets, host paths)."""
        names = _ENV_NAMES | set(self.pass_env) | set(getattr(self.kernel_spec, "env", None) or {})
        kept = {k: v for k, v in env.items() if k in names or k.startswith(_ENV_PREFIXES)}
        kept.update(HOME="/tmp", TMPDIR="/tmp")
        return kept


class AsyncSandboxedKernelManager(SandboxedKernelManager, AsyncKernelManager):
    """The same sandbox on jupyter_client's AsyncKernelManager (nbgrader's default kernel manager)."""

    pre_start_kernel = SandboxedKernelManager._async_pre_start_kernel
    cleanup_resources = SandboxedKernelManager._async_cleanup_resources
