"""The public pages: a closed case's link shows the form without recording (GET), records on POST, a second POST
changes the one response (revision kept), an expired or tampered link gets a clear page (R-33, R-35)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from survey_helpers import close_case, events, invitation_of_case, link_of, service

from surveys.responses.models import Response, ResponseRevision

pytestmark = [pytest.mark.integration]

GOOD = {"attitude": "very_satisfied", "skill": "satisfied", "response_time": "satisfied", "promises": "satisfied"}


async def count_responses(invitation_id: str) -> tuple[int, int]:
    async with service().db.session() as session:
        responses = await session.scalar(select(func.count()).where(Response.invitation_id == invitation_id))
        revisions = await session.scalar(
            select(func.count())
            .select_from(ResponseRevision)
            .join(Response, Response.id == ResponseRevision.response_id)
            .where(Response.invitation_id == invitation_id)
        )
    return responses or 0, revisions or 0


async def test_get_shows_the_form_and_records_nothing_post_records_and_a_second_post_changes(client, clock, new_id):
    case_id = await close_case(new_id(), clock())
    invitation = await invitation_of_case(case_id)
    assert invitation.status == "sent" and invitation.rated_staff == "olga"
    link = await link_of(invitation.id)

    page = await client.get(f"{link}?lang=en&attitude=poor")
    assert page.status_code == 200
    assert 'name="attitude"' in page.text and "Handling of promised matters" in page.text
    assert 'value="poor" checked' in page.text  # a score in the link preselects only
    assert await count_responses(invitation.id) == (0, 0)

    first = await client.post(link, data={**GOOD, "lang": "en", "comment": "quick and kind"})
    assert first.status_code == 200, first.text
    assert "Thank you" in first.text
    assert await count_responses(invitation.id) == (1, 1)

    second = await client.post(link, data={**GOOD, "attitude": "poor", "lang": "zh-CN"})
    assert second.status_code == 200
    assert "感谢" in second.text
    assert await count_responses(invitation.id) == (1, 2)  # changed, never a second response; history kept

    recorded = await events(invitation.id, "survey.response_recorded.v1")
    assert [e["revision"] for e in recorded] == [1, 2]
    assert recorded[0]["satisfaction"] == 4.25 and recorded[1]["items"]["attitude"] == "poor"
    [low] = await events(invitation.id, "survey.low_score_recorded.v1")
    assert low["reasons"] == ["poor_item"] and low["case_id"] == case_id and low["owner"] is None


async def test_a_poor_score_is_published_once_however_often_the_answer_changes(client, clock, new_id):
    invitation = await invitation_of_case(await close_case(new_id(), clock()))
    link = await link_of(invitation.id)
    for _ in range(2):
        assert (await client.post(link, data={**GOOD, "skill": "poor"})).status_code == 200
    assert len(await events(invitation.id, "survey.low_score_recorded.v1")) == 1


async def test_a_complaint_request_publishes_the_request_with_the_text(client, clock, new_id):
    invitation = await invitation_of_case(await close_case(new_id(), clock()))
    link = await link_of(invitation.id)
    body = {**GOOD, "complaint": "yes", "complaint_text": "技术员迟到两小时"}
    assert (await client.post(link, data=body)).status_code == 200
    [low] = await events(invitation.id, "survey.low_score_recorded.v1")
    assert low["reasons"] == ["complaint_requested"] and low["wants_complaint"] is True
    [request] = await events(invitation.id, "survey.complaint_requested.v1")
    assert request["text"] == "技术员迟到两小时" and request["case_id"] == invitation.case_id


async def test_an_expired_link_is_refused_with_a_clear_page(client, clock, new_id):
    invitation = await invitation_of_case(await close_case(new_id(), clock()))
    link = await link_of(invitation.id)
    clock.set(invitation.expires_at + timedelta(seconds=1))
    for response in (await client.get(link), await client.post(link, data=GOOD)):
        assert response.status_code == 410
        assert "过期" in response.text
    assert await count_responses(invitation.id) == (0, 0)


async def test_a_tampered_link_gets_the_same_page_as_an_unknown_one(client, clock, new_id):
    invitation = await invitation_of_case(await close_case(new_id(), clock()))
    link = await link_of(invitation.id)
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    pages = [await client.get(path, params={"lang": "en"}) for path in (tampered, "/s/not-a-token")]
    assert {p.status_code for p in pages} == {404}
    assert pages[0].text == pages[1].text
    assert (await client.post(tampered, data=GOOD)).status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"attitude": "excellent"}, "attitude"),
        ({"skill": ""}, "skill"),
        ({"mood": "great"}, "mood"),
    ],
)
async def test_bad_answers_are_refused_naming_the_question(client, clock, new_id, change, field):
    invitation = await invitation_of_case(await close_case(new_id(), clock()))
    link = await link_of(invitation.id)
    page = await client.post(link, data={**GOOD, **change})
    assert page.status_code == 422
    assert f'data-field="{field}"' in page.text
    as_json = await client.post(link, data={**GOOD, **change}, headers={"Accept": "application/json"})
    assert as_json.status_code == 422 and as_json.json()["error"]["field"] == field
    assert await count_responses(invitation.id) == (0, 0)
