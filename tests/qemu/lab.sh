#!/usr/bin/env bash
# From one real boot to the forms a lab reads: qemu-run's JUnit and TAP
# (read back by xml.etree/xmllint and prove, counted against the serial
# SUMMARY), and the audit report made from the report.json and
# last-run.json the stage wrote on the ESP, rendered by headless Chromium
# (Debian's), with a screenshot and the rendered DOM checked for the
# verdicts, register names and provenance.
SUITE=lab
source "$(dirname "$0")/lib.sh"
T=$TMPDIR_QEMU
M=$ROOT/build/host/memcrypt
plain(){ echo "PASS: $SUITE: $*"; }
bad(){ echo "FAIL: $SUITE: $*"; FAILED=1; }

# A Sapphire Rapids TDX host (programmed: a FAIL-free run) and an Ice Lake
# left unprogrammed (validate: FAIL lines), both as USB images.
boot tdx-host --img --profile "$ROOT/profiles/sapphire-rapids-tdx.prof" --vars "$T/vars.fd" --esp-out "$T/esp1" \
	--junit "$T/tdx.xml" --tap "$T/tdx.tap"
tdx_log=$LOG tdx_status=$STATUS
summary=$(grep '^SUMMARY:' "$LOG" | tail -1)
check "a SUMMARY on the serial console" test -n "$summary"
n=$(sed -n 's/^SUMMARY: \([0-9]*\) tests.*/\1/p' <<<"$summary")
check "JUnit and TAP written" test -s "$T/tdx.xml" -a -s "$T/tdx.tap"
grep -v '^qemu-run:' "$tdx_log" >"$T/tdx.serial"
if tests_out=$(cd "$ROOT" && tests/junit-check lab-junit "$T/tdx.xml" "$T/tdx.serial"); then
	plain "tdx-host: junit-check: every PASS/FAIL/SKIP line of the serial log is one testcase"
else
	bad "tdx-host: junit-check: $(grep '^FAIL' <<<"$tests_out" | head -3)"
fi
cases=$(/usr/bin/python3 -c 'import sys,xml.etree.ElementTree as E; print(len(list(E.parse(sys.argv[1]).iter("testcase"))))' "$T/tdx.xml")
[[ $cases == "$n" ]] && plain "tdx-host: $cases JUnit testcases = the serial SUMMARY's $n tests" ||
	bad "tdx-host: $cases JUnit testcases, the serial SUMMARY says $n tests ($summary)"
prove -e cat "$T/tdx.tap" >"$T/prove.log" 2>&1; prc=$?
if grep -q "Tests=$n," "$T/prove.log" && (( (prc == 0) == (tdx_status == 0) )); then
	plain "tdx-host: prove reads $n TAP tests, status $prc for qemu-run status $tdx_status"
else
	bad "tdx-host: prove (status $prc, qemu-run $tdx_status): $(tail -3 "$T/prove.log")"
fi

boot icelake-validate --img --profile "$ROOT/profiles/icelake-sp.prof" --esp-out "$T/esp2" --junit "$T/ice.xml" --tap "$T/ice.tap"
check "failure status 1 (unprogrammed Ice Lake)" status_is 1
fails=$(grep -c '^FAIL:' "$LOG")
jf=$(/usr/bin/python3 -c 'import sys,xml.etree.ElementTree as E; print(len(list(E.parse(sys.argv[1]).iter("failure"))))' "$T/ice.xml")
[[ $jf == "$fails" && $fails -gt 0 ]] && plain "icelake-validate: $jf JUnit failures = $fails FAIL lines" ||
	bad "icelake-validate: $jf JUnit failures for $fails FAIL lines"
prove -e cat "$T/ice.tap" >"$T/prove2.log" 2>&1 && bad "prove passed a TAP with $fails failures" ||
	plain "icelake-validate: prove fails the TAP ($(grep -o 'Failed: [0-9]*' "$T/prove2.log" | head -1))"

# The second boot with the first one's variables: the stage copies the
# kernel's MemcryptLastRun record to last-run.json.
boot tdx-again --img --profile "$ROOT/profiles/sapphire-rapids-tdx.prof" --vars "$T/vars.fd" --esp-out "$T/esp3"
check "last-run.json on the ESP" test -s "$T/esp3/memcrypt/last-run.json"

