"""``pipeline.templates``: one compiled copy of a template per machine and per way of compiling it.

The cache is keyed by the template's name and file and, with a ``salt``, by the environment's
compile options: an environment that trims blocks must not read the code compiled by one that does
not (same file, same source, other output). Real Jinja, real files."""
from __future__ import annotations

from jinja2 import DictLoader, Environment, FileSystemLoader

from pipeline.templates import TemplateCache, compile_options

SOURCE = "{% if x %}\n  <b>{{ x }}</b>\n{% endif %}\n"


def environment(folder, cache_folder, compiled: list[str], **options) -> Environment:
    env = Environment(loader=FileSystemLoader(str(folder)), **options)
    env.bytecode_cache = TemplateCache(cache_folder, salt=compile_options(env))
    compile_ = env.compile
    env.compile = lambda source, name=None, *a, **k: compiled.append(name) or compile_(source, name, *a, **k)
    return env


def test_environments_of_other_options_do_not_share_compiled_code(tmp_path):
    (tmp_path / "t.j2").write_text(SOURCE, encoding="utf-8")
    plain, trimmed, again = [], [], []
    expected_plain = Environment(loader=DictLoader({"t.j2": SOURCE})).get_template("t.j2").render(x="y")
    expected_trimmed = Environment(loader=DictLoader({"t.j2": SOURCE}), trim_blocks=True,
                                   lstrip_blocks=True).get_template("t.j2").render(x="y")
    assert expected_plain != expected_trimmed
    cache = tmp_path / "cache"
    assert environment(tmp_path, cache, plain).get_template("t.j2").render(x="y") == expected_plain
    trimmed_page = environment(tmp_path, cache, trimmed, trim_blocks=True, lstrip_blocks=True).get_template("t.j2")
    assert trimmed_page.render(x="y") == expected_trimmed and trimmed == ["t.j2"]
    assert environment(tmp_path, cache, again).get_template("t.j2").render(x="y") == expected_plain and again == []


def test_a_changed_template_is_compiled_again(tmp_path):
    (tmp_path / "t.j2").write_text(SOURCE, encoding="utf-8")
    first: list[str] = []
    environment(tmp_path, tmp_path / "cache", first).get_template("t.j2")
    (tmp_path / "t.j2").write_text("<i>{{ x }}</i>", encoding="utf-8")
    second: list[str] = []
    assert environment(tmp_path, tmp_path / "cache", second).get_template("t.j2").render(x="y") == "<i>y</i>"
    assert first == second == ["t.j2"]
