"""The ontology declares the terms of the public contract, each labelled and explained."""

from __future__ import annotations

import rdflib

from graph.iris import ONTOLOGY_NS
from ontology import ONTOLOGY_FILE

PG = rdflib.Namespace(ONTOLOGY_NS)


def ontology_terms() -> list[str]:
    """Local names of every term the ontology declares, sorted."""
    graph = rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")
    names = {
        str(subject)[len(ONTOLOGY_NS) :]
        for subject in graph.subjects(rdflib.RDF.type, None)
        if isinstance(subject, rdflib.URIRef) and str(subject).startswith(ONTOLOGY_NS)
    }
    return sorted(names)


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
