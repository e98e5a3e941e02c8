#!/usr/bin/env python3
"""benchmarks/consortium.md from a scripts/consortium run.

usage: consortium-report.py FAULTS.json LOAD.json AUDIT.sqlite [BUILD-TIME.txt]

Every transaction the fault and load runs submitted carries a patient id of its own; the audit
index (built from finalized blocks only) is asked how many AccessRecorded events each one has:
exactly one is "included once", none is "lost", two or more would be a duplicate.
"""
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
from datetime import datetime, timezone

faults_path, load_path, db_path = sys.argv[1:4]
build_path = sys.argv[4] if len(sys.argv) > 4 else None


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        return None


faults, loadrun = load(faults_path), load(load_path)
db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)


def indexed_counts(prefix_hex):
    """patient id (hex) -> number of AccessRecorded events the index holds for it."""
    prefix = bytes.fromhex(prefix_hex[2:])
    rows = db.execute(
        "SELECT hex(key), count(*) FROM subjects WHERE kind = 'patient' AND name = 'AccessRecorded' "
        "AND substr(key, 1, ?) = ? GROUP BY key",
        (len(prefix), prefix),
    )
    return {"0x" + k.lower(): n for k, n in rows}


def q(values, p):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))]


def s(ms):
    return "–" if ms is None else f"{ms / 1000:.1f} s"


out = []
p = out.append
cpu = "unknown"
try:
    cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
except (OSError, StopIteration):
    pass
mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30

p("# The consortium chain under faults and load\n")
p(f"Written by `scripts/consortium` on {datetime.now(timezone.utc):%Y-%m-%d}. Machine: {os.cpu_count()} cores "
  f"({cpu}), {mem_gib:.0f} GiB, {platform.system()} {platform.release()}. The network: chain/'s `carechain-node`, "
  "preset `local` — four validators (Alice, Bob, Charlie, Dave; n = 3f + 1, f = 1), Aura slots of 3 s, GRANDPA "
  "finality, node authorization — all four on this one machine over loopback, beside the load generator "
  "(deploy/client/consortium.mjs, @polkadot/api 16.5.6) and everything else: every figure is one 2-core machine "
  "running four validators, not four machines.\n")
p("A transaction is an audited release: a registered custodian's `record_access` on consent_registry (the message a "
  "custodian sends before it serves a record), each for a fresh patient id from one of "
  f"{(faults or loadrun or {}).get('custodians', '?')} custodian accounts, submitted to Alice's node and watched to "
  "finality. *Included once* and *lost* are counted by event in the audit index (`carechain audit index`, finalized "
  "blocks only), not by the client's word. Time to finality is from submission to the client's finalized "
  "notification.\n")

failed = []
if faults:
    counts = indexed_counts(faults["patientPrefix"])
    by_phase = {}
    for t in faults["txs"]:
        by_phase.setdefault(t["phase"], []).append(t)
    p("## Faults\n")
    p(f"A steady {faults['rate']} audited releases per second, {faults['phaseSeconds']} s per phase (the restart "
      "phase twice as long). *Finalized heads* and *blocks* are what Alice's node saw during the phase.\n")
    p("| phase | submitted | included once (index) | finalized (client) | lost | duplicates | to finality median | p99 | blocks | finalized heads | authors |")
    p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    phase_info = {ph["name"]: ph for ph in faults["phases"]}
    total = {"sub": 0, "once": 0, "fin": 0, "lost": 0, "dup": 0}
    for name, txs in by_phase.items():
        once = sum(1 for t in txs if counts.get(t["patient"], 0) == 1)
        dup = sum(1 for t in txs if counts.get(t["patient"], 0) > 1)
        lost = sum(1 for t in txs if counts.get(t["patient"], 0) == 0)
        fin = [t["finalized"] - t["submitted"] for t in txs if t["finalized"] and not t["error"]]
        ph = phase_info.get(name)
        blocks = f"{ph['end']['best'] - ph['start']['best']}" if ph else "–"
        heads = f"{ph['end']['finalized'] - ph['start']['finalized']}" if ph else "–"
        authors = ", ".join(a for a in (ph or {}).get("authors", []) if a) or "–"
        p(f"| {name} | {len(txs)} | {once} | {len(fin)} | {lost} | {dup} | {s(q(fin, 0.5))} | {s(q(fin, 0.99))} | {blocks} | {heads} | {authors} |")
        total["sub"] += len(txs); total["once"] += once; total["fin"] += len(fin); total["lost"] += lost; total["dup"] += dup
    p(f"| **all** | **{total['sub']}** | **{total['once']}** | **{total['fin']}** | **{total['lost']}** | **{total['dup']}** | | | | | |")
    p("")
    if total["lost"] or total["dup"]:
        failed.append(f"{total['lost']} lost and {total['dup']} duplicated transactions")
    errors = [t for t in faults["txs"] if t["error"]]
    if errors:
        p(f"Client-side errors: {len(errors)} (e.g. `{errors[0]['error']}`).\n")
    p("Checks:\n")
    for c in faults["checks"]:
        p(f"- {'✓' if c['ok'] else '✗'} {c['what']}" + (f" — `{json.dumps(c['detail'])}`" if c['detail'] is not None else ""))
        if not c["ok"]:
            failed.append(c["what"])
    p("")

