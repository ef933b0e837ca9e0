#!/bin/bash
# make test's share of the fuzzing (tests/fuzz/README.md): every libFuzzer
# target replays its regression inputs and fuzzes for a short budget
# (FUZZ_TEST_SECONDS, default 20 s each). `make fuzz` runs them longer.
cd "$(dirname "$0")/../.." || exit 1
exec tests/fuzz/run.sh --seconds "${FUZZ_TEST_SECONDS:-20}"
