"""How the pages name relations, asks and lifecycle dates, in English and Japanese.

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
    "LEVELS",
    "LIFECYCLE_DATES",
    "Language",
    "ask_kind_name",
    "inverse_phrase",
    "lifecycle_name",
]

Language = Literal["en", "ja"]

#: ``pg:`` property → what a page calls the incoming direction (en, ja).
_INVERSE: dict[str, tuple[str, str]] = {
    "memberOf": ("members", "加盟者"),
    "partOf": ("has as part", "構成要素"),
    "country": ("country of", "この国に属する"),
    "affiliatedWith": ("affiliated people", "所属する人物"),
    "involves": ("involved in", "関与する提言"),
    "concerns": ("concerned by", "関係する提言・出来事"),
    "addresses": ("addressed by", "扱う提言"),
    "inSection": ("contains", "含まれる提言"),
    "participant": ("took part in", "参加した出来事"),
    "about": ("figures about it", "関する統計"),
    "location": ("location of", "ここを場所とする"),
    "proposesJoining": ("joining proposed by", "加入を提案する提言"),
    "proposesCreating": ("creation proposed by", "創設を提案する提言"),
    "proposesStrengthening": ("strengthening proposed by", "強化を提案する提言"),
    "modelledOn": ("model for", "手本とする提言"),
    "actsThrough": ("channel of", "経由して実施する提言"),
    "callsOn": ("called on by", "行動を求める提言"),
    "subProposalOf": ("sub-proposals", "下位の提言"),
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


def _pick(phrases: tuple[str, str], lang: Language) -> str:
    return phrases[1] if lang == "ja" else phrases[0]


def inverse_phrase(name: str | None, lang: Language = "en") -> str | None:
    """The phrase for the incoming direction of the ``pg:`` property ``name``, if known."""
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
