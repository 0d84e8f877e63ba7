"""Several views in one command: the ``VIEW:ARGS`` specs of ``policygraph viz pack``.

A spec is a view's name, then after a colon its arguments separated by commas: entities
(names or slugs, as on the command line) and ``key=value`` options::

    ego:kor                  ego:kor,depth=2,type=framework
    frameworks:ipef,cptpp    memberships:jpn,kor,as_of=2024-01-01
    path:kor,aukus-pillar-2  proposals:section=jkvg2025-section-1-2,actor=jpn
    overview

>>> parse_spec("ego:kor,depth=2")
Spec(view='ego', entities=('kor',), options=(('depth', '2'),))
>>> parse_spec("proposals:actor=jpn").options
(('actor', 'jpn'),)
>>> parse_spec("galaxy:kor")
Traceback (most recent call last):
...
graph.errors.UsageError: unknown view 'galaxy' in 'galaxy:kor'; choose ego, frameworks, proposals, path, overview or memberships
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graph.errors import UsageError
from graph.memo import Memo
from graph.store.port import GraphStore
from viz.view import View

__all__ = ["PACK_VIEWS", "Spec", "make_view", "parse_spec", "parse_specs"]

#: The views a pack can hold, with the options each takes.
PACK_VIEWS: dict[str, tuple[str, ...]] = {
    "ego": ("depth", "type"),
    "frameworks": (),
    "proposals": ("section", "actor", "framework", "topic"),
    "path": (),
    "overview": (),
    "memberships": ("as_of",),
}
#: How many entities each view takes: (least, most).
_ENTITIES = {
    "ego": (1, 1),
    "frameworks": (0, 50),
    "proposals": (0, 0),
    "path": (2, 2),
    "overview": (0, 0),
    "memberships": (1, 12),
}
_MOST_SLIDES = 30


@dataclass(frozen=True)
class Spec:
    """One view of a pack: its name, the entities named, and its options."""

    view: str
    entities: tuple[str, ...] = ()
    options: tuple[tuple[str, str], ...] = ()


def parse_spec(text: str) -> Spec:
    """The :class:`Spec` written as ``text``.

    :raises UsageError: an unknown view or option, or the wrong number of entities.
    """
    name, _, rest = text.strip().partition(":")
    if name not in PACK_VIEWS:
        raise UsageError(
            f"unknown view {name!r} in {text!r}; choose ego, frameworks, proposals, path, "
            "overview or memberships"
        )
    entities, options = [], []
    for part in (p.strip() for p in rest.split(",") if p.strip()):
        key, equals, value = part.partition("=")
        if not equals:
            entities.append(part)
        elif key.strip() not in PACK_VIEWS[name] or not value.strip():
            allowed = ", ".join(PACK_VIEWS[name]) or "none"
            raise UsageError(f"{name} takes no option {part!r} (options: {allowed})")
        else:
            options.append((key.strip(), value.strip()))
    least, most = _ENTITIES[name]
    if not least <= len(entities) <= most:
        wanted = str(least) if least == most else f"{least} to {most}"
        raise UsageError(f"{name} takes {wanted} entities, not {len(entities)}, in {text!r}")
    return Spec(name, tuple(entities), tuple(options))


def parse_specs(texts: Sequence[str]) -> list[Spec]:
    """Every spec of a pack, in order.

    :raises UsageError: none, more than 30, or one is malformed.
    """
    if not texts:
        raise UsageError("name at least one view, for example ego:kor")
    if len(texts) > _MOST_SLIDES:
        raise UsageError(f"a pack holds at most {_MOST_SLIDES} views")
    return [parse_spec(t) for t in texts]


def make_view(
    store: GraphStore, spec: Spec, *, lang: str, max_nodes: int, memo: Memo | None = None
) -> View:
    """The view a spec asks for, its entities resolved by name or slug (what is read from
    the whole store kept in ``memo``: a pack makes several views of one store).

    :raises UnknownEntityError: an entity is unknown.
    :raises UsageError: an option's value is out of range.
    """
    from graph.query.resolve import ACTORS, FRAMEWORKS, SECTIONS, TOPICS, resolve_each
    from viz import views

    options = dict(spec.options)
    if spec.view == "ego":
        [slug] = resolve_each(store, list(spec.entities), memo=memo)
        depth = options.get("depth", "1")
        if not depth.isdigit():
            raise UsageError(f"depth must be 1, 2 or 3, not {depth!r}")
        kinds = [options["type"]] if "type" in options else []
        return views.ego(store, slug, int(depth), kinds, lang=lang, max_nodes=max_nodes, memo=memo)
    if spec.view == "frameworks":
        chosen = resolve_each(store, list(spec.entities), classes=FRAMEWORKS, memo=memo)
        return views.frameworks(store, chosen, lang=lang, max_nodes=max_nodes, memo=memo)
    if spec.view == "proposals":
        classes = {"section": SECTIONS, "actor": ACTORS, "framework": FRAMEWORKS, "topic": TOPICS}
        filters = {
            k: resolve_each(store, [v], classes=classes[k], memo=memo)[0]
            for k, v in options.items()
        }
        return views.proposals(
            store, **filters, lang=lang, max_nodes=max_nodes, memo=memo, selection=None
        )
    if spec.view == "path":
        source, target = resolve_each(store, list(spec.entities), memo=memo)
        return views.path(store, source, target, lang=lang, max_nodes=max_nodes, memo=memo)
    if spec.view == "memberships":
        actors = resolve_each(store, list(spec.entities), memo=memo)
        return views.memberships(
            store, actors, as_of=options.get("as_of"), lang=lang, max_nodes=max_nodes, memo=memo
        )
    return views.overview(store, lang=lang, max_nodes=max_nodes, memo=memo)
