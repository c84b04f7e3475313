"""Reading a settings file given on the command line (``--config``, ``--limits``).

One place for the file and JSON errors, so every command words them the same way; each
settings class (CheckConfig, ScoringConfig, ImportLimits) then rejects unknown keys itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import InputError


def read_settings(path: str, what_zh: str, what_en: str) -> dict[str, Any]:
    """The JSON object in ``path``; InputError (exit 2) naming the file for anything else."""
    try:
        text = Path(path).read_text("utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{what_zh}文件不存在", f"{what_en} file not found", source=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取{what_zh}文件", f"cannot read the {what_en} file ({exc})", source=path) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列",
                         f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                         source=path) from None
    if not isinstance(data, dict):
        raise InputError(f"{what_zh}应为 JSON 对象", f"the {what_en} must be a JSON object", source=path)
    return data
