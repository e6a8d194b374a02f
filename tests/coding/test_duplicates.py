"""Near-duplicate and campaign grouping: pure grouping, stored groups, coding a group."""

import pytest
from sqlalchemy import select

from consult.coding.duplicates import (
    DuplicateError,
    campaign_extra_copies,
    campaign_groups,
    code_group,
    detect_duplicates,
    group_near_duplicates,
)
from consult.coding.models import Coding, CodingStatus
from consult.extensions import db

LETTER = (
    "Dear Task Force, I am writing to ask you to fund emergency shelter beds for survivors "
    "of trafficking in our county. Survivors wait weeks for a safe place to sleep. "
    "Please act now. Sincerely, {name}"
)


def test_template_letters_group_and_distinct_texts_do_not():
    items = [(i, LETTER.format(name=n)) for i, n in enumerate(["Ana", "Bo", "Cy"], start=1)]
    items += [
        (4, LETTER.format(name="Ana").upper().replace(",", ";")),  # identical once normalised
        (5, "Labour inspectors rarely visit farms, and workers fear retaliation if they report."),
        (6, "Interpreters should be at every interview so victims can explain what happened."),
        (7, "I agree."),
        (8, "I agree."),  # too short to call a campaign
    ]
    groups = group_near_duplicates(items)
    assert [ids for ids, _ in groups] == [[1, 2, 3, 4]]
    assert 0.8 <= groups[0][1] < 1.0


def test_threshold_controls_how_near():
    a = "Survivors need safe housing, legal help and interpreters in every county of the state."
    b = "Survivors need safe housing, legal help and counsellors in every county of the state."
    assert group_near_duplicates([(1, a), (2, b)], threshold=0.5)
    assert not group_near_duplicates([(1, a), (2, b)], threshold=0.99)


def test_scales_to_thousands_without_false_groups():
    words = [
        "shelter",
        "housing",
        "police",
        "court",
        "visa",
        "labour",
        "farm",
        "hotel",
        "interpreter",
        "school",
    ]
    items = [
        (i, " ".join(words[(i * k) % 10] for k in range(1, 12)) + f" case number {i}")
        for i in range(3000)
    ]
    items.append((5000, items[10][1]))
    groups = group_near_duplicates(items, threshold=0.95)
    assert [10, 5000] in [ids for ids, _ in groups]


def test_stored_groups_campaign_counts_and_coding_a_group(world, factory):
    copies = [
        world.passage(LETTER.format(name=n), f"letter-{n}") for n in ("Ana", "Bo", "Cy", "Di")
    ]
    result = detect_duplicates(world.consultation.id)
    assert result == {"groups": 1, "passages": 4, "extra_copies": 3}
    (group,) = campaign_groups(world.consultation.id)
    assert group["size"] == 4 and group["passage_ids"] == sorted(p.id for p in copies)
    assert set(campaign_extra_copies(world.consultation.id)) == {p.id for p in copies[1:]}
    assert detect_duplicates(world.consultation.id)["groups"] == 1  # recomputed, not doubled
    coder = factory.user("staff")
    (group,) = campaign_groups(world.consultation.id)
    n = code_group(
        group["id"], world.housing.id, user_id=coder.id, consultation_id=world.consultation.id
    )
    assert n == 4
    codings = db.session.scalars(select(Coding).where(Coding.theme_id == world.housing.id)).all()
    assert {c.passage_id for c in codings} == {p.id for p in copies}
    assert {(c.coder_id, c.status) for c in codings} == {(coder.id, CodingStatus.ACCEPTED)}
    again = code_group(
        group["id"], world.housing.id, user_id=coder.id, consultation_id=world.consultation.id
    )
    assert again == 0
    other = factory.consultation(slug="elsewhere")
    with pytest.raises(DuplicateError):
        code_group(group["id"], world.housing.id, user_id=coder.id, consultation_id=other.id)


def test_duplicates_page_and_group_coding_through_the_browserless_client(world, client, login_as):
    for n in ("Ana", "Bo", "Cy"):
        world.passage(LETTER.format(name=n), f"letter-{n}")
    login_as("staff")
    page = client.post(f"/coding/{world.slug}/duplicates/run", follow_redirects=True)
    assert "3 near-identical passages" in page.get_data(as_text=True)
    (group,) = campaign_groups(world.consultation.id)
    resp = client.post(
        f"/coding/{world.slug}/duplicates/{group['id']}/code",
        data={"theme_id": world.language.id}, follow_redirects=True,
    )  # fmt: skip
    assert "Theme applied to 3 passages" in resp.get_data(as_text=True)
    resp = client.post(
        f"/coding/{world.slug}/duplicates/{group['id']}/code", data={}, follow_redirects=True
    )
    assert "Choose a theme" in resp.get_data(as_text=True)


def test_duplicates_command(world, runner):
    for n in ("Ana", "Bo"):
        world.passage(LETTER.format(name=n), f"letter-{n}")
    result = runner.invoke(args=["coding", "duplicates", "--consultation", world.slug])
    assert result.exit_code == 0, result.output
    assert "1 groups covering 2 passages (1 extra copies)." in result.output
