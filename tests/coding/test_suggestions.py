"""The suggestions service: machine codings, re-runs, analysis, review and audit."""

import pytest
from sqlalchemy import func, select

from consult.audit import AuditEvent
from consult.coding.codebook import create_theme
from consult.coding.models import Coding, CodingOrigin, CodingStatus
from consult.coding.models_machine import PassageAnalysis
from consult.coding.suggestions import ReviewError, review_suggestions, run_autocode
from consult.extensions import db
from consult.jobs import Job


def _codings(**where):
    stmt = select(Coding).order_by(Coding.passage_id, Coding.theme_id)
    for key, value in where.items():
        stmt = stmt.where(getattr(Coding, key) == value)
    return db.session.scalars(stmt).all()


def test_autocode_creates_only_suggested_machine_codings(world):
    result = run_autocode(world.consultation.id)
    codings = _codings()
    assert result["suggestions"] == len(codings) > 0
    assert {(c.status, c.coder_id, c.origin) for c in codings} == {
        (CodingStatus.SUGGESTED, None, CodingOrigin.RULE)
    }
    pairs = {(c.passage_id, c.theme_id) for c in codings}
    assert (world.passages[0].id, world.housing.id) in pairs
    assert (world.passages[1].id, world.language.id) in pairs
    housing = next(c for c in codings if c.theme_id == world.housing.id)
    text = world.passages[0].text
    assert housing.snippet == text[housing.start : housing.end]
    assert "shelter" in housing.rule and housing.score > 0
    assert housing.polarity is not None and housing.subjectivity is not None


def test_passage_analysis_stored_and_recomputed_only_when_text_changes(world):
    assert run_autocode(world.consultation.id)["analysed"] == 4
    analyses = db.session.scalars(select(PassageAnalysis)).all()
    assert len(analyses) == 4 and all(a.key_phrases for a in analyses)
    assert run_autocode(world.consultation.id)["analysed"] == 0
    world.passages[0].text = "The shelter staff were wonderful and kind."
    db.session.commit()
    assert run_autocode(world.consultation.id)["analysed"] == 1
    changed = db.session.scalar(
        select(PassageAnalysis).where(PassageAnalysis.passage_id == world.passages[0].id)
    )
    assert changed.polarity > 0


def test_rerun_is_reproducible_and_keeps_reviewed_and_human_codings(world, factory):
    coder = factory.user("staff")
    run_autocode(world.consultation.id)
    first = [(c.passage_id, c.theme_id, c.score, c.start, c.end, c.rule) for c in _codings()]
    accepted, rejected = _codings()[:2]
    review_suggestions(world.consultation.id, [accepted.id], "accept", user_id=coder.id)
    review_suggestions(world.consultation.id, [rejected.id], "reject", user_id=coder.id)
    human = Coding(
        passage_id=world.passages[3].id, theme_id=world.training.id, start=0, end=5,
        snippet="Labor", coder_id=coder.id, origin=CodingOrigin.MANUAL,
        status=CodingStatus.ACCEPTED,
    )  # fmt: skip
    db.session.add(human)
    db.session.commit()
    run_autocode(world.consultation.id)
    again = _codings(status=CodingStatus.SUGGESTED)
    pending_before = [r for r in first if (r[0], r[1]) not in {
        (accepted.passage_id, accepted.theme_id), (rejected.passage_id, rejected.theme_id),
        (human.passage_id, human.theme_id)}]  # fmt: skip
    assert [
        (c.passage_id, c.theme_id, c.score, c.start, c.end, c.rule) for c in again
    ] == pending_before
    assert db.session.get(Coding, accepted.id).status == CodingStatus.ACCEPTED
    assert db.session.get(Coding, rejected.id).status == CodingStatus.REJECTED
    assert db.session.get(Coding, human.id).coder_id == coder.id


def test_stance_filter_uses_known_position(world):
    cid = world.consultation.id
    against = create_theme(
        cid, {"name": "Opposes new shelter funding", "keywords": ["shelter"], "stance": "against"},
        actor_id=None,
    )  # fmt: skip
    supporter = world.passage(
        "Shelters are full; fund more shelter beds.", "s1", position="support"
    )
    unknown = world.passage("Shelters are full; fund more shelter beds now.", "s2")
    run_autocode(cid)
    themes_for = lambda p: {c.theme_id for c in _codings(passage_id=p.id)}  # noqa: E731
    assert against.id not in themes_for(supporter)
    assert world.housing.id in themes_for(supporter)
    assert themes_for(unknown)


