"""Agreement: worked examples from the literature, double coding, blind mode, adjudication."""

import pytest
from sqlalchemy import select

from consult.coding import agreement, double_coding
from consult.coding.assignments import set_done
from consult.coding.codebook import set_blind_mode
from consult.coding.manual import add_codings
from consult.coding.models import Coding, CodingOrigin, CodingStatus, PassageAssignment
from consult.extensions import db

N = None


def test_krippendorff_2011_nominal_example_with_missing_data():
    # Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", section C:
    # 4 observers, 12 units, values 1-5, missing data; nominal alpha = 0.743.
    a = [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N]
    b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3]
    c = [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N]
    d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N]
    alpha = agreement.krippendorff_alpha_nominal(list(zip(a, b, c, d, strict=True)))
    assert alpha == pytest.approx(0.743, abs=0.0005)


def test_krippendorff_binary_example():
    # Krippendorff (2011) section A: two observers, ten units, binary; alpha = 0.095.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    alpha = agreement.krippendorff_alpha_nominal(list(zip(a, b, strict=True)))
    assert alpha == pytest.approx(0.095, abs=0.0005)


def test_cohen_kappa_textbook_example():
    # 50 proposals read by two editors: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no.
    # p_o = 0.7, p_e = 0.5, kappa = 0.4 (the worked example in Wikipedia, "Cohen's kappa").
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert agreement.percent_agreement(a, b) == pytest.approx(0.7)
    assert agreement.cohen_kappa(a, b) == pytest.approx(0.4)


def test_edge_cases():
    assert agreement.cohen_kappa([], []) is None
    assert agreement.cohen_kappa([True, True], [True, True]) == 1.0
    assert agreement.krippendorff_alpha_nominal([[1, N], [N, 2]]) is None
    assert agreement.krippendorff_alpha_nominal([[1, 1], [1, 1]]) == 1.0
    with pytest.raises(ValueError):
        agreement.cohen_kappa([1], [1, 2])
    m = agreement.machine_vs_human("x", {1, 2, 3}, {(1, 5), (2, 5), (9, 5)}, {(1, 5), (3, 5)})
    assert (m.true_positives, m.false_positives, m.false_negatives) == (1, 1, 1)
    assert m.precision == 0.5 and m.recall == 0.5 and m.f1 == 0.5


@pytest.fixture
def two_coders(factory):
    return factory.user("staff", name="Ann Coder"), factory.user("staff", name="Ben Coder")


def test_double_coding_sample_and_figures(world, two_coders):
    ann, ben = two_coders
    cid = world.consultation.id
    n = double_coding.create_sample(cid, [ann.id, ben.id], 3, actor_id=ann.id, seed=1)
    assert n == 3
    sample = db.session.scalars(
        select(PassageAssignment.passage_id).where(PassageAssignment.coder_id == ann.id)
    ).all()
    assert len(sample) == 3
    assert db.session.scalar(
        select(PassageAssignment.double_coding).where(PassageAssignment.coder_id == ben.id)
    )
    passages = {p.id: p for p in world.passages}
    p1, p2, p3 = (passages[i] for i in sorted(sample))
    # both apply housing to p1; only Ann applies language to p2; nobody codes p3 but both mark done
    for coder in (ann, ben):
        add_codings(p1, [world.housing.id], [(0, 10)], coder_id=coder.id)
        set_done(p3, coder.id)
    add_codings(p2, [world.language.id], [(0, 10)], coder_id=ann.id)
    set_done(p2, ben.id)
    overall, per_theme, _data = double_coding.agreement_report(cid)
    figures = {f.label: f for f in per_theme}
    assert figures["Housing shortage"].percent == 1.0
    assert figures["Housing shortage"].units == 3
    assert figures["Language access"].percent == pytest.approx(2 / 3)
    # pooled: 6 decisions (3 passages x 2 themes), one disagreement
    assert overall.units == 6 and overall.percent == pytest.approx(5 / 6)
    a = [True, False, False, False, False, False]
    b = [True, False, False, False, False, False]
    a[3] = True  # Ann's language on p2
    assert overall.kappa == pytest.approx(agreement.cohen_kappa(a, b))
    with pytest.raises(double_coding.CodingError):
        double_coding.create_sample(cid, [ann.id, ann.id], 2, actor_id=ann.id)


