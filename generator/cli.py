"""The command line: ``build``, ``serve``, ``explain``, ``check``, ``init`` and ``add``.

Exit status: 0 on success, 1 on a failed build (bad config, a rejected file under --strict, a
template error), 2 on bad usage. Every problem is one line on stderr naming the file and reason.
"""
from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from .build import BuildFailed, BuildRequest, build, make_builder
from .config import ConfigError, load_config
from .progress import Progress, Timings


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seeds", type=Path, default=Path("seeds"), help="folder of raw articles (default: seeds/)")
    parser.add_argument("--out", type=Path, default=Path("site"), help="output folder, replaced atomically (default: site/)")
    parser.add_argument("--config", type=Path, default=Path("digest.toml"), help="config file (default: digest.toml)")
    parser.add_argument("--theme", help="theme folder name under themes/ (default: the config's)")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m generator", description=__doc__.splitlines()[0])
    verbs = top.add_subparsers(dest="verb", required=True, metavar="{build,serve,explain,check,init,add}")
    build = verbs.add_parser("build", help="build the site from the seeds", description="Clean the seeds, find stories, sort them into topics and write the site.")
    _common(build)
    build.add_argument("--base-url", help="override the config's base_url (e.g. for a preview deploy)")
    build.add_argument("--strict", action="store_true", help="fail (exit 1, old site untouched) if any file is rejected")
    build.add_argument("-v", "--verbose", action="store_true", help="also list every story and its copies, and time each stage")
    build.add_argument("--force", action="store_true", help="replace an output folder this tool did not write")
    build.add_argument("--no-cache", action="store_true", help="build everything again, ignoring and not updating .digest-cache/")
    serve = verbs.add_parser("serve", help="build, serve on 127.0.0.1, rebuild on change and reload open pages",
                             description="Build the site and serve it locally; rebuild what changed on every edit and reload open pages.")
    _common(serve)
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0: any free port)")
    serve.add_argument("--bind", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    explain = verbs.add_parser("explain", help="why a file landed in its story and topic", description="Show the scores and evidence behind one file's story and topic.")
    explain.add_argument("file", help="a file in the seeds folder (path relative to it, or a path to it)")
    explain.add_argument("--seeds", type=Path, default=Path("seeds"))
    explain.add_argument("--config", type=Path, default=Path("digest.toml"))
    check = verbs.add_parser("check", help="check a built site: links, anchors, assets, HTML, feeds", description="Check every internal link, anchor and asset, the HTML of every page and the feeds of a built site.")
    check.add_argument("dir", nargs="?", type=Path, default=Path("site"), help="the built site (default: site/)")
    init = verbs.add_parser("init", help="start a new digest in a folder", description="Write a new digest that builds at once: digest.toml, content/, seeds/, templates/, netlify.toml, .gitignore.")
    init.add_argument("dir", type=Path, help="the folder of the new digest (made if missing; must be empty)")
    init.add_argument("--force", action="store_true", help="write into a folder that is not empty (files of the same name are replaced)")
    add = verbs.add_parser("add", help="fetch pages into the seeds folder, with where they came from",
                           description="Fetch each URL and save the page as it came into the seeds folder, with a provenance record beside it. The only command that uses the network.")
    add.add_argument("urls", nargs="*", metavar="URL", help="http(s) addresses of the pages")
    add.add_argument("--from", dest="from_file", type=Path, metavar="FILE", help="also read URLs from FILE, one a line (# starts a comment line)")
    add.add_argument("--seeds", type=Path, default=Path("seeds"), help="the seeds folder (default: seeds/)")
    add.add_argument("--timeout", type=float, help="seconds to wait for the server at each step (default: 20)")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.verb == "build":
            return run_build(args)
        if args.verb == "serve":
            from .live import run_serve
            return run_serve(args)
        if args.verb == "check":
            from .check import run_check
            return run_check(args)
        if args.verb == "init":
            from .scaffold import run_init
            return run_init(args)
        if args.verb == "add":
            from .fetch import run_add
            return run_add(args)
        from .explain import run_explain
        return run_explain(args)
    except (ConfigError, BuildFailed) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def run_build(args) -> int:
    # A build makes millions of small objects and frees few until it ends; collecting every 700
    # of them (the default) walked the live ones again and again for about a sixth of the time.
    gc.set_threshold(50_000, 20, 20)
    config = load_config(args.config).with_overrides(base_url=args.base_url, theme=args.theme)
    timings = Timings(args.verbose, Progress())
    request = BuildRequest(args.seeds, args.out, strict=args.strict, force=args.force)
    try:
        built = build(config, request, make_builder(config, timings, use_cache=not args.no_cache), tell=warn)
    finally:
        timings.progress.close()
    if args.verbose:
        for line in built.report.stories:
            print(line)
        print(timings.summary(), file=sys.stderr)
    print(f"built {args.out}: {built.report.counts}" + ("" if built.written else "; already up to date"))
    return 0


def warn(line: str) -> None:
    print(line, file=sys.stderr)
