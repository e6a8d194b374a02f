"""The demo hearings load, with varied speakers, files and a redaction that holds in public."""

from sqlalchemy import func, select

from consult.extensions import db
from consult.hearings.models import Attachment, Hearing, Speaker


def test_demo_hearings(app, client):
    from consult.demo import foundation
    from consult.hearings import demo

    ctx, _ = foundation.load_foundation()
    demo.load(ctx)
    hearings = list(db.session.scalars(select(Hearing).order_by(Hearing.id)))
    assert [h.title for h in hearings] == [
        "Labor trafficking in agriculture and domestic work",
        "Services for child and youth survivors",
    ]
    assert db.session.scalar(select(func.count(Speaker.id))) >= 25
    kinds = {a.mime.rsplit("/", 1)[-1] for a in db.session.scalars(select(Attachment))}
    assert "pdf" in kinds and any("wordprocessingml" in k for k in kinds)
    docx_text = next(
        a.extracted_text for a in db.session.scalars(select(Attachment)) if "word" in a.mime
    )
    assert "recruitment fee" in docx_text and "FJP staff laptop" not in docx_text
    record = client.get(f"/hearings/{hearings[0].id}/record").text
    assert "Domestic workers are invisible" in record
    assert "Ana Morales" not in record and "Esperanza Villa" not in record
    assert "[redacted]" in record
    es = client.get(f"/hearings/{hearings[1].id}?lang=es").text
    assert "Servicios para niñas, niños y jóvenes sobrevivientes" in es
    # Regression: the Spanish page of the youth hearing showed its description in English.
    assert "Cómo el estado identifica y apoya" in es and "How the state identifies" not in es