def test_disagreements_and_adjudication(world, two_coders, client, auth):
    ann, ben = two_coders
    cid = world.consultation.id
    double_coding.create_sample(cid, [ann.id, ben.id], 4, actor_id=ann.id, seed=2)
    p = world.passages[0]
    add_codings(p, [world.housing.id], [(0, 30)], coder_id=ann.id)
    set_done(p, ben.id)
    auth.login(ann)
    page = client.get(f"/coding/{world.slug}/agreement/disagreements")
    assert "Housing shortage" in page.text and "Ben Coder" in page.text and "Ann Coder" in page.text
    client.post(
        f"/coding/{world.slug}/agreement/adjudicate",
        data={"passage_id": p.id, "theme_id": world.housing.id, "applies": "0"},
    )
    coding = db.session.scalar(select(Coding))
    assert coding.status == CodingStatus.REJECTED and coding.reviewed_by_id == ann.id
    assert (
        "No open disagreements" in client.get(f"/coding/{world.slug}/agreement/disagreements").text
    )
    # figures still use what each coder did
    overall, _per, _d = double_coding.agreement_report(cid)
    assert overall.percent < 1
    page = client.get(f"/coding/{world.slug}/agreement")
    assert "Cohen" in page.text and "Housing shortage" in page.text


def test_blind_mode_hides_other_coders_and_machine(world, two_coders, client, auth):
    ann, ben = two_coders
    p = world.passages[0]
    add_codings(p, [world.housing.id], [(0, 8)], coder_id=ann.id)
    add_codings(p, [world.language.id], [(9, 20)], coder_id=ben.id)
    db.session.add(
        Coding(
            passage_id=p.id,
            theme_id=world.training.id,
            start=21,
            end=30,
            snippet=p.text[21:30],
            coder_id=None,
            origin=CodingOrigin.RULE,
            status=CodingStatus.SUGGESTED,
            score=0.8,
            rule="keyword",
        )
    )
    db.session.commit()
    auth.login(ann)
    url = f"/coding/{world.slug}/passages/{p.id}"
    page = client.get(url).text
    assert "Ben Coder" in page and "machine suggestion" in page
    client.post(f"/coding/{world.slug}/agreement/blind", data={"blind": "1"})
    page = client.get(url).text
    assert "Blind mode" in page
    legend = page.split("Codings on this passage")[1]
    assert "Ann Coder" in legend and "Ben Coder" not in legend
    assert "machine suggestion" not in legend and "Law-enforcement training</strong>" not in legend
    set_blind_mode(world.consultation.id, False, actor_id=None)
    assert "Ben Coder" in client.get(url).text


def test_machine_figures_on_the_agreement_page(world, two_coders, client, auth):
    ann, _ben = two_coders
    p0, p1 = world.passages[0], world.passages[1]
    for p, theme in ((p0, world.housing), (p1, world.training)):
        db.session.add(
            Coding(
                passage_id=p.id,
                theme_id=theme.id,
                start=0,
                end=5,
                snippet=p.text[:5],
                origin=CodingOrigin.MODEL,
                status=CodingStatus.SUGGESTED,
                score=0.5,
            )
        )
    db.session.commit()
    add_codings(p0, [world.housing.id], [(0, 10)], coder_id=ann.id)
    add_codings(p1, [world.language.id], [(0, 10)], coder_id=ann.id)
    rows, total = double_coding.machine_report(world.consultation.id)
    assert (total.true_positives, total.false_positives, total.false_negatives) == (1, 1, 1)
    assert total.passages == 2 and total.f1 == pytest.approx(0.5)
    auth.login(ann)
    page = client.get(f"/coding/{world.slug}/agreement").text
    assert "Precision, recall and F1" in page and "0.50" in page


def test_blind_mode_hides_other_codings_in_the_queue(world, two_coders, client, auth):
    ann, ben = two_coders
    p = world.passages[0]
    add_codings(p, [world.housing.id], [(0, 8)], coder_id=ben.id)
    set_blind_mode(world.consultation.id, True, actor_id=None)
    auth.login(ann)
    page = client.get(f"/coding/{world.slug}/queue").text
    assert "Blind mode" in page and "Housing shortage</span>" not in page
    auth.logout()
    auth.login(ben)
    assert "Housing shortage</span>" in client.get(f"/coding/{world.slug}/queue").text
