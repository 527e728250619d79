"""HTML for people: a page per term of the graph, and the query page. No asset comes from the
network: styles and script are inline, so the pages work offline."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from html import escape
from urllib.parse import quote

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from il32rdf.claims import Claim, label_of, read_claims
from il32rdf.query import NamedQuery
from il32rdf.store import as_store
from il32rdf.vocab import BASE, OBO, compress_iri

__all__ = ["describe_url", "graph_page", "query_page", "term_page"]

Linker = Callable[[URIRef], str]
"""Maps an IRI to the URL of its page on this server."""

_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2rem auto;
max-width:70rem;padding:0 1rem;color:#1d2125;line-height:1.45}
h1{margin-bottom:.2rem}code{background:#f2f4f6;padding:0 .25rem;border-radius:3px}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #dde1e5;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f4f6}.negated{color:#b03a2e;font-weight:600}.muted{color:#5f6b76}
a{color:#0b5cad}nav a{margin-right:1rem}
label{display:block;margin:.5rem 0 .2rem}
input,select,textarea{font:inherit;padding:.3rem;width:100%}
button{font:inherit;padding:.4rem 1rem;margin:.6rem 0}#error{color:#b03a2e;white-space:pre-wrap}
"""


def _page(title: str, body: str, home: str) -> str:
    return (
        "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<nav><a href='{escape(home)}'>il32rdf</a><a href='{escape(home)}sparql'>SPARQL endpoint"
        f"</a><a href='{escape(home)}.well-known/void'>dataset description</a></nav>{body}"
        "</body></html>\n"
    )


def _curie(term: URIRef) -> str:
    return compress_iri(str(term)) or str(term)


def _link(graph: Graph, term: Node, linker: Linker) -> str:
    if isinstance(term, Literal):
        suffix = f" <span class='muted'>@{escape(term.language)}</span>" if term.language else ""
        return escape(str(term)) + suffix
    if isinstance(term, BNode):
        return "<span class='muted'>(anonymous class expression)</span>"
    assert isinstance(term, URIRef)
    label = label_of(graph, term)
    text = escape(label) if label != str(term) else escape(_curie(term))
    return f"<a href='{escape(linker(term))}' title='{escape(str(term))}'>{text}</a>"


def _claim_rows(graph: Graph, claims: list[Claim], linker: Linker) -> str:
    rows = []
    for c in claims:
        polarity = "<span class='negated'>NOT</span>" if c.negated else "asserted"
        statement = " ".join(_link(graph, t, linker) for t in (c.subject, c.predicate, c.object))
        context = ", ".join(
            _link(graph, t, linker)
            for t in (c.cell_type, c.cell_line, c.taxon, c.produced_molecule)
            if t is not None
        )
        sources = ", ".join(
            f"<a href='{escape(str(s))}'>{escape(label_of(graph, s))}</a>" for s in c.sources
        )
        evidence = ", ".join(_link(graph, e, linker) for e in c.evidence)
        rows.append(
            f"<tr><td>{_link(graph, c.iri, linker)}</td><td>{polarity}</td><td>{statement}</td>"
            f"<td>{context}</td><td>{sources}</td><td>{evidence}</td></tr>"
        )
    if not rows:
        return ""
    head = (
        "<tr><th>claim</th><th>polarity</th><th>statement</th><th>context</th>"
        "<th>source</th><th>evidence</th></tr>"
    )
    return f"<h2>Claims</h2><table>{head}{''.join(rows)}</table>"


def term_page(
    graph: Graph, term: URIRef, *, linker: Linker, home: str, rdf_links: Mapping[str, str]
) -> str:
    """The page of ``term``: label, definition, types, its properties, the claims that mention it
    (with polarity, context, source and evidence) and the terms that point to it."""
    label = label_of(graph, term)
    definition = graph.value(term, OBO.IAO_0000115) or graph.value(term, RDFS.comment)
    types = sorted({t for t in graph.objects(term, RDF.type) if isinstance(t, URIRef)})
    parts = [f"<h1>{escape(label)}</h1>", f"<p><code>{escape(str(term))}</code>"]
    if _curie(term) != str(term):
        parts.append(f" · <code>{escape(_curie(term))}</code>")
    parts.append("</p>")
    if definition is not None:
        parts.append(f"<p>{escape(str(definition))}</p>")
    if types:
        parts.append("<p>Type: " + ", ".join(_link(graph, t, linker) for t in types) + "</p>")
    properties = sorted(
        (p, o)
        for p, o in graph.predicate_objects(term)
        if p not in (RDF.type, RDFS.label) and not isinstance(o, BNode)
    )
    if properties:
        rows = "".join(
            f"<tr><td>{_link(graph, p, linker)}</td><td>{_link(graph, o, linker)}</td></tr>"
            for p, o in properties
        )
        parts.append(
            f"<h2>Properties</h2><table><tr><th>property</th><th>value</th></tr>{rows}</table>"
        )
    mentions = [
        c
        for c in read_claims(as_store(graph, "oxigraph"))  # 40x rdflib's SPARQL on a page
        if term in (c.iri, c.subject, c.object, c.cell_type, c.produced_molecule, c.cell_line)
        or term in c.sources
    ]
    parts.append(_claim_rows(graph, mentions, linker))
    incoming = sorted(
        {(s, p) for s, p in graph.subject_predicates(term) if isinstance(s, URIRef)}
        - {(c.iri, q) for c in mentions for q in graph.predicates(c.iri, term)}
    )[:200]
    if incoming:
        rows = "".join(
            f"<tr><td>{_link(graph, s, linker)}</td><td>{_link(graph, p, linker)}</td></tr>"
            for s, p in incoming
        )
        parts.append(
            f"<h2>Pointed to by</h2><table><tr><th>term</th><th>property</th></tr>{rows}</table>"
        )
    alternates = " · ".join(
        f"<a href='{escape(url)}'>{escape(name)}</a>" for name, url in rdf_links.items()
    )
    parts.append(f"<p class='muted'>This term as RDF: {alternates}</p>")
    return _page(label, "".join(parts), home)