def test_bulk_review_records_who_and_when_and_audits(world, factory):
    coder = factory.user("staff")
    run_autocode(world.consultation.id)
    ids = [c.id for c in _codings()]
    assert review_suggestions(world.consultation.id, ids[:2], "accept", user_id=coder.id) == 2
    for coding in _codings()[:2]:
        assert coding.status == CodingStatus.ACCEPTED
        assert coding.reviewed_by_id == coder.id and coding.reviewed_at is not None
    with pytest.raises(ReviewError):  # already reviewed
        review_suggestions(world.consultation.id, ids[:2], "reject", user_id=coder.id)
    n = review_suggestions(
        world.consultation.id, ids[2:3], "change", user_id=coder.id, theme_id=world.training.id
    )
    moved = db.session.get(Coding, ids[2])
    assert n == 1 and moved.theme_id == world.training.id and moved.status == CodingStatus.ACCEPTED
    actions = dict(
        db.session.execute(
            select(AuditEvent.action, func.count()).group_by(AuditEvent.action)
        ).all()
    )
    assert actions["coding.suggestion_accept"] == 2
    assert actions["coding.suggestion_change"] == 1
    assert actions["coding.autocode"] == 1


def test_review_refuses_bad_requests_and_other_consultations(world, factory):
    coder = factory.user("staff")
    run_autocode(world.consultation.id)
    ids = [c.id for c in _codings()]
    other = factory.consultation(slug="other")
    with pytest.raises(ReviewError):
        review_suggestions(other.id, ids, "accept", user_id=coder.id)
    with pytest.raises(ReviewError):
        review_suggestions(world.consultation.id, ids, "delete", user_id=coder.id)
    with pytest.raises(ReviewError):
        review_suggestions(world.consultation.id, [], "accept", user_id=coder.id)
    with pytest.raises(ReviewError):
        review_suggestions(world.consultation.id, ids, "change", user_id=coder.id, theme_id=None)
    assert {c.status for c in _codings()} == {CodingStatus.SUGGESTED}


def test_autocode_job_and_review_pages(world, client, login_as):
    login_as("staff")
    resp = client.post(f"/coding/{world.slug}/suggestions/run", follow_redirects=True)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    job = db.session.scalars(select(Job)).one()
    assert job.kind == "autocode" and job.status == "done" and job.result["suggestions"] > 0
    assert f'value="{job.progress}"' in html and "<progress" in html
    pending = _codings(status=CodingStatus.SUGGESTED)
    assert pending
    page = client.get(f"/coding/{world.slug}/suggestions?theme={world.housing.id}").get_data(
        as_text=True
    )
    assert "Housing shortage" in page and "keywords: shelter" in page
    resp = client.post(
        f"/coding/{world.slug}/suggestions/review",
        data={"coding_id": [str(c.id) for c in pending], "action": "reject"},
        follow_redirects=True,
    )
    assert f"{len(pending)} suggestions rejected" in resp.get_data(as_text=True)
    one = client.post(
        f"/coding/{world.slug}/suggestions/review", data={"action": "accept:999999"},
        follow_redirects=True,
    )  # fmt: skip
    assert "already been reviewed or do not exist" in one.get_data(as_text=True)


def test_review_pages_refuse_people_without_coding_rights(world, client, login_as):
    login_as("respondent")
    assert client.get(f"/coding/{world.slug}/suggestions").status_code == 403
    assert client.post(f"/coding/{world.slug}/suggestions/run").status_code == 403
    assert not _codings()


def test_confidential_passages_need_the_permission_to_review(world, factory):
    coder = factory.user("staff")
    secret = world.passage(
        "Shelters turned her away twice; no shelter beds.", "c1", confidential=True
    )
    run_autocode(world.consultation.id)
    (coding,) = [c for c in _codings(passage_id=secret.id) if c.theme_id == world.housing.id]
    with pytest.raises(ReviewError):
        review_suggestions(
            world.consultation.id, [coding.id], "accept", user_id=coder.id,
            may_read_confidential=False,
        )  # fmt: skip
    assert review_suggestions(world.consultation.id, [coding.id], "accept", user_id=coder.id) == 1


def test_autocode_command_prints_progress_and_counts(world, runner):
    result = runner.invoke(args=["coding", "autocode", "--consultation", world.slug])
    assert result.exit_code == 0, result.output
    assert "[100%]" in result.output
    count = len(_codings(status=CodingStatus.SUGGESTED))
    assert (
        f"{count} suggestions for" in result.output
        and "of 4 passages against 4 themes" in result.output
    )
    missing = runner.invoke(args=["coding", "autocode", "--consultation", "nope"])
    assert missing.exit_code != 0 and "No consultation with the slug 'nope'" in missing.output
