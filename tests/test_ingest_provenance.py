"""A page's provenance record (``add`` writes it): what the readers take from it, and what they never do.

The record fills only what the file does not state: its address (so its outlet), and a date of
last resort. It is never read as a seed itself; a broken one is a line of its own.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.config import load_config
from generator.ingest import read_file, seed_files
from generator.ingest.provenance import BadRecord, Provenance, parse_record
from generator.model import PartialDate
from generator.seed_file import clean_file

ROOT = Path(__file__).resolve().parents[1]
FETCHED_FROM = "https://www.courrier-du-port.example/ville/tramways-de-nuit?utm_source=x"
LAST_MODIFIED = "Wed, 05 Feb 2025 22:10:00 -0300"  # 6 February in UTC

FRENCH_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Les tramways de nuit reviennent sur la ligne du fleuve</title></head><body><article>
<h1>Les tramways de nuit reviennent sur la ligne du fleuve</h1>
<p>Le conseil municipal a voté lundi le retour des tramways de nuit sur la ligne du fleuve dès le
printemps prochain, après douze ans sans service tardif entre les anciens docks et l'université.</p>
<p>Les conducteurs travailleront par équipes plus courtes, et le dépôt du terminus est restera ouvert
jusqu'à quatre heures du matin pour que les dernières rames soient nettoyées avant les premiers bus.</p>
<p>Les commerçants des quais espèrent que les rues retrouveront des clients après la fermeture des
théâtres ; les riverains du dépôt demandent des freins plus silencieux pour les rames tardives.</p>
</article></body></html>
"""


def record(url: str = FETCHED_FROM, last_modified: str | None = LAST_MODIFIED) -> str:
    return Provenance(url, url, "2025-02-07T08:00:00+00:00", "text/html; charset=utf-8", last_modified).to_json()


def seed(folder: Path, name: str, text: str, provenance: str | None = None) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if provenance is not None:
        Path(str(path) + ".provenance.json").write_text(provenance, encoding="utf-8")
    return path


def test_records_and_the_folders_own_readme_are_not_seeds(tmp_path):
    for name in ("page.html", "page.html.provenance.json", "README.md", "readme.txt", "README",
                 "notes/README.md", "notes/page.txt.provenance.json", ".hidden.txt"):
        seed(tmp_path, name, "text")
    assert [p.relative_to(tmp_path).as_posix() for p in seed_files(tmp_path)] == ["page.html", "notes/README.md"]


def test_a_page_that_states_no_address_takes_the_records(tmp_path):
    path = seed(tmp_path, "tram.html", FRENCH_PAGE, record())
    [raw], rejections = read_file(path, "tram.html")
    assert rejections == []
    assert raw.url == FETCHED_FROM
    assert raw.date is None and raw.fallback_date == PartialDate(2025, 2, 6)


def test_the_same_page_without_a_record_has_no_address(tmp_path):
    [raw], _ = read_file(seed(tmp_path, "tram.html", FRENCH_PAGE), "tram.html")
    assert raw.url is None and raw.fallback_date is None


def test_the_pages_own_address_and_date_win_over_the_record(tmp_path):
    page = FRENCH_PAGE.replace("</title>", '</title><link rel="canonical" href="https://courrier.example/a/1">'
                               '<meta property="article:published_time" content="2024-11-30">')
    [raw], _ = read_file(seed(tmp_path, "tram.html", page, record()), "tram.html")
    assert raw.url == "https://courrier.example/a/1" and raw.date == PartialDate(2024, 11, 30)


def test_a_root_relative_address_is_resolved_on_the_site_it_came_from(tmp_path):
    page = FRENCH_PAGE.replace("</title>", '</title><link rel="canonical" href="/ville/42">')
    [raw], _ = read_file(seed(tmp_path, "tram.html", page, record()), "tram.html")
    assert raw.url == "https://www.courrier-du-port.example/ville/42"


def test_the_outlet_comes_from_the_domain_and_last_modified_is_the_date_of_last_resort(tmp_path):
    config = load_config(ROOT / "digest.toml")
    [article], _ = clean_file(seed(tmp_path, "tram.html", FRENCH_PAGE, record()), "tram.html", config)
    assert article.publisher == "Courrier Du Port" and article.url == FETCHED_FROM
    assert article.date == PartialDate(2025, 2, 6)


def test_a_date_the_text_gives_wins_over_last_modified(tmp_path):
    text = ("Nachtbusse fahren wieder durch die Altstadt\n\nVon Jana Keller, 14. März 2023\n\n"
            "Die Stadt lässt ab dem Sommer wieder Nachtbusse durch die Altstadt fahren. Der Stadtrat "
            "stimmte am Montag mit großer Mehrheit für den Plan der Verkehrsbetriebe.\n\n"
            "Die Busse sollen jede halbe Stunde fahren, auch am Wochenende, und an allen Haltestellen "
            "der Linie halten, die tagsüber zwischen Bahnhof und Hafen verkehrt.\n")
    config = load_config(ROOT / "digest.toml")
    [article], _ = clean_file(seed(tmp_path, "bus.txt", text, record()), "bus.txt", config)
    assert article.date == PartialDate(2023, 3, 14)


