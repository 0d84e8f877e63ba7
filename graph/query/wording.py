"""How the pages name relations (in English, Japanese and Korean), asks and lifecycle dates
(in English and Japanese).

The ontology labels a property for its own direction ("member of"); a page that lists an
entity's incoming relations needs the other direction ("members"), which no label gives
— reading "is member of of" is what comes of gluing "is … of" around a label. These
tables hold those phrases, and the names of the kinds a proposal's asks are grouped in.

>>> inverse_phrase("memberOf"), inverse_phrase("memberOf", "ja")
('members', '加盟者')
>>> inverse_phrase("somethingNew"), inverse_phrase(None)
(None, None)
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "ASK_KINDS",
    "LANGUAGES",
    "LEVELS",
    "LIFECYCLE_DATES",
    "Language",
    "ask_kind_name",
    "inverse_phrase",
    "inverse_phrases",
    "lifecycle_name",
]

Language = Literal["en", "ja", "ko"]
#: The languages a page's wording is written in, in the order of the tables' tuples.
LANGUAGES: tuple[Language, ...] = ("en", "ja", "ko")

_SKOS = "http://www.w3.org/2004/02/skos/core#"

#: Property (a ``pg:`` local name, or the full IRI of another vocabulary's) → what a page
#: calls the incoming direction (en, ja, ko).
_INVERSE: dict[str, tuple[str, str, str]] = {
    "memberOf": ("members", "加盟者", "회원"),
    "partOf": ("has as part", "構成要素", "구성 요소"),
    "country": ("country of", "この国に属する", "이 나라에 속함"),
    "affiliatedWith": ("affiliated people", "所属する人物", "소속 인물"),
    "involves": ("involved in", "関与する提言", "관여하는 제언"),
    "concerns": ("concerned by", "関係する提言・出来事", "관련된 제언·사건"),
    "addresses": ("addressed by", "扱う提言", "다루는 제언"),
    "inSection": ("contains", "含まれる提言", "포함된 제언"),
    "participant": ("took part in", "参加した出来事", "참가한 사건"),
    "about": ("figures about it", "関する統計", "관련 통계"),
    "location": ("location of", "ここを場所とする", "이곳을 장소로 하는"),
    "proposesJoining": ("joining proposed by", "加入を提案する提言", "가입을 제안하는 제언"),
    "proposesCreating": ("creation proposed by", "創設を提案する提言", "창설을 제안하는 제언"),
    "proposesStrengthening": (
        "strengthening proposed by",
        "強化を提案する提言",
        "강화를 제안하는 제언",
    ),
    "modelledOn": ("model for", "手本とする提言", "본보기로 삼는 제언"),
    "proposesRole": ("proposed by", "新設を提案する提言", "신설을 제안하는 제언"),
    "actsThrough": ("channel of", "経由して実施する提言", "통해 실시하는 제언"),
    "callsOn": ("called on by", "行動を求める提言", "행동을 요구하는 제언"),
    "subProposalOf": ("sub-proposals", "下位の提言", "하위 제언"),
    "evidence": ("evidence for", "根拠とする記述", "근거로 삼는 항목"),
    "http://purl.org/dc/terms/creator": ("author of", "作成した文書", "작성한 문서"),
    f"{_SKOS}broader": ("narrower", "下位概念", "하위 개념"),
    f"{_SKOS}inScheme": ("concepts", "含まれる概念", "포함된 개념"),
    f"{_SKOS}topConceptOf": ("top concepts", "最上位概念", "최상위 개념"),
    f"{_SKOS}hasTopConcept": (
        "top concept of",
        "最上位概念とする体系",
        "최상위 개념으로 두는 체계",
    ),
}

#: What a proposal asks for, in the order a page lists them: ``pg:`` property → (en, ja).
ASK_KINDS: dict[str, tuple[str, str]] = {
    "proposesJoining": ("join", "加入する"),
    "proposesCreating": ("create", "創設する"),
    "proposesStrengthening": ("strengthen", "強化する"),
    "modelledOn": ("model on", "手本とする"),
    "actsThrough": ("act through", "通じて実施する"),
    "callsOn": ("calls on", "行動を求める相手"),
}

#: Where in the report a proposal is stated (``pg:level``): local name → (en, ja).
LEVELS: dict[str, tuple[str, str]] = {
    "OverviewPoint": ("overview point", "総論の要点"),
    "SummaryProposal": ("summary proposal", "要約の提言"),
    "ChapterRecommendation": ("chapter recommendation", "各章の提言"),
    "SubProposal": ("sub-proposal", "提言内の項目"),
}

#: A framework's lifecycle dates, in the order of a life: ``pg:`` property → (en, ja).
LIFECYCLE_DATES: dict[str, tuple[str, str]] = {
    "foundedOn": ("founded", "設立"),
    "signedOn": ("signed", "署名"),
    "inForceFrom": ("in force from", "発効"),
    "suspendedOn": ("suspended", "停止"),
    "endedOn": ("ended", "終了"),
}


def _pick(phrases: tuple[str, ...], lang: Language) -> str:
    """The phrase in ``lang``; English where a table has none in that language (the asks,
    levels and lifecycle dates are in English and Japanese)."""
    index = LANGUAGES.index(lang)
    return phrases[index] if index < len(phrases) else phrases[0]


def inverse_phrase(name: str | None, lang: Language = "en") -> str | None:
    """The phrase for the incoming direction of the ``pg:`` property ``name`` (or of the
    property of another vocabulary with this IRI), if known.

    >>> inverse_phrase("memberOf", "ko"), inverse_phrase("http://purl.org/dc/terms/creator")
    ('회원', 'author of')
    """
    phrases = _INVERSE.get(name or "")
    return _pick(phrases, lang) if phrases else None


def ask_kind_name(name: str, lang: Language = "en") -> str:
    """What a page calls an ask of kind ``name`` (``proposesJoining`` → "join").

    >>> ask_kind_name("modelledOn"), ask_kind_name("callsOn", "ja")
    ('model on', '行動を求める相手')
    """
    return _pick(ASK_KINDS[name], lang)


def lifecycle_name(name: str, lang: Language = "en") -> str:
    """What a page calls the lifecycle date ``name`` (``inForceFrom`` → "in force from").

    >>> lifecycle_name("inForceFrom"), lifecycle_name("endedOn", "ja")
    ('in force from', '終了')
    """
    return _pick(LIFECYCLE_DATES[name], lang)


def inverse_phrases() -> dict[str, tuple[str, str, str]]:
    """Every incoming-direction phrase: property → (en, ja, ko), for checks of the wording."""
    return dict(_INVERSE)
