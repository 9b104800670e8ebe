#!/usr/bin/env bash
# Dev-only (not run by CI): the clean test build of two commits, one after the
# other on this machine, each in a fresh detached worktree with a fresh target
# dir, then the rebuild after appending a line to one UI file. Prints one line
# per measurement and the load average; docs/benchmarks.md "Build time".
#
#   scripts/build_time.sh [BEFORE [AFTER]]   (default: 3290515, before the house, and HEAD)
#
# Needs ~20 GB free in $TMPDIR (or /tmp) and a quiet machine: every core is used.
set -euo pipefail
before=${1:-3290515}
after=${2:-HEAD}
repo=$(git rev-parse --show-toplevel)
base=$(mktemp -d "${TMPDIR:-/tmp}/mytype-build-time.XXXXXX")
cleanup() {
    for w in before after; do git -C "$repo" worktree remove --force "$base/$w" 2>/dev/null || true; done
    rm -rf "$base"
}
trap cleanup EXIT

build() { # DIR LABEL
    local start end
    start=$(date +%s.%N)
    (cd "$1" && CARGO_TARGET_DIR="$1/target" cargo test --all-targets --locked --no-run >"$1.log" 2>&1)
    end=$(date +%s.%N)
    printf '%-28s %7.1f s   load %s\n' "$2" "$(echo "$end - $start" | bc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}

for w in before after; do
    commit=$before
    [ "$w" = after ] && commit=$after
    git -C "$repo" worktree add --quiet --detach "$base/$w" "$commit"
    build "$base/$w" "$w ($(git -C "$repo" rev-parse --short "$commit")) clean"
done
for w in before after; do
    ui=$base/$w/src/ui/app.rs
    [ -f "$ui" ] || ui=$base/$w/src/ui/app/mod.rs
    echo "// touched" >>"$ui"
    build "$base/$w" "$w incremental (${ui#"$base/$w/"})"
done
