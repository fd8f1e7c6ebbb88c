"""Questionnaire rules, pure: the built-in forms, answer checks and the scores a response yields (R-33 .. R-35).

Every form also offers an optional comment and a complaint request (R-35); these are the customer's own
words and are kept apart from the scores, so erasure removes them and keeps the counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from surveys.questionnaires.schemas import QuestionKind, QuestionnaireDefinition

RATING4 = ("very_satisfied", "satisfied", "average", "poor")
# R-33 levels on the R-03 survey_score scale 0 .. 5; "satisfied" meets a "survey_score >= 4" tier rule
RATING4_SCORE = {"very_satisfied": 5.0, "satisfied": 4.0, "average": 3.0, "poor": 1.0}
CSAT_RANGE = range(1, 6)
NPS_RANGE = range(0, 11)
COMMENT_MAX = 2000


def _t(zh: str, en: str) -> dict[str, str]:
    return {"zh-CN": zh, "en": en}


def _rating4(key: str, zh: str, en: str) -> dict[str, object]:
    return {"key": key, "kind": "rating4", "text": _t(zh, en)}


STAFF_EVALUATION = QuestionnaireDefinition.model_validate(
    {
        "key": "staff_evaluation",
        "title": _t("服务评价", "Rate our service"),
        "sections": [
            {
                "key": "staff",
                "title": _t("请评价为您服务的工作人员", "Please rate the staff who served you"),
                "questions": [
                    _rating4("attitude", "服务态度", "Attitude"),
                    _rating4("skill", "技术水平", "Skill"),
                    _rating4("response_time", "到达/响应时间", "Arrival or response time"),
                    _rating4("promises", "承诺事项的办理", "Handling of promised matters"),
                ],
            }
        ],
    }
)


def _csat(key: str, zh: str, en: str) -> dict[str, object]:
    return {"key": key, "kind": "csat", "text": _t(zh, en)}


# product, service and brand sections; CSAT and NPS the headline numbers
SATISFACTION = QuestionnaireDefinition.model_validate(
    {
        "key": "satisfaction",
        "title": _t("客户满意度调查", "Customer satisfaction survey"),
        "sections": [
            {
                "key": "product",
                "title": _t("产品满意度", "Product"),
                "questions": [
                    _csat("product_quality", "产品质量", "Quality"),
                    _csat("product_performance", "产品性能", "Performance"),
                    _csat("product_function", "产品功能", "Function"),
                ],
            },
            {
                "key": "service",
                "title": _t("服务满意度", "Service"),
                "questions": [
                    _csat("service_speed", "响应速度", "Response speed"),
                    _csat("service_attitude", "服务态度", "Attitude"),
                    _csat("service_efficiency", "办事效率", "Efficiency"),
                ],
            },
            {
                "key": "brand",
                "title": _t("品牌形象", "Brand image"),
                "questions": [
                    _csat("brand_image", "您对我们品牌形象的评价", "Your view of our brand"),
                    {
                        "key": "recommend",
                        "kind": "nps",
                        "text": _t("您向同事或朋友推荐我们的可能性有多大？", "How likely are you to recommend us?"),
                    },
                    {"key": "suggestions", "kind": "free_text", "text": _t("建议", "Suggestions"), "required": False},
                ],
            },
        ],
    }
)

BUILT_IN = {STAFF_EVALUATION.key: STAFF_EVALUATION, SATISFACTION.key: SATISFACTION}


class AnswerError(ValueError):
    """An answer the form refuses; `field` names the question."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class Answers:
    """A checked response: scores by question (kept), texts by question (erased on request)."""

    scores: dict[str, str | int] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    wants_complaint: bool = False


def check_answers(definition: QuestionnaireDefinition, submitted: dict[str, str]) -> Answers:
    """Validate a submitted form (every value a string, as posted); raises AnswerError naming the question."""
    questions = {q.key: q for s in definition.sections for q in s.questions}
    allowed = {*questions, "comment", "complaint", "complaint_text", "lang"}
    for name in submitted:
        if name not in allowed:
            raise AnswerError(name, "unknown question")
    scores: dict[str, str | int] = {}
    texts: dict[str, str] = {}
    for key, question in questions.items():
        raw = submitted.get(key, "").strip()
        if not raw:
            if question.required:
                raise AnswerError(key, "an answer is required")
            continue
        if question.kind == QuestionKind.free_text:
            texts[key] = _bounded(key, raw)
        elif question.kind == QuestionKind.rating4:
            if raw not in RATING4:
                raise AnswerError(key, f"must be one of {', '.join(RATING4)}")
            scores[key] = raw
        elif question.kind == QuestionKind.single_choice:
            if raw not in {o.value for o in question.options}:
                raise AnswerError(key, "not one of the options")
            scores[key] = raw
        else:
            scale = CSAT_RANGE if question.kind == QuestionKind.csat else NPS_RANGE
            if not raw.isdigit() or int(raw) not in scale:
                raise AnswerError(key, f"must be a whole number from {scale.start} to {scale.stop - 1}")
            scores[key] = int(raw)
    if comment := submitted.get("comment", "").strip():
        texts["comment"] = _bounded("comment", comment)
    wants_complaint = submitted.get("complaint", "") in ("yes", "on", "true", "1")
    if wants_complaint and (complaint := submitted.get("complaint_text", "").strip()):
        texts["complaint"] = _bounded("complaint_text", complaint)
    return Answers(scores, texts, wants_complaint)


def _bounded(key: str, text: str) -> str:
    if len(text) > COMMENT_MAX:
        raise AnswerError(key, f"at most {COMMENT_MAX} characters")
    return text


@dataclass(frozen=True)
class Scores:
    satisfaction: float | None  # 0 .. 5, the R-03 survey_score scale
    nps: int | None
    low_reasons: tuple[str, ...]


def score(definition: QuestionnaireDefinition, answers: Answers) -> Scores:
    """Normalised satisfaction (mean of rating4 and CSAT answers), the NPS answer, and R-35 low-score reasons."""
    kinds = {q.key: q.kind for s in definition.sections for q in s.questions}
    values: list[float] = []
    nps: int | None = None
    reasons: list[str] = []
    for key, value in answers.scores.items():
        kind = kinds[key]
        if kind == QuestionKind.rating4:
            values.append(RATING4_SCORE[str(value)])
            if value == "poor" and "poor_item" not in reasons:
                reasons.append("poor_item")
        elif kind == QuestionKind.csat:
            values.append(float(value))
            if int(value) <= 2 and "low_csat" not in reasons:
                reasons.append("low_csat")
        elif kind == QuestionKind.nps and nps is None:
            nps = int(value)
            if nps <= 6:
                reasons.append("nps_detractor")
    if answers.wants_complaint:
        reasons.append("complaint_requested")
    satisfaction = round(sum(values) / len(values), 2) if values else None
    return Scores(satisfaction, nps, tuple(reasons))


def pick_language(requested: str | None, accept_language: str | None, customer_language: str | None) -> str:
    """zh-CN or en: the link's choice, else the customer's language, else the browser's, else zh-CN."""
    for candidate in (requested, customer_language and customer_language.split(",")[0], accept_language):
        if candidate:
            lowered = candidate.strip().lower()
            if lowered.startswith("en"):
                return "en"
            if lowered.startswith("zh"):
                return "zh-CN"
    return "zh-CN"
