"""A synthetic corpus in policygraph's vocabulary, at any size, the same bytes from a seed.

Many reports (``pg:Document`` → ``pg:Chapter`` → ``pg:Section``), each with proposals that
involve actors, concern frameworks, address topics and carry an evidence passage; thousands
of actors and frameworks tied by memberships, each with its evidence. Who is involved and
who is a member of what follows a Zipf-like law (a few hubs, a long tail), as in the real
graph. Quotes are synthetic text; documents have no ``pg:sha256``. The data conforms to the
SHACL shapes (``policygraph validate --data DIR``).

Turtle is written in files of about 200,000 triples as it is generated, so memory stays flat
whatever the size::

    python -m bench.synth --triples 100000 --seed 1 -o var/synth-100k
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

__all__ = ["Corpus", "generate", "main"]

HEADER = """@prefix pg: <https://w3id.org/policygraph/ontology#> .
@prefix id: <https://w3id.org/policygraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

"""
CHUNK_TRIPLES = 200_000
ORGANIZATION_KINDS = (
    "GovernmentAgency", "InternationalOrganization", "Company", "BusinessAssociation",
    "ThinkTank", "University", "CivilSocietyOrganization",
)  # fmt: skip
FRAMEWORK_KINDS = (
    "Alliance", "Minilateral", "MultilateralInstitution", "TradeAgreement", "Treaty",
    "Declaration", "Initiative", "Dialogue",
)  # fmt: skip
ROLES = ("Member", "Member", "Member", "Member", "Founder", "Chair", "Host", "Observer", "Partner")
WORDS = (
    "security", "trade", "supply", "chain", "energy", "climate", "digital", "maritime",
    "defence", "research", "health", "finance", "labour", "tourism", "education", "space",
    "semiconductor", "cooperation", "dialogue", "resilience", "standards", "exchange",
)  # fmt: skip
JA = (
    "安全保障",
    "貿易",
    "供給網",
    "エネルギー",
    "気候",
    "デジタル",
    "海洋",
    "防衛",
    "研究",
    "協力",
)


@dataclass
class Corpus:
    """What was written: triples and entities by kind, and the files."""

    triples: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)


class _Writer:
    """Turtle statements into numbered files of about ``CHUNK_TRIPLES`` triples each."""

    def __init__(self, directory: Path, corpus: Corpus) -> None:
        self.directory = directory
        self.corpus = corpus
        self.handle: TextIO | None = None
        self.in_chunk = 0

    def statement(self, text: str, triples: int) -> None:
        if self.handle is None or self.in_chunk >= CHUNK_TRIPLES:
            self.close()
            path = self.directory / f"synth-{len(self.corpus.files):05d}.ttl"
            self.corpus.files.append(path)
            self.handle = path.open("w", encoding="utf-8", newline="\n")
            self.handle.write(HEADER)
            self.in_chunk = 0
        self.handle.write(text)
        self.handle.write("\n")
        self.in_chunk += triples
        self.corpus.triples += triples

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
        self.handle = None


@contextmanager
def _writer(directory: Path, corpus: Corpus) -> Iterator[_Writer]:
    writer = _Writer(directory, corpus)
    try:
        yield writer
    finally:
        writer.close()


def _zipf(rng: random.Random, n: int) -> int:
    """An index in ``range(n)`` drawn with probability about proportional to 1/(i+1)."""
    return min(n - 1, int(n ** rng.random()) - 1)


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _labels(rng: random.Random, en: str, *, ko: bool = False) -> str:
    ja = "".join(rng.choice(JA) for _ in range(2))
    return f'rdfs:label "{en}"@en , "{ja}{en[-4:]}"@ja' + (f' , "{en} 한"@ko' if ko else "")


def _passage(document: str, rng: random.Random) -> tuple[str, int]:
    start = rng.randint(1, 5000)
    quote = _text(rng, rng.randint(2, 8))[:80]
    return (
        f"[ a pg:Passage ; pg:inDocument id:{document} ; pg:lineStart {start} ; "
        f'pg:lineEnd {start + rng.randint(0, 3)} ; pg:quote "{quote}" ]',
        5,
    )


def generate(target: int, seed: int, directory: Path) -> Corpus:
    """Write about ``target`` triples (a little more, never less) into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("synth-*.ttl"):
        old.unlink()
    rng = random.Random(seed)
    corpus = Corpus()
    countries = max(20, min(200, target // 2_000))
    actors = max(200, target // 150)
    frameworks = max(50, target // 800)
    topics = max(10, min(200, target // 5_000))
    corpus.counts = {"countries": countries, "actors": actors, "frameworks": frameworks}
    with _writer(directory, corpus) as out:
        for i in range(countries):
            out.statement(
                f"id:synth-country-{i} a pg:Country ; {_labels(rng, f'Country {i}', ko=True)} .", 4
            )
        for i in range(actors):
            if rng.random() < 0.3:
                kind, country = "Person", ""
            else:
                kind = rng.choice(ORGANIZATION_KINDS)
                country = f" ; pg:country id:synth-country-{_zipf(rng, countries)}"
            out.statement(
                f"id:synth-actor-{i} a pg:{kind} ; {_labels(rng, f'{kind} {i}', ko=True)}{country} .",
                4 + bool(country),
            )
        for i in range(frameworks):
            part = (
                f" ; pg:partOf id:synth-framework-{rng.randrange(i)}"
                if i and rng.random() < 0.1
                else ""
            )
            out.statement(
                f"id:synth-framework-{i} a pg:{rng.choice(FRAMEWORK_KINDS)} ; "
                f"{_labels(rng, f'Framework {i}')}{part} .",
                3 + bool(part),
            )
        for i in range(topics):
            out.statement(f"id:synth-topic-{i} a pg:Topic ; {_labels(rng, f'Topic {i}')} .", 3)
        reports = memberships = proposals = 0
        while corpus.triples < target:
            document = f"synth-report-{reports}"
            out.statement(f"id:{document} a pg:Document ; {_labels(rng, f'Report {reports}')} .", 3)
            for chapter in range(1, rng.randint(2, 5) + 1):
                chapter_id = f"{document}-ch-{chapter}"
                out.statement(
                    f"id:{chapter_id} a pg:Chapter ; {_labels(rng, f'Chapter {chapter}')} ; "
                    f"pg:order {chapter} ; pg:partOf id:{document} .",
                    5,
                )
                for section in range(1, rng.randint(1, 4) + 1):
                    section_id = f"{chapter_id}-s-{section}"
                    out.statement(
                        f"id:{section_id} a pg:Section ; {_labels(rng, f'Section {chapter}.{section}')} ; "
                        f"pg:order {section} ; pg:partOf id:{chapter_id} .",
                        5,
                    )
                    for order in range(1, rng.randint(1, 6) + 1):
                        involved = sorted({_zipf(rng, actors) for _ in range(rng.randint(1, 4))})
                        concerned = sorted(
                            {_zipf(rng, frameworks) for _ in range(rng.randint(0, 2))}
                        )
                        passage, passage_triples = _passage(document, rng)
                        links = "".join(f" ; pg:involves id:synth-actor-{a}" for a in involved)
                        links += "".join(
                            f" ; pg:concerns id:synth-framework-{f}" for f in concerned
                        )
                        links += f" ; pg:addresses id:synth-topic-{_zipf(rng, topics)}"
                        out.statement(
                            f"id:synth-proposal-{proposals} a pg:Proposal ; "
                            f"{_labels(rng, _text(rng, 4).capitalize())} ; pg:inSection id:{section_id} ; "
                            f"pg:summaryOrder {order}{links} ; pg:evidence {passage} .",
                            6 + len(involved) + len(concerned) + 1 + passage_triples,
                        )
                        proposals += 1
            reports += 1
            # Memberships take about a third of the triples, in step with the reports.
            while memberships * 11 < corpus.triples // 3:
                role = rng.choice(ROLES)
                passage, passage_triples = _passage(f"synth-report-{rng.randrange(reports)}", rng)
                out.statement(
                    f"[] a pg:Membership ; pg:member id:synth-actor-{_zipf(rng, actors)} ; "
                    f"pg:framework id:synth-framework-{_zipf(rng, frameworks)} ; "
                    f"pg:role pg:{role} ; pg:evidence {passage} .",
                    5 + passage_triples,
                )
                memberships += 1
    corpus.counts.update(
        topics=topics, reports=reports, proposals=proposals, memberships=memberships
    )
    return corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.synth", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--triples", type=int, default=10_000, help="about how many triples")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, required=True, help="the directory to write")
    args = parser.parse_args(argv)
    corpus = generate(args.triples, args.seed, args.output)
    counts = ", ".join(f"{k} {v:,}" for k, v in corpus.counts.items())
    print(
        f"wrote {corpus.triples:,} triples in {len(corpus.files)} files to {args.output} ({counts})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
