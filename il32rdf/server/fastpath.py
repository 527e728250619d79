"""The fast path: a repeated ``GET`` answered from memory before any routing.

The served data never change, so a ``GET`` with the same target, ``Host`` and ``Accept`` gets
the same answer. Every 200 answer that carries an ``ETag`` (the answers of the read-only
dataset) is kept, whole, under that key, at most ``limit`` bytes in all (least recently used
first out); a repeat is written straight back, or as ``304 Not Modified`` when its
``If-None-Match`` names the tag. Everything else (POST, errors, a first request) goes through
the application and its limits as usual.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from il32rdf.server.http import etag_matches

__all__ = ["ResponseCache"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]
_Kept = tuple[list[tuple[bytes, bytes]], bytes, bytes]
"""Headers, body and entity tag of a kept answer."""


class ResponseCache:
    """ASGI middleware keeping the 200 ``GET`` answers of ``app`` that have an ``ETag``."""

    def __init__(self, app: App, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._kept: OrderedDict[tuple[bytes, ...], _Kept] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or self.limit <= 0:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        key = (
            scope["raw_path"] or scope["path"].encode(),
            scope["query_string"],
            headers.get(b"host", b""),
            headers.get(b"accept", b""),
        )
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
            kept_headers, body, etag = kept
            match = headers.get(b"if-none-match")
            if match is not None and etag_matches(match.decode("latin-1"), etag.decode("latin-1")):
                await send({"type": "http.response.start", "status": 304, "headers": kept_headers})
                await send({"type": "http.response.body", "body": b""})
                return
            await send({"type": "http.response.start", "status": 200, "headers": kept_headers})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, _Recorder(send, key, self).send)

    def keep(self, key: tuple[bytes, ...], headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        etag = dict(headers).get(b"etag")
        if etag is None or len(body) * 4 > self.limit:
            return
        without_length = [(k, v) for k, v in headers if k.lower() != b"content-length"]
        kept_headers = [*without_length, (b"content-length", str(len(body)).encode())]
        with self._lock:
            if key in self._kept:
                return
            self._kept[key] = (kept_headers, body, etag)
            self._size += len(body)
            while self._size > self.limit:
                _, (_, dropped, _) = self._kept.popitem(last=False)
                self._size -= len(dropped)


class _Recorder:
    """Passes an answer on to the client and keeps a copy of a complete 200."""

    def __init__(self, send: Send, key: tuple[bytes, ...], cache: ResponseCache) -> None:
        self._send, self._key, self._cache = send, key, cache
        self._status = 0
        self._headers: list[tuple[bytes, bytes]] = []
        self._body: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self._status = message["status"]
            self._headers = [(bytes(k), bytes(v)) for k, v in message.get("headers", [])]
        elif message["type"] == "http.response.body" and self._status == 200:
            self._body.append(bytes(message.get("body", b"")))
            if not message.get("more_body", False):
                self._cache.keep(self._key, self._headers, b"".join(self._body))
        await self._send(message)
