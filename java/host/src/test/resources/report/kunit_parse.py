# Parses a KTAP file with a kernel tree's own KUnit parser and writes the test tree as JSON.
# usage: kunit_parse.py <linux>/tools/testing/kunit <file.ktap> <out.json>
# parse_run_tests() takes a printer since 6.15 or so; older trees print to stdout themselves.
import dataclasses
import inspect
import json
import sys

sys.path.insert(0, sys.argv[1])
import kunit_parser  # noqa: E402
import kunit_printer  # noqa: E402


def tree(t):
    return {"name": t.name, "status": t.status.name, "counts": dataclasses.asdict(t.counts),
            "skip_reason": getattr(t, "skip_reason", None),  # newer parsers only
            "log": t.log,
            "subtests": [tree(s) for s in t.subtests]}


with open(sys.argv[2], encoding="utf-8") as f:
    lines = f.read().splitlines()
if len(inspect.signature(kunit_parser.parse_run_tests).parameters) > 1:
    result = kunit_parser.parse_run_tests(lines, kunit_printer.null_printer)
else:
    result = kunit_parser.parse_run_tests(lines)
with open(sys.argv[3], "w", encoding="utf-8") as out:
    json.dump(tree(result), out)
