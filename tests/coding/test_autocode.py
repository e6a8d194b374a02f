"""Automatic suggestions as pure functions on real sentences (no database)."""

from consult.coding.autocode import PassageText, ThemeText, opposite_stance, suggest

HOUSING = ThemeText(
    1,
    "Housing for survivors",
    description="Emergency shelter beds and long-term housing for people leaving exploitation.",
    keywords=("shelter beds", "housing"),
)
LANGUAGE = ThemeText(
    2,
    "Language access",
    description="Interpreters and translated materials so that victims can speak for themselves.",
    keywords=("interpreter",),
)
TRAINING = ThemeText(
    3,
    "Police training",
    description="Officers learning to recognise coercion instead of arresting victims.",
)
THEMES = [HOUSING, LANGUAGE, TRAINING]
FILLER = [
    PassageText(100 + i, text)
    for i, text in enumerate(
        [
            "The task force met four times last year.",
            "Funding for prevention programmes was cut in the spring.",
            "Farm workers rarely see a labour inspector.",
            "Hotels should post hotline numbers in every room.",
        ]
    )
]


def _by_passage(passages, themes=THEMES, **kw):
    out = {}
    for s in suggest(passages + FILLER, themes, **kw):
        out.setdefault(s.passage_id, []).append(s)
    return out


def test_lemma_aware_keyword_matching():
    passages = [PassageText(1, "Both of the shelters we called had no free beds for the women.")]
    found = _by_passage(passages)[1]
    assert found[0].theme_id == HOUSING.id
    assert "shelter" in found[0].rule


def test_phrase_keyword_found_across_inflections_and_reported_in_rule():
    passages = [
        PassageText(1, "Counties keep cutting shelter bed funding, so families sleep in cars.")
    ]
    top = _by_passage(passages)[1][0]
    assert top.theme_id == HOUSING.id
    assert "keywords: shelter beds" in top.rule


def test_description_words_score_without_any_keyword():
    passages = [
        PassageText(
            1, "Officers still arrest the victims instead of seeing the coercion behind it."
        )
    ]
    top = _by_passage(passages)[1][0]
    assert top.theme_id == TRAINING.id
    assert "description words" in top.rule


def test_best_sentence_is_the_span():
    text = (
        "I have volunteered with the coalition for ten years. "
        "Nobody at the hearing offered her an interpreter, so she could not explain. "
        "Thank you for listening."
    )
    top = _by_passage([PassageText(1, text)])[1][0]
    assert top.theme_id == LANGUAGE.id
    assert text[top.start : top.end].startswith("Nobody at the hearing offered her an interpreter")
    assert "best sentence 2 of 3" in top.rule


def test_unrelated_passage_gets_no_suggestion():
    found = _by_passage([PassageText(1, "The weather on the day of the meeting was lovely.")])
    assert 1 not in found


def test_stance_filtering_with_known_position():
    pro = ThemeText(10, "Uniforms reduce bullying between students", stance="against")
    con = ThemeText(
        11, "Uniforms stop students expressing themselves and bullying continues", stance="for"
    )
    text = "Uniforms reduce bullying because poorer students do not stand out."
    themes = [pro, con]
    known = suggest([PassageText(1, text, position="support"), *FILLER], themes)
    assert {s.theme_id for s in known if s.passage_id == 1} <= {11}
    assert opposite_stance("support") == "against" and opposite_stance("oppose") == "for"
    assert opposite_stance("neutral") is None
    unknown = suggest([PassageText(1, text), *FILLER], themes)
    assert [s.theme_id for s in unknown if s.passage_id == 1][0] == 10


def test_unknown_position_never_suggests_both_stances():
    pro = ThemeText(10, "Cannabis helps patients with chronic pain", stance="for")
    con = ThemeText(11, "Cannabis harms the health of patients", stance="against")
    text = "Patients with chronic pain find that cannabis helps their health."
    found = [
        s
        for s in suggest([PassageText(1, text), *FILLER], [pro, con], margin=0.1)
        if s.passage_id == 1
    ]
    assert len({s.theme_id for s in found}) == 1


def test_reproducible_and_threshold_controls_volume():
    passages = [
        PassageText(1, "Shelters are full every night; survivors wait weeks for housing."),
        PassageText(2, "We need interpreters at every interview."),
        PassageText(3, "Officers need training to recognise coercion."),
    ]
    first = suggest(passages + FILLER, THEMES)
    assert first == suggest(passages + FILLER, THEMES)
    assert {(s.passage_id, s.theme_id) for s in first} >= {(1, 1), (2, 2), (3, 3)}
    assert suggest(passages + FILLER, THEMES, threshold=5.0) == []


