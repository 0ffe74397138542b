#!/usr/bin/env bash
# Measures resuming a cut-off seed: a full seed from empty, one cut off (SIGKILL) after a few seconds, the resume,
# then the same seed again over the complete table, plain and with --existing keep. Prints each step's peak RSS and
# wall time. Usage: tests/bench/seed-resume.sh [MEMBERS] [SALES] [CUT_AFTER_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
export MLM_DYNAMODB_PORT=${MLM_DYNAMODB_PORT:-8220} MLM_TABLE=seed_resume_bench
dotnet build -c Release --nologo -v quiet lib/Mlm.Workbook.Cli >/dev/null
cli="dotnet lib/Mlm.Workbook.Cli/bin/Release/net10.0/mlm.dll"
opts="--users ${1:-20000} --sales ${2:-4000}"
$cli dynamodb start >/dev/null
trap '$cli dynamodb stop >/dev/null' EXIT
measure() { local name=$1; shift; /usr/bin/time -f "$name: peak %M KB, %e s" $cli seed $opts "$@" 2>&1 | tr '\r' '\n' | grep -v '^\[' | tail -2; }
measure "full seed from empty" --existing reset
timeout -s KILL "${3:-20}" $cli seed $opts --existing reset >/dev/null 2>&1 || true
measure "resume after the cut"
measure "seed again, complete"
measure "seed again, --existing keep" --existing keep
