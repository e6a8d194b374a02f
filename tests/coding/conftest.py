"""Coding fixtures (shared by the people and machine sides; add fixtures, do not rewrite)."""

import pytest

from consult.extensions import db
from consult.passages.models import Confidentiality, OriginKind, SourceKind
from consult.passages.services import publish_passage

PASSAGE_TEXTS = [
    "Shelters are full every night. Survivors wait weeks for housing.",
    "We need interpreters at every interview. Language access is a right.",
    "Police officers need training to recognise coercion. Victims are often arrested.",
    "Labor inspectors rarely visit farms. Workers fear retaliation.",
]


class CodingWorld:
    """A consultation with a small codebook and a few passages, built through the services."""

    def __init__(self, factory):
        from consult.coding.codebook import create_theme

        self.consultation = factory.consultation(slug="coding-test")
        cid = self.consultation.id
        self.protection = create_theme(cid, {"name": "Protection"}, actor_id=None)
        self.housing = create_theme(
            cid,
            {"name": "Housing shortage", "parent_id": self.protection.id, "keywords": ["shelter"]},
            actor_id=None,
        )
        self.language = create_theme(cid, {"name": "Language access"}, actor_id=None)
        self.training = create_theme(cid, {"name": "Law-enforcement training"}, actor_id=None)
        self.passages = []
        for i, text in enumerate(PASSAGE_TEXTS):
            self.passages.append(
                self.passage(text, key=f"p{i}", organization_kind="ngo" if i % 2 else "health")
            )
        db.session.commit()

    def passage(self, text, key, confidential=False, **kw):
        p = publish_passage(
            consultation_id=self.consultation.id,
            origin_kind=OriginKind.IMPORT,
            origin_id=f"{self.consultation.slug}:{key}",
            source_kind=kw.pop("source_kind", SourceKind.IMPORT),
            source_label=kw.pop("source_label", "Emailed submission"),
            text=text,
            external_id=key,
            confidentiality=Confidentiality.CONFIDENTIAL
            if confidential
            else Confidentiality.PUBLIC,
            **kw,
        )
        db.session.commit()
        return p

    @property
    def slug(self):
        return self.consultation.slug


@pytest.fixture
def world(factory):
    return CodingWorld(factory)
