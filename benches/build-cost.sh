#!/usr/bin/env bash
# Build cost (BENCHMARKS.md, "Build cost"): each case from a clean target directory in a
# fresh clone of this repository's HEAD, timed with /usr/bin/time (wall clock, and CPU time:
# user + sys of every process of the build). The load average before and after each case is
# printed beside it, because other work on the machine inflates the wall clock.
#
#   bash benches/build-cost.sh [work-dir]     (default: a new directory under /tmp)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d /tmp/notes-build-cost.XXXXXX)}"
git clone -q "$repo" "$work/ws"
cd "$work"
results="$work/results.tsv"
: > "$results"
m() { # label, command...
  local label=$1; shift
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  (cd ws && /usr/bin/time -f "%e %U %S" -o "$work/$label.time" "$@") > "$work/$label.log" 2>&1
  local wall user sys; read -r wall user sys < "$work/$label.time"
  printf '%s\twall %s s\tcpu %s s\tload %s -> %s\n' "$label" "$wall" \
    "$(echo "$user + $sys" | bc)" "$load" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$results"
}
m b-default env CARGO_TARGET_DIR="$work/t-b" cargo build -p notes-repo --timings
# The engine's table module (notes-memory/src/table.rs; notes-repo/src/memory/table.rs before
# the crates were split), touched and then edited.
table=notes-memory/src/table.rs
[ -f "ws/$table" ] || table=notes-repo/src/memory/table.rs
touch "ws/$table"
m d-touch env CARGO_TARGET_DIR="$work/t-b" cargo build -p notes-repo
sed -i 's/is missing or invalid)",/is missing or not valid)",/' "ws/$table"
m d-edit env CARGO_TARGET_DIR="$work/t-b" cargo build -p notes-repo
git -C ws checkout -q "$table"
m c-no-aws env CARGO_TARGET_DIR="$work/t-c" cargo build -p notes-repo --no-default-features
m f-rustls-ring env CARGO_TARGET_DIR="$work/t-f" cargo build -p notes-repo --no-default-features --features aws-rustls-ring --timings
m e-example-notes env CARGO_TARGET_DIR="$work/t-e" cargo run --example notes
# Client-side encryption (issue 29): the Database Encryption SDK, from clean; off by default.
if grep -q '^encryption = ' ws/notes-repo/Cargo.toml; then
  m i-encryption env CARGO_TARGET_DIR="$work/t-i" cargo build -p notes-repo --features encryption
fi
# (a) and the share of our own crates, from the (b) build's --timings report.
python3 - "$work"/t-b/cargo-timings/cargo-timing-2*.html <<'PY'
import json, re, sys
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);", open(sys.argv[1]).read(), re.S).group(1))
own = {"notes-repo", "notes-model", "notes-derive", "notes-core", "notes-memory", "notes-aws"}
end = lambda us: max(u["start"] + u["duration"] for u in us)
deps = [u for u in units if u["name"] not in own]
ours = sum(u["duration"] for u in units if u["name"] in own)
print(f"(a) dependencies end at {end(deps):.1f} s of {end(units):.1f} s; "
      f"unit time: dependencies {sum(u['duration'] for u in deps):.1f} s, ours {ours:.1f} s")
PY
