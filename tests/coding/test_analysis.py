"""Analysis views: frequency, cross-tabs, co-occurrence, sentiment, stance, quotes, campaigns."""

import re

import pytest
from sqlalchemy import select

from consult.coding import analysis
from consult.coding.manual import add_codings
from consult.coding.models import Coding, CodingOrigin, CodingStatus
from consult.extensions import db
from consult.passages.models import SourceKind


@pytest.fixture
def analysed(world, factory):
    coder = factory.user("staff")
    org = factory.organization("Valley Clinic", kind="health")
    p = world.passages
    hearing = world.passage(
        "I oppose this bill: the shelters are wonderful and the housing is great.",
        key="h1",
        source_kind=SourceKind.HEARING,
        source_label="Hearing on the bill",
        position="oppose",
        organization_id=org.id,
    )
    add_codings(p[0], [world.housing.id, world.protection.id], [(0, 30)], coder_id=coder.id)
    add_codings(p[1], [world.language.id, world.protection.id], [(0, 30)], coder_id=coder.id)
    add_codings(hearing, [world.housing.id], [(0, len(hearing.text))], coder_id=coder.id)
    # a pending machine suggestion does not count unless asked for
    db.session.add(
        Coding(
            passage_id=p[3].id,
            theme_id=world.housing.id,
            start=0,
            end=5,
            snippet=p[3].text[:5],
            origin=CodingOrigin.RULE,
            status=CodingStatus.SUGGESTED,
        )
    )
    db.session.commit()
    return coder, hearing


def test_frequency_and_crosstabs(world, analysed):
    cid = world.consultation.id
    freq = {r.name: r for r in analysis.frequency(cid)}
    assert freq["Housing shortage"].passages == 2
    assert freq["Housing shortage"].organizations == 1
    assert freq["Protection"].passages == 2 and freq["Language access"].passages == 1
    assert "Law-enforcement training" not in freq
    with_suggestions = {r.name: r for r in analysis.frequency(cid, include_suggested=True)}
    assert with_suggestions["Housing shortage"].passages == 3
    kinds = analysis.by_organization_kind(cid)
    assert (
        kinds["table"][world.housing.id] == {"health": 1, None: 1}
        or kinds["table"][world.housing.id].get("health") == 1
    )
    sources = analysis.by_source(cid)
    assert sources["table"][world.housing.id] == {"import": 1, "hearing": 1}
    stance = analysis.by_stance(cid)
    assert stance["values"] == ["oppose"] and stance["table"][world.housing.id]["oppose"] == 1
    cooc = analysis.cooccurrence(cid)
    assert cooc[(world.housing.id, world.protection.id)] == 1
    assert cooc[(world.protection.id, world.language.id)] == 1
    assert cooc[(world.housing.id, world.housing.id)] == 2
    assert (world.housing.id, world.language.id) not in cooc


def test_sentiment_by_theme(world, analysed):
    rows = analysis.sentiment_by_theme(world.consultation.id)
    housing = rows[world.housing.id]
    assert housing.spans == 2 and housing.positive >= 1
    assert housing.mean_polarity is not None


def test_analysis_page(world, analysed, client, login_as):
    login_as("staff")
    page = client.get(f"/coding/{world.slug}/analysis")
    assert page.status_code == 200
    assert "<svg" in page.text and "Passages per theme" in page.text
    assert "Counting accepted codings only" in page.text
    # Regression: wide tables scroll sideways, so keyboard users must be able to focus them.
    wraps = re.findall(r'<div class="table-wrap"[^>]*>', page.text)
    assert len(wraps) >= 4
    assert all('tabindex="0"' in w and 'role="region"' in w and "aria-label=" in w for w in wraps)
    page = client.get(f"/coding/{world.slug}/analysis?suggested=1")
    assert "include machine suggestions" in page.text


def test_quotes_hide_confidential_from_facilitators(world, analysed, client, auth, factory):
    coder, _hearing = analysed
    secret = world.passage(
        "Confidential: my employer kept my passport.", key="s", confidential=True
    )
    add_codings(secret, [world.housing.id], [(0, 20)], coder_id=coder.id)
    url = f"/coding/{world.slug}/analysis/themes/{world.housing.id}/quotes"
    auth.login(factory.user("facilitator"))
    page = client.get(url)
    assert page.status_code == 200
    assert "wonderful" in page.text and "passport" not in page.text
    assert client.get(f"/coding/{world.slug}/analysis").status_code == 403
    auth.logout()
    auth.login(coder)
    assert "Confidential: my emp" in client.get(url).text
    auth.logout()
    auth.login(factory.user("respondent"))
    assert client.get(url).status_code == 403


def test_campaign_counted_once_or_n_times(world, analysed, client, login_as):
    members = analysis.group_member_model()
    if members is None:
        pytest.fail("near-duplicate grouping (PassageGroupMember) is expected to exist")
    from consult.coding.models_machine import PassageGroup

    coder = analysed[0]
    letters = [
        world.passage(f"Fund shelters now, signed {name}.", key=f"c{name}")
        for name in ("Ana", "Bo", "Cy")
    ]
    for p in letters:
        add_codings(p, [world.housing.id], [(0, 19)], coder_id=coder.id)
    group = PassageGroup(consultation_id=world.consultation.id, size=3, kind="campaign")
    db.session.add(group)
    db.session.flush()
    for p in letters:
        db.session.add(members(group_id=group.id, passage_id=p.id))
    db.session.commit()
    cid = world.consultation.id
    each = {r.name: r.passages for r in analysis.frequency(cid)}
    once = {r.name: r.passages for r in analysis.frequency(cid, campaign_once=True)}
    assert each["Housing shortage"] == 5 and once["Housing shortage"] == 3
    login_as("staff")
    page = client.get(f"/coding/{world.slug}/analysis?campaigns=once")
    assert "counted once per campaign" in page.text
    assert db.session.scalar(select(Coding.id).limit(1))
