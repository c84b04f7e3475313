"""The ``jixiao`` command line: one entry point, one module per sub-command.

Each module in :mod:`jixiao.commands` exposes ``register(subparsers)`` which adds its
parser and sets ``func``; ``func(args)`` returns the exit code. Exit codes: 0 success,
1 the input has errors (``check``), 2 unusable input or arguments, 3 an internal error. A
:class:`~jixiao.errors.JixiaoError` is printed as one line in Chinese and English —
never a traceback. Anything else that escapes a command is a bug (or the machine ran out of
memory): it is printed as one bilingual "internal error" line naming the exception and the
exit code is 3 — never 1, which ``check`` uses for "the table has errors", so a script can
tell a crash from a finding.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from . import __version__
from .errors import JixiaoError

INTERNAL_ERROR = 3  # a bug or exhausted memory; 1 is check's "the table has errors"

# Order = order in ``jixiao --help``. Add a module name here to add a sub-command.
COMMANDS = [
    "check",
    "show",
    "generate",
    "target",
    "score",
    "export",
    "import_",
    "demo",
    "serve",
    "worker",
]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 too; add the Chinese line
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: 参数错误 / error: {message}\n")
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="jixiao", description="预算项目绩效自评 — budget project performance self-evaluation")
    parser.add_argument("--version", action="version", version=f"jixiao {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f"jixiao.commands.{name}").register(sub)
    return parser


def _log_to_stderr() -> None:
    """``JIXIAO_LOG_LEVEL=INFO`` shows the CLI's log lines on standard error too (e.g. each
    import's peak memory and time, docs/import.md); unset, nothing is logged."""
    level = os.environ.get("JIXIAO_LOG_LEVEL", "").strip().upper()
    if level and isinstance(logging.getLevelName(level), int):
        logging.basicConfig(stream=sys.stderr, level=level, format="jixiao: %(name)s: %(message)s")


def main(argv: list[str] | None = None) -> int:
    _log_to_stderr()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except JixiaoError as exc:
        sys.stderr.write(f"jixiao: {exc.describe()}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("jixiao: 已中断 / interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except MemoryError:
        sys.stderr.write("jixiao: 内部错误：内存不足 / internal error: out of memory\n")
        return INTERNAL_ERROR
    except Exception as exc:  # noqa: BLE001 - a bug: one line and exit 3, never a traceback
        detail = f"{type(exc).__name__}: {str(exc)[:500]}"
        sys.stderr.write(f"jixiao: 内部错误，请报告此问题 / internal error, please report it: {detail}\n")
        return INTERNAL_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
