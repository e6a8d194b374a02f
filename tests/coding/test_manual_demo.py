"""The coding demo step on its own (after the foundation): codebook, two coders, suggestions."""

from sqlalchemy import func, select

from consult.coding import demo, double_coding
from consult.coding.models import Coding, CodingStatus, Theme
from consult.demo import foundation
from consult.extensions import db
from consult.passages.models import Passage


def test_demo_coding_step(app):
    ctx, _passwords = foundation.load_foundation()
    demo.load(ctx)
    cid = ctx.consultation.id
    themes = db.session.scalars(select(Theme).where(Theme.consultation_id == cid)).all()
    assert len(themes) >= 15
    top = {t.name for t in themes if t.parent_id is None}
    assert {"Prevention", "Protection", "Prosecution", "Partnership"} <= top
    by_name = {t.name: t for t in themes}
    assert by_name["Vacatur of convictions"].parent.name == "Statute gaps"
    assert by_name["Supports the proposed bill"].stance.value == "for"
    imported = db.session.scalar(
        select(func.count(Passage.id)).where(Passage.consultation_id == cid)
    )
    assert imported >= 12
    coders = set(db.session.scalars(select(Coding.coder_id).where(Coding.coder_id.is_not(None))))
    assert coders == {ctx.users["staff@demo.consult"].id, ctx.users["coder2@demo.consult"].id}
    overall, _per, _data = double_coding.agreement_report(cid)
    assert overall is not None and overall.units > 0 and overall.percent < 1
    assert double_coding.disagreements(cid)
    pending = db.session.scalar(
        select(func.count(Coding.id)).where(Coding.status == CodingStatus.SUGGESTED)
    )
    assert pending > 0
