"""A page's context value that is made only if the page is rendered.

Takes a function and the values it is made from; gives a ``Deferred`` that ``made()`` turns into
the value. The page memo (``generator.memo``) keys a deferred value by the function's name and its
inputs instead of the value (the code version covers the function's body), so a page whose inputs
did not change is handed back without making what it would have shown: an article page's
``<head>`` (its JSON-LD, its alternates) costs nothing on a build that does not render it.
The function must be pure: the same inputs always give the same value.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Deferred:
    make: Callable
    inputs: tuple

    def made(self):
        return self.make(*self.inputs)


def made(context: Mapping) -> dict:
    """The context with every deferred value made, for the template."""
    return {name: value.made() if type(value) is Deferred else value for name, value in context.items()}