# The audit report, rendered by Chromium.
render() { # HTML NAME -> $T/NAME.png, $T/NAME.dom
	rm -rf "$T/chromium"
	local opts=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
		--disable-component-update --disable-sync --user-data-dir="$T/chromium" --window-size=1280,4000)
	timeout 120 chromium "${opts[@]}" --screenshot="$T/$2.png" "file://$1" >/dev/null 2>&1
	rm -rf "$T/chromium"
	timeout 120 chromium "${opts[@]}" --dump-dom "file://$1" 2>/dev/null >"$T/$2.dom"
}
visible() { # FILE.dom REGEX: the text (tags stripped) shows REGEX
	/usr/bin/python3 - "$1" "$2" <<'PY'
import html, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
assert "display:none" not in dom and "visibility:hidden" not in dom
body = re.sub(r"(?s)<(style|script)[^>]*>.*?</\1>", "", dom)
text = html.unescape(re.sub(r"<[^>]+>", " ", body))
sys.exit(0 if re.search(sys.argv[2], re.sub(r"\s+", " ", text)) else 1)
PY
}
png_ok() { # a PNG of the window's size with ink on it
	/usr/bin/python3 - "$1" <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n"
w, h = struct.unpack(">II", d[16:24])
idat, i = b"", 8
while i < len(d):
    n, = struct.unpack(">I", d[i:i + 4]); t = d[i + 4:i + 8]
    if t == b"IDAT": idat += d[i + 8:i + 8 + n]
    i += 12 + n
raw = zlib.decompress(idat)
ink = sum(1 for b in raw[::97] if b < 0x80)
sys.exit(0 if w >= 1000 and h >= 1000 and ink > 200 else 1)
PY
}

LAST_BOOT=report
if ! command -v chromium >/dev/null; then
	echo "SKIP: $SUITE: the HTML report is not rendered: chromium not installed (scripts/setup installs it)"
	finish
fi
if "$M" report --html "$T/ice.html" "$T/esp2/memcrypt/report.json" >/dev/null 2>"$T/err"; then
	plain "report --html from the stage's report.json"
else
	bad "report --html: $(cat "$T/err")"
fi
check "the report is self-contained (no http, src= or link to anything outside)" \
	bash -c "! grep -qiE 'https?:|<script|<link|src=' '$T/ice.html'"
render "$T/ice.html" ice
check "Chromium took a screenshot with content" png_ok "$T/ice.png"
check "rendered: the verdict table shows FAIL first" visible "$T/ice.dom" 'Verdict Check Detail FAIL tme\.enabled'
last_fail=$(grep -n 'class="fail"><td class="v">FAIL' "$T/ice.html" | tail -1 | cut -d: -f1)
first_pass=$(grep -n 'class="pass"><td class="v">PASS' "$T/ice.html" | head -1 | cut -d: -f1)
check "every FAIL row before the first PASS row" test "${last_fail:-999999}" -lt "${first_pass:-0}"
for reg in IA32_TME_CAPABILITY IA32_TME_ACTIVATE IA32_TME_EXCLUDE_MASK IA32_TME_EXCLUDE_BASE; do
	check "rendered: register $reg with its fields and the seed's table" visible "$T/ice.dom" "$reg \\(MSR 98[1-4]H\\).*Intel seed, Table"
done
check "rendered: IA32_TME_ACTIVATE fields named and decoded" visible "$T/ice.dom" 'TME policy \(algorithm\).*MK_TME_KEYID_BITS'
check "rendered: provenance names the firmware and version" visible "$T/ice.dom" 'Firmware EDK II, revision 0x[0-9a-f]+, UEFI 2\.[0-9]+.*Version results by memcrypt [0-9.]+'
check "rendered: the physical-address layout" visible "$T/ice.dom" 'Physical address layout .*MAXPHYADDR'

"$M" report --html "$T/tdx.html" "$T/esp1/memcrypt/report.json" >/dev/null 2>&1
render "$T/tdx.html" tdx
check "rendered (TDX host): the KeyID bits of a physical address" visible "$T/tdx.dom" 'bits 51:46 KeyID \(6 bits: 63 KeyIDs, 31 MKTME, 32 TDX private\)'
check "rendered (TDX host): the KeyID partitioning register" visible "$T/tdx.dom" 'IA32_MKTME_KEYID_PARTITIONING .*MKTME KeyIDs'

"$M" report --html "$T/last.html" "$T/esp3/memcrypt/last-run.json" >/dev/null 2>&1
render "$T/last.html" last
check "rendered (last-run.json): counts, version and platform" visible "$T/last.dom" 'results by memcrypt 0\.1\.0.*[0-9]+ PASS, 0 FAIL'

"$M" report --html "$T/grid.html" --profile "$ROOT/profiles/icelake-core-mismatch.prof" >/dev/null 2>&1
render "$T/grid.html" grid
check "rendered (profile): the per-CPU grid with CPU x register" visible "$T/grid.dom" 'Per-CPU consistency CPU IA32_TME_CAPABILITY MSR 981H'
finish
