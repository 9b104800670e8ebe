#!/usr/bin/env bash
# Builds the fuzz targets on a stable toolchain: the coverage flags
# `cargo fuzz build -s none` passes, without nightly-only sanitizers.
# Usage: fuzz/build.sh  then  fuzz/target/x86_64-unknown-linux-gnu/release/<target> fuzz/corpus/<target>
# With nightly (or RUSTC_BOOTSTRAP=1) `cargo fuzz run <target>` works too.
set -euo pipefail
cd "$(dirname "$0")"
triple="$(rustc -vV | sed -n 's/^host: //p')"
export RUSTFLAGS="-Cpasses=sancov-module \
 -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
 -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares \
 --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
# --target keeps these flags off build scripts and proc-macros.
cargo build --release --locked --target "$triple" --bins "$@"
