#!/bin/bash
# The host command frees what it allocates, on every path the CLI tests
# take (issue 13 item 1): each tests/cli/*.sh runs again in a view of the
# tree whose build/host/memcrypt is the AddressSanitizer + LeakSanitizer
# build (mk/lsan.mk). Sanitizer reports go to files, not to the output the
# scripts check; a leak or any other report is a FAIL naming the script
# and the first frames. The scripts' own PASS/FAIL lines are not counted
# here (their normal run counts them).
cd "$(dirname "$0")/../.." || exit 1
root=$PWD
fails=0
pass() { echo "PASS: leaks: $*"; }
fail() { echo "FAIL: leaks: $*"; fails=$((fails + 1)); }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

if ! make -s asan-memcrypt >"$tmp/build" 2>&1; then
	fail "cannot build build/asan/memcrypt: $(tail -3 "$tmp/build" | tr '\n' ' ')"
	exit 1
fi
# The view: the source tree by symlinks, build/ with the sanitized command.
view=$tmp/view
mkdir -p "$view/build/host"
for e in "$root"/*; do
	[ "$(basename "$e")" = build ] || ln -s "$e" "$view/$(basename "$e")"
done
for e in "$root"/build/*; do
	[ "$(basename "$e")" = host ] || ln -s "$e" "$view/build/$(basename "$e")"
done
ln -s "$root/build/asan/memcrypt" "$view/build/host/memcrypt"

for t in tests/cli/*.sh; do
	name=$(basename "$t" .sh)
	# itself; the fuzzers are sanitized already; xts-evp runs no memcrypt
	# command (its harness links the crypto objects, which the view lacks),
	# nor does gen-inv-sbox (it compares a source file with its generator)
	case $name in leaks|fuzz|xts-evp|gen-inv-sbox) continue ;; esac
	logs=$tmp/logs/$name
	mkdir -p "$logs"
	ASAN_OPTIONS="detect_leaks=1:log_path=$logs/asan:halt_on_error=1" LSAN_OPTIONS="exitcode=0" \
		UBSAN_OPTIONS="log_path=$logs/ubsan:print_stacktrace=1" \
		bash "$view/tests/cli/$name.sh" >"$tmp/$name.out" 2>&1
	runs=$(grep -c '^PASS:\|^FAIL:' "$tmp/$name.out")
	reports=("$logs"/*)
	if [ -e "${reports[0]}" ]; then
		first=$(grep -h -m1 -E 'ERROR: (LeakSanitizer|AddressSanitizer)|runtime error' "${reports[@]}" | head -1 | sed 's/^==[0-9]*==//')
		fail "cli/$name: ${#reports[@]} sanitizer reports: $first"
		grep -h -A12 -E 'Direct leak|ERROR: AddressSanitizer|runtime error' "${reports[@]}" | grep -E '^ +#[0-9]+ ' |
			grep -v -E 'in (malloc|calloc|realloc|aligned_alloc|strdup|__interceptor)' | head -n 6 | sed 's/^/    | /'
	else
		pass "cli/$name: every command of its $runs checks ran without a leak or sanitizer report"
	fi
done
exit $((fails > 0))
