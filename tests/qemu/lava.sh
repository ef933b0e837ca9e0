#!/usr/bin/env bash
# LAVA: the jobs in lava/ pass lava-common's schema validator (strict), and
# lava-run (Debian's lava-dispatcher, run locally as root with
# lava/devices/qemu-ovmf.yaml, no server) boots build/memcrypt.img in QEMU
# with OVMF; the test cases LAVA records from the monitors match the
# run's serial SUMMARY, for a clean run and for one with failures.
SUITE=lava
source "$(dirname "$0")/lib.sh"
T=$TMPDIR_QEMU
PY=/usr/bin/python3   # Debian's, where lava_common lives
plain(){ echo "PASS: $SUITE: $*"; }
bad(){ echo "FAIL: $SUITE: $*"; FAILED=1; }

if ! command -v lava-run >/dev/null || ! $PY -c 'import lava_common.schemas' 2>/dev/null; then
	echo "SKIP: $SUITE: lava-dispatcher / lava-common not installed (scripts/setup installs them)"
	exit 0
fi

validate() { # FILE -> status, message on stderr
	$PY - "$1" <<'PY'
import sys, yaml
from lava_common.schemas import validate
try:
    validate(yaml.safe_load(open(sys.argv[1])), strict=True)
except Exception as e:
    print(f"{sys.argv[1]}: {e}", file=sys.stderr)
    sys.exit(1)
PY
}
for job in lava/memcrypt-qemu.yaml lava/memcrypt-x86-uefi-board.yaml; do
	validate "$ROOT/$job" 2>"$T/err" && plain "$job: lava-common's schema validator accepts it (strict)" ||
		bad "$job: rejected by the schema: $(cat "$T/err")"
done
sed '/^      end: /d' "$ROOT/lava/memcrypt-qemu.yaml" >"$T/broken.yaml"
validate "$T/broken.yaml" 2>"$T/err" && bad "the validator accepted a monitor without 'end'" ||
	plain "the validator rejects a monitor without its 'end' ($(head -c 120 "$T/err"))"

# lava-run on an image: $1 name, $2 image. Sets LOG (LAVA's YAML log).
lava_boot() {
	local name=$1 img=$2
	LAST_BOOT=$name
	sed "s#file:///srv/memcrypt/memcrypt.img#file://$img#" "$ROOT/lava/memcrypt-qemu.yaml" >"$T/$name.yaml"
	LOG=$T/$name.log
	(cd "$T" && timeout -k 5 300 lava-run --job-id "$name" --output-dir "$T/out-$name" \
		--device "$ROOT/lava/devices/qemu-ovmf.yaml" "$T/$name.yaml" >"$LOG" 2>&1)
	STATUS=$?
}
# LAVA's results against the last serial SUMMARY in the same log.
compare() {
	$PY - "$LOG" <<'PY'
import json, re, sys
res, summary, job = {"pass": 0, "fail": 0, "skip": 0}, None, None
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    line = line.strip()
    if not line.startswith("{"):
        continue
    try:
        e = json.loads(line)
    except ValueError:
        continue
    m = e.get("msg")
    if e.get("lvl") == "results" and isinstance(m, dict):
        if m.get("definition", "").startswith("memcrypt-"):
            res[m["result"]] += 1
        if m.get("definition") == "lava" and m.get("case") == "job":
            job = m.get("result")
    elif e.get("lvl") == "target" and isinstance(m, str):
        s = re.match(r"SUMMARY: (\d+) tests, (\d+) failures, (\d+) skipped", m)
        if s:
            summary = tuple(int(x) for x in s.groups())
got = (sum(res.values()), res["fail"], res["skip"])
print(f"LAVA job {job}; LAVA test cases {got[0]} ({res['pass']} pass, {got[1]} fail, {got[2]} skip); serial {summary}")
sys.exit(0 if summary == got and job == "pass" else 1)
PY
}

matches() { # what
	local out
	if out=$(compare); then plain "$LAST_BOOT: $1: $out"; else bad "$LAST_BOOT: $1: $out"; tail -5 "$LOG" | cut -c1-300 | sed 's/^/    | /'; fi
}

lava_boot hw-path "$ROOT/build/memcrypt.img"
check "lava-run finished the job (status 0)" status_is 0
matches "LAVA's test cases = the serial SUMMARY"

cp "$ROOT/build/memcrypt.img" "$T/ice.img"
MTOOLS_SKIP_CHECK=1 mcopy -o -i "$T/ice.img@@1048576" "$ROOT/profiles/icelake-sp.prof" ::/memcrypt/profile
lava_boot icelake-validate "$T/ice.img"
check "lava-run finished the job (status 0)" status_is 0
matches "LAVA's failures = the serial SUMMARY's"
check "a FAIL line became a LAVA fail case" has '"test_case_id": "tme: enabled: not activated.*"result": "fail"'
finish
