"""Theme discovery: deterministic candidates, kept apart from the codebook until accepted."""

import pytest
from sqlalchemy import func, select

from consult.coding.discovery import (
    DiscoveryError,
    accept_candidate,
    discover,
    dismiss_candidate,
    merge_candidate,
    rename_candidate,
    run_discovery,
)
from consult.coding.models import Coding, CodingOrigin, CodingStatus, Theme
from consult.coding.models_machine import CandidateStatus, CandidateTheme
from consult.extensions import db

CLUSTERS = {
    "visa": [
        "The T visa process takes years and survivors cannot work while they wait.",
        "Survivors wait years for a T visa decision and the visa backlog keeps growing.",
        "Immigration lawyers say the T visa backlog leaves survivors without work permits.",
        "A faster T visa decision would let survivors work legally.",
        "Without a T visa, survivors depend on the traffickers again.",
        "The visa backlog is the biggest barrier for foreign national survivors.",
    ],
    "hotline": [
        "The hotline number should be posted in every truck stop restroom.",
        "Truck stop staff never heard of the hotline number.",
        "Posting the hotline number in bus stations helped people call for help.",
        "Callers to the hotline waited too long for an answer at night.",
        "The hotline needs more night staff and more languages.",
        "Post the hotline number in hotels, truck stops and bus stations.",
    ],
    "school": [
        "School counsellors need training on grooming and online recruitment.",
        "Teachers should learn the signs of online recruitment of students.",
        "Online recruitment of teenagers starts on gaming platforms, school staff told us.",
        "Every school should teach students about online grooming.",
        "School nurses saw the signs of grooming but did not know whom to call.",
        "Parents and school staff need guidance on online recruitment.",
    ],
}
ITEMS = [(i, text, "en") for i, text in enumerate(sum(CLUSTERS.values(), []), start=1)]


def test_discover_finds_the_clusters_deterministically():
    found = discover(ITEMS, n_topics=3)
    assert found == discover(ITEMS, n_topics=3)
    phrases = [" ".join(c.top_phrases[:3]) for c in found]
    assert any("visa" in p for p in phrases)
    assert any("hotline" in p for p in phrases)
    assert any("recruitment" in p or "school" in p for p in phrases)
    for cand in found:
        assert cand.label and len(cand.example_ids) <= 3 and cand.size >= 2
    visa = next(c for c in found if "visa" in " ".join(c.top_phrases[:3]))
    assert set(visa.example_ids) <= set(range(1, 7))


def test_too_few_passages_give_no_candidates():
    assert discover(ITEMS[:3]) == []


@pytest.fixture
def discovered(world):
    for name, texts in CLUSTERS.items():
        for i, text in enumerate(texts):
            world.passage(text, f"{name}-{i}")
    result = run_discovery(world.consultation.id, n_topics=3)
    assert result["candidates"] == 3
    return world


def _pending(world):
    return db.session.scalars(
        select(CandidateTheme)
        .where(CandidateTheme.status == CandidateStatus.PENDING)
        .order_by(CandidateTheme.id)
    ).all()


def test_candidates_stay_out_of_the_codebook_until_accepted(discovered, factory):
    world = discovered
    themes_before = db.session.scalar(select(func.count(Theme.id)))
    user = factory.user("staff")
    first, second, third = _pending(world)
    assert db.session.scalar(select(func.count(Theme.id))) == themes_before
    rename_candidate(
        first.id, "Visa delays", consultation_id=world.consultation.id, user_id=user.id
    )
    theme = accept_candidate(first.id, consultation_id=world.consultation.id, user_id=user.id)
    assert theme.name == "Visa delays" and theme.status.value == "active"
    assert theme.keywords == first.top_phrases[:8] and len(theme.examples) >= 1
    assert first.status == CandidateStatus.ACCEPTED and first.accepted_theme_id == theme.id
    merge_candidate(
        second.id, world.language.id, consultation_id=world.consultation.id, user_id=user.id
    )
    assert set(second.top_phrases[:8]) <= set(world.language.keywords)
    dismiss_candidate(third.id, consultation_id=world.consultation.id, user_id=user.id)
    with pytest.raises(DiscoveryError):
        dismiss_candidate(third.id, consultation_id=world.consultation.id, user_id=user.id)
    assert db.session.scalar(select(func.count(Theme.id))) == themes_before + 1
    run_discovery(world.consultation.id, n_topics=3)  # reviewed candidates are kept as history
    assert (
        db.session.scalar(
            select(func.count(CandidateTheme.id)).where(
                CandidateTheme.status != CandidateStatus.PENDING
            )
        )
        == 3
    )


def test_discovery_uses_only_uncoded_passages(world, factory):
    coder = factory.user("staff")
    for name, texts in CLUSTERS.items():
        for i, text in enumerate(texts):
            p = world.passage(text, f"{name}-{i}")
            if name == "visa":
                db.session.add(Coding(
                    passage_id=p.id, theme_id=world.protection.id, start=0, end=5, snippet="x",
                    coder_id=coder.id, origin=CodingOrigin.MANUAL, status=CodingStatus.ACCEPTED,
                ))  # fmt: skip
    db.session.commit()
    run_discovery(world.consultation.id, n_topics=2)
    phrases = " ".join(" ".join(c.top_phrases) for c in _pending(world))
    assert "visa" not in phrases and "hotline" in phrases


def test_discovery_page_accept_needs_codebook_rights(discovered, client, login_as):
    world = discovered
    first = _pending(world)[0]
    login_as("staff")
    page = client.get(f"/coding/{world.slug}/discover").get_data(as_text=True)
    assert first.label in page and "Accept as a theme" in page
    resp = client.post(
        f"/coding/{world.slug}/discover/{first.id}/accept", data={"name": "Night hotline"},
        follow_redirects=True,
    )  # fmt: skip
    assert "Theme “Night hotline” added to the codebook." in resp.get_data(as_text=True)
    assert db.session.scalar(select(Theme).where(Theme.name == "Night hotline")) is not None
    resp = client.post(f"/coding/{world.slug}/discover/{first.id}/dismiss", follow_redirects=True)
    assert "already been reviewed" in resp.get_data(as_text=True)


def test_discover_command(world, runner):
    for name, texts in CLUSTERS.items():
        for i, text in enumerate(texts):
            world.passage(text, f"{name}-{i}")
    result = runner.invoke(
        args=["coding", "discover", "--consultation", world.slug, "--topics", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "3 candidate themes from 22 uncoded passages." in result.output
    assert "visa" in result.output and "hotline" in result.output
