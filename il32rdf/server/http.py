"""What every answer of the server shares: one-line errors, content negotiation, ``ETag`` and
``If-None-Match``, CORS, and the request body limit."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Final, TypeVar

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from il32rdf.errors import Il32Error
from il32rdf.export import RdfFormat
from il32rdf.negotiation import choose
from il32rdf.results import ResultFormat

__all__ = [
    "RDF_FORMATS",
    "RESULT_FORMATS",
    "Answer",
    "HttpError",
    "etag_matches",
    "handler",
    "negotiate",
    "read_body",
    "respond",
]

_T = TypeVar("_T")
_log = logging.getLogger("il32rdf.server")

RESULT_FORMATS: Final[Mapping[str, ResultFormat]] = {
    ResultFormat.JSON.media_type: ResultFormat.JSON,
    ResultFormat.XML.media_type: ResultFormat.XML,
    ResultFormat.CSV.media_type: ResultFormat.CSV,
    ResultFormat.TSV.media_type: ResultFormat.TSV,
    "application/json": ResultFormat.JSON,  # what YASGUI and plain JSON clients ask for
}
"""The media types of SELECT and ASK answers, in the server's order of preference."""

RDF_FORMATS: Final[Mapping[str, RdfFormat]] = {
    fmt.media_type: fmt
    for fmt in (RdfFormat.TURTLE, RdfFormat.JSONLD, RdfFormat.NTRIPLES, RdfFormat.RDFXML)
}
"""The media types of graphs (CONSTRUCT, DESCRIBE, dereferenced IRIs)."""

_CORS: Final = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag"}
_PREFLIGHT: Final = {
    **_CORS,
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Max-Age": "86400",
}


class HttpError(Exception):
    """An answer other than 200: status and a one-line message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Answer:
    """A 200 answer of the read-only dataset: its bytes, media type and entity tag. The same
    request always gets the same bytes, so the tag is a digest of them."""

    body: bytes
    media_type: str
    negotiated: bool = True
    """Whether the media type was chosen by ``Accept`` (then ``Vary: Accept``)."""
    etag: str = field(init=False)

    def __post_init__(self) -> None:
        digest = hashlib.blake2b(self.body, digest_size=12).hexdigest()
        object.__setattr__(self, "etag", f'"{digest}"')


def negotiate(accept: str | None, offers: Mapping[str, _T], what: str) -> tuple[str, _T]:
    """The offered media type ``accept`` prefers, and what it stands for.

    :raises HttpError: 406, naming the offers.
    """
    media = choose(accept, list(offers))
    if media is None:
        raise HttpError(406, f"acceptable {what}: " + ", ".join(offers))
    return media, offers[media]


def respond(request: Request, answer: Answer) -> Response:
    """The answer, or ``304 Not Modified`` when the client's ``If-None-Match`` has its tag."""
    headers = {**_CORS, "ETag": answer.etag}
    if answer.negotiated:
        headers["Vary"] = "Accept"
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None and etag_matches(if_none_match, answer.etag):
        return Response(status_code=304, headers=headers)
    return Response(answer.body, media_type=answer.media_type, headers=headers)


def etag_matches(header: str, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weakly, or by ``*``)."""
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag in tags


def _error(exc: HttpError) -> Response:
    return PlainTextResponse(str(exc) + "\n", status_code=exc.status, headers=_CORS)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused beyond ``limit`` bytes.

    :raises HttpError: 413.
    """
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise HttpError(413, f"request body larger than {limit} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HttpError(413, f"request body larger than {limit} bytes")
    return body


def handler(
    func: Callable[[Request], Awaitable[Response]],
) -> Callable[[Request], Awaitable[Response]]:
    """``func`` as a route: CORS preflight answered, errors as one line with their status,
    never a stack trace (the operator's log has it)."""

    async def endpoint(request: Request) -> Response:
        if request.method == "OPTIONS":
            asked = request.headers.get("access-control-request-headers")
            headers = {**_PREFLIGHT, "Access-Control-Allow-Headers": asked or "Content-Type"}
            return Response(status_code=204, headers=headers)
        try:
            return await func(request)
        except HttpError as exc:
            return _error(exc)
        except Il32Error as exc:
            return _error(HttpError(400, str(exc)))
        except Exception as exc:
            _log.exception("internal error answering %s %s", request.method, request.url.path)
            return _error(HttpError(500, f"internal error: {type(exc).__name__}"))

    return endpoint
