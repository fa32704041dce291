#!/usr/bin/env bash
# Build the example contracts' committed .wasm files from their sources.
#
#   examples/contracts/build.sh
#
# Needs clang with the wasm32-wasi target and wasi-libc. On Debian 12:
#
#   apt-get install -y --no-install-recommends clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32
#
# The output is reproducible: the same compiler gives the same bytes. Only WebAssembly 1.0
# features are used (-mcpu=mvp), and the shadow stack comes first in memory so that a stack
# overflow traps instead of overwriting data.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

CC=${CC:-clang-16}
CFLAGS=(--target=wasm32-wasi -mcpu=mvp -O2 -Wall -Wextra -Werror
        -Wl,--strip-all -Wl,--stack-first -Wl,-z,stack-size=65536)

for src in *.c; do
    out="${src%.c}.wasm"
    "$CC" "${CFLAGS[@]}" "$src" -o "$out"
    echo "built $out ($(stat -c %s "$out") bytes, sha256 $(sha256sum "$out" | cut -c1-16)…)"
done