def test_feed_items_keep_their_own_links(tmp_path):
    items = "".join(
        f"<item><title>Ferry timetable {n}</title><link>https://ferries.example/news/{n}</link>"
        f"<guid>https://ferries.example/news/{n}</guid><description>The harbour ferry will run "
        f"every {n * 10} minutes from May, the operator said on Tuesday, after a year of delays.</description></item>"
        for n in (1, 2))
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Ferries</title>{items}</channel></rss>'
    raws, _ = read_file(seed(tmp_path, "feed.xml", feed, record("https://ferries.example/feed.xml")), "feed.xml")
    assert [r.url for r in raws] == ["https://ferries.example/news/1", "https://ferries.example/news/2"]
    assert all(r.fallback_date is None for r in raws)


@pytest.mark.parametrize("broken, reason", [
    ("{not json", "not JSON"),
    ("[1, 2]", "not a JSON object"),
    (json.dumps({"requested": "javascript:alert(1)", "url": "javascript:alert(1)"}), "not an http(s) URL"),
    (json.dumps({"requested": FETCHED_FROM, "url": FETCHED_FROM, "last_modified": 5}), "not a string"),
])
def test_a_broken_record_is_one_line_naming_it_and_the_page_is_still_read(tmp_path, broken, reason):
    path = seed(tmp_path, "tram.html", FRENCH_PAGE, broken)
    articles, rejections = read_file(path, "tram.html")
    assert len(articles) == 1 and articles[0].url is None
    [line] = [str(r) for r in rejections]
    assert line.startswith("skipped tram.html.provenance.json: ") and reason in line


def test_a_record_parses_back_to_itself():
    origin = Provenance("http://a.example/x", "https://a.example/y", "2025-01-01T00:00:00+00:00", "text/plain", None)
    assert parse_record(origin.to_json()) == origin
    with pytest.raises(BadRecord):
        parse_record(json.dumps({"requested": "http://a.example/x"}))


def test_an_edited_record_changes_the_next_build(tmp_path):
    digest = tmp_path / "digest"
    assert main(["init", str(digest)]) == 0
    page = FRENCH_PAGE.replace("tramways de nuit", "night trams (tramways) in the city")
    seed(digest / "seeds", "tram.html", page, record())

    def built_url() -> str:
        result = subprocess.run([sys.executable, "-m", "generator", "build", "--strict"], cwd=digest,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        [item] = json.loads((digest / "site" / "feed.json").read_text())["items"]
        return item["_digest"]["publisher"]

    assert built_url() == "Courrier Du Port"
    Path(str(digest / "seeds" / "tram.html") + ".provenance.json").write_text(record("https://gazette-fluviale.example/t"))
    assert built_url() == "Gazette Fluviale"


def test_a_seed_whose_name_is_too_long_for_a_record_beside_it_is_read_as_any_other(tmp_path):
    name = "n" * 250 + ".txt"  # 254 bytes: the record's name would pass the 255 a file system allows
    path = seed(tmp_path, name, "Ferries run late tonight.\n\nThe harbour ferry will run every ten minutes.\n")
    articles, rejections = read_file(path, name)
    assert len(articles) == 1 and rejections == []


def test_a_record_that_is_a_link_is_never_followed(tmp_path):
    outside = tmp_path / "elsewhere.json"
    outside.write_text(record())
    path = seed(tmp_path / "seeds", "tram.html", FRENCH_PAGE)
    Path(str(path) + ".provenance.json").symlink_to(outside)
    [raw], rejections = read_file(path, "tram.html")
    assert raw.url is None and rejections == []


RUSSIAN_PAGE = """<!doctype html><html lang="ru"><head><title>Ночные трамваи возвращаются на линию вдоль реки</title>
</head><body><article><h1>Ночные трамваи возвращаются на линию вдоль реки</h1>
<p>Городской совет в понедельник проголосовал за возвращение ночных трамваев на линию вдоль реки
с будущей весны, после двенадцати лет без позднего сообщения между старыми доками и университетом.</p>
<p>Водители будут работать короткими сменами, а депо на конечной станции останется открытым до
четырёх часов утра, чтобы последние вагоны успевали убрать до первых автобусов.</p>
</article></body></html>
"""


def legacy_seed(folder: Path, content_type: str) -> Path:
    """A page in windows-1251 that names no charset itself: only the server's header does."""
    path = folder / "tram.html"
    path.write_bytes(RUSSIAN_PAGE.encode("windows-1251"))
    Path(str(path) + ".provenance.json").write_text(
        Provenance(FETCHED_FROM, FETCHED_FROM, "2025-02-07T08:00:00+00:00", content_type).to_json(), encoding="utf-8")
    return path


def test_the_charset_the_server_declared_decodes_a_page_that_names_none(tmp_path):
    [raw], rejections = read_file(legacy_seed(tmp_path, "text/html; charset=windows-1251"), "tram.html")
    assert rejections == []
    assert raw.title == "Ночные трамваи возвращаются на линию вдоль реки"


@pytest.mark.parametrize("label", ["text/html; charset=utf-8", "text/html; charset=no-such-encoding",
                                   "text/html; charset=rot13"])
def test_a_wrong_or_unknown_charset_label_is_no_error_and_no_codec_trick(tmp_path, label):
    [raw], rejections = read_file(legacy_seed(tmp_path, label), "tram.html")
    assert rejections == [] and raw.title  # decoded by the usual order, as with no label
