"""How the ingester reads names in context, on short texts written for these tests: names
inside other names, a family name inside a statement's name, a name two entities share,
references without a name (同協定, 両国), and Korean names Kiwi cuts short."""

from __future__ import annotations

import pytest

from graph.ingest.gazetteer import Gazetteer, load_gazetteer
from graph.ingest.ingest import analyse_lines
from graph.ingest.model import ReviewItem
from graph.ingest.tokens import tokenizer_for
from graph.store import OxigraphStore


@pytest.fixture(scope="module")
def gazetteer(names_store: OxigraphStore) -> Gazetteer:
    return load_gazetteer(names_store)


def mentions(text: str, gazetteer: Gazetteer, language: str = "ja") -> list[ReviewItem]:
    """The mentions of ``text`` (lines separated by newlines)."""
    found, _, _ = analyse_lines(text.split("\n"), language, gazetteer)
    return found


def linked(items: list[ReviewItem]) -> set[tuple[str, int]]:
    """(entity slug, line) of the mentions linked automatically."""
    return {
        (item.entity.rsplit("/", 1)[-1], item.passages[0].line_start)
        for item in items
        if item.entity and item.status == "AutoLinked"
    }


def test_a_framework_named_inside_another_frameworks_name(gazetteer: Gazetteer) -> None:
    found = linked(mentions("学生交流のため、日韓版「エラスムス」プログラムを作る。", gazetteer))
    assert {("jpn-kor-erasmus", 1), ("erasmus", 1)} <= found


def test_a_framework_inside_another_counts_only_as_its_whole_or_model(
    gazetteer: Gazetteer,
) -> None:
    text = "AUKUSピラーⅡに加わる。\nクアッド・プラスを広げる。\nNew START条約は失効する。"
    found = linked(mentions(text, gazetteer))
    assert {("aukus-pillar-2", 1), ("aukus", 1)} <= found  # a pillar of AUKUS
    assert ("quad-plus", 2) in found and ("quad", 2) not in found  # another grouping
    assert ("new-start", 3) in found and ("start", 3) not in found  # another treaty


def test_a_shorter_name_of_the_same_framework_inside_it_names_nothing_else(
    gazetteer: Gazetteer,
) -> None:
    found = linked(mentions("既存のキャンパスアジアプログラムを広げる。", gazetteer))
    assert ("campus-asia", 1) in found
    assert ("asia", 1) not in found  # アジア inside the programme's name is not Asia


def test_a_family_name_inside_a_linked_statements_name_names_the_person(
    gazetteer: Gazetteer,
) -> None:
    found = linked(
        mentions("河野談話と菅談話はよく引かれる。\n河野氏の発言とは別である。", gazetteer)
    )
    assert {("kono-yohei", 1), ("kan-naoto", 1)} <= found
    assert ("kono-yohei", 2) not in found  # a family name alone, outside the statement's name


def test_a_country_inside_an_organisations_name_is_a_mention_of_it(gazetteer: Gazetteer) -> None:
    found = linked(mentions("フランス国際経済研究センターの予測では成長が鈍る。", gazetteer))
    assert {("fra", 1)} <= {pair for pair in found if pair[0] == "fra"}


def test_a_shared_name_is_told_apart_by_the_countries_beside_it(gazetteer: Gazetteer) -> None:
    text = "\n".join(
        [
            "米国はインド太平洋戦略を公表した。",
            "", "", "", "",
            "韓国政府はインド太平洋戦略を発表した。",
            "", "", "", "",
            "インド太平洋戦略という言葉が広く使われる。",
        ]
    )  # fmt: skip
    items = [i for i in mentions(text, gazetteer) if i.text == "インド太平洋戦略"]
    by_line = {i.passages[0].line_start: i for i in items}
    assert by_line[1].entity and by_line[1].entity.endswith("/usa-indo-pacific-strategy")
    assert by_line[6].entity and by_line[6].entity.endswith("/kor-indo-pacific-strategy")
    alone = by_line[11]  # no country near: for review, the two strategies as alternatives
    assert alone.status == "NeedsReview" and alone.entity is None
    assert {a.entity.rsplit("/", 1)[-1] for a in alone.alternatives} == {
        "usa-indo-pacific-strategy",
        "kor-indo-pacific-strategy",
    }


def test_in_one_sentence_the_country_named_nearest_decides(gazetteer: Gazetteer) -> None:
    text = "米国と日本が作った枠組みに、インド太平洋戦略を発表した韓国も加わるべきである。"
    item = next(i for i in mentions(text, gazetteer) if i.text == "インド太平洋戦略")
    assert item.status == "AutoLinked"
    assert item.entity and item.entity.endswith("/kor-indo-pacific-strategy")


def test_a_sentence_naming_no_country_takes_the_last_topic(gazetteer: Gazetteer) -> None:
    text = "韓国は米国との協力を強めてきた。また、インド太平洋戦略の公表で役割を広げた。"
    item = next(i for i in mentions(text, gazetteer) if i.text == "インド太平洋戦略")
    assert item.status == "AutoLinked"
    assert item.entity and item.entity.endswith("/kor-indo-pacific-strategy")