def query_page(queries: Mapping[str, NamedQuery], *, home: str) -> str:
    """The query form: pick a named query, fill its parameters, see the answer as a table."""
    catalogue = {
        name: {
            "title": q.title,
            "question": q.question,
            "params": [
                {"name": p.name, "default": p.default or "", "help": p.description}
                for p in q.parameters
            ],
        }
        for name, q in sorted(queries.items())
    }
    options = "".join(
        f"<option value='{escape(name)}'>{escape(q.title or name)}</option>"
        for name, q in sorted(queries.items())
    )
    data = json.dumps(catalogue).replace("</", "<\\/")
    body = f"""
<h1>il32rdf: ask the knowledge graph</h1>
<p>Pick a competency question, change its parameters if you like, and run it. The same
questions are <code>il32rdf query NAME</code> on the command line and
<code>GET {escape(home)}queries/NAME</code> for programs; any SPARQL 1.1 query goes to
<a href='{escape(home)}sparql'>{escape(home)}sparql</a>.</p>
<form id='form'>
<label for='query'>Question</label><select id='query' name='query'>{options}</select>
<p id='question' class='muted'></p><div id='params'></div>
<button type='submit' id='run'>Run</button></form>
<p id='status' class='muted'></p><p id='error'></p><div id='results'></div>
<script id='catalogue' type='application/json'>{data}</script>
<script>
const catalogue = JSON.parse(document.getElementById('catalogue').textContent);
const home = {json.dumps(home)};
const select = document.getElementById('query');
function showParams() {{
  const info = catalogue[select.value];
  document.getElementById('question').textContent = info.question;
  const box = document.getElementById('params');
  box.replaceChildren();
  for (const p of info.params) {{
    const label = document.createElement('label');
    label.textContent = p.name + (p.help ? ' (' + p.help + ')' : '');
    const input = document.createElement('input');
    input.name = p.name; input.value = p.default; input.id = 'param-' + p.name;
    label.htmlFor = input.id; box.append(label, input);
  }}
}}
function cell(term) {{
  const td = document.createElement('td');
  if (!term) return td;
  if (term.type === 'uri') {{
    const a = document.createElement('a'); a.href = term.value; a.textContent = term.value;
    td.append(a);
  }} else {{ td.textContent = term.value; }}
  return td;
}}
select.addEventListener('change', showParams);
document.getElementById('form').addEventListener('submit', async (event) => {{
  event.preventDefault();
  const params = new URLSearchParams();
  for (const input of document.querySelectorAll('#params input')) {{
    params.set(input.name, input.value);
  }}
  const status = document.getElementById('status'), error = document.getElementById('error');
  const results = document.getElementById('results');
  status.textContent = 'running…'; error.textContent = ''; results.replaceChildren();
  const response = await fetch(home + 'queries/' + select.value + '?' + params,
                               {{headers: {{Accept: 'application/sparql-results+json'}}}});
  if (!response.ok) {{
    status.textContent = ''; error.textContent = await response.text(); return;
  }}
  const answer = await response.json();
  if ('boolean' in answer) {{ status.textContent = 'answer: ' + answer.boolean; return; }}
  const table = document.createElement('table'); table.id = 'answer';
  const head = table.insertRow();
  for (const v of answer.head.vars) {{
    const th = document.createElement('th'); th.textContent = v; head.append(th);
  }}
  for (const b of answer.results.bindings) {{
    const row = table.insertRow(); for (const v of answer.head.vars) row.append(cell(b[v]));
  }}
  results.append(table);
  status.textContent = answer.results.bindings.length + ' rows';
}});
showParams();
</script>"""
    return _page("il32rdf: ask the knowledge graph", body, home)


def graph_page(
    iri: URIRef,
    triples: int,
    predicates: list[tuple[URIRef, int]],
    *,
    home: str,
    rdf_links: Mapping[str, str],
) -> str:
    """The page of a named graph of the dataset: its size, its predicates by use, and where
    to get its statements."""
    name = str(iri).rstrip("/").rsplit("/", 1)[-1]
    downloads = " · ".join(f"<a href='{escape(u)}'>{escape(k)}</a>" for k, u in rdf_links.items())
    rows = "".join(
        f"<tr><td><code>{escape(_curie(p))}</code></td><td>{n:,}</td></tr>" for p, n in predicates
    )
    body = (
        f"<h1>the {escape(name)} graph</h1><p><code>{escape(str(iri))}</code></p>"
        f"<p>{triples:,} statements. Its statements as {downloads}; query it at"
        f" <a href='{escape(home)}sparql'>the SPARQL endpoint</a> with"
        f" <code>GRAPH &lt;{escape(str(iri))}&gt;</code> or"
        f" <code>default-graph-uri={escape(str(iri))}</code>.</p>"
        f"<table><tr><th>predicate</th><th>statements</th></tr>{rows}</table>"
    )
    return _page(f"il32rdf: the {name} graph", body, home)


def describe_url(home: str, iri: URIRef) -> str:
    """The page of any term: project IRIs under their own path, others through ``describe``."""
    text = str(iri)
    if text.startswith(BASE):
        return home + text[len(BASE) :]
    return f"{home}describe?iri={quote(text, safe='')}"
