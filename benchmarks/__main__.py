"""``python -m benchmarks [--quick] [--rounds N]``: every benchmark, side by side, as ratios.

Progress goes to stderr, the tables to stdout. Run from the repository root with the project's
interpreter (``.venv/bin/python -m benchmarks``).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys

from .harness import QUICK, Options, Run


def parse(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and shorter batches (~20 s)")
    parser.add_argument("--rounds", type=int, help="rounds of interleaved in-process timings (default 7, quick 3)")
    parser.add_argument("--server-rounds", type=int, help="rounds of the server load test (default 3, quick 1)")
    parser.add_argument("--no-server", action="store_true", help="skip the server load test")
    parser.add_argument("--server-only", action="store_true", help="only the server load test")
    parser.add_argument("--no-profile", action="store_true", help="skip cProfile and the component timings")
    parser.add_argument("--no-user-code", action="store_true", help="skip the blueprint and job run start times")
    parser.add_argument("--profile-calls", type=int, help="calls under cProfile (default 2000, quick 300)")
    parser.add_argument(
        "--wall-clock",
        action="store_true",
        help="time in-process calls by elapsed time instead of the worker's CPU time",
    )
    args = parser.parse_args(argv)
    options = dataclasses.replace(QUICK) if args.quick else Options()
    if args.rounds is not None:
        if args.rounds < 1:
            parser.error("--rounds must be at least 1")
        options.rounds = args.rounds
    if args.server_rounds is not None:
        options.server_rounds = max(1, args.server_rounds)
    if args.profile_calls is not None:
        options.profile_calls = max(1, args.profile_calls)
    options.server = not args.no_server
    options.server_only = args.server_only and options.server
    options.profile = not args.no_profile
    options.user_code = not args.no_user_code
    options.clock = "wall" if args.wall_clock else "cpu"
    return options


def main(argv: list[str] | None = None) -> None:
    options = parse(argv)
    print(Run(options, lambda message: print(message, file=sys.stderr, flush=True)).execute())


if __name__ == "__main__":
    main()
