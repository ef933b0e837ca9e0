#!/bin/bash
# `memcrypt show-last`: the MemcryptLastRun record as efivarfs presents it
# (u32 attributes, then the record), built here independently from the
# documented layout (docs/bios-stage.md); statuses 0/1/2 and clear errors.
cd "$(dirname "$0")/../.." || exit 1
M=build/host/memcrypt
fails=0
pass() { echo "PASS: show-last: $*"; }
fail() { echo "FAIL: show-last: $*"; fails=$((fails + 1)); }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# mk FILE FLAGS FAILS [corrupt]: a record with one FAIL entry if FAILS > 0.
mk() {
	python3 - "$@" <<'PY'
import struct, sys
path, flags, fails = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
corrupt = sys.argv[4] if len(sys.argv) > 4 else ""
entries = [(1, 2, b"mktme.core_activate", b"cpu 2 keyid bits 0, package 6")] if fails else []
entries.append((2, 1, b"uefi.report", b"\\memcrypt\\report.txt not written: write protected"))
body = b"".join(struct.pack("<BBBB", v, s, len(i), len(d)) + i + d for v, s, i, d in entries)
counts = (40, fails, 1, 3, 12)
size = 88 + len(body)
hdr = b"MCLR" + struct.pack("<HHII", 1, flags, size, sum(counts)) + struct.pack("<5I", *counts) \
    + struct.pack("<II", len(entries), 0) + b"0.1.0".ljust(12, b"\0") + b"model:profile".ljust(32, b"\0")
rec = hdr + body
if corrupt == "magic": rec = b"XXXX" + rec[4:]
if corrupt == "truncate": rec = rec[:-5]
if corrupt == "short": rec = b""
open(path, "wb").write((struct.pack("<I", 7) + rec) if corrupt != "noattrs" else b"\x07\x00")
PY
}

check() { # name want-status want-regex args...
	local name=$1 want=$2 re=$3; shift 3
	$M show-last "$@" >"$tmp/out" 2>&1; local rc=$?
	[ "$rc" = "$want" ] && pass "$name: status $rc" || fail "$name: status (expected $want, got $rc)"
	grep -qE -- "$re" "$tmp/out" && pass "$name: prints /$re/" || fail "$name: expected /$re/, got: $(head -c 300 "$tmp/out")"
}

mk "$tmp/fail.var" 2 1
check "a run with a FAIL" 1 '^last run: memcrypt 0.1.0 on model:profile: 45 tests, 1 failures, 3 skipped, 1 warnings; ended with a reset$' --file "$tmp/fail.var"
check "the FAIL entry" 1 '^FAIL: mktme: core_activate: cpu 2 keyid bits 0, package 6$' --file "$tmp/fail.var"
check "the WARN entry" 1 '^WARN: uefi: report: \\memcrypt\\report.txt not written' --file "$tmp/fail.var"
mk "$tmp/ok.var" 1 0
check "a clean run, shown by the stage" 0 'ended with the run.s exit \(shown by the UEFI stage\)$' --file "$tmp/ok.var"
check "JSON" 0 '"shown":true,"ended_with_reset":false' --file "$tmp/ok.var" --json
if python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["summary"]["fail"]==0 and j["checks"][0]["verdict"]=="WARN" else 1)' "$tmp/out" 2>/dev/null; then
	pass "--json output parses as JSON with summary and checks"
else
	fail "--json output is not the expected JSON: $(head -c 300 "$tmp/out")"
fi
check "missing record" 2 'no last-run record: .*/nope does not exist' --file "$tmp/nope"
mk "$tmp/m.var" 0 0 magic
check "wrong magic" 2 'not a memcrypt last-run record' --file "$tmp/m.var"
mk "$tmp/t.var" 0 1 truncate
check "truncated record" 2 'record says [0-9]+ bytes, [0-9]+ present' --file "$tmp/t.var"
mk "$tmp/n.var" 0 0 noattrs
check "shorter than the attributes word" 2 'too short for the attributes word' --file "$tmp/n.var"
check "bad argument" 2 "unknown argument '--bogus'" --bogus

# --junit: the stored entries as testcases, read back by tests/junit-check
# (xml.etree, xmllint); the status stays the record's.
$M show-last --file "$tmp/fail.var" --junit "$tmp/last.xml" >"$tmp/out"; rc=$?
[ $rc = 1 ] && pass "--junit on a run with a FAIL: status 1" || fail "--junit: status $rc"
tests/junit-check show-last-junit "$tmp/last.xml" "$tmp/out" >"$tmp/jc" &&
	pass "--junit: one testcase per stored line, the FAIL as a failure ($(grep -c '^PASS' "$tmp/jc") properties)" ||
	fail "--junit: $(grep '^FAIL' "$tmp/jc" | head -3)"
python3 - "$tmp/omit.var" <<'PY'
import struct, sys
# 3 FAIL results, 1 stored, 2 omitted: CI must still see the run failed.
e = struct.pack("<BBBB", 1, 2, 9, 4) + b"tme.local" + b"cpu0"
counts = (10, 3, 0, 0, 0)
hdr = b"MCLR" + struct.pack("<HHII", 1, 0, 88 + len(e), sum(counts)) + struct.pack("<5I", *counts) \
    + struct.pack("<II", 1, 2) + b"0.1.0".ljust(12, b"\0") + b"hw".ljust(32, b"\0")
open(sys.argv[1], "wb").write(struct.pack("<I", 7) + hdr + e)
PY
$M show-last --file "$tmp/omit.var" --junit "$tmp/omit.xml" >/dev/null
python3 -c 'import sys,xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); f=[x.get("message") for x in r.iter("failure")]; sys.exit(0 if len(f)==2 and "2 more FAIL results did not fit" in f[1] else 1)' "$tmp/omit.xml" &&
	pass "--junit: FAIL results that did not fit in the record are one more failure" ||
	fail "--junit: omitted failures not reported: $(head -c 600 "$tmp/omit.xml")"
exit $((fails > 0))