def test_a_said_agreement_refers_to_the_agreement_named_just_before(gazetteer: Gazetteer) -> None:
    items = mentions(
        "両政府は日韓科学技術協力協定を結んだ。\n同協定は毎年の会合を定める。", gazetteer
    )
    said = next(i for i in items if i.text == "同協定")
    assert said.status == "AutoLinked" and said.passages[0].line_start == 2
    assert said.entity and said.entity.endswith("/jpn-kor-science-technology-agreement")
    assert [a.score for a in said.alternatives] == [0.7]  # lower than a name's


def test_a_second_said_statement_refers_to_the_same(gazetteer: Gazetteer) -> None:
    text = "三国はキャンプ・デービッド精神：日米韓首脳会談共同声明を出した。\n同声明は協力を約した。\n同声明は訓練も定めた。"
    said = [i for i in mentions(text, gazetteer) if i.text == "同声明"]
    assert [(i.passages[0].line_start, i.status) for i in said] == [
        (2, "AutoLinked"),
        (3, "AutoLinked"),
    ]
    assert all(i.entity and i.entity.endswith("/camp-david-2023") for i in said)


def test_a_said_programme_after_an_unnamed_programme_is_left_for_review(
    gazetteer: Gazetteer,
) -> None:
    text = "キャンパスアジアプログラムに学び、新しい交換プログラムを作る。\n同プログラムは学部生向けとする。"
    said = next(i for i in mentions(text, gazetteer) if i.text == "同プログラム")
    assert said.status == "NeedsReview" and said.entity is None
    assert [a.entity.rsplit("/", 1)[-1] for a in said.alternatives] == ["campus-asia"]


def test_a_said_word_without_a_fitting_name_before_it_is_not_linked(
    gazetteer: Gazetteer,
) -> None:
    items = mentions(
        "若手の専門家が集まる場を設ける。\n同フォーラムでは協力を話し合う。", gazetteer
    )
    assert not [i for i in items if i.text == "同フォーラム"]


def test_both_countries_are_the_pair_just_named(gazetteer: Gazetteer) -> None:
    found = linked(mentions("日本と韓国は隣り合う。\n両国は多くの課題を共有する。", gazetteer))
    assert {("jpn", 2), ("kor", 2)} <= found


def test_both_countries_is_not_read_from_two_countries_not_named_as_a_pair(
    gazetteer: Gazetteer,
) -> None:
    text = "ロシアのウクライナ侵攻で燃料の価格が上がった。\n両国の電力市場にも響いた。"
    found = linked(mentions(text, gazetteer))
    assert not {pair for pair in found if pair[1] == 2}
    three = linked(mentions("日米韓は協力を深める。\n両国は話し合う。", gazetteer))
    assert not {pair for pair in three if pair[1] == 2}  # three countries, not two


def test_both_governments_in_english_are_the_pair_just_named(gazetteer: Gazetteer) -> None:
    text = "Officials of Japan and the Republic of Korea met in spring.\nBoth governments want closer ties."
    assert {("jpn", 2), ("kor", 2)} <= linked(mentions(text, gazetteer, "en"))
    text = "Trade between Korea and Japan grew.\nThe two governments were pleased."
    assert {("jpn", 2), ("kor", 2)} <= linked(mentions(text, gazetteer, "en"))


@pytest.mark.parametrize(
    "text",
    [
        "The United States, Japan and Korea met.\nBoth governments agreed.",  # three, not two
        "Russia invaded Ukraine.\nBoth countries suffered.",  # two countries, not a pair
        "Korea held an election.\nBoth governments changed.",  # one country
        "Japan and Korea met.\nThe talks were long.\nBoth governments agreed.",  # too far back
        "China and Russia held drills.\nJapan protested.\nBoth governments ignored it.",
    ],
)
def test_both_governments_in_english_without_a_pair_just_before_are_no_one(
    gazetteer: Gazetteer, text: str
) -> None:
    last = text.count("\n") + 1
    items = mentions(text, gazetteer, "en")
    assert not [i for i in items if i.passages[0].line_start == last]


def test_a_said_country_is_the_country_named_just_before(gazetteer: Gazetteer) -> None:
    found = linked(mentions("フランスは原子力に頼る。\n同国の電力は安定している。", gazetteer))
    assert ("fra", 2) in found


def test_said_inside_a_word_is_no_reference(gazetteer: Gazetteer) -> None:
    items = mentions("両首脳は共同声明を出した。\n共同会議も開かれた。", gazetteer)
    assert not [i for i in items if (i.text or "").startswith("同")]


@pytest.mark.slow  # the first loads Kiwi's model (about 3 s)
@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("서울대학교 국제대학원 박영준 교수", ["서울대학교", "박영준"]),
        ("김규판 선임연구위원", ["김규판"]),
        ("동아시아연구원 이숙종 원장", ["동아시아연구원", "이숙종"]),
        ("윤석열 대통령은 한국국제교류재단과 국립외교원을 방문했다.", ["윤석열", "한국국제교류재단", "국립외교원"]),
    ],
)  # fmt: skip
def test_korean_names_are_not_cut_short(line: str, names: list[str]) -> None:
    tokens = tokenizer_for("ko").analyse(line)
    assert [line[n.start : n.end] for n in tokens.names] == names
