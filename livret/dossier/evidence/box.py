"""Reading a candidate's file in a box: a child process with a wall-clock limit and an
address-space limit, killed on overrun.

Why a process: a small hostile PDF can keep a parser busy for hours or make it allocate
gigabytes (a page drawing a huge form thousands of times, pages sharing one stream that
inflates to tens of megabytes of operators). Neither pypdf nor PDFium can be interrupted
from the outside in the same process: an alarm lands in a library's ``except Exception``
and is swallowed, and PDFium's C code never checks for it. A child process can always be
killed, and its memory is given back whole when it ends.

The child is *forked*: it starts in a millisecond with the parent's modules already
loaded (no re-import of Django), and the function it runs is not pickled, so anything
callable works. It never touches the database or the ORM (the connection it inherits
belongs to the parent): it reads a file and sends plain data back through a pipe. It
ends with ``os._exit`` (multiprocessing does this), so nothing of the parent — database
connections, open files, atexit handlers — is closed or flushed by the child.

This works the same in a gunicorn sync worker, in ``manage.py db_worker`` and in the
request of ``runserver`` with the immediate tasks backend: an upload always answers.
"""

import faulthandler
import logging
import math
import multiprocessing
import multiprocessing.connection
import os
import resource
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

# Kinds of failure, for the French reasons (``refusals.too_complex``) and the logs.
TIMEOUT = "timeout"  # killed at the wall-clock limit
MEMORY = "memory"  # the address-space limit was hit (MemoryError, or an abort in C code)
CRASH = "crash"  # died without answering (another signal)
ERROR = "error"  # an unexpected exception in the child

# The libraries' own loggers are silenced in the child: one malformed PDF made pypdf write
# 16,508 lines (one per object it repaired). The box logs one line per piece instead.
QUIET_LOGGERS = ("pypdf", "pypdfium2")

# Python's own recursion bound in the child: deep enough for any genuine PDF's nesting,
# low enough that a hostile one ends in RecursionError long before the C stack is at risk
# (a test runner or a library may have raised it in the parent).
RECURSION_LIMIT = 1000


@dataclass(frozen=True)
class BoxLimits:
    """How long and how much memory one reading may take."""

    seconds: float
    # Address space the child may add to what it inherits from its parent at fork time.
    memory_bytes: int

    @classmethod
    def for_checks(cls) -> "BoxLimits":
        """The checks of an upload, which run in the request (settings, read at call time)."""
        return cls._from_settings(settings.VAE_EVIDENCE_CHECK_SECONDS)

    @classmethod
    def for_extraction(cls) -> "BoxLimits":
        """The text extraction, in the tasks worker."""
        return cls._from_settings(settings.VAE_EVIDENCE_EXTRACT_SECONDS)

    @classmethod
    def _from_settings(cls, seconds: float) -> "BoxLimits":
        return cls(seconds=seconds, memory_bytes=settings.VAE_EVIDENCE_BOX_MEMORY_MB * 1024 * 1024)


class BoxFailure(Exception):
    """The child did not give an answer: ``kind`` says why (``TIMEOUT``, ``MEMORY``,
    ``CRASH``, ``ERROR``), ``detail`` is the technical detail, for the log only."""

    def __init__(self, kind: str, detail: str, *, limits: BoxLimits):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail
        self.limits = limits


def run(
    function: Callable[..., Any],
    *args: Any,
    limits: BoxLimits,
    answers: tuple[type[BaseException], ...] = (),
) -> Any:
    """``function(*args)`` run in a child process within ``limits``: its return value, or
    the exception it raised when that exception is one of ``answers`` (an expected
    outcome, such as a refusal), or ``BoxFailure``.

    The return value and the ``answers`` exceptions must pickle; they should be small.
    """
    return run_all(function, [args], limits=limits, answers=answers)[0]


