"""The words of a static figure in English, Japanese and Korean: legend, titles, source line.

The views name their classes, relations and notes in English (:mod:`viz.encoding`,
:mod:`viz.view`); a figure asked for in ``ja`` or ``ko`` translates them here. A word
missing from the table stays English, so a new relation never breaks a figure.

>>> translate("member of", "ja"), translate("member of", "ko"), translate("member of", "en")
('加盟', '회원', 'member of')
>>> source_line("Source: Japan–Korea Vision Group report (2025), lines 14–15 (1 passage).", "ko")
'출처: 한일비전그룹 보고서(2025년 9월 18일), 14–15행(1곳).'
"""

from __future__ import annotations

import re

__all__ = ["FIGURE_LANGUAGES", "REPORT", "join", "source_line", "translate", "word"]

#: The languages a figure can be drawn in.
FIGURE_LANGUAGES = ("en", "ja", "ko")

#: The report as a figure names it, with its date (``dcterms:date`` of ``id:jkvg2025``).
REPORT = {
    "en": "Japan–Korea Vision Group report (18 September 2025)",
    "ja": "日韓ビジョングループ報告書（2025年9月18日）",
    "ko": "한일비전그룹 보고서(2025년 9월 18일)",
}

#: Legend words: English -> (Japanese, Korean).
_LEGEND: dict[str, tuple[str, str]] = {
    "Country": ("国", "국가"),
    "Organisation": ("組織", "조직"),
    "Person": ("人物", "인물"),
    "Grouping of actors": ("主体のグループ", "행위자 그룹"),
    "Framework": ("枠組み", "프레임워크"),
    "Proposal": ("提言", "제언"),
    "Topic": ("分野", "주제"),
    "Report section": ("報告書の節", "보고서 절"),
    "Event": ("出来事", "사건"),
    "Place": ("場所", "장소"),
    "Statistic": ("統計", "통계"),
    "Other": ("その他", "기타"),
    "member of": ("加盟", "회원"),
    "part of": ("一部", "일부"),
    "country of": ("所属国", "소속국"),
    "affiliated with": ("所属", "소속"),
    "involves": ("関与", "관여"),
    "concerns": ("関連する枠組み", "관련 프레임워크"),
    "addresses": ("扱う分野", "다루는 주제"),
    "in section": ("掲載節", "수록 절"),
    "participant": ("参加者", "참가자"),
    "about": ("対象", "대상"),
    "evidence": ("根拠", "근거"),
    "member": ("加盟国・メンバー", "회원"),
    "founder": ("創設メンバー", "창설 회원"),
    "chair": ("議長", "의장"),
    "host": ("主催", "주최"),
    "partner": ("パートナー", "파트너"),
    "observer": ("オブザーバー", "옵서버"),
    "applicant": ("加盟申請", "가입 신청"),
    "acts through": ("実施主体", "실행 주체"),
    "calls on": ("呼びかけ先", "요청 대상"),
    "location": ("所在地", "소재지"),
    "modelled on": ("手本", "본보기"),
    "proposes joining": ("参加を提案", "가입 제안"),
    "proposes creating": ("創設を提案", "창설 제안"),
    "proposes strengthening": ("強化を提案", "강화 제안"),
    "sub proposal of": ("上位の提言", "상위 제언"),
    "member (active)": ("加盟（有効）", "회원 (유효)"),
    "suspended framework": ("停止中の枠組み", "중단된 프레임워크"),
    "ended": ("終了", "종료"),
    "proposed by the report": ("報告書が提案", "보고서의 제안"),
    "founder, chair or host": ("創設・議長・主催", "창설·의장·주최"),
    "Thick outline: a framework two or more of them belong to": (
        "太い枠：複数の主体が加盟する枠組み",
        "굵은 테두리: 둘 이상이 가입한 프레임워크",
    ),
    "Roles and dates: on the lines (zoom in), or the matrix form": (
        "役割と日付：線上（拡大）または表形式",
        "역할과 날짜: 선 위(확대) 또는 표 형식",
    ),
    "* member list partial: the graph may not name every member": (
        "＊加盟国一覧が部分的：すべての加盟国を示していない場合がある",
        "* 회원 목록 일부: 모든 회원이 표시되지 않을 수 있음",
    ),
    "Node size: degree centrality in the whole graph": (
        "ノードの大きさ：グラフ全体での次数中心性",
        "노드 크기: 전체 그래프의 연결 중심성",
    ),
    "Thick outline: the entity at the centre": ("太い枠：中心の項目", "굵은 테두리: 중심 항목"),
    "Thick outline: member of two or more of the frameworks shown": (
        "太い枠：表示した複数の枠組みに加盟",
        "굵은 테두리: 표시된 둘 이상의 프레임워크 회원",
    ),
}

