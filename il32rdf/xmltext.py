"""Text in XML: element content and attribute values escaped, as ``xml.sax.saxutils`` does,
without importing it (it loads ``urllib.request`` and the HTTP client, a twentieth of a second
that a command answering a query would otherwise spend).

>>> escape("a < b & c")
'a &lt; b &amp; c'
>>> print(quoteattr('say "hi" & go'))
'say "hi" &amp; go'
"""

from __future__ import annotations

__all__ = ["escape", "quoteattr"]


def escape(text: str, *, carriage_returns: bool = False) -> str:
    """``text`` as XML element content: ``&``, ``<`` and ``>`` escaped, and with
    ``carriage_returns`` each ``\\r`` as ``&#13;`` (a parser reads a bare one as a line end).
    ``str.replace`` in turn, not ``str.translate``: over ten times faster on text that needs
    nothing, which is most of it."""
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    return text.replace("\r", "&#13;") if carriage_returns else text


def quoteattr(text: str) -> str:
    """``text`` as a quoted XML attribute value: in double quotes, or in single quotes when it
    holds a double quote but no single one (else its double quotes become ``&quot;``)."""
    value = escape(text, carriage_returns=True).replace("\n", "&#10;").replace("\t", "&#9;")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', "&quot;") + '"'
