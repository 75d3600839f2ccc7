"""The standalone server: moto_server with our services registered, taking moto_server's flags."""

from __future__ import annotations

import sys

from moto_glue_workflows import _moto
from moto_glue_workflows.registration import register


def main(argv: list[str] | None = None) -> None:
    register()
    _moto.run_standalone_server(sys.argv[1:] if argv is None else argv)
