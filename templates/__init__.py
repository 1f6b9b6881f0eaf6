"""Jinja2 templates for every Slack message, modal and Home tab, rendered safe and within Block Kit's limits.

``render_message("messages/help", commands=[…])`` and ``render_view("views/loading", title=…)`` are the
whole API most code needs; see ``templates/render.py`` for the escaping rules.
"""

from templates.escape import Trusted, app_text, escape_mrkdwn, trusted
from templates.fit import LimitError
from templates.mrkdwn import channel, date, link, mention
from templates.render import Message, TemplateError, render_message, render_view, template_names

__all__ = [
    "LimitError",
    "Message",
    "TemplateError",
    "Trusted",
    "app_text",
    "channel",
    "date",
    "escape_mrkdwn",
    "link",
    "mention",
    "render_message",
    "render_view",
    "template_names",
    "trusted",
]
