"""The Chinese catalogue is complete and compiled; English falls back to the msgids."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "registry/translations/zh/LC_MESSAGES/messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "lazy_pgettext": ((1, "c"), 2),
}


def source_messages() -> set[str]:
    found: set[str] = set()
    method_map = [
        ("registry/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.txt", "jinja2"),  # emails
    ]
    jinja = {"extensions": "jinja2.ext.i18n"}
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(ROOT),
        method_map=method_map,
        keywords=KEYWORDS,
        options_map={"templates/**.html": jinja, "templates/**.txt": jinja},
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_of_the_source_has_a_chinese_translation():
    with open(PO, "rb") as f:
        catalog = read_po(f)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id
        and (m.string if isinstance(m.string, str) else m.string[0])
        and "fuzzy" not in m.flags
    }
    missing = sorted(source_messages() - translated)
    assert missing == [], f"untranslated (run `make translations` and fill them): {missing}"


def test_compiled_catalogue_is_up_to_date():
    with open(PO, "rb") as f:
        po = {(m.context, m.id): m.string for m in read_po(f) if m.id and "fuzzy" not in m.flags}
    with open(MO, "rb") as f:
        mo = {(_text(m.context), m.id): m.string for m in read_mo(f) if m.id}
    assert mo == {k: v for k, v in po.items() if (v if isinstance(v, str) else v[0])}, (
        "run `pybabel compile -d registry/translations`"
    )


def _text(value: str | bytes | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def test_nothing_unused_lingers_in_the_catalogue():
    with open(PO, "rb") as f:
        ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    assert ids - source_messages() == set(), "remove obsolete entries (make translations)"
