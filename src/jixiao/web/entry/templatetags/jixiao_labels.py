"""Labels of table values that are words of the application rather than the table's data
(the attachment line 附件2-3), in the page's language: ``{% load jixiao_labels %}``."""

from django import template

from jixiao.web import language

register = template.Library()

register.filter("attachment_label", language.attachment_label)
