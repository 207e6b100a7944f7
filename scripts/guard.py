"""Never a traceback: an unexpected exception becomes one line that names the file being processed and asks for a
report; the command exits 1, a MkDocs hook aborts the build with that line.

Reads and writes nothing (prints to stderr). Problems in data are Errors collected by records.py and printed by the
commands; what reaches this module is a bug of the scripts (or a case the validator does not know yet), so the line
says so and where to report it.
- `about(file)`: a context manager the loaders and the renderer wrap around each file or page, so an exception
  leaving it carries that file's name (InternalError);
- `command(main)`: decorates a command's main(argv);
- `hook(function)`: decorates a MkDocs hook; the page being built, if the hook has one, names the file.
"""

from __future__ import annotations

import functools
import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator

ISSUES = "https://github.com/als-atlas/als-stem-cell-atlas/issues"


class InternalError(Exception):
    """An unexpected exception while processing `file`."""

    def __init__(self, file: str, error: BaseException):
        super().__init__(f"{file}: {type(error).__name__}: {error}")
        self.file = file
        self.error = error

    def __reduce__(self):  # picklable, to come back from a forked renderer (scripts/forked.py)
        return InternalError, (self.file, self.error)


@contextmanager
def about(file: str) -> Iterator[None]:
    """Name `file` in any unexpected exception raised inside the block (the innermost file wins)."""
    try:
        yield
    except InternalError:
        raise
    except Exception as exc:  # noqa: BLE001 - every exception is reported, none is swallowed
        raise InternalError(file, exc) from exc


def line(exc: BaseException, where: str = "") -> str:
    """The one line shown for an unexpected exception."""
    if isinstance(exc, InternalError):
        where, what = exc.file, f"{type(exc.error).__name__}: {exc.error}"
    else:
        what = f"{type(exc).__name__}: {exc}"
    what = " ".join(what.split())[:300]
    return (f"internal error while processing {where or 'the data'}: {what} — this is a bug in the site's scripts; "
            f"please report it at {ISSUES} with this line and that file")


def command(main: Callable[..., int]) -> Callable[..., int]:
    """A command's main(): an unexpected exception prints one line and returns 1."""
    @functools.wraps(main)
    def run(*args: Any, **kwargs: Any) -> int:
        try:
            return main(*args, **kwargs)
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return 130
        except Exception as exc:  # noqa: BLE001
            print(line(exc), file=sys.stderr)
            return 1
    return run


def hook(function: Callable) -> Callable:
    """A MkDocs hook: an unexpected exception aborts the build with one line (MkDocs prints a PluginError's message
    without a traceback)."""
    from mkdocs.exceptions import MkDocsException, PluginError

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except MkDocsException:
            raise
        except Exception as exc:  # noqa: BLE001
            page = kwargs.get("page") or next((a for a in args if hasattr(a, "file") and hasattr(a, "title")), None)
            where = f"docs/{page.file.src_uri}" if page is not None and getattr(page, "file", None) else ""
            raise PluginError(line(exc, where or f"the {function.__name__} step of the build")) from None
    return run
