"""``python -m generator init DIR``: a new digest that builds at once and passes ``check``."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from generator.config import load_config

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A digest made by init in an empty folder, then built as the curator would."""
    digest = tmp_path_factory.mktemp("new") / "harbour-news"
    digest.mkdir()
    made = run("init", str(digest), cwd=digest.parent)
    assert made.returncode == 0, made.stderr
    result = run("build", "--strict", cwd=digest)  # strict: nothing init wrote is a rejected seed
    assert result.returncode == 0, result.stderr
    return digest


def test_init_then_build_gives_a_site_that_passes_check(built):
    checked = run("check", cwd=built)
    assert checked.returncode == 0, checked.stderr
    assert "0 problem(s)" in checked.stdout


def test_the_new_digest_has_every_part_of_a_digest(built):
    for name in ("digest.toml", "content/index.md", "content/about.md", "content/topics/city-transport.md",
                 "seeds/README.md", "templates/about.html", "netlify.toml", ".gitignore", "requirements.txt"):
        assert (built / name).is_file(), name
    assert [p.name for p in (built / "seeds").iterdir()] == ["README.md"]
    config = load_config(built / "digest.toml")
    assert config.title == "Harbour News" and [t.slug for t in config.topics] == ["city-transport"]
    assert config.intro_markdown and config.about_markdown and config.topics[0].intro_markdown
    netlify = tomllib.loads((built / "netlify.toml").read_text())
    assert "generator build" in netlify["build"]["command"] and netlify["build"]["publish"] == "site"
    ignored = (built / ".gitignore").read_text().split()
    assert {"/site/", "/.digest-cache/", "/.venv/"} <= set(ignored)


def test_the_template_override_is_what_the_build_uses(built):
    about = (built / "site" / "about" / "index.html").read_text()
    assert "Follow this digest" in about and 'href="/rss.xml"' in about
    (built / "templates" / "about.html").rename(built / "about.html.off")
    try:
        assert run("build", cwd=built).returncode == 0
        assert "Follow this digest" not in (built / "site" / "about" / "index.html").read_text()
    finally:
        (built / "about.html.off").rename(built / "templates" / "about.html")
        restored = run("build", cwd=built)  # the module's other tests read this site
        assert restored.returncode == 0, restored.stderr


def config_keys() -> set[str]:
    """Every key ``generator/config.py`` reads, by its last name ("title", "facets", "pin"…)."""
    source = (ROOT / "generator" / "config.py").read_text()
    return set(re.findall(r'(?:site|overrides|\{where\}|\{fwhere\})\.(\w+)"', source)) | \
        set(re.findall(r'groups\("(\w+)"\)', source))


def test_the_new_config_names_every_key_of_the_config_reference():
    from generator.scaffold import SCAFFOLD

    keys = config_keys()
    assert {"title", "base_url", "topic_threshold", "slug", "facets", "terms", "weight", "examples", "pin",
            "primary", "same_story"} <= keys  # the reading above still finds the keys
    written = (SCAFFOLD / "digest.toml").read_text()
    missing = [k for k in sorted(keys) if not re.search(rf"^\s*(#?\s*{k}\s*=|\[\[topics\.{k}\]\])", written, re.M)]
    assert missing == []


def test_init_refuses_a_folder_that_is_not_empty_in_one_line(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = run("init", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert str(tmp_path) in result.stderr and "not empty" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_init_with_force_writes_into_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    assert run("init", "--force", str(tmp_path), cwd=tmp_path).returncode == 0
    assert (tmp_path / "digest.toml").is_file() and (tmp_path / "notes.txt").read_text() == "mine"


def test_init_refuses_a_path_that_is_a_file(tmp_path):
    (tmp_path / "taken").write_text("x")
    result = run("init", str(tmp_path / "taken"), cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "not a folder" in result.stderr


def test_a_generator_installed_from_its_wheel_builds_a_new_digest_with_its_themes(tmp_path):
    """Where the digest is deployed, the generator is installed (netlify.toml: pip install), not
    checked out: its themes must come with the wheel (setup.py), or no page can be rendered."""
    wheels, target, source = tmp_path / "wheels", tmp_path / "installed", tmp_path / "source"
    # from a copy of the sources only: pip builds in the tree, and a build/ left there would be reused
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".*", "build", "dist", "site", "site.*", "node_modules", "test-artifacts", "*.egg-info", "__pycache__"))
    made = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(source)],
                          capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stderr
    wheel = next(wheels.glob("*.whl"))
    installed = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                                str(wheel)], capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stderr
    assert (target / "generator" / "themes" / "default" / "templates" / "base.html").is_file()
    digest = tmp_path / "digest"
    env = {**os.environ, "PYTHONPATH": str(target)}  # before the checkout's editable install
    for args, cwd in ((("init", str(digest)), tmp_path), (("build", "--strict"), digest), (("check",), digest)):
        result = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
    where = subprocess.run([sys.executable, "-c", "import generator; print(generator.__file__)"], cwd=digest,
                           env=env, capture_output=True, text=True, timeout=60)
    assert where.stdout.strip().startswith(str(target))  # the installed copy built it, not the checkout
    assert (digest / "site" / "about" / "index.html").is_file()
