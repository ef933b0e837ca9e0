# Shared helpers for the QEMU integration tests (tests/qemu/*.sh).
# Each test script sources this file, boots with `boot`, and reports one
# line per property with `check`; `finish` prints nothing more and sets the
# exit status. Output style: "PASS: qemu: what was shown".
#
#   boot NAME [qemu-run options...]   -> $LOG (stripped serial), $STATUS
#   check "what was shown" COMMAND...  PASS if COMMAND succeeds, else FAIL
#   has 'REGEX'                        grep -E on $LOG (for use with check)
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

status_is() {
	[[ $STATUS == "$1" ]]
}

finish() {
	exit $FAILED
}
