#!/usr/bin/env bash
# Builds Assay's fuzz targets (Fuzz/Sources, declared in Package.swift when ASSAY_FUZZ=1) with libFuzzer
# and AddressSanitizer, and runs one, several or all of them for a bounded time (docs/fuzzing.md).
#
#   scripts/fuzz.sh [--time SECONDS] [--build-only] [--no-build] [TARGET...]
#   scripts/fuzz.sh --list
#
# Each target starts from its committed seeds (Fuzz/Corpus/TARGET), copied into a working corpus under
# the scratch folder, so the seeds are never changed; what a run adds stays there for the next run.
# Exits 1 when any target found a crash, a trap, a hang (over --timeout seconds for one input) or ran out
# of memory, and prints the path of the input that did it. Environment: FUZZ_SCRATCH (build folder,
# default .build-fuzz; CI uses .build, whose dependencies `swift test` built), FUZZ_CONFIG (release or
# debug, default release), FUZZ_ARGS (more libFuzzer flags).
set -euo pipefail
cd "$(dirname "$0")/.."

# target | product | dictionary (Fuzz/Dictionaries)
TARGETS="
otlp-json|FuzzOTLPJSON|otlp-json
otlp-jsonl|FuzzOTLPJSONLines|otlp-json
otlp-proto|FuzzOTLPProto|otlp-proto
otlp-proto-span|FuzzOTLPProtoSpan|otlp-proto
collector-body|FuzzCollectorBody|otlp-json
dataset|FuzzDatasetLines|json-lines
feedback|FuzzFeedbackLines|json-lines
suite-yaml|FuzzSuiteYAML|yaml
scorer-yaml|FuzzScorerYAML|yaml
selector|FuzzSelector|selector
jsonpath|FuzzJSONPath|jsonpath
json-schema|FuzzJSONSchema|json-schema
"

seconds=60
timeout=10
build=1
run=1
chosen=()
while [ $# -gt 0 ]; do
    case "$1" in
        --time) seconds="$2"; shift 2 ;;
        --time=*) seconds="${1#--time=}"; shift ;;
        --timeout) timeout="$2"; shift 2 ;;
        --build-only) run=0; shift ;;
        --no-build) build=0; shift ;;
        --list) echo "$TARGETS" | awk -F'|' 'NF { print $1 "\t" $2 }'; exit 0 ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "fuzz.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
        *) chosen+=("$1"); shift ;;
    esac
done

row() { echo "$TARGETS" | awk -F'|' -v t="$1" '$1 == t'; }
if [ ${#chosen[@]} -eq 0 ]; then
    mapfile -t chosen < <(echo "$TARGETS" | awk -F'|' 'NF { print $1 }')
fi
for target in "${chosen[@]}"; do
    [ -n "$(row "$target")" ] || { echo "fuzz.sh: no target $target (see --list)" >&2; exit 2; }
done

scratch="${FUZZ_SCRATCH:-.build-fuzz}"
config="${FUZZ_CONFIG:-release}"
# Package.swift adds -sanitize=fuzzer,address to this package's targets when ASSAY_FUZZ=1.
flags=(-c "$config" --scratch-path "$scratch")

if [ "$build" = 1 ]; then
    started=$(date +%s)
    for target in "${chosen[@]}"; do
        product=$(row "$target" | cut -d'|' -f2)
        echo "== building $product ($config)"
        ASSAY_FUZZ=1 swift build "${flags[@]}" --product "$product"
    done
    echo "== built ${#chosen[@]} fuzz targets in $(( $(date +%s) - started )) s"
fi
[ "$run" = 1 ] || exit 0

bin=$(ASSAY_FUZZ=1 swift build "${flags[@]}" --show-bin-path)
work="$scratch/work"
export SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
failed=()
mkdir -p "$work"
printf '%-16s %8s %12s %8s %8s %8s  %s\n' target seconds executions exec/s cov ft result > "$work.summary"
for target in "${chosen[@]}"; do
    IFS='|' read -r name product dictionary <<< "$(row "$target")"
    corpus="$work/corpus/$name"
    findings="$work/findings/$name"
    log="$work/logs/$name.log"
    mkdir -p "$corpus" "$findings" "$(dirname "$log")"
    cp -R "Fuzz/Corpus/$name/." "$corpus/"
    echo "== fuzzing $name for $seconds s (log: $log)"
    status=0
    # shellcheck disable=SC2086
    "$bin/$product" "$corpus" -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 \
        -dict="Fuzz/Dictionaries/$dictionary.dict" -artifact_prefix="$findings/" -print_final_stats=1 \
        ${FUZZ_ARGS:-} > "$log" 2>&1 || status=$?
    # A crash while loading the seeds leaves no coverage line: each figure may be missing.
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$( (grep -o 'cov: [0-9]*' "$log" || true) | tail -1 | cut -d' ' -f2)
    ft=$( (grep -o 'ft: [0-9]*' "$log" || true) | tail -1 | cut -d' ' -f2)
    if [ "$status" = 0 ]; then
        result=ok
    else
        artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
        result="FINDING (exit $status): ${artifact:-see $log}"
        failed+=("$name")
        (grep -m 3 -E 'ERROR: |Fatal error|fuzz check failed' "$log" || true) | sed 's/^/    /'
        echo "    crashing input: ${artifact:-(none written; see $log)}"
    fi
    printf '%-16s %8s %12s %8s %8s %8s  %s\n' "$name" "$seconds" "${executions:--}" "${speed:--}" "${cov:--}" "${ft:--}" "$result" \
        | tee -a "$work.summary"
done
echo "== summary ($work.summary)"
cat "$work.summary"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz.sh: findings in ${failed[*]}; reproduce with: $bin/PRODUCT INPUT (docs/fuzzing.md)" >&2
    exit 1
fi
