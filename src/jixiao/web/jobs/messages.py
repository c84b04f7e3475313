"""What a job's page says about it: one catalogue of codes, rendered in the reader's language.

A job stores ``message_code`` and ``message_params``; :func:`render` looks the code up here
(the Chinese text is the msgid, English comes from locale/en like every other message) and
fills in the parameters. A parameter given as a pair ``{"zh": …, "en": …}`` (an importer's
bilingual error) is shown in the page's language. A failure never shows a traceback: what is
not the input's fault is ``internal``, and the details go to the server's log.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jixiao.web import language
from jixiao.web.workflow import STATE_CHANGED

CATALOGUE = {
    "queued": _("排队等待处理。"),
    "running": _("正在处理。"),
    "import_read": _("已读取「%(filename)s」：%(projects)s 个项目，请查看预览后确认保存。"),
    "input": _("文件无法导入：%(reason)s"),
    "input_at": _("文件无法导入：%(path)s：%(reason)s"),
    "import_saved": _("导入已保存（%(n)s 个项目）。"),
    "import_handled": _("该导入已处理。"),
    "import_not_editable": _("该年度的自评表已提交或公开，不能用导入覆盖。"),
    "import_out_of_bounds": _("导入的数据超出允许范围，未保存（详见下方）。"),
    "published": _("已公开。"),
    "state_changed": STATE_CHANGED,
    "exported": _("已导出 %(tables)s 张表、%(projects)s 个项目的自评表。"),
    "export_refused": _("无法导出：%(reason)s"),
    "nothing_to_export": _("没有可导出的项目。"),
    "input_unsaved": _("上传的文件无法在服务器上保存（存储空间或数据目录），任务未开始，未做任何更改。请稍后重试，或联系系统管理员。"),
    "queue_unavailable": _("后台任务队列（JIXIAO_BROKER_URL）无法连接，任务未开始，未做任何更改。请稍后重试，或联系系统管理员。"),
    "internal": _("处理时发生内部错误，未做任何更改；错误已记入服务器日志。请稍后重试，或联系系统管理员。"),
}


def render(code: str, params: dict | None = None) -> str:
    template = CATALOGUE.get(code) or CATALOGUE["internal"]
    values = {}
    for key, value in (params or {}).items():
        if isinstance(value, dict) and "zh" in value:
            value = value["en"] if language.is_english() and value.get("en") else value["zh"]
        values[key] = value
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return str(template)
