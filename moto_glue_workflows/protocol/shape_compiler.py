"""Turning botocore shapes into functions, once per shape, safely under concurrent first use.

Both the request validator and the response serializer compile a function per shape of a service
model and cache it. Recursive shapes refer to themselves, so a shape being compiled is handed out as
a placeholder until built; compiling under one lock keeps another request's thread from calling a
placeholder before it is filled. A build that fails (a RecursionError in a request that arrived with
a deep stack, say) takes back everything its compile added, placeholders included: a function left
holding an unfilled placeholder would fail every later request of that operation.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from botocore.model import Shape

F = TypeVar("F", bound=Callable[..., Any])


class ShapeCompiler(Generic[F]):
    """Subclasses build one function per shape in ``build``; ``compile`` caches and resolves recursion."""

    def __init__(self) -> None:
        self._done: dict[str, F] = {}
        self._added: list[str] | None = None  # names added by the compile in progress, outermost first

    def build(self, shape: Shape) -> F:
        raise NotImplementedError

    def compile(self, shape: Shape) -> F:
        found = self._done.get(shape.name)
        if found is not None:
            return found
        outermost = self._added is None
        if outermost:
            self._added = []
        try:
            return self._compile_new(shape)
        except BaseException:
            if outermost:
                for name in self._added or ():
                    self._done.pop(name, None)
            raise
        finally:
            if outermost:
                self._added = None

    def _compile_new(self, shape: Shape) -> F:
        slot: list[F] = []

        def placeholder(*args: Any) -> Any:
            return slot[0](*args)

        self._done[shape.name] = placeholder  # type: ignore[assignment]
        assert self._added is not None
        self._added.append(shape.name)
        built = self.build(shape)
        slot.append(built)
        self._done[shape.name] = built
        return built


class PerModel(Generic[F]):
    """One compiler per service model (shape names are unique within one model), behind one lock."""

    def __init__(self, factory: Callable[[], ShapeCompiler[F]]) -> None:
        self._factory = factory
        self._compilers: dict[object, ShapeCompiler[F]] = {}
        self._lock = threading.Lock()

    def __call__(self, shape: Shape) -> F:
        resolver = getattr(shape, "_shape_resolver", None)
        with self._lock:
            compiler = self._compilers.get(resolver)
            if compiler is None:
                compiler = self._compilers[resolver] = self._factory()
            return compiler.compile(shape)
