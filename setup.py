"""Builds the package with its themes: the top-level ``themes/`` folder is copied into the wheel as
``generator/themes``, so an installed generator (``pip install git+…`` in a digest made by
``init``, as its netlify.toml does) has the default and newsletter themes, not only a checkout.
Everything else about the package is in pyproject.toml."""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithThemes(build_py):
    def run(self):
        super().run()
        if not self.editable_mode:  # an editable install reads the checkout's themes/ in place
            target = Path(self.build_lib) / "generator" / "themes"
            shutil.rmtree(target, ignore_errors=True)  # a file gone from themes/ must not linger from a last build
            shutil.copytree(Path(__file__).parent / "themes", target, ignore=shutil.ignore_patterns("__pycache__", ".*"))


setup(cmdclass={"build_py": BuildWithThemes})