def run_all(
    function: Callable[..., Any],
    calls: list[tuple[Any, ...]],
    *,
    limits: BoxLimits,
    answers: tuple[type[BaseException], ...] = (),
) -> list[Any]:
    """``function(*args)`` for each ``args`` of ``calls``, each in a child process of its
    own, all at once, within the same ``limits`` each (the wall-clock limit counts for all
    of them together): their return values, in the order of ``calls``. The first child
    that fails (or raises one of ``answers``) ends the others at once and gives the
    outcome, as ``run`` does.
    """
    context = multiprocessing.get_context("fork")
    deadline = time.monotonic() + limits.seconds
    children = {}
    try:
        for index, args in enumerate(calls):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(
                target=_child,
                args=(sender, function, args, limits, answers),
                name="vae-evidence-box",
            )
            process.start()
            sender.close()  # the child's end: EOF reaches us once the child is gone
            children[receiver] = (index, process)
        results = [None] * len(calls)
        pending = dict(children)
        while pending:
            ready = multiprocessing.connection.wait(
                list(pending), timeout=max(0.0, deadline - time.monotonic())
            )
            if not ready:
                raise BoxFailure(
                    TIMEOUT, f"still running after {limits.seconds:g} s", limits=limits
                )
            for receiver in ready:
                index, process = pending.pop(receiver)
                status, payload = _answer(process, receiver, deadline)
                if status == "raised":
                    raise payload
                if status != "ok":
                    raise BoxFailure(status, payload, limits=limits)
                results[index] = payload
        return results
    finally:
        for receiver, (_index, process) in children.items():
            if process.is_alive():
                process.kill()
            process.join()
            receiver.close()


def _answer(process, receiver, deadline: float) -> tuple[str, Any]:
    """The message of a child whose pipe is ready: ``("ok", value)``, ``("raised",
    exception)``, or a failure kind with its detail."""
    try:
        return receiver.recv()
    except EOFError:
        pass  # died without a word: its exit status says how
    except Exception as exc:  # an answer that does not unpickle
        return (ERROR, f"unreadable answer: {exc!r}")
    process.join(max(0.0, deadline - time.monotonic()))
    return _death(process.exitcode)


def _death(exitcode: int | None) -> tuple[str, str]:
    # A child stopped by its CPU limit gets SIGXCPU. One that hit the address-space limit
    # inside C code does not raise MemoryError: PDFium ends with abort() on a failed
    # allocation (SIGABRT), the one way it dies on the hostile files we know of.
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        if name == "SIGXCPU":
            return (TIMEOUT, "killed by its CPU time limit")
        if name == "SIGABRT":
            return (MEMORY, "aborted, most likely on a failed allocation")
        return (CRASH, f"died of {name}")
    return (CRASH, f"exited with status {exitcode} without answering")


def _confine(limits: BoxLimits) -> None:
    """In the child: the limits, quiet libraries, and no way to outlive a dead parent."""
    base = _address_space()
    memory = base + limits.memory_bytes
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        memory = min(memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (memory, hard))
    # The parent kills the child at the wall-clock limit; if the parent itself is killed
    # first (a gunicorn worker past its timeout), the CPU limit still ends the child.
    cpu = math.ceil(limits.seconds) + 1
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or hard > cpu:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, hard))
    sys.setrecursionlimit(RECURSION_LIMIT)
    # A level above CRITICAL on the package's logger: its modules' loggers inherit it.
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    # A crash is reported by the parent in one line, not by a dump of every thread's stack
    # (faulthandler is on under pytest and with python -X faulthandler).
    faulthandler.disable()


def _address_space() -> int:
    """The child's address space as forked (``VmSize``), which the limit is added to: a
    web worker already maps a few hundred megabytes of libraries and arenas."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _child(sender, function, args, limits, answers) -> None:
    try:
        _confine(limits)
        message = ("ok", function(*args))
    except answers as exc:
        message = ("raised", exc)
    except MemoryError as exc:
        message = (MEMORY, repr(exc)[:1000])
    except BaseException as exc:  # anything else (SystemExit included) is reported
        message = (ERROR, f"{type(exc).__module__}.{type(exc).__qualname__}: {exc!s}"[:1000])
    try:
        sender.send(message)
    except MemoryError:
        # The answer itself did not fit: say so in a message that does.
        sender.send((MEMORY, "the answer did not fit in the memory limit"))
    finally:
        sender.close()
