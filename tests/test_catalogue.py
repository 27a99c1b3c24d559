"""The message catalogue: every word in both languages, compiled as committed, placeholders kept."""

from __future__ import annotations

import ast
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from thidua import i18n

ROOT = Path(__file__).resolve().parents[1]


def _load_script() -> ModuleType:
    # A name no test module can take (tests/ is on sys.path).
    name = "scripts_catalogue"
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "catalogue.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


catalogue = _load_script()


@pytest.fixture(scope="module")
def template() -> Catalog:
    extracted: Catalog = catalogue.extract()
    return extracted


def _vi() -> Catalog:
    with catalogue.po_path("vi").open("rb") as file:
        return read_po(file, locale="vi", domain="thidua")


def _key(message_id: str | tuple[str, ...] | list[str]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def test_the_sources_mark_messages(template: Catalog) -> None:
    ids = {_key(message.id) for message in template if message.id}
    # A message of the command line, one of the shared vocabulary, one with a context.
    assert "{plan}: ok, every rule holds" in ids
    assert "Block" in ids
    assert ("cluster", "chair") in {(m.context, m.id) for m in template}


def test_every_message_has_a_vietnamese_translation(template: Catalog) -> None:
    """A message in English only fails here: run `scripts/catalogue.py update`, translate."""
    catalogue_now = catalogue.updated(template, "vi")
    assert catalogue.untranslated(catalogue_now) == []
    committed = {_key(message.id) for message in _vi() if message.id}
    extracted = {_key(message.id) for message in template if message.id}
    assert extracted - committed == set(), "the .po lacks messages: run the catalogue update"
    assert committed - extracted == set(), "the .po keeps messages the code no longer has"


def test_the_committed_files_are_what_the_update_writes() -> None:
    assert catalogue.problems() == []


def test_the_committed_mo_is_the_compiled_po() -> None:
    mo = catalogue.po_path("vi").with_suffix(".mo")
    assert mo.read_bytes() == catalogue.compile_mo(_vi())


def test_translations_keep_the_placeholders() -> None:
    assert catalogue.placeholder_problems(_vi()) == []


def test_a_changed_placeholder_is_found() -> None:
    broken = Catalog(locale="vi")
    broken.add("{plan}: ok", "{kế_hoạch}: hợp lệ")
    broken.add(("{count} group", "{count} groups"), ("{count} khối, cụm",))
    broken.add(("one rule", "{count} rules"), ("quy định",))
    broken.add("argument %(argument_name)s: %(message)s", "tham số %(argument_name)s")
    assert catalogue.placeholder_problems(broken) == [
        "'{plan}: ok' -> '{kế_hoạch}: hợp lệ'",
        "'one rule' -> 'quy định'",
        "'argument %(argument_name)s: %(message)s' -> 'tham số %(argument_name)s'",
    ]


def test_an_empty_or_fuzzy_translation_is_untranslated() -> None:
    partial = Catalog(locale="vi")
    partial.add("Block", "Khối")
    partial.add("Cluster", "")
    partial.add("Rules", "Quy định", flags=("fuzzy",))
    assert catalogue.untranslated(partial) == ["Cluster", "Rules"]


@pytest.fixture
def restore_language() -> Iterator[None]:
    before = i18n.language()
    yield None
    i18n.set_language(before)


@pytest.mark.usefixtures("restore_language")
def test_the_running_code_reads_the_compiled_catalogue() -> None:
    i18n.set_language("vi")
    assert i18n._("Block") == "Khối"
    assert i18n.pgettext("cluster", "chair") == "Cụm trưởng"
    assert i18n.ngettext("{count} violation in {plan}", "{count} violations in {plan}", 3) == (
        "{count} vi phạm trong {plan}"
    )
    i18n.set_language("en")
    assert i18n.pgettext("cluster", "chair") == "chair"
    assert i18n.gettext_in("vi", "Cluster") == "Cụm"
    assert i18n.pgettext("block", "deputy", lang="vi") == "Khối phó"


# A lookup function and how many of its first arguments are messages.
_MESSAGES = {"_": 1, "ngettext": 2, "pgettext": 2}


def _lookups(tree: ast.AST) -> Iterator[tuple[str, ast.Call]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            if name in _MESSAGES:
                yield name, node


def _computed(name: str, call: ast.Call) -> bool:
    """Whether a lookup's message is built at run time, so that no catalogue entry matches it.

    A value marked elsewhere (`N_`, `ngettext_noop`) is fine; an f-string or a sum is not.
    """
    messages = call.args[: _MESSAGES[name]]
    return not messages or any(isinstance(m, ast.JoinedStr | ast.BinOp) for m in messages)


def test_lookups_are_of_what_extraction_sees() -> None:
    found = []
    for path in [*(ROOT / "src").rglob("*.py"), *(ROOT / "tui").rglob("*.py")]:
        if path == ROOT / "src" / "thidua" / "i18n.py":
            continue  # the functions' own definitions
        for name, call in _lookups(ast.parse(path.read_text(encoding="utf-8"))):
            if _computed(name, call):
                found.append(f"{path.relative_to(ROOT)}:{call.lineno}: {name}")
    assert found == []


def test_a_computed_lookup_is_found() -> None:
    source = (
        'ngettext(f"{n} x", "xs", n); _("a" + b); _(f"{x} y"); _(WORDS[k]); '
        'ngettext(self.one, self.many, n); pgettext("c", "w")'
    )
    calls = list(_lookups(ast.parse(source)))
    assert [_computed(name, call) for name, call in calls] == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]
