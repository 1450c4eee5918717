"""Themes: the user's templates and static files win, and template errors say file and line."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.config import load_config
from generator.render import RenderError, render_site
from render_helpers import CONFIG_PATH, sample_stories


@pytest.fixture()
def site_dir(tmp_path: Path) -> Path:
    shutil.copy(CONFIG_PATH, tmp_path / "digest.toml")
    shutil.copytree(CONFIG_PATH.parent / "content", tmp_path / "content")
    return tmp_path


def render(site_dir: Path) -> dict[str, bytes]:
    return render_site(load_config(site_dir / "digest.toml"), sample_stories())


def test_user_template_overrides_the_theme(site_dir):
    (site_dir / "templates").mkdir()
    (site_dir / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>Lost here</h1>{% endblock %}')
    files = render(site_dir)
    assert b"<h1>Lost here</h1>" in files["404.html"]
    assert b'<link rel="stylesheet"' in files["404.html"]  # still the theme's base layout


def test_user_static_file_overrides_the_theme_and_adds_files(site_dir):
    (site_dir / "static").mkdir()
    (site_dir / "static" / "style.css").write_text("body { color: red; }")
    (site_dir / "static" / "img").mkdir()
    (site_dir / "static" / "img" / "logo.svg").write_text("<svg/>")
    (site_dir / "static" / ".hidden").write_text("secret")
    files = render(site_dir)
    assert files["static/style.css"] == b"body { color: red; }"
    assert files["static/img/logo.svg"] == b"<svg/>"
    assert "static/.hidden" not in files


def test_template_syntax_error_names_file_and_line(site_dir):
    (site_dir / "templates").mkdir()
    (site_dir / "templates" / "about.html").write_text('{% extends "base.html" %}\n{% block content %}\n{% if %}\n')
    with pytest.raises(RenderError, match=r"about\.html:3: "):
        render(site_dir)


def test_undefined_variable_names_file_and_line(site_dir):
    (site_dir / "templates").mkdir()
    (site_dir / "templates" / "about.html").write_text(
        '{% extends "base.html" %}\n{% block content %}\n<p>\n{{ no_such_thing }}\n</p>{% endblock %}\n')
    with pytest.raises(RenderError, match=r"about\.html:4: 'no_such_thing' is undefined"):
        render(site_dir)


def test_a_theme_that_cannot_be_found_is_reported(site_dir):
    config = load_config(site_dir / "digest.toml").with_overrides(theme="nope")
    with pytest.raises(RenderError, match="theme 'nope'"):
        render_site(config, sample_stories())


def test_a_partial_theme_falls_back_to_the_default(site_dir):
    theme = site_dir / "themes" / "plain"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "about.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>Plain about</h1>{% endblock %}')
    (theme / "static").mkdir()
    (theme / "static" / "style.css").write_text("/* plain */")
    config = load_config(site_dir / "digest.toml").with_overrides(theme="plain")
    files = render_site(config, sample_stories())
    assert b"<h1>Plain about</h1>" in files["about/index.html"]
    assert files["static/style.css"] == b"/* plain */"
    assert b"<article" in files["articles/agencies-pull-clients-from-sora/index.html"]


# The second theme that ships with the generator: a compact newsletter layout.


def newsletter(site_dir: Path) -> dict[str, bytes]:
    config = load_config(site_dir / "digest.toml").with_overrides(theme="newsletter")
    return render_site(config, sample_stories())


def test_newsletter_theme_has_its_own_layout_and_stylesheet(site_dir):
    files = newsletter(site_dir)
    home = files["index.html"].decode()
    assert '<header class="masthead">' in home and '<main id="main" class="sheet"' in home
    assert '<ol class="briefs">' in home and 'class="site-header"' not in home
    assert '<ol class="ledger">' in files["topics/sora-in-hollywood/index.html"].decode()
    assert b".masthead" in files["static/style.css"]
    assert "static/search.js" in files  # static files it lacks come from the default theme


def test_newsletter_theme_falls_back_to_default_templates_inside_its_own_layout(site_dir):
    page = newsletter(site_dir)["articles/agencies-pull-clients-from-sora/index.html"].decode()
    assert '<header class="masthead">' in page  # its base layout
    assert '<article class="article" lang="en" data-pagefind-body>' in page  # the default article.html
    assert '<link rel="canonical"' in page and 'name="twitter:card"' in page  # the shared <head>


def test_theme_is_chosen_in_the_config_file(site_dir):
    config_file = site_dir / "digest.toml"
    config_file.write_text(config_file.read_text().replace('theme = "default"', 'theme = "newsletter"'))
    assert b'class="masthead"' in render(site_dir)["index.html"]


def test_user_template_overrides_one_newsletter_template(site_dir):
    (site_dir / "templates").mkdir()
    (site_dir / "templates" / "topic.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>{{ topic.title }}, my way</h1>{% endblock %}')
    files = newsletter(site_dir)
    topic = files["topics/altman-and-her/index.html"].decode()
    assert "<h1>Altman and Her, my way</h1>" in topic and 'class="masthead"' in topic
    assert '<ol class="briefs">' in files["index.html"].decode()  # the theme's other templates stay


def test_template_error_under_the_newsletter_theme_names_file_and_line(site_dir):
    (site_dir / "templates").mkdir()
    (site_dir / "templates" / "index.html").write_text(
        '{% extends "base.html" %}\n{% block content %}\n<ul>\n{% for t in topics %}\n{{ t.nope.deeper }}\n'
        '{% endfor %}\n</ul>\n{% endblock %}\n')
    with pytest.raises(RenderError, match=r"templates/index\.html:5: .*has no attribute 'nope'"):
        newsletter(site_dir)


def test_error_inside_the_newsletter_theme_names_its_file(site_dir):
    theme = site_dir / "themes" / "newsletter" / "templates"
    theme.mkdir(parents=True)
    shutil.copytree(CONFIG_PATH.parent / "themes" / "newsletter", site_dir / "themes" / "newsletter",
                    dirs_exist_ok=True)
    base = theme / "base.html"
    lines = base.read_text().splitlines()
    lines[10] = lines[10] + "{% endif %}"
    base.write_text("\n".join(lines) + "\n")
    with pytest.raises(RenderError, match=r"newsletter/templates/base\.html:11: "):
        newsletter(site_dir)
