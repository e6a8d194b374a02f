"""Codebook: create, edit, merge (codings move), split, retire, templates, audit, roles."""

import pytest
from sqlalchemy import select

from consult.audit import AuditEvent
from consult.coding import codebook
from consult.coding.codebook import CodebookError
from consult.coding.manual import add_codings
from consult.coding.models import Coding, Theme, ThemeStatus
from consult.extensions import db


def test_create_and_edit_theme_through_the_form(world, client, login_as):
    login_as("staff")
    resp = client.post(
        f"/coding/{world.slug}/codebook/new",
        data={
            "name": "Victim identification",
            "parent_id": world.protection.id,
            "description": "Finding and recognising victims.",
            "keywords": "screening; red flags ;",
            "examples": "We screen every client.\n",
            "stance": "",
            "colour": "#aa3300",
        },
    )
    assert resp.status_code == 302
    theme = db.session.scalar(select(Theme).where(Theme.name == "Victim identification"))
    assert theme.parent_id == world.protection.id
    assert theme.keywords == ["screening", "red flags"]
    assert theme.examples == ["We screen every client."]
    assert theme.colour == "#aa3300"
    resp = client.post(
        f"/coding/{world.slug}/codebook/{theme.id}",
        data={
            "name": "Victim identification",
            "parent_id": 0,
            "stance": "for",
            "colour": "#aa3300",
        },
    )
    db.session.refresh(theme)
    assert theme.parent_id is None and theme.stance.value == "for"
    ev = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "theme.update"))
    assert ev.detail["before"]["parent_id"] == world.protection.id
    assert ev.detail["after"]["stance"] == "for"
    page = client.get(f"/coding/{world.slug}/codebook")
    assert "Victim identification" in page.text and "Housing shortage" in page.text


def test_form_errors_keep_what_was_typed(world, client, login_as):
    login_as("staff")
    resp = client.post(
        f"/coding/{world.slug}/codebook/new",
        data={"name": "Language access", "description": "typed text", "parent_id": 0},
    )
    assert resp.status_code == 200
    assert "already an active theme" in resp.text and "typed text" in resp.text


def test_merge_moves_codings_and_children(world, staff_user):
    p = world.passages[0]
    add_codings(p, [world.housing.id], [(0, 10)], coder_id=staff_user.id)
    child = codebook.create_theme(
        world.consultation.id,
        {"name": "Emergency beds", "parent_id": world.housing.id},
        actor_id=None,
    )
    moved = codebook.merge_themes(world.housing, world.protection, actor_id=staff_user.id)
    assert moved == 1
    assert db.session.scalar(select(Coding.theme_id)) == world.protection.id
    db.session.refresh(world.housing)
    db.session.refresh(child)
    assert world.housing.status == ThemeStatus.MERGED
    assert world.housing.merged_into_id == world.protection.id
    assert child.parent_id == world.protection.id
    assert "shelter" in world.protection.keywords
    ev = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "theme.merge"))
    assert ev.detail["codings_moved"] == 1 and ev.detail["after"]["status"] == "merged"
    with pytest.raises(CodebookError):
        codebook.merge_themes(world.protection, world.protection, actor_id=None)


def test_merge_and_split_through_the_pages(world, client, login_as):
    user = login_as("staff")
    p0, p1 = world.passages[0], world.passages[1]
    add_codings(p0, [world.protection.id], [(0, 10)], coder_id=user.id)
    add_codings(p1, [world.protection.id], [(0, 10)], coder_id=user.id)
    ids = db.session.scalars(select(Coding.id).order_by(Coding.passage_id)).all()
    resp = client.post(
        f"/coding/{world.slug}/codebook/{world.protection.id}/split",
        data={"name": "Interpreting", "parent_id": 0, "coding_id": [ids[1]], "stance": ""},
    )
    assert resp.status_code == 302
    new = db.session.scalar(select(Theme).where(Theme.name == "Interpreting"))
    assert db.session.get(Coding, ids[1]).theme_id == new.id
    assert db.session.get(Coding, ids[0]).theme_id == world.protection.id
    resp = client.post(
        f"/coding/{world.slug}/codebook/{new.id}/merge", data={"target_id": world.language.id}
    )
    assert resp.status_code == 302
    assert db.session.get(Coding, ids[1]).theme_id == world.language.id


def test_retire_and_reactivate(world, client, login_as):
    login_as("staff")
    client.post(f"/coding/{world.slug}/codebook/{world.training.id}/retire")
    db.session.refresh(world.training)
    assert world.training.status == ThemeStatus.RETIRED
    page = client.get(f"/coding/{world.slug}/passages/{world.passages[0].id}")
    assert f'id="theme-{world.training.id}"' not in page.text  # not offered for coding
    assert f'id="theme-{world.language.id}"' in page.text
    client.post(
        f"/coding/{world.slug}/codebook/{world.training.id}/retire", data={"reactivate": "1"}
    )
    db.session.refresh(world.training)
    assert world.training.status == ThemeStatus.ACTIVE


def test_templates_add_hierarchical_themes_once(factory, client, login_as):
    login_as("staff")
    c = factory.consultation(slug="tpl")
    client.post("/coding/tpl/codebook/template", data={"template": "four-ps"})
    themes = {t.name: t for t in db.session.scalars(select(Theme))}
    assert {"Prevention", "Protection", "Prosecution", "Partnership"} <= set(themes)
    assert themes["Interpreting"].parent_id == themes["Protection"].id
    assert themes["Voluntary repatriation"].consultation_id == c.id
    n = len(themes)
    client.post("/coding/tpl/codebook/template", data={"template": "four-ps"})
    assert len(db.session.scalars(select(Theme)).all()) == n


def test_cycles_are_refused(world):
    with pytest.raises(CodebookError, match="under itself"):
        codebook.update_theme(world.protection, {"parent_id": world.housing.id}, actor_id=None)


def test_roles(world, client, auth, factory):
    url = f"/coding/{world.slug}/codebook/new"
    assert client.get(url).status_code == 302
    auth.login(factory.user("respondent"))
    assert client.get(url).status_code == 403
    assert client.post(url, data={"name": "X"}).status_code == 403
    auth.logout()
    auth.login(factory.user("facilitator"))
    assert client.get(f"/coding/{world.slug}/codebook").status_code == 403
    assert db.session.scalar(select(Theme).where(Theme.name == "X")) is None


@pytest.fixture
def staff_user(factory):
    return factory.user("staff")
