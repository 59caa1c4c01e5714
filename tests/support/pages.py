"""What a browser shows of an HTML page: the text of each element, by tag (entities decoded by html.parser)."""
from __future__ import annotations

import html.parser

TEXT_TAGS = ("title", "h1", "h2", "h3", "p", "li", "td", "th")


class _Texts(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, list[str]] = {t: [] for t in TEXT_TAGS}
        self.open: list[tuple[str, list[str]]] = []
        self.attrs: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.attrs.append(dict(attrs))
        if tag in TEXT_TAGS:
            self.open.append((tag, []))

    def handle_endtag(self, tag):
        if self.open and self.open[-1][0] == tag:
            t, parts = self.open.pop()
            self.texts[t].append("".join(parts))

    def handle_data(self, data):
        for _, parts in self.open:
            parts.append(data)


def page_texts(page: str) -> dict[str, list[str]]:
    """{tag: [text of each such element, in order]} for the tags of TEXT_TAGS (nested text counts for each)."""
    p = _Texts()
    p.feed(page)
    p.close()
    assert not p.open, f"unclosed elements: {[t for t, _ in p.open]}"
    return p.texts


def page_attrs(page: str) -> list[dict[str, str | None]]:
    """Every start tag's attributes, decoded, in order."""
    p = _Texts()
    p.feed(page)
    p.close()
    return p.attrs
