# Shared helpers for the QEMU integration tests (tests/qemu/*.sh).
# Each test script sources this file, boots with `boot`, and reports one
# line per property with `check`; `finish` prints nothing more and sets the
# exit status. Output style: "PASS: qemu: what was shown".
#
#   boot NAME [qemu-run options...]   -> $LOG (stripped serial), $STATUS
#   check "what was shown" COMMAND...  PASS if COMMAND succeeds, else FAIL
#   has 'REGEX'                        grep -E on $LOG (for use with check)
#   summary_matches [FAILS]            the last SUMMARY's counts are the log's
#                                      PASS/FAIL/WARN/SKIP lines (FAILS: and
#                                      that many failures)
#   handed_off                         the kernel ran and adopted exactly the
#                                      results the stage printed before it
#   finish

set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SUITE=${SUITE:-qemu}
TMPDIR_QEMU=$(mktemp -d /tmp/memcrypt-qemu.XXXXXX)
trap 'rm -rf "$TMPDIR_QEMU"' EXIT
FAILED=0
LOG=
STATUS=
LAST_BOOT=

boot() {
	local name=$1
	shift
	LAST_BOOT=$name
	LOG=$TMPDIR_QEMU/$name.log
	"$ROOT/scripts/qemu-run" "$@" >"$LOG" 2>"$TMPDIR_QEMU/$name.err"
	STATUS=$?
	cat "$TMPDIR_QEMU/$name.err" >>"$LOG"
}

has() {
	grep -qE -- "$1" "$LOG"
}

check() {
	local what=$1
	shift
	if "$@"; then
		echo "PASS: $SUITE: $LAST_BOOT: $what"
	else
		echo "FAIL: $SUITE: $LAST_BOOT: $what (qemu-run status $STATUS; log tail follows)"
		tail -n 15 "$LOG" | sed 's/^/    | /'
		FAILED=1
	fi
}

# The kernel's SUMMARY counts what it reported and what it adopted from the
# stage; here they are counted again from the serial lines themselves, so a
# SUMMARY that drops or invents a result (or a run that never reached it)
# fails. The stage's own SUMMARY line is not a result.
summary_matches() {
	local want_fail=${1:-} sum n f s
	sum=$(grep -E '^SUMMARY: ' "$LOG" | tail -n 1)
	[[ $sum =~ ^SUMMARY:\ ([0-9]+)\ tests,\ ([0-9]+)\ failures,\ ([0-9]+)\ skipped ]] || return 1
	n=$(grep -cE '^(PASS|FAIL|WARN|SKIP): ' "$LOG")
	f=$(grep -c '^FAIL: ' "$LOG")
	s=$(grep -c '^SKIP: ' "$LOG")
	[[ ${BASH_REMATCH[1]} == "$n" && ${BASH_REMATCH[2]} == "$f" && ${BASH_REMATCH[3]} == "$s" ]] || return 1
	[[ -z $want_fail || $f == "$want_fail" ]]
}

# The banner alone says only that kernel.elf started. The kernel's
# "adopted N results of the UEFI stage (P passed, F failed, S skipped)" must
# be the stage's result lines printed before the banner, counted here.
handed_off() {
	local pre adopted
	pre=$(awk '/^memcrypt kernel /{exit} {print}' "$LOG")
	grep -q '^memcrypt kernel ' "$LOG" || return 1
	adopted=$(sed -n 's/^INFO: kernel: adopted \([0-9]*\) results of the UEFI stage (\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped)$/\1 \2 \3 \4/p' "$LOG")
	[[ $adopted == "$(grep -cE '^(PASS|FAIL|WARN|SKIP|INFO): ' <<<"$pre") $(grep -c '^PASS: ' <<<"$pre") $(grep -c '^FAIL: ' <<<"$pre") $(grep -c '^SKIP: ' <<<"$pre")" ]]
}

status_is() {
	[[ $STATUS == "$1" ]]
}

finish() {
	exit $FAILED
}
