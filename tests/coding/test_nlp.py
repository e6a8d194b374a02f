"""Offline NLP helpers on real sentences (pure functions, no database)."""

from consult.coding import nlp
from consult.coding.autocode import split_sentences


def test_split_sentences_keeps_offsets_and_abbreviations():
    text = "Dr. Smith runs the shelter.  It is full every night!\n\nWe need 40 beds by Jan. 2027?"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Dr. Smith runs the shelter.",
        "It is full every night!",
        "We need 40 beds by Jan. 2027?",
    ]


def test_split_sentences_on_line_breaks_and_empty_text():
    assert split_sentences("") == []
    assert split_sentences("   ") == []
    text = "Recommendations:\n- more shelters\n- more interpreters"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Recommendations:",
        "- more shelters",
        "- more interpreters",
    ]


def test_lemmas_use_the_tags():
    sentence = nlp.analyse("The children were stopped and the shelters are closing.")[0]
    lemmas = {t.text: t.lemma for t in sentence.tokens}
    assert lemmas["children"] == "child"
    assert lemmas["were"] == "be"
    assert lemmas["stopped"] == "stop"
    assert lemmas["shelters"] == "shelter"
    assert lemmas["closing"] == "close"


def test_tokens_carry_character_offsets():
    text = "Survivors wait weeks. Housing is scarce."
    second = nlp.analyse(text)[1]
    assert [(t.text, text[t.start : t.end]) for t in second.tokens][0] == ("Housing", "Housing")
    assert second.start == text.index("Housing")


def test_noun_phrases_and_key_phrases():
    text = "Trafficking survivors need safe housing. Safe housing is scarce in rural counties."
    phrases = nlp.noun_phrases(text)
    assert "safe housing" in phrases
    assert "trafficking survivor" in phrases
    assert nlp.key_phrases(text)[0] == "safe housing"


def test_sentiment_english_and_spanish():
    polarity, subjectivity = nlp.sentiment("The shelter staff were wonderful and very helpful.")
    assert polarity > 0.3 and subjectivity > 0.5
    polarity, _ = nlp.sentiment("The process was terrible and humiliating.")
    assert polarity < 0
    assert nlp.sentiment("El refugio es excelente.", "es") == (None, None)


def test_spanish_stems_match_across_forms():
    a = nlp.analyse("Las víctimas necesitan refugios.", "es")[0]
    b = nlp.analyse("Cada víctima necesita un refugio.", "es")[0]
    keys_a = {t.key for t in a.tokens if not t.stop}
    keys_b = {t.key for t in b.tokens if not t.stop}
    assert {"victim", "refugi"} <= keys_a & keys_b
    assert nlp.key_phrases("Las víctimas necesitan refugios seguros.", "es")
