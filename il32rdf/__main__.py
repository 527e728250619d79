"""``python -m il32rdf`` is the ``il32rdf`` command."""

from il32rdf.cli import main

raise SystemExit(main())
