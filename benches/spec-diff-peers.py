#!/usr/bin/env python3
"""Wire-level verdicts of `cargo xtask diff` against peer tools, on the corpus in
tests/fixtures/spec-changes (each case a JSON Patch on base.yaml, with the classes it must get).

Usage: benches/spec-diff-peers.py XTASK TOOLS_DIR
  XTASK      the built xtask binary (target/debug/xtask)
  TOOLS_DIR  where benches/spec-diff-peers.sh installed the peers (node_modules/.bin inside)

Prints a Markdown table: per case, the declared truth, our verdict, and each peer's verdict on
the one question they all answer, "does this break existing clients?". Peers that are not
installed are reported as such. The peers have no notion of "breaking for the server side".
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import_yaml_error = None
try:
    import yaml  # PyYAML, installed by spec-diff-peers.sh
except ImportError as e:  # pragma: no cover
    import_yaml_error = e

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "tests", "fixtures", "spec-changes")


def unescape(token):
    return token.replace("~1", "/").replace("~0", "~")


def parent_and_key(doc, path):
    parts = [unescape(p) for p in path.split("/")[1:]]
    node = doc
    for p in parts[:-1]:
        node = node[int(p)] if isinstance(node, list) else node[p]
    return node, parts[-1]


def remove(doc, path):
    node, key = parent_and_key(doc, path)
    if isinstance(node, list):
        return node.pop(int(key))
    return node.pop(key)


def add(doc, path, value):
    node, key = parent_and_key(doc, path)
    if isinstance(node, list):
        if key == "-":
            node.append(value)
        else:
            node.insert(int(key), value)
    else:
        node[key] = value


def apply(doc, op):
    kind = op["op"]
    if kind == "add":
        add(doc, op["path"], op["value"])
    elif kind == "remove":
        remove(doc, op["path"])
    elif kind == "replace":
        remove(doc, op["path"])
        add(doc, op["path"], op["value"])
    elif kind == "move":
        add(doc, op["path"], remove(doc, op["from"]))
    else:
        raise ValueError(f"unsupported operation {kind}")


def run(cmd):
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return proc, time.perf_counter() - started


def ours(xtask, before, after):
    proc, took = run([xtask, "diff", "--from", before, "--spec", after, "--format", "json", "-q"])
    if proc.returncode not in (0, 1):
        return f"error {proc.returncode}", took, set()
    report = json.loads(proc.stdout)
    classes = {c for ch in report["wire"]["changes"] for c in ch["classes"]}
    return ("breaking" if "breaking-client" in classes else "not breaking"), took, classes


def openapi_diff(tools, before, after):
    """Atlassian's openapi-diff: exit 1 and `breakingDifferences` when it finds a breaking change."""
    exe = os.path.join(tools, "node_modules", ".bin", "openapi-diff")
    if not os.path.exists(exe):
        return "not installed", 0.0
    # Node cuts output to a pipe short when the process exits with an error status (the pipe
    # is written asynchronously): its report goes to a file instead.
    with tempfile.TemporaryFile(mode="w+") as out_file:
        started = time.perf_counter()
        proc = subprocess.run([exe, before, after], stdout=out_file, stderr=subprocess.STDOUT, text=True)
        took = time.perf_counter() - started
        out_file.seek(0)
        proc.stdout, proc.stderr = out_file.read(), ""
    # Its JSON report embeds whole schemas and is not always strict JSON; its own summary line
    # and its exit code (1 when it finds a breaking change) are what a CI job reads. It prints a
    # breaking report on stderr, the others on stdout.
    out = proc.stdout + proc.stderr
    if proc.returncode == 1 and '"breakingDifferencesFound": true' in out:
        return "breaking", took
    if proc.returncode != 0:
        return f"error {proc.returncode}", took
    if '"unclassifiedDifferences": []' not in out:
        return "unclassified", took
    return "not breaking", took


def openapi_changes(tools, before, after):
    """pb33f's openapi-changes: `summary` exits non-zero when it finds a breaking change."""
    exe = os.path.join(tools, "node_modules", "@pb33f", "openapi-changes", "bin", "openapi-changes")
    if not os.path.exists(exe):
        return "not installed", 0.0
    proc, took = run([exe, "summary", "--no-color", before, after])
    if proc.returncode == 0:
        return "not breaking", took
    if "breaking" in (proc.stdout + proc.stderr).lower():
        return "breaking", took
    return f"error {proc.returncode}", took


def main():
    if import_yaml_error:
        sys.exit(f"spec-diff-peers: PyYAML is needed: {import_yaml_error}")
    xtask, tools = sys.argv[1], sys.argv[2]
    with open(os.path.join(CORPUS, "base.yaml")) as f:
        base = yaml.safe_load(f)
    rows = []
    totals = {"ours": 0, "openapi-diff": 0, "openapi-changes": 0}
    times = {"ours": [], "openapi-diff": [], "openapi-changes": []}
    with tempfile.TemporaryDirectory() as tmp:
        before = os.path.join(tmp, "before.json")
        cases = sorted(n for n in os.listdir(os.path.join(CORPUS, "cases")) if n.endswith(".yaml"))
        for name in cases:
            with open(os.path.join(CORPUS, "cases", name)) as f:
                case = yaml.safe_load(f)
            # A change the pipeline refuses has no report of ours to compare.
            if case.get("pipeline") == "refused":
                continue
            old = json.loads(json.dumps(base))
            for op in case.get("before") or []:
                apply(old, op)
            with open(before, "w") as f:
                json.dump(old, f, indent=1)
            doc = json.loads(json.dumps(old))
            for op in case["patch"]:
                apply(doc, op)
            after = os.path.join(tmp, "after.json")
            with open(after, "w") as f:
                json.dump(doc, f, indent=1)
            truth = "breaking" if "breaking-client" in case["wire"] else "not breaking"
            server = "yes" if "breaking-server" in case["wire"] else ""
            our, t_ours, classes = ours(xtask, before, after)
            od, t_od = openapi_diff(tools, before, after)
            oc, t_oc = openapi_changes(tools, before, after)
            times["ours"].append(t_ours)
            if t_od:
                times["openapi-diff"].append(t_od)
            if t_oc:
                times["openapi-changes"].append(t_oc)
            mark = lambda v: v if v in ("not installed",) or v == truth else f"**{v}** ✗"
            totals["ours"] += our == truth
            totals["openapi-diff"] += od == truth
            totals["openapi-changes"] += oc == truth
            declared = sorted(case["wire"])
            assert sorted(classes) == declared, f"{name}: ours {sorted(classes)} != declared {declared}"
            rows.append(
                f"| {name[:-5]} | {truth} | {server} | {mark(our)} | {mark(od)} | {mark(oc)} |"
            )
    print("| case | breaks clients (declared) | breaks the server side | ours | openapi-diff 0.24.1 | openapi-changes |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))
    n = len(rows)
    print(
        f"| **agree with the declared verdict** | | | {totals['ours']}/{n} | {totals['openapi-diff']}/{n} | "
        + (f"{totals['openapi-changes']}/{n}" if times["openapi-changes"] else "not run")
        + " |"
    )
    print()
    for tool, ts in times.items():
        if ts:
            ts = sorted(ts)
            print(f"- {tool}: median {ts[len(ts) // 2] * 1000:.0f} ms per case, slowest {ts[-1] * 1000:.0f} ms ({len(ts)} cases)")


if __name__ == "__main__":
    main()
