#!/usr/bin/env bash
# Run the libFuzzer targets (tests/fuzz/README.md): for each, replay the
# regression inputs under tests/fuzz/regress/TARGET/ (each once crashed a
# parser), then fuzz for SECONDS from the seeds under tests/fuzz/corpus/
# plus what earlier runs found (build/fuzz/corpus/TARGET). One PASS/FAIL
# line per replay and per fuzz run; a crash, a broken contract, a missing
# toolchain or a fuzzer that barely ran is a FAIL. Statistics per run:
# build/fuzz/stats.txt; logs and crash inputs: build/fuzz/logs, build/fuzz/crashes.
# Usage: tests/fuzz/run.sh [--seconds N] [TARGET...]   (default 60 s, all targets)
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

seconds=60
targets=()
while (($#)); do
	case $1 in
	--seconds) seconds=$2; shift 2 ;;
	-*) echo "usage: tests/fuzz/run.sh [--seconds N] [TARGET...]" >&2; exit 2 ;;
	*) targets+=("$1"); shift ;;
	esac
done
if ((${#targets[@]} == 0)); then
	for f in tests/fuzz/fuzz_*.c; do t=$(basename "$f" .c); targets+=("${t#fuzz_}"); done
fi

fails=0
pass() { echo "PASS: fuzz: $*"; }
fail() { echo "FAIL: fuzz: $*"; fails=$((fails + 1)); }

# Longest input per target: a handoff is read up to its results count, a
# CAVP record holds two 4 KiB data units in hex.
max_len() {
	case $1 in
	handoff) echo 1024 ;;
	cavp) echo 20000 ;;
	*) echo 8192 ;;
	esac
}

if ! command -v "${FUZZ_CC:-clang}" >/dev/null || ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
	"${FUZZ_CC:-clang}" -x c -fsanitize=fuzzer,address,undefined - -o /dev/null 2>/dev/null; then
	fail "toolchain: ${FUZZ_CC:-clang} cannot build a libFuzzer + ASan + UBSan program (scripts/setup installs clang and libclang-rt-14-dev)"
	exit 1
fi
if ! make -s fuzz-targets >build-fuzz.log.$$ 2>&1; then
	fail "build: make fuzz-targets failed"
	tail -n 20 build-fuzz.log.$$ | sed 's/^/    | /'
	rm -f build-fuzz.log.$$
	exit 1
fi
rm -f build-fuzz.log.$$
mkdir -p build/fuzz/logs build/fuzz/crashes
stats=build/fuzz/stats.txt
[ -e $stats ] || echo "# date target seconds executions crashes corpus" >$stats

# The first sanitizer or contract line of a log, for the FAIL line.
why() {
	grep -m1 -E 'ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|contract broken|ERROR: libFuzzer|deadly signal' "$1" |
		sed 's/^==[0-9]*==//' | head -c 300
}

for t in "${targets[@]}"; do
	bin=build/fuzz/bin/fuzz_$t
	if [ ! -x "$bin" ]; then
		fail "$t: no target $bin (tests/fuzz/fuzz_$t.c)"
		continue
	fi
	log=build/fuzz/logs/$t.log

	# Regression inputs: each runs once; any crash is a FAIL naming the file.
	shopt -s nullglob
	reg=(tests/fuzz/regress/"$t"/*)
	shopt -u nullglob
	if ((${#reg[@]})); then
		bad=()
		for r in "${reg[@]}"; do
			nice -n 10 "$bin" -runs=1 "$r" >"$log.regress" 2>&1 || bad+=("$r: $(why "$log.regress")")
		done
		if ((${#bad[@]})); then
			for b in "${bad[@]}"; do fail "$t: regression input crashes again: $b"; done
		else
			pass "$t: ${#reg[@]} regression inputs (former crashes) replay clean"
		fi
	fi

	work=build/fuzz/corpus/$t
	crashes=build/fuzz/crashes/$t
	mkdir -p "$work" "$crashes"
	before=$(find "$crashes" -type f | wc -l)
	nice -n 10 "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -max_len="$(max_len "$t")" \
		-print_final_stats=1 -artifact_prefix="$crashes/" "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	found=$(($(find "$crashes" -type f | wc -l) - before))
	corpus=$(find "$work" -type f | wc -l)
	echo "$(date -u +%FT%TZ) $t $seconds ${execs:-0} $((rc ? 1 : 0)) $corpus" >>$stats
	if ((rc != 0)); then
		art=$(ls -t "$crashes" | head -1)
		fail "$t: crash after ${execs:-?} executions: $(why "$log"); input $crashes/$art (fix it, then keep it under tests/fuzz/regress/$t/)"
		grep -E '^ *#[0-9]+ 0x' "$log" | head -n 8 | sed 's/^/    | /'
	elif [ -z "$execs" ] || ((execs < 100)); then
		fail "$t: only ${execs:-no} executions in ${seconds} s (see $log)"
	else
		pass "$t: $execs executions in $seconds s without a crash or broken contract ($corpus inputs in the corpus)"
	fi
	((found > 0 && rc == 0)) && fail "$t: $found new crash files in $crashes without a failing exit"
done
exit $((fails > 0))
