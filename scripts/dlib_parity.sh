#!/usr/bin/env bash
# Dev-only (not run by CI): builds dlib's own shape_predictor as a small C++ program,
# then checks the pure-Rust port against it (ignored test `parity_with_dlib_cpp`) and,
# with --bench, times both on the same face.
#
# Needs: apt-get install -y libdlib-dev libdlib-data g++
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
out="$target/dlibref"
mkdir -p "$out"
libdir=/usr/lib/x86_64-linux-gnu
# Debian's dlib-1.pc names libblas.so/liblapack.so, which only the -dev packages of
# BLAS/LAPACK provide; the runtime .so.3 files are enough to link.
g++ -O2 -std=c++14 -o "$out/dlib_landmarks" scripts/dlib_landmarks.cpp \
  -ldlib -lpthread -lpng -ljpeg -lz "$libdir/libblas.so.3" "$libdir/liblapack.so.3"
export DLIB_LANDMARKS_BIN="$PWD/$out/dlib_landmarks"
cargo test --release --test it landmarks -- --ignored parity_with_dlib_cpp --nocapture
if [ "${1:-}" = "--bench" ]; then
  cargo bench --bench landmarks
fi
