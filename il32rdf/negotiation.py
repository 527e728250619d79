"""HTTP content negotiation: pick the media type to answer with from an ``Accept`` header.

Follows RFC 9110: media ranges with ``q`` weights, ``type/*`` and ``*/*`` wildcards, the most
specific range deciding a type's weight, ``q=0`` meaning "not acceptable". Ties go to the
server's order of preference.

>>> choose("text/html;q=0.9, text/turtle", ["application/ld+json", "text/turtle", "text/html"])
'text/turtle'
>>> choose("*/*", ["application/sparql-results+json", "text/csv"])
'application/sparql-results+json'
>>> choose("image/png", ["text/turtle"]) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["choose", "parse_accept"]


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header with their weights (a missing header is ``*/*``)."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        if "/" not in media:
            media = "*/*" if media == "*" else media + "/*"
        weight = 1.0
        for parameter in pieces[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = max(0.0, min(1.0, float(value)))
                except ValueError:
                    weight = 0.0
        ranges.append((media, weight))
    return ranges


def _weight(offer: str, ranges: list[tuple[str, float]]) -> float:
    offer_type = offer.lower().partition("/")[0]
    best_specificity, weight = -1, 0.0
    for media, q in ranges:
        media_type, _, media_subtype = media.partition("/")
        if media == offer.lower():
            specificity = 2
        elif media_type == offer_type and media_subtype == "*":
            specificity = 1
        elif media == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity:
            best_specificity, weight = specificity, q
    return weight


def choose(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client prefers most, or ``None`` when it accepts none of them."""
    ranges = parse_accept(accept)
    best, best_weight = None, 0.0
    for offer in offers:
        weight = _weight(offer, ranges)
        if weight > best_weight:
            best, best_weight = offer, weight
    return best
