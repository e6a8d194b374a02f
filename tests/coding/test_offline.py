"""Nothing in automatic coding reaches for an NLTK corpus (deployments are offline)."""

import subprocess
import sys
import textwrap

import nltk
import pytest

from consult.coding import nlp
from consult.coding.suggestions import run_autocode

SCRIPT = textwrap.dedent(
    """
    import nltk, nltk.data

    def refuse(*args, **kwargs):
        raise LookupError(f"corpus lookup attempted: {args!r}")

    nltk.data.find = refuse
    nltk.data.load = refuse
    nltk.download = refuse
    nltk.data.path[:] = [EMPTY]

    from consult.coding import autocode, discovery, duplicates, nlp

    texts = [
        "Shelters are full every night. Survivors wait weeks for safe housing.",
        "We need interpreters at every interview; language access is a right.",
        "Los refugios están llenos y las víctimas esperan semanas.",
    ] * 3
    passages = [autocode.PassageText(i, t, "es" if "refugios" in t else "en") for i, t in enumerate(texts)]
    themes = [autocode.ThemeText(1, "Housing", keywords=("shelter",)),
              autocode.ThemeText(2, "Language access", description="Interpreters at interviews")]
    found = autocode.suggest(passages, themes)
    assert {s.theme_id for s in found} == {1, 2}, found
    assert nlp.key_phrases(texts[0]) and nlp.sentiment(texts[0])[0] is not None
    assert discovery.discover([(i, t, "en") for i, t in enumerate(texts * 3)], n_topics=2)
    assert duplicates.group_near_duplicates(list(enumerate(texts)))
    print("offline ok")
    """
)


def test_whole_pipeline_in_a_fresh_process_with_no_corpus(tmp_path):
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    script = f"EMPTY = {str(empty)!r}\n" + SCRIPT
    env = {"NLTK_DATA": str(empty), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "offline ok" in done.stdout


def test_autocode_service_with_corpus_lookups_refused(world, monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise LookupError("corpus lookup attempted")

    monkeypatch.setattr(nltk.data, "find", refuse)
    monkeypatch.setattr(nltk.data, "load", refuse)
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])
    nlp.stemmer.cache_clear()
    result = run_autocode(world.consultation.id)
    assert result["suggestions"] > 0 and result["analysed"] == len(world.passages)


def test_textblob_default_extractors_do_need_corpora_so_we_avoid_them(monkeypatch, tmp_path):
    """Documents the hazard: TextBlob's default noun-phrase extractor wants NLTK data."""
    from textblob import TextBlob
    from textblob.exceptions import MissingCorpusError

    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])
    with pytest.raises((MissingCorpusError, LookupError)):
        TextBlob("Survivors need safe housing.").noun_phrases  # noqa: B018
