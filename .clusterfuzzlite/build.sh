#!/bin/bash -eu
# Build every Gauge fuzz target and install it where ClusterFuzzLite / OSS-Fuzz look for it.
cd "$SRC/gauge/fuzz"
cargo fuzz build -O
for target in $(cargo fuzz list); do
  cp "target/x86_64-unknown-linux-gnu/release/$target" "$OUT/"
done
