"""Take the network away from a process that runs queries, so that even a SERVICE clause the query screen missed
reaches nothing (the screen decides on the parsed query; this is the second, independent guard).

On Linux, a seccomp filter (libseccomp through ``pyseccomp``) makes every later ``socket()`` call for anything but a
Unix socket fail with EACCES, in every thread of the process and every process it starts; ``io_uring`` (which can
open sockets without that call) is refused too. Pipes and Unix sockets, which the server's workers talk over, keep
working. The filter cannot be lifted: call ``deny_network`` only in a process that never needs the network again
(``smakg query`` just before it runs the query, each ``smakg serve`` worker when it starts).

>>> isinstance(network_guard_available(), str) or network_guard_available() is None
True
"""

from __future__ import annotations

import contextlib
import errno
import socket
import sys

__all__ = ["deny_network", "network_guard_available"]

_APPLIED = False


def network_guard_available() -> str | None:
    """None when ``deny_network`` can work here, else why not (one line, for a start-up message)."""
    if not sys.platform.startswith("linux"):
        return f"no seccomp on {sys.platform}"
    try:
        import pyseccomp  # noqa: F401  # loads libseccomp.so.2 with ctypes
    except (ImportError, OSError, RuntimeError) as exc:
        return f"libseccomp is not available ({exc}); install Debian's libseccomp2"
    return None


def deny_network() -> str | None:
    """Forbid this process every socket but a Unix one, from now on; None when done, else why it could not be.

    Idempotent: a second call in the same process does nothing.
    """
    global _APPLIED
    if _APPLIED:
        return None
    why = network_guard_available()
    if why is not None:
        return why
    import pyseccomp as seccomp

    refuse = seccomp.ERRNO(errno.EACCES)
    try:
        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        rules.add_rule(refuse, "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        with contextlib.suppress(ValueError):  # a libseccomp older than io_uring does not know the name
            rules.add_rule(refuse, "io_uring_setup")
        rules.set_attr(seccomp.Attr.CTL_TSYNC, 1)  # every thread, not just this one
        rules.load()
    except (OSError, RuntimeError, ValueError) as exc:  # an old kernel, or seccomp forbidden by a container
        return f"the seccomp filter could not be loaded ({exc})"
    _APPLIED = True
    return None
