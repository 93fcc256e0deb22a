"""Reading the forms of a page, to post them as a browser would (CSRF tokens included)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self._current: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self._current = self.forms.setdefault(attributes.get("action") or "", {})
        elif (
            tag == "input"
            and self._current is not None
            and attributes.get("name")
            and attributes.get("type") in ("hidden", None, "text")
        ):
            self._current[attributes["name"]] = attributes.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def post_forms(html: str) -> dict[str, dict[str, str]]:
    """{form action: {input name: value}} of the page's POST forms ("" for the page itself)."""
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def submit(client, page_path: str, action: str, **fields):
    """Post the form of `page_path` whose action is `action`, with `fields` filled in
    (names without the form's prefix are prefixed like the form's own fields)."""
    html = client.get(page_path).get_data(as_text=True)
    forms = post_forms(html)
    assert action in forms, f"no form posting to {action} on {page_path}: {list(forms)}"
    data = dict(forms[action])
    prefix = next((k[: -len("version")] for k in data if k.endswith("-version")), "")
    for name, value in fields.items():
        data[name if name in data or not prefix else prefix + name] = value
    return client.post(action or page_path, data=data)
