"""The closed namespace and the ontology list the same terms."""

from __future__ import annotations

from pathlib import Path

import pytest

from ontology import PG
from ontology.codegen import ontology_terms, render


def test_namespace_module_is_generated_from_the_current_ontology() -> None:
    from ontology import namespace

    generated = Path(namespace.__file__).read_text(encoding="utf-8")
    assert generated == render(ontology_terms()), "run: python -m ontology.codegen"


def test_every_ontology_term_is_reachable_and_typos_fail() -> None:
    for term in ontology_terms():
        assert str(getattr(PG, term)).endswith("#" + term)
    with pytest.raises(AttributeError):
        _ = PG.memberof  # a typo, not a new IRI


def test_contract_terms_are_in_the_ontology() -> None:
    contract = {
        "Actor", "Country", "Organization", "GovernmentAgency", "InternationalOrganization",
        "Company", "BusinessAssociation", "ThinkTank", "University", "CivilSocietyOrganization",
        "Person", "Grouping", "Framework", "Alliance", "Minilateral", "MultilateralInstitution",
        "TradeAgreement", "Treaty", "Declaration", "Initiative", "Dialogue", "Proposal", "Section",
        "Chapter", "Document", "Topic", "Event", "Statistic", "Membership", "Affiliation",
        "Passage", "memberOf", "member", "framework", "role", "startDate", "endDate", "evidence",
        "Chair", "Observer", "Host", "Founder", "Applicant", "Partner", "partOf", "country",
        "affiliatedWith", "person", "organization", "position", "former", "involves", "concerns",
        "addresses", "inSection", "participant", "date", "inDocument", "lineStart", "lineEnd",
        "quote", "sha256", "asOf",
    }  # fmt: skip
    assert contract <= set(ontology_terms())


def test_december_2026_additions_are_in_the_ontology() -> None:
    additions = {
        "status", "Proposed", "Active", "Suspended", "Ended", "eventType", "Founding", "Signing",
        "EntryIntoForce", "Suspension", "Resumption", "Termination", "Summit", "Agreement",
        "foundedOn", "signedOn", "inForceFrom", "suspendedOn", "endedOn", "Place", "location",
        "proposesJoining", "proposesCreating", "proposesStrengthening", "modelledOn",
        "actsThrough", "callsOn", "subProposalOf", "level", "OverviewPoint", "SummaryProposal",
        "ChapterRecommendation", "SubProposal", "ordinal", "memberList", "Complete", "Partial",
    }  # fmt: skip
    assert additions <= set(ontology_terms())


def test_proposal_sub_properties_refine_concerns_and_involves() -> None:
    import rdflib

    from ontology import ONTOLOGY_FILE

    graph = rdflib.Graph().parse(ONTOLOGY_FILE)
    for term in ("proposesJoining", "proposesCreating", "proposesStrengthening", "modelledOn",
                 "actsThrough"):  # fmt: skip
        assert (PG[term], rdflib.RDFS.subPropertyOf, PG.concerns) in graph, term
    assert (PG.callsOn, rdflib.RDFS.subPropertyOf, PG.involves) in graph
    event_types = set(graph.subjects(rdflib.SKOS.inScheme, PG.EventTypeScheme))
    assert {PG.Founding, PG.Signing, PG.EntryIntoForce, PG.Suspension, PG.Resumption,
            PG.Termination, PG.Summit, PG.Agreement} <= event_types  # fmt: skip


def test_every_term_has_english_and_japanese_labels_and_a_comment() -> None:
    import rdflib

    from ontology import ONTOLOGY_FILE

    graph = rdflib.Graph().parse(ONTOLOGY_FILE)
    for term in ontology_terms():
        iri = PG[term]
        langs = {label.language for label in graph.objects(iri, rdflib.RDFS.label)}
        assert {"en", "ja"} <= langs, term
        assert graph.value(iri, rdflib.RDFS.comment) is not None, term