#: Words of titles and the frame of a figure: key -> (English, Japanese, Korean).
_WORDS: dict[str, tuple[str, str, str]] = {
    "legend": ("Legend", "凡例", "범례"),
    "highlighted": ("Red ring: highlighted", "赤い輪：強調", "빨간 고리: 강조"),
    "unlabelled": (
        "Unlabelled: {n} smaller entities (see the interactive view)",
        "ラベルなし：小さい{n}件（対話型の図を参照）",
        "라벨 없음: 작은 항목 {n}개 (대화형 보기 참조)",
    ),
    "ego": (
        "{label}: neighbourhood at depth {depth}",
        "{label}の近傍（深さ{depth}）",
        "{label}의 이웃 (깊이 {depth})",
    ),
    "frameworks": ("Members of {names}", "{names}の構成員", "{names}의 구성원"),
    "frameworks-all": ("Frameworks and their members", "枠組みとその構成員", "프레임워크와 구성원"),
    "proposals": ("Proposals {filters}", "提言：{filters}", "제언: {filters}"),
    "proposals-all": ("All proposals", "すべての提言", "모든 제언"),
    "proposals-section": ("in {x}", "{x}", "{x}"),
    "proposals-actor": ("involving {x}", "{x}が関与", "{x} 관여"),
    "proposals-framework": ("concerning {x}", "{x}に関する", "{x} 관련"),
    "proposals-topic": ("addressing {x}", "{x}を扱う", "{x} 다룸"),
    "path": ("How {a} connects to {b}", "{a}と{b}のつながり", "{a}와 {b}의 연결"),
    "overview": ("The whole graph", "グラフ全体", "전체 그래프"),
    "memberships": (
        "Framework memberships of {names}",
        "{names}の枠組みへの参加",
        "{names}의 프레임워크 참여",
    ),
    "and": (" and ", "と", "와 "),
    "list": (", ", "、", ", "),
}
_SOURCE = re.compile(
    r"^Source: (?P<report>.*?)(?:, lines (?P<lines>.*?) \((?P<n>\d+) passages?\))?"
    r"(?:; background: (?P<background>.*))?\.$"
)


#: Legend notes with a value in them: English prefix -> (Japanese, Korean) forms.
_NOTES = {"Memberships as of ": ("{}時点の加盟", "{} 기준 회원 관계")}


def translate(english: str, lang: str) -> str:
    """A legend word or note in ``lang``; English where the table has none.

    >>> translate("Memberships as of 2025-06-01", "ja")
    '2025-06-01時点の加盟'
    """
    if lang == "en":
        return english
    if english in _LEGEND:
        return _LEGEND[english][0 if lang == "ja" else 1]
    for prefix, forms in _NOTES.items():
        if english.startswith(prefix):
            return forms[0 if lang == "ja" else 1].format(english.removeprefix(prefix))
    return english


def word(key: str, lang: str, **values: str | int) -> str:
    """A title or frame word of :data:`_WORDS` in ``lang``, with ``values`` filled in.

    >>> word("path", "ja", a="韓国", b="AUKUS")
    '韓国とAUKUSのつながり'
    """
    return _WORDS[key][FIGURE_LANGUAGES.index(lang)].format(**values)


def join(names: list[str], lang: str) -> str:
    """``names`` as a list in running text: "A, B and C", 「A、BとC」.

    >>> join(["Japan", "Korea", "Australia"], "en"), join(["日本", "韓国"], "ja")
    ('Japan, Korea and Australia', '日本と韓国')
    """
    if len(names) <= 2:
        return word("and", lang).join(names)
    return word("list", lang).join(names[:-1]) + word("and", lang) + names[-1]


def source_line(caption: str, lang: str) -> str:
    """A view's source line (:func:`viz.view.caption`) with the report's date, in ``lang``.

    A caption of another form is returned as it is.
    """
    found = _SOURCE.match(caption)
    if found is None:
        return caption
    lines, n, background = found["lines"], found["n"], found["background"]
    if lang == "en":
        text = f"Source: {REPORT['en']}"
        if lines:
            text += f", lines {lines} ({n} passage{'' if n == '1' else 's'})"
        return text + (f"; background: {background}" if background else "") + "."
    if lang == "ja":
        text = f"出典：{REPORT['ja']}" + (f"、{lines}行（{n}箇所）" if lines else "")
        return text + (f"。背景資料：{background}" if background else "") + "。"
    text = f"출처: {REPORT['ko']}" + (f", {lines}행({n}곳)" if lines else "")
    return text + (f"; 배경 자료: {background}" if background else "") + "."
