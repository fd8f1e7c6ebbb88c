"""The public survey pages, server-rendered with Jinja2 (autoescaped), in zh-CN and en."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from surveys.questionnaires.rules import CSAT_RANGE, NPS_RANGE, RATING4

TEXT: dict[str, dict[str, str]] = {
    "zh-CN": {
        "very_satisfied": "非常满意",
        "satisfied": "满意",
        "average": "一般",
        "poor": "不满意",
        "csat_low": "非常不满意",
        "csat_high": "非常满意",
        "nps_low": "完全不可能",
        "nps_high": "非常可能",
        "comment": "您的意见或建议（选填）",
        "complaint": "我要投诉",
        "complaint_text": "投诉内容（选填）",
        "submit": "提交",
        "required": "必填",
        "about_case": "关于服务单 {number}",
        "thanks_title": "感谢您的评价",
        "thanks": "您的评价已记录。在 {until} 之前，您仍可通过同一链接修改。",
        "change": "修改评价",
        "expired_title": "链接已过期",
        "expired": "此调查链接已过期或已关闭，无法再提交。感谢您的关注。",
        "unknown_title": "找不到此调查",
        "unknown": "此链接无效。请检查链接是否完整。",
        "error": "请检查：{message}",
        "answered": "您已提交过评价，再次提交将替换之前的答案。",
        "language": "English",
    },
    "en": {
        "very_satisfied": "Very satisfied",
        "satisfied": "Satisfied",
        "average": "Average",
        "poor": "Poor",
        "csat_low": "Very dissatisfied",
        "csat_high": "Very satisfied",
        "nps_low": "Not at all likely",
        "nps_high": "Extremely likely",
        "comment": "Comments or suggestions (optional)",
        "complaint": "I want to make a complaint",
        "complaint_text": "Your complaint (optional)",
        "submit": "Submit",
        "required": "required",
        "about_case": "About case {number}",
        "thanks_title": "Thank you for your feedback",
        "thanks": "Your answers are recorded. You can change them with the same link until {until}.",
        "change": "Change my answers",
        "expired_title": "This link has expired",
        "expired": "This survey link has expired or is closed, so no answers can be sent. Thank you all the same.",
        "unknown_title": "Survey not found",
        "unknown": "This link is not valid. Please check that it is complete.",
        "error": "Please check: {message}",
        "answered": "You have answered already; sending again replaces your answers.",
        "language": "中文",
    },
}


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("surveys.responses", "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, language: str, **context: Any) -> str:
    other = "en" if language == "zh-CN" else "zh-CN"
    return (
        _environment()
        .get_template(template)
        .render(
            lang=language,
            other_lang=other,
            t=TEXT[language],
            rating4=RATING4,
            csat=list(CSAT_RANGE),
            nps=list(NPS_RANGE),
            **context,
        )
    )


def local_date(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")
