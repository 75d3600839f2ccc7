"""The walls around user code, put up by the child process before any user code runs.

Loaded by ``child.py`` from its own folder (never imported by the server), so it uses the standard
library only. The process the server starts is the *supervisor*: it never runs user code. It puts
the user code in a process of its own and ends every process that code started when the run ends,
its time limit passes, the server asks (SIGTERM) or the server goes away (its lifeline pipe closes).

On Linux with unprivileged user namespaces (Debian, Ubuntu, Fedora by default) the user code runs
in new user, PID, mount, network, IPC and UTS namespaces:

- it is PID 2 under an init of ours (PID 1), sees only its own processes in ``/proc`` and cannot
  signal anything outside; when init ends, the kernel ends every process in the namespace, new
  sessions and double forks included, and init's exit waits for them;
- its network has a loopback interface and nothing else; init forwards one loopback port to the
  run's gateway (a Unix socket the server listens on), which stamps the run's account and region;
- home folders, ``/run`` and ``/sys/fs/cgroup`` are hidden behind empty read-only file systems and
  the temporary folders behind fresh private ones, leaving the interpreter's library folders (read-only)
  and the run's own folder in place; it holds no capabilities and cannot gain any (``no_new_privs``),
  and a root server's user code is the host's nobody.

Where that is not possible (another OS, namespaces disabled, a container that forbids mounting
``/proc``) the supervisor says why in the report and falls back: the user code runs in the host's
namespaces, confined by Python-level socket patches, in a new session; the supervisor is a child
subreaper (Linux) and ends every descendant it can find when the run ends.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import json
import os
import select
import signal
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

_CLONE_NEWNS = 0x00020000
_CLONE_NEWUTS = 0x04000000
_CLONE_NEWIPC = 0x08000000
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWPID = 0x20000000
_CLONE_NEWNET = 0x40000000
_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_NOEXEC = 1, 2, 4, 8
_MS_REMOUNT, _MS_BIND, _MS_REC, _MS_PRIVATE = 32, 4096, 16384, 1 << 18
_PR_SET_PDEATHSIG, _PR_SET_DUMPABLE, _PR_CAPBSET_DROP = 1, 4, 24
_PR_SET_CHILD_SUBREAPER, _PR_SET_NO_NEW_PRIVS, _PR_CAP_AMBIENT = 36, 38, 47
_PR_CAP_AMBIENT_CLEAR_ALL = 4
_SIOCSIFFLAGS = 0x8914
_IFF_UP, _IFF_LOOPBACK, _IFF_RUNNING = 0x1, 0x8, 0x40
_CAPABILITY_VERSION_3 = 0x20080522
# Whoever the server runs as, user code is not root inside its namespace: "nobody" when the server
# is root, the server's own ids otherwise (an unprivileged process may map only its own).
_NOBODY = 65534
_MAX_CONNECTIONS = 64
# The signals init ignores (the kernel then drops them when user code sends them to its namespace's init)
# and the user code gets back with their defaults.
_INIT_IGNORES = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)


class Unavailable(Exception):
    """A wall the OS does not offer here; the message says which and why."""


_loaded_libc: Any = None


def _libc() -> Any:
    """The C library, found once per interpreter (``find_library`` may run ``ldconfig``); the warm process
    finds it before it forks, so a forked run does not look again."""
    global _loaded_libc
    if _loaded_libc is None:
        _loaded_libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    return _loaded_libc


def _check(result: int, what: str) -> None:
    if result != 0:
        number = ctypes.get_errno()
        raise Unavailable(f"{what}: {os.strerror(number)}")


def _prctl(libc: Any, option: int, value: int = 0) -> int:
    return int(libc.prctl(ctypes.c_int(option), ctypes.c_ulong(value), ctypes.c_ulong(0), ctypes.c_ulong(0), 0))


def report(fd: int, **entry: Any) -> None:
    """One JSON line for the server (how the run was walled in, how it ended)."""
    with contextlib.suppress(OSError):
        os.write(fd, (json.dumps(entry) + "\n").encode())


# ---------------------------------------------------------------- capabilities and mounts


def drop_privileges(libc: Any, become_nobody: bool = False) -> None:
    """No capabilities now or after any exec, and no way to gain them (setuid files, file capabilities).
    With ``become_nobody`` (a root server's user code), also the host's nobody, not root by another name:
    root-owned files, cgroups and kernel settings stay root's."""
    for cap in range(64):
        if _prctl(libc, _PR_CAPBSET_DROP, cap) != 0:
            break
    _prctl(libc, _PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL)
    if become_nobody:
        os.setgroups([])
        os.setgid(_NOBODY)
        os.setuid(_NOBODY)

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    _check(libc.capset(ctypes.byref(Header(_CAPABILITY_VERSION_3, 0)), (Data * 2)()), "capset")
    _check(_prctl(libc, _PR_SET_NO_NEW_PRIVS, 1), "no_new_privs")


def _mount(libc: Any, source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    def encode(text: str | None) -> bytes | None:
        return text.encode() if text is not None else None

    result = libc.mount(encode(source), encode(target), encode(fstype), ctypes.c_ulong(flags), encode(data))
    _check(result, f"mount {fstype or source} on {target}")


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


_STATVFS_TO_MOUNT = {2: _MS_NOSUID, 4: _MS_NODEV, 8: _MS_NOEXEC, 1024: 1024, 2048: 2048, 4096: 1 << 21}


def _locked_flags(path: str) -> int:
    """The flags of the mount ``path`` is on that a remount inside a user namespace must keep (the kernel
    locks them when it copies the mount table into the namespace)."""
    try:
        have = os.statvfs(path).f_flag
    except OSError:
        return _MS_NOSUID | _MS_NODEV
    return sum(flag for bit, flag in _STATVFS_TO_MOUNT.items() if have & bit)


def hide(libc: Any, root: str, kept: dict[str, int], writable: bool, read_write: str) -> None:
    """Cover ``root`` with an empty file system (private and writable, or read-only), then put back the
    folders and files of ``kept`` (path: an ``O_PATH`` descriptor opened before any cover went on) that
    lie under it, at their own paths, read-only except ``read_write`` (the run's own folder)."""
    options = "mode=1777" if writable else "mode=755,size=1m"
    _mount(libc, "tmpfs", root, "tmpfs", _MS_NOSUID | _MS_NODEV, options)
    for path, handle in kept.items():
        if not _under(path, root) or path == root:
            continue
        if os.path.isdir(f"/proc/self/fd/{handle}"):
            os.makedirs(path, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "a"):
                pass
        _mount(libc, f"/proc/self/fd/{handle}", path, None, _MS_BIND | _MS_REC)
        if path != read_write:
            # The interpreter and libraries are read, never written: a run cannot plant code in them.
            _mount(libc, None, path, None, _MS_REMOUNT | _MS_BIND | _MS_RDONLY | _locked_flags(path))
    if not writable:
        _mount(libc, None, root, None, _MS_REMOUNT | _MS_RDONLY | _MS_NOSUID | _MS_NODEV, options)


def loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sh22x", b"lo", _IFF_UP | _IFF_LOOPBACK | _IFF_RUNNING)
        try:
            fcntl.ioctl(sock.fileno(), _SIOCSIFFLAGS, request)
        except OSError as error:
            raise Unavailable(f"bring up the loopback interface: {error.strerror}") from None


def _outermost(paths: list[str]) -> list[str]:
    """The paths with every one that lies under another removed."""
    chosen: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(_under(path, other) for other in chosen):
            chosen.append(path)
    return chosen


def _hidden_roots(spec: dict[str, Any]) -> list[tuple[str, bool]]:
    roots: list[tuple[str, bool]] = []
    for path, writable in spec["hide_paths"]:
        real = os.path.realpath(path)
        if real != "/" and os.path.isdir(real) and all(real != other for other, _ in roots):
            roots.append((real, bool(writable)))
    return roots


def open_kept(spec: dict[str, Any]) -> dict[str, int]:
    """``O_PATH`` descriptors of what is put back under the hidden folders, opened in init before any
    cover goes on and before the ids drop (nobody cannot walk into /root to open them)."""
    roots = _hidden_roots(spec)
    # A kept folder that holds a hidden one (the server's script in /tmp put /tmp on sys.path) is not
    # kept whole: hiding wins, and only what lies deeper is put back.
    real_keep = [os.path.realpath(path) for path in spec["keep_paths"]]
    keep = _outermost([path for path in real_keep if not any(_under(root, path) for root, _ in roots)])
    handles: dict[str, int] = {}
    for path in keep:
        if any(_under(path, root) for root, _ in roots):
            with contextlib.suppress(OSError):
                handles[path] = os.open(path, os.O_PATH)
    return handles


def wall_in(libc: Any, spec: dict[str, Any], kept: dict[str, int]) -> None:
    """In init, with the namespace's capabilities: a private mount table, our own /proc, the hidden
    folders, a loopback interface that is up."""
    _mount(libc, None, "/", None, _MS_REC | _MS_PRIVATE)
    try:
        _mount(libc, "proc", "/proc", "proc", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC)
    except Unavailable:
        # Containers that mask parts of /proc forbid a new one; then no /proc at all.
        _mount(libc, "tmpfs", "/proc", "tmpfs", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC | _MS_RDONLY, "size=4k")
    folder = os.path.realpath(spec["folder"])
    # Outer folders first: a folder under one already covered is gone, unless it was kept.
    for root, writable in sorted(_hidden_roots(spec), key=lambda item: len(item[0])):
        if os.path.isdir(root):
            hide(libc, root, kept, writable, folder)
    for handle in kept.values():
        os.close(handle)
    loopback_up()


# ---------------------------------------------------------------- the loopback forwarder


def _pump(client: socket.socket, gateway_path: str) -> None:
    with client, socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as upstream:
        try:
            upstream.connect(gateway_path)
        except OSError:
            return
        peers = {client: upstream, upstream: client}
        open_ends = {client, upstream}
        while open_ends:
            readable, _, _ = select.select(list(open_ends), [], [])
            for sock in readable:
                try:
                    data = sock.recv(65536)
                except OSError:
                    data = b""
                if not data:
                    open_ends.discard(sock)
                    with contextlib.suppress(OSError):
                        peers[sock].shutdown(socket.SHUT_WR)
                    continue
                try:
                    peers[sock].sendall(data)
                except OSError:
                    return


def listen_loopback() -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    return listener


def forward(listener: socket.socket, gateway_path: str) -> None:
    """Forward every connection to the loopback port to the gateway, from daemon threads."""

    slots = threading.BoundedSemaphore(_MAX_CONNECTIONS)

    def pump(client: socket.socket) -> None:
        try:
            _pump(client, gateway_path)
        finally:
            slots.release()

    def accept_loop() -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if not slots.acquire(blocking=False):
                client.close()  # a run holds at most so many connections to the mock at once
                continue
            threading.Thread(target=pump, args=(client,), daemon=True).start()

    threading.Thread(target=accept_loop, name="moto-glue-forwarder", daemon=True).start()


# ---------------------------------------------------------------- processes


def status_of(wait_status: int) -> int:
    """Popen's convention: the exit code, or minus the signal that ended the process."""
    if os.WIFSIGNALED(wait_status):
        return -os.WTERMSIG(wait_status)
    return os.WEXITSTATUS(wait_status) if os.WIFEXITED(wait_status) else 1


def processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, state letter) of every process in this /proc; none where there is no /proc."""
    found: list[tuple[int, int, str]] = []
    try:
        names = os.listdir("/proc")
    except OSError:
        return found
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses; the last ")" ends it.
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) > 1:
            found.append((int(name), int(fields[1]), fields[0].decode("ascii", "replace")))
    return found


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for pid, parent, _ in processes():
        children.setdefault(parent, []).append(pid)
    return children


def _childless() -> bool:
    """Whether this process has no child at all, ended or not (reaping one that ended, if any)."""
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def end_descendants(subreaper: bool = False) -> None:
    """SIGKILL every descendant of this process and reap them all. Orphans come back to us (we are a
    subreaper), so repeating until none is left catches new sessions and double forks. A subreaper with
    no child has no descendant either (each one's line of parents ends at a child of ours), and does not
    read all of ``/proc`` to find that out."""
    me = os.getpid()
    for _ in range(200):
        if subreaper and _childless():
            return
        tree = _children_by_parent()
        found: list[int] = []
        queue = list(tree.get(me, []))
        while queue:
            pid = queue.pop()
            found.append(pid)
            queue.extend(tree.get(pid, []))
        for pid in found:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        reaped = False
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                break
            reaped = True
        if not found and not reaped:
            time.sleep(0.005)


class _Stop(Exception):
    """The server asked the run to end (SIGTERM)."""


def _on_term(signum: int, frame: Any) -> None:
    raise _Stop


def _wait_for(pid: int, lifeline: int, deadline: float) -> tuple[int | None, str | None]:
    """Wait until ``pid`` ends (its status), the deadline passes ("timeout"), the server goes away
    ("server gone") or asks us to stop ("stopped"); reaps whatever else ends meanwhile."""
    pidfd = -1
    with contextlib.suppress(OSError, AttributeError):
        pidfd = os.pidfd_open(pid)
    try:
        while True:
            try:
                ended, wait_status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                return 1, None
            if ended:
                return status_of(wait_status), None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None, "timeout"
            watched = [lifeline] + ([pidfd] if pidfd >= 0 else [])
            # Without a pidfd (other OSes, old kernels) look again every 20 ms.
            timeout = remaining if pidfd >= 0 else min(remaining, 0.02)
            try:
                readable, _, _ = select.select(watched, [], [], timeout)
            except _Stop:
                return None, "stopped"
            if lifeline in readable:
                return None, "server gone"
            with contextlib.suppress(ChildProcessError):
                while True:  # orphans handed to us; ``pid`` itself may be among what ended
                    ended, wait_status = os.waitpid(-1, os.WNOHANG)
                    if ended == 0:
                        break
                    if ended == pid:
                        return status_of(wait_status), None
    except _Stop:
        return None, "stopped"
    finally:
        if pidfd >= 0:
            os.close(pidfd)


# ---------------------------------------------------------------- namespaces


def _write_maps(pid: int) -> None:
    """Ids the same inside as out. A root server maps root (init needs it to set up the mounts) and
    nobody (whom the user code becomes); anyone else may map only their own ids."""
    if os.geteuid() == 0:
        lines = f"0 0 1\n{_NOBODY} {_NOBODY} 1\n"
        maps = {"uid_map": lines, "gid_map": lines}
    else:
        with contextlib.suppress(FileNotFoundError), open(f"/proc/{pid}/setgroups", "w") as handle:
            handle.write("deny")  # required before an unprivileged gid_map
        maps = {"uid_map": f"{os.geteuid()} {os.geteuid()} 1\n", "gid_map": f"{os.getegid()} {os.getegid()} 1\n"}
    for name, text in maps.items():
        with open(f"/proc/{pid}/{name}", "w") as handle:
            handle.write(text)


def _read_byte(fd: int, timeout: float) -> bytes:
    readable, _, _ = select.select([fd], [], [], timeout)
    return os.read(fd, 1) if readable else b""


def _namespaced(
    spec: dict[str, Any], fds: dict[str, int], user_main: Callable[[str, bool], None]
) -> tuple[int | None, str | None]:
    """Start the user code in new namespaces; the pid of the process that holds them (its exit status
    is the user code's), or None and why that could not be done."""
    if not sys.platform.startswith("linux"):
        return None, f"{sys.platform} has no Linux namespaces"
    libc = _libc()
    to_parent_r, to_parent_w = os.pipe()
    to_child_r, to_child_w = os.pipe()
    setup_r, setup_w = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the namespace holder
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.close(to_parent_r)
        os.close(to_child_w)
        os.close(setup_r)
        try:
            _prctl(libc, _PR_SET_PDEATHSIG, signal.SIGKILL)
            if os.getppid() != parent:  # the supervisor died before that took hold
                os._exit(70)
            flags = _CLONE_NEWUSER | _CLONE_NEWNS | _CLONE_NEWNET | _CLONE_NEWPID | _CLONE_NEWIPC | _CLONE_NEWUTS
            _check(libc.unshare(ctypes.c_int(flags)), "unshare")
            os.write(to_parent_w, b"u")
            if _read_byte(to_child_r, 10) != b"m":
                os._exit(70)
            init = os.fork()
            if init == 0:
                _init(libc, spec, fds, setup_w, user_main)
            os.close(setup_w)
            _, wait_status = os.waitpid(init, 0)
            os._exit(_exit_code(status_of(wait_status)))
        except Unavailable as error:
            os.write(setup_w, f"!{error}".encode()[:512])
            os._exit(70)
        except BaseException:
            os._exit(70)
    os.close(to_parent_w)
    os.close(to_child_r)
    os.close(setup_w)
    try:
        if _read_byte(to_parent_r, 10) != b"u":
            said = _read_byte(setup_r, 0.5) and os.read(setup_r, 511)
            raise Unavailable(said.decode("utf-8", "replace") if said else "the namespace holder did not start")
        try:
            _write_maps(pid)
        except OSError as error:
            raise Unavailable(f"map user and group ids: {error.strerror}") from None
        os.write(to_child_w, b"m")
        # init writes "+" once the walls stand, or "!why"; EOF means it died before saying.
        answer = b""
        while True:
            readable, _, _ = select.select([setup_r], [], [], 10)
            chunk = os.read(setup_r, 512) if readable else b""
            answer += chunk
            if not chunk or answer.startswith(b"+"):
                break
        if not answer.startswith(b"+"):
            raise Unavailable(answer[1:].decode("utf-8", "replace") or "the namespace setup ended early")
        return pid, None
    except Unavailable as error:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        return None, str(error)
    finally:
        for fd in (to_parent_r, to_child_w, setup_r):
            os.close(fd)


def _keep_only(*kept: int) -> None:
    """Close every descriptor but ``kept``: user code inherits nothing of ours but its output and result."""
    highest = os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 1024
    highest = 1 << 20 if highest < 0 else min(int(highest), 1 << 20)
    low = 0
    for fd in [*sorted(set(kept)), highest]:
        if low < fd:  # closerange(n, n) closes every descriptor from n up (close_range to ~0)
            os.closerange(low, fd)
        low = fd + 1


def _exit_code(status: int) -> int:
    return status if status >= 0 else 128 - status


def _init(
    libc: Any, spec: dict[str, Any], fds: dict[str, int], setup_w: int, user_main: Callable[[str, bool], None]
) -> None:
    """PID 1 of the run's namespace: walls up, then the user code as PID 2, then reap until it ends."""
    try:
        _prctl(libc, _PR_SET_PDEATHSIG, signal.SIGKILL)
        wall_in(libc, spec, open_kept(spec))
        os.chdir(spec["workdir"])
        listener = listen_loopback()
        _prctl(libc, _PR_SET_DUMPABLE, 0)  # nothing in the namespace may read or trace init
    except Unavailable as error:
        os.write(setup_w, f"!{error}".encode()[:512])
        os._exit(70)
    except BaseException as error:
        os.write(setup_w, f"!{type(error).__name__}: {error}".encode()[:512])
        os._exit(70)
    os.write(setup_w, b"+")
    os.close(setup_w)
    # The kernel delivers to a namespace's init only the signals it handles: it handles none (Python's
    # SIGINT handler included), so no signal from the user code reaches it.
    for number in _INIT_IGNORES:
        signal.signal(number, signal.SIG_IGN)
    endpoint = f"http://127.0.0.1:{listener.getsockname()[1]}"
    user = os.fork()
    if user == 0:
        for number in _INIT_IGNORES:
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # user code sees KeyboardInterrupt, as ever
        listener.close()
        _keep_only(0, 1, 2, fds["result"])
        drop_privileges(libc, become_nobody=os.geteuid() == 0)
        user_main(endpoint, True)
        os._exit(1)  # user_main never returns
    # init needs nothing more of root's: it forwards to a socket the user code's ids own, and reaps.
    drop_privileges(libc, become_nobody=os.geteuid() == 0)
    _prctl(libc, _PR_SET_DUMPABLE, 0)  # a change of ids resets it
    forward(listener, spec["gateway"])
    while True:
        try:
            pid, wait_status = os.waitpid(-1, 0)
        except ChildProcessError:
            os._exit(1)
        if pid == user:
            report(fds["report"], exit=status_of(wait_status))
            # Our exit makes the kernel end every process left in the namespace before it completes.
            os._exit(_exit_code(status_of(wait_status)))


# ---------------------------------------------------------------- the supervisor


def supervise(spec: dict[str, Any], fds: dict[str, int], user_main: Callable[[str, bool], None]) -> None:
    """Run ``user_main(endpoint_url, namespaced)`` walled in, wait for it within the time limit, end everything
    it started, report, and exit."""
    deadline = time.monotonic() + float(spec["time_limit"])
    signal.signal(signal.SIGTERM, _on_term)
    libc = _libc() if sys.platform.startswith("linux") else None
    subreaper = libc is not None and _prctl(libc, _PR_SET_CHILD_SUBREAPER, 1) == 0
    holder: int | None = None
    why: str | None = spec.get("namespaces_unavailable")
    if why is None:
        try:
            holder, why = _namespaced(spec, fds, user_main)
        except _Stop:
            end_descendants(subreaper)
            report(fds["report"], ended="stopped")
            os._exit(143)
    if holder is not None:
        report(fds["report"], walls="namespaces")
        pid = holder
    else:
        report(fds["report"], walls="process", why=why)
        listener = listen_loopback()
        endpoint = f"http://127.0.0.1:{listener.getsockname()[1]}"
        pid = os.fork()
        if pid == 0:
            os.setpgid(0, 0)  # a group of its own, which the supervisor kills whole where /proc cannot be read
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            listener.close()
            _keep_only(0, 1, 2, fds["result"])
            user_main(endpoint, False)
            os._exit(1)
        forward(listener, spec["gateway"])
    status, reason = _wait_for(pid, fds["lifeline"], deadline)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if holder is None:
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)
    end_descendants(subreaper)
    if reason == "server gone" and spec.get("folder"):
        # Nobody is left to collect the run: its folder goes with it.
        import shutil

        shutil.rmtree(spec["folder"], ignore_errors=True)
    if reason is not None:
        report(fds["report"], ended=reason)
    elif holder is None:
        report(fds["report"], exit=status)
    os._exit(_exit_code(status) if status is not None else 137)