def test_spanish_passage_is_matched_by_stems_without_sentiment_lexicon():
    theme = ThemeText(5, "Refugios", keywords=("refugio", "vivienda"))
    found = suggest(
        [PassageText(1, "Los refugios están llenos y no hay vivienda.", "es"), *FILLER], [theme]
    )
    assert [(s.passage_id, s.theme_id) for s in found] == [(1, 5)]


def test_no_themes_or_no_passages():
    assert suggest([], THEMES) == []
    assert suggest(FILLER, []) == []
    assert suggest([PassageText(1, "   ")], THEMES) == []


def test_neighbouring_passages_lend_evidence_for_paraphrases():
    housing = ThemeText(1, "Shelter", keywords=("shelter",))
    visas = ThemeText(2, "Visa delays", keywords=("visa",))
    close = [
        PassageText(i, f"The shelter had no free beds for the night in {county} county.")
        for i, county in enumerate(
            ["Kern", "Lake", "Inyo", "Mono", "Yolo", "Napa", "Kings", "Butte"]
        )
    ]
    far = [
        PassageText(20 + i, f"The visa decision took {n} years and she could not work.")
        for i, n in enumerate(range(2, 12))
    ]
    paraphrase = PassageText(99, "There were no free beds for the night anywhere in the county.")
    found = {
        s.passage_id: s.theme_id for s in suggest([*close, *far, paraphrase], [housing, visas])
    }
    assert found[99] == 1
    assert all(found[p.id] == 1 for p in close) and all(found[p.id] == 2 for p in far)
    alone = suggest([paraphrase, *FILLER], [housing, visas])
    assert not [s for s in alone if s.passage_id == 99]


def test_compound_words_count_as_their_parts():
    from consult.coding.autocode import _doc

    terms = _doc("Guns allow mass-shootings and well-being suffers.").terms[0]
    assert {"mass-shoot", "mass", "shoot", "well-b"} <= set(terms)  # "well" is a stop word
    theme = ThemeText(1, "Guns allow mass-shootings")
    other = ThemeText(2, "Guns protect families at home")
    found = suggest(
        [PassageText(1, "Too many shootings happen in schools."), *FILLER], [theme, other]
    )
    assert [(s.passage_id, s.theme_id) for s in found if s.passage_id == 1] == [(1, 1)]


def test_word_parts_match_where_stems_differ(monkeypatch):
    from consult.coding import autocode

    quality = ThemeText(1, "Affirmative action reduces quality")
    fairness = ThemeText(2, "Affirmative action is unfair to other groups")
    passage = PassageText(1, "Affirmative action hires people who are not qualified.")

    def scores():
        found = suggest([passage, *FILLER], [quality, fairness], margin=0.5)
        return {s.theme_id: s.score for s in found if s.passage_id == 1}

    # "qualified" and "quality" share no stem ("qualifi", "qualiti"), but share letters
    with_parts = scores()
    assert with_parts[1] > with_parts.get(2, 0)
    monkeypatch.setattr(autocode, "CHAR_WEIGHT", 0)
    without = scores()
    assert without[1] == without[2]


def test_themes_learn_words_from_the_passages_that_match_them(monkeypatch):
    from consult.coding import autocode

    monkeypatch.setattr(autocode, "NEIGHBOUR_WEIGHT", 0)  # feedback alone
    services = ThemeText(1, "Austerity cuts essential services")
    growth = ThemeText(2, "Austerity slows economic growth")
    clear = [
        PassageText(i, f"Austerity cuts essential services in {town}, the safety net for the poor.")
        for i, town in enumerate(
            ["Ames", "Boone", "Clear Lake", "Dyersville", "Elkader", "Forest City"]
        )
    ]
    economy = [
        PassageText(20 + i, f"Austerity slows economic growth; in {year} the economy shrank.")
        for i, year in enumerate(range(2008, 2014))
    ]
    unclear = PassageText(99, "Families would lose their safety net.")
    passages = [*clear, *economy, unclear, *FILLER]
    found = {
        s.passage_id: s.theme_id for s in suggest(passages, [services, growth], threshold=0.05)
    }
    assert found.get(99) == 1
    monkeypatch.setattr(autocode, "FEEDBACK_WEIGHT", 0)
    assert 99 not in {s.passage_id for s in suggest(passages, [services, growth], threshold=0.05)}
