"""WordPress REST API posts (``/wp-json/wp/v2/posts``): one post, or a list of posts.

Uses the structured fields: rendered title, local ``date``, ``link``, excerpt, the embedded
author and Yoast's ``og_site_name``/``author`` where present. ``content.rendered`` goes through
the same block model as any HTML body. JSON that is not a post is rejected with its reason.
A list gives at most ``limits.MAX_ITEMS_PER_FILE`` posts; a line names the rest.
"""
from __future__ import annotations

from .. import limits
from ..clean.dates import parse_date
from ..model import RawArticle, Rejection
from .document import Document, Unreadable
from .html_blocks import html_to_blocks
from .text_of import html_text


class WordPressReader:
    name = "wordpress"

    def accepts(self, doc: Document) -> bool:
        # Every JSON document not claimed by an earlier reader lands here, so that broken or
        # foreign JSON gets a JSON-specific reason rather than being read as plain text.
        return doc.looks_like_json

    def read(self, doc: Document) -> list[RawArticle | Rejection]:
        data = doc.json
        if isinstance(data, dict) and _is_post(data):
            return [_post(doc.source, data, item=None)]
        if isinstance(data, list):
            posts = [p for p in data if isinstance(p, dict) and _is_post(p)]
            if not posts:
                raise Unreadable("JSON list holds no WordPress posts")
            posts, over = limits.first_items(posts, doc.source)
            return [_post(doc.source, p, item=_item_key(p)) for p in limits.timed(posts)] + over
        raise Unreadable(_why_not_post(data))


def _is_post(data: dict) -> bool:
    content = data.get("content")
    title = data.get("title")
    return isinstance(content, dict) and isinstance(content.get("rendered"), str) and title is not None


def _why_not_post(data) -> str:
    if isinstance(data, dict):
        if "code" in data and "message" in data:
            return f"JSON is an API error, not a post: {str(data['code'])[:60]}: {str(data['message'])[:80]}"
        keys = ", ".join(sorted(str(k) for k in data)[:6])
        return f"JSON is not a WordPress post or a JSON Feed (keys: {keys or 'none'})"
    return f"JSON is a {type(data).__name__}, not a WordPress post or a JSON Feed"


def _item_key(post: dict) -> str:
    for value in (post.get("link"), (post.get("guid") or {}).get("rendered") if isinstance(post.get("guid"), dict) else None, post.get("id")):
        if value:
            return str(value)
    return ""


def _rendered(value) -> str:
    if isinstance(value, dict):
        value = value.get("rendered", "")
    return value if isinstance(value, str) else ""


def _post(source: str, post: dict, item: str | None) -> RawArticle:
    yoast = post.get("yoast_head_json") if isinstance(post.get("yoast_head_json"), dict) else {}
    link = post.get("link") if isinstance(post.get("link"), str) else None
    blocks = html_to_blocks(_rendered(post.get("content")), link)
    return RawArticle(
        source=source,
        item=item,
        form="wordpress",
        blocks=blocks,
        title=html_text(_rendered(post.get("title"))) or None,
        date=parse_date(_text(post.get("date")) or _text(yoast.get("article_published_time"))),
        author=_author(post, yoast),
        publisher=_text(yoast.get("og_site_name")) or None,
        url=_text(yoast.get("canonical")) or link,
        language=_locale(_text(yoast.get("og_locale"))),
        summary=html_text(_rendered(post.get("excerpt"))) or None,
    )


def _author(post: dict, yoast: dict) -> str | None:
    embedded = post.get("_embedded") if isinstance(post.get("_embedded"), dict) else {}
    authors = embedded.get("author")
    if isinstance(authors, list) and authors and isinstance(authors[0], dict) and authors[0].get("name"):
        return _text(authors[0]["name"])
    misc = yoast.get("twitter_misc") if isinstance(yoast.get("twitter_misc"), dict) else {}
    return _text(yoast.get("author")) or _text(misc.get("Written by")) or None


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _locale(value: str) -> str | None:
    return value.replace("_", "-").split("-")[0].lower() or None if value else None
