#!/usr/bin/env bash
# The ratio table of the callgrind bench: each case's instruction count (Ir) over its
# baseline's, read from the callgrind files of the last run of
# `cargo bench -p notes-benches --bench callgrind`.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${CARGO_TARGET_DIR:-target}/gungraun/notes-benches/callgrind/harness"

ir() { # group, function.id: the sum over the threads' files (a case that starts threads, such
    # as the end-to-end rows' HTTP client, has one file per thread; only its own thread counts)
    local files=("$dir/$1/$2/callgrind.$2.out" "$dir/$1/$2/callgrind.$2".t*.out)
    files=($(ls "${files[@]}" 2>/dev/null || true))
    [[ ${#files[@]} -gt 0 ]] || { echo "no run of $1/$2 in $dir" >&2; exit 1; }
    awk '/^summary:/ { sum += $2 } END { print sum }' "${files[@]}"
}

echo "| case | Ir | baseline | baseline Ir | ratio |"
echo "| --- | --- | --- | --- | --- |"
while read -r label group case baseline; do
    a=$(ir "$group" "$case")
    b=$(ir "$group" "$baseline")
    awk -v l="$label" -v c="$case" -v b="$baseline" -v x="$a" -v y="$b" \
        'BEGIN { gsub(/_/, " ", l); printf "| %s | %d | %s | %d | %.3fx |\n", l, x, b, y, x / y }'
done <<'ROWS'
to_item:_SDK_vs_hand-written conversion sdk_to_item.to_item hand_written_to_item.to_item
from_item:_SDK_vs_hand-written conversion sdk_from_item.from_item hand_written_from_item.from_item
round_trip:_SDK_vs_hand-written conversion sdk_round_trip.round_trip hand_written_round_trip.round_trip
templated_entity:_SDK_vs_hand-written conversion sdk_entity.entity hand_written_entity.entity
get,_n_=_10^5:_MemoryBackend_vs_BTreeMap memory_backend memory_backend_get.get floor_get.get
put,_n_=_10^5:_MemoryBackend_vs_BTreeMap memory_backend memory_backend_put.put floor_put.put
query_100,_n_=_10^5:_MemoryBackend_vs_BTreeMap memory_backend memory_backend_query_100.query floor_query_100.query
query_100,_n_=_10^5:_typed_Repo_vs_BTreeMap memory_backend typed_repo_query_100.query floor_query_100.query
get:_typed_Repo_vs_raw_SDK,_same_server end_to_end typed_sdk_get.get raw_sdk_get.get
put:_typed_Repo_vs_raw_SDK,_same_server end_to_end typed_sdk_put.put raw_sdk_put.put
query_100:_typed_Repo_vs_raw_SDK,_same_server end_to_end typed_sdk_query_100.query raw_sdk_query_100.query
ROWS
