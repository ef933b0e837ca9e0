#!/bin/bash
# tests/run-all's own honesty: a test program that dies mid-run is reported
# as CRASH with the last assertion it reached and counted as a failure,
# never as "1 failed" with the rest silently missing, nor as a pass.
cd "$(dirname "$0")/../.." || exit 1
fails=0
pass() { echo "PASS: run-all-crash: $*"; }
fail() { echo "FAIL: run-all-crash: $*"; fails=$((fails + 1)); }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# crash KIND: a fake unit-test program that reports two assertions, then dies
fake() {
	cat >"$tmp/unit-$1" <<EOS
#!/bin/bash
echo "PASS: fake: first assertion"
echo "PASS: fake: second assertion"
case $1 in
signal) kill -SEGV \$\$ ;;
asan) echo "==4242==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000011"; exit 1 ;;
nosummary) exit 1 ;;
esac
EOS
	chmod +x "$tmp/unit-$1"
}
for kind in signal asan nosummary; do
	fake $kind
	MEMCRYPT_UNIT_TESTS=$tmp/unit-$kind MEMCRYPT_TEST_RESULTS=$tmp/res-$kind tests/run-all unit >"$tmp/$kind.out" 2>&1
	rc=$?
	line=$(grep '^CRASH: run-all: unit: ' "$tmp/$kind.out")
	if [[ $rc != 0 && $line == *"last assertion reached: PASS: fake: second assertion"* ]]; then
		pass "$kind: reported as CRASH with the last assertion reached ($line)"
	else
		fail "$kind: expected a CRASH line naming 'second assertion' and a failing status (status $rc: $(tail -n 5 "$tmp/$kind.out" | tr '\n' ' '))"
	fi
	if grep -q '^   unit: 2 passed, 0 failed' "$tmp/$kind.out" && tail -n 1 "$tmp/$kind.out" | grep -qE '^[0-9]+ passed, 1 failed$' &&
	   grep -qE '^SUMMARY: [0-9]+ tests, 1 failures' "$tmp/$kind.out"; then
		pass "$kind: the crash is the one failure beside the program's 2 passes"
	else
		fail "$kind: expected the unit part's 2 passes and '... passed, 1 failed' (got: $(tail -n 2 "$tmp/$kind.out" | tr '\n' ' '))"
	fi
done
exit $((fails > 0))
