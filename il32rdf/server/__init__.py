"""The linked-data server: SPARQL 1.1 Protocol, read-only Graph Store Protocol, dereferenceable
IRIs and pages for people. The only package that imports Starlette and uvicorn.

Routes, under a configurable mount point (``/`` by default, e.g. ``/il32rdf`` behind a proxy):

==============================  ===========================================================
``GET /``                       the query page (named queries, results as a table)
``GET|POST /sparql``            SPARQL 1.1 Protocol, with the request's dataset
                                (``default-graph-uri``, ``named-graph-uri``); without a
                                query, the Service Description
``GET /queries``                the named queries (JSON)
``GET /queries/NAME?p=v``       a named query with bound parameters
``GET /rdf-graphs[/NAME]``      Graph Store Protocol, read-only (``?graph=IRI``, ``?default``;
                                without either, the whole dataset as N-Quads)
``GET /.well-known/void``       the VoID/DCAT description, with the endpoint
``GET /describe?iri=IRI``       the page of any term of the graph (an IRI or a CURIE)
``GET /PATH``                   the project IRI ``BASE + PATH``: HTML for browsers, RDF for
                                machines (``Accept``, or a ``.ttl``/``.jsonld``/``.nt``/``.rdf``
                                suffix); a named graph's IRI gives its statements
==============================  ===========================================================

Every answer of the read-only dataset has an ``ETag`` (``If-None-Match`` gets a 304) and
``Access-Control-Allow-Origin: *``; ``OPTIONS`` answers a CORS preflight. Answers are kept in a
bounded cache keyed by the request (:mod:`il32rdf.server.answers`).

Safety: read-only (SPARQL Update is refused), no ``SERVICE`` (no request forgery through the
endpoint), ``FROM``/``FROM NAMED`` and the dataset parameters read only the served graphs (an
empty graph for any other IRI: nothing is fetched), a time limit and a result-size limit per
query, a request-body limit, and errors as one-line messages with a 4xx/5xx status, never a
stack trace.

Modules: :mod:`~il32rdf.server.protocol` (what a request asks), :mod:`~il32rdf.server.answers`
(limits and the cache), :mod:`~il32rdf.server.linked` (dereferencing),
:mod:`~il32rdf.server.http` (errors, ETag, CORS), :mod:`~il32rdf.server.app` (routes),
:mod:`~il32rdf.server.workers` (one process, or a worker per core on one socket).
"""

from il32rdf.server.answers import ServerSettings
from il32rdf.server.app import create_app, serve

__all__ = ["ServerSettings", "create_app", "serve"]
