"""Run kgx, the Biolink tools' own KGX library, offline: the Biolink model (schema and prefix
map) from the ``biolink-model`` package instead of the network, and no socket allowed to
connect, so that a test proves it needs none.

    python tests/kgx_offline.py validate -i tsv NODES EDGES   # kgx's own command line
    python tests/kgx_offline.py read NODES EDGES              # kgx's reader, as JSON

kgx 2.6 fetches the model when it is imported (``bmt.Toolkit()`` and the JSON-LD context of
``kgx/config.yml``); both are pointed at the installed package before kgx is imported.
"""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path
from typing import Any, NoReturn


def offline() -> None:
    """Point kgx at the installed Biolink model and refuse every network connection."""

    def refuse(*_: object, **__: object) -> NoReturn:
        raise OSError("kgx_offline: no network connection is allowed")

    socket.socket.connect = refuse  # type: ignore[method-assign,assignment]
    socket.create_connection = refuse  # type: ignore[assignment]

    import biolink_model
    import bmt.toolkit

    root = Path(next(iter(biolink_model.__path__)))
    schema = str(root / "schema" / "biolink_model.yaml")
    bmt.toolkit.Toolkit.__init__.__defaults__ = (schema, {"predicate mappings": []})
    import kgx.config

    kgx.config.get_config()
    prefixes = json.loads((root / "prefixmaps" / "biolink_model_prefix_map.json").read_text())
    kgx.config.jsonld_context_map["biolink"] = prefixes


def read(nodes: str, edges: str) -> dict[str, Any]:
    """The node and edge records as kgx's TSV reader gives them, one per row (kgx's in-memory
    graph would then merge edges of the same subject, predicate and object: ``kgx transform
    --stream`` keeps them, as this does)."""
    from kgx.source import TsvSource
    from kgx.transformer import Transformer

    found: dict[str, Any] = {"nodes": {}, "edges": []}
    for filename in (nodes, edges):
        for record in TsvSource(Transformer(stream=True)).parse(filename, format="tsv"):
            if record is None:
                continue
            if len(record) == 4:  # subject, object, key, data: an edge
                found["edges"].append(record[3])
            else:
                found["nodes"][record[0]] = record[1]
    return found


if __name__ == "__main__":
    offline()
    if sys.argv[1] == "read":
        json.dump(read(sys.argv[2], sys.argv[3]), sys.stdout, default=sorted)
    else:
        from kgx.cli import cli

        sys.argv[0] = "kgx"
        cli()