if loadrun:
    counts = indexed_counts(loadrun["patientPrefix"])
    p("## Load\n")
    p("Offered rates rise step by step; each step runs for its seconds, then the load stops until every transaction "
      "of the step is finalized or has failed. *Sustained* is what finalized per second of offered load; CPU is the "
      "whole machine's busy share during the step (four validators + the load generator).\n")
    p("| offered / s | submitted | included once (index) | lost | sustained finalized / s | to block median | to finality median | p99 | CPU busy |")
    p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    by_phase = {}
    for t in loadrun["txs"]:
        by_phase.setdefault(t["phase"], []).append(t)
    best = 0.0
    for ph in loadrun["phases"]:
        if "offered" not in ph:
            continue
        txs = by_phase.get(ph["name"], [])
        once = sum(1 for t in txs if counts.get(t["patient"], 0) == 1)
        lost = sum(1 for t in txs if counts.get(t["patient"], 0) == 0)
        fin = [t["finalized"] - t["submitted"] for t in txs if t["finalized"] and not t["error"]]
        blk = [t["inBlock"] - t["submitted"] for t in txs if t["inBlock"]]
        rate = len(fin) / ph["seconds"]
        if lost == 0:
            best = max(best, rate)
        p(f"| {ph['offered']} | {len(txs)} | {once} | {lost} | {rate:.1f} | {s(q(blk, 0.5))} | {s(q(fin, 0.5))} | {s(q(fin, 0.99))} | {ph['cpuBusy'] * 100:.0f} % |")
    p("")
    reads = next((ph for ph in loadrun["phases"] if ph["name"] == "reads"), None)
    if reads:
        p(f"Reads: {reads['count']} `check_access` dry runs (`ContractsApi_call` over JSON-RPC, {reads['concurrency']} "
          f"in flight) in {reads['seconds']:.0f} s: **{reads['perSecond']:.0f} reads/s**, median {reads['medianMs']} ms, "
          f"p99 {reads['p99Ms']} ms, CPU busy {reads['cpuBusy'] * 100:.0f} %.\n")
    for c in loadrun["checks"]:
        if not c["ok"]:
            failed.append(c["what"])
            p(f"- ✗ {c['what']} — `{json.dumps(c['detail'])}`")
    p("## Beside the anchor\n")
    p("| | Hyperledger Fabric, 3 peers (JMIR 2022, 24(4):e35013) | carechain consortium chain, 4 validators on one 2-core machine |")
    p("|---|---|---|")
    p(f"| writes | about 100 / s | {best:.0f} audited releases / s sustained, finalized |")
    if faults:
        fin_all = [t["finalized"] - t["submitted"] for t in faults["txs"] if t["finalized"] and not t["error"] and t["phase"] == "all four"]
        p(f"| latency | about 10 s | {s(q(fin_all, 0.5))} median to finality at {faults['rate']}/s (p99 {s(q(fin_all, 0.99))}) |")
    if reads:
        p(f"| reads | about 1,000 / s | {reads['perSecond']:.0f} `check_access` / s |")
    p("")
    p("The anchor's writes are Fabric transactions on a 3-peer network of separate machines; ours are contract calls "
      "that each re-evaluate a consent decision and emit an audit event, executed by all four validators on one "
      "shared 2-core machine. What binds first, and what the figures mean for a consortium: docs/capacity.md.\n")

if build_path and os.path.exists(build_path):
    text = open(build_path).read()
    elapsed = next((l.split(":", 4)[-1].strip() for l in text.splitlines() if "Elapsed" in l), "?")
    peak = next((int(l.split(":")[1]) for l in text.splitlines() if "Maximum resident" in l), None)
    p("## Building the node\n")
    p(f"`scripts/chain install` (`cargo build --release` of chain/, from scratch): {elapsed} wall clock on "
      f"{os.cpu_count()} cores; the largest single process (a compiler) peaked at {peak / 2**20:.1f} GiB resident "
      "(`/usr/bin/time -v`; two run at once).\n" if peak else f"`scripts/chain install`: {elapsed}.\n")

if failed:
    p("## Failed\n")
    for f in failed:
        p(f"FAILED: {f}")
print("\n".join(out))
