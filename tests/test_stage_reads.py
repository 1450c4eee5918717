"""Each stage reads no config field it does not declare: its cache key would miss a change to it.

Every real stage runs on small inline seeds (a scrape, a blob, Markdown, WordPress JSON, an HTML
page, in three languages) with a config that records each field read of it. A field read but not
in the stage's ``READS`` is one an edit of ``digest.toml`` could change without the incremental
build noticing.
"""
from __future__ import annotations

import json
from dataclasses import fields, replace
from pathlib import Path

import pytest

from generator import clean, group, render
from generator.config import Overrides, SiteConfig, load_config
from generator.seed_file import clean_file
from generator.notes import Note, Notes
from generator.stage_reads import Corpus, StageReads, config_part

ROOT = Path(__file__).resolve().parents[1]
FIELDS = {f.name for f in fields(SiteConfig)}

STORY = ("The city council of Brenmoor approved a plan on Tuesday to give OpenAI's Sora a role in "
         "its film office, which hopes studios will shoot more scenes in the old harbour district. "
         "Councillor Ada Vance said the office would publish every generated shot it licenses. ")
SEEDS = {
    "scrape.txt": "Home | News | Film\nBrenmoor gives Sora a role in its film office\nBy Ada Vance | March 4, 2025\n"
                  + STORY * 3 + "\nShare this article\n",
    "blob.txt": "2025-03-05 " + (STORY * 4).replace("\n", " ") + " Learn more: visit our shop today.",
    "note.md": "---\ntitle: Sora and the Brenmoor film office\ndate: 2025-03-06\nauthor: Ada Vance\n---\n\n"
               + STORY * 3,
    "posts.json": json.dumps([{"id": 7, "date": "2025-03-07T09:00:00", "link": "https://brenmoor.example/sora",
                               "title": {"rendered": "Brenmoor film office tries Sora"},
                               "content": {"rendered": "<p>" + STORY * 3 + "</p>"}}]),
    "page.html": "<!doctype html><html lang=fr><head><title>Sora à Brenmoor</title>"
                 "<meta property='og:site_name' content='Le Courrier'></head><body><article><h1>Sora à Brenmoor"
                 "</h1><p>" + ("Le conseil municipal de Brenmoor a approuvé mardi un plan qui donne à Sora, "
                               "l'outil d'OpenAI, un rôle dans son bureau du cinéma, qui espère attirer des "
                               "tournages dans le vieux port. ") * 4 + "</p></article></body></html>",
    "de.txt": "Sora in Brenmoor\n" + ("Der Stadtrat von Brenmoor hat am Dienstag beschlossen, Sora von "
                                      "OpenAI im Filmbüro der Stadt einzusetzen, das mehr Dreharbeiten im "
                                      "alten Hafen erhofft. ") * 4,
}


class Recording:
    """A ``SiteConfig`` that notes each field read of it. A property or method runs against the
    recorder itself, so ``root`` counts as ``path`` and ``topic(slug)`` as ``topics``."""

    def __init__(self, config: SiteConfig):
        object.__setattr__(self, "_config", config)
        object.__setattr__(self, "read", set())

    def __getattr__(self, name: str):
        attribute = getattr(SiteConfig, name, None)
        if isinstance(attribute, property):
            return attribute.fget(self)
        if callable(attribute) and name not in FIELDS:
            return attribute.__get__(self)
        if name in FIELDS:
            self.read.add(name)
        return getattr(self._config, name)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("seeds")
    for name, text in SEEDS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def config() -> SiteConfig:
    return load_config(ROOT / "digest.toml")


def cleaned(seeds: Path, config) -> list:
    return [a for path in sorted(seeds.iterdir()) for a in clean_file(path, path.name, config)[0]]


def test_cleaning_reads_only_the_config_fields_it_declares(seeds, config):
    recording = Recording(config)
    clean.prepare(recording)
    articles = cleaned(seeds, recording)
    assert len(articles) == len(SEEDS)  # every form was cleaned, not rejected before reading the config
    assert recording.read, "the stage read nothing: the recorder saw no access"
    assert recording.read <= set(clean.READS.config)


def test_grouping_reads_only_the_config_fields_it_declares(seeds, config):
    recording = Recording(config)
    stories = group.group_all(cleaned(seeds, config), recording)
    assert stories
    assert {"topics", "topic_threshold"} <= recording.read  # the recorder saw the stage's reads
    assert recording.read <= set(group.READS.config)


def test_rendering_reads_only_the_config_fields_it_declares(seeds, config):
    stories = group.group_all(cleaned(seeds, config), config)
    recording = Recording(config)
    files = render.render_site(recording, [s for s in stories if s.topic])
    assert any(path.startswith("articles/") for path in files)
    assert {"title", "base_url"} <= recording.read  # the recorder saw the stage's reads
    assert recording.read <= render.READS.fields


def test_the_recorder_sees_a_read_through_a_property():
    recording = Recording(load_config(ROOT / "digest.toml"))
    assert recording.root == ROOT and recording.base_path.startswith("/")
    assert recording.read == {"path", "base_url"}


CHANGED = {"path": Path("/elsewhere/digest.toml"), "title": "Changed", "description": "Changed",
           "base_url": "https://other.example/", "language": "nl", "author": "Changed", "languages": ("en", "nl"),
           "theme": "changed", "topics": (), "intro_markdown": "Changed", "about_markdown": "Changed",
           "topic_threshold": 9.0, "overrides": Overrides(exclude=("one.txt",)),
           "notes": Notes((Note("content/notes/why.md", "one.txt", None, "Why it matters."),))}


@pytest.mark.parametrize("reads", [clean.READS, group.READS, render.READS], ids=lambda r: r.stage)
def test_a_change_to_a_declared_field_changes_the_stage_key_and_others_do_not(reads, config):
    assert set(CHANGED) == FIELDS  # a new SiteConfig field needs a changed value here
    for name, value in CHANGED.items():
        same = config_part(reads, replace(config, **{name: value})) == config_part(reads, config)
        assert same == (name not in reads.config), name


def test_a_declaration_naming_no_config_field_is_refused():
    with pytest.raises(ValueError, match="no SiteConfig field"):
        StageReads("clean", ("languages", "langauges"), Corpus.EACH_FILE)
