//! Gauge's own micro kernels (`bench/kernels/*.wat`) and their reference results.
//!
//! Each kernel exports `run(n: i32) -> i64`. Its expected result is computed here by a plain
//! Rust transcription of the same algorithm, so a kernel checks itself on every engine
//! without a recorded golden value.

use crate::engines::Val;

/// Input sizes of one benchmark case for the three run modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    /// Full benchmark run (each repetition should take about 0.2–1 s on Gauge).
    pub full: i64,
    /// `--quick` (one short repetition, CI smoke).
    pub quick: i64,
    /// The `tests/smoke.rs` test (tiny, also fine in debug builds).
    pub smoke: i64,
}

/// A micro kernel written for this project.
#[derive(Debug, Clone, Copy)]
pub struct Kernel {
    /// Case name (also the file stem in `bench/kernels/`).
    pub name: &'static str,
    /// What the kernel stresses, one line.
    pub about: &'static str,
    /// The WebAssembly text.
    pub wat: &'static str,
    /// The argument `n` passed to `run`.
    pub sizes: Sizes,
    /// The reference implementation: the result `run(n)` must return.
    pub reference: fn(i32) -> i64,
}

impl Kernel {
    /// The kernel as a binary module.
    pub fn wasm(&self) -> Vec<u8> {
        wat::parse_str(self.wat)
            .unwrap_or_else(|e| panic!("kernel {} does not parse: {e}", self.name))
    }

    /// The expected result of `run(n)`.
    pub fn expected(&self, n: i32) -> Val {
        Val::I64((self.reference)(n))
    }
}

/// All kernels, in report order.
pub const KERNELS: &[Kernel] = &[
    Kernel {
        name: "fib",
        about: "recursive fib(n): calls and returns",
        wat: include_str!("../kernels/fib.wat"),
        sizes: Sizes {
            full: 30,
            quick: 24,
            smoke: 15,
        },
        reference: fib,
    },
    Kernel {
        name: "int_loop",
        about: "tight i32/i64 ALU loop (LCG, xor, shift, rotate)",
        wat: include_str!("../kernels/int_loop.wat"),
        sizes: Sizes {
            full: 10_000_000,
            quick: 2_000_000,
            smoke: 1_000,
        },
        reference: int_loop,
    },
    Kernel {
        name: "memory",
        about: "1 MiB array: n passes of 2 loads, 1 byte load, 1 store per word",
        wat: include_str!("../kernels/memory.wat"),
        sizes: Sizes {
            full: 20,
            quick: 4,
            smoke: 1,
        },
        reference: memory,
    },
    Kernel {
        name: "call_indirect",
        about: "call_indirect through an 8-entry table every iteration",
        wat: include_str!("../kernels/call_indirect.wat"),
        sizes: Sizes {
            full: 4_000_000,
            quick: 1_000_000,
            smoke: 1_000,
        },
        reference: call_indirect,
    },
    Kernel {
        name: "br_table",
        about: "8-way br_table dispatch loop (interpreter shape)",
        wat: include_str!("../kernels/br_table.wat"),
        sizes: Sizes {
            full: 6_000_000,
            quick: 2_000_000,
            smoke: 1_000,
        },
        reference: br_table,
    },
    Kernel {
        name: "float",
        about: "f64 mul/add/div/sqrt/min/max, conversions, an f32 filter",
        wat: include_str!("../kernels/float.wat"),
        sizes: Sizes {
            full: 5_000_000,
            quick: 1_000_000,
            smoke: 1_000,
        },
        reference: float,
    },
];

fn lcg(x: u32) -> u32 {
    x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223)
}

fn fib(n: i32) -> i64 {
    let (mut a, mut b) = (0i64, 1i64);
    for _ in 0..n {
        (a, b) = (b, a.wrapping_add(b));
    }
    a
}

fn int_loop(n: i32) -> i64 {
    let n = n as u32;
    let (mut x, mut acc) = (12_345u32, 0u64);
    for i in 0..n {
        x = lcg(x);
        acc = acc.wrapping_add(u64::from((x >> 7) ^ i));
        acc = acc.rotate_left(3);
    }
    acc as i64
}

fn memory(n: i32) -> i64 {
    const LEN: usize = 1 << 20;
    let mut mem = vec![0u8; LEN];
    let word =
        |mem: &[u8], p: usize| u32::from_le_bytes([mem[p], mem[p + 1], mem[p + 2], mem[p + 3]]);
    for p in (0..LEN).step_by(4) {
        let v = ((p >> 2) as u32).wrapping_mul(2_654_435_761);
        mem[p..p + 4].copy_from_slice(&v.to_le_bytes());
    }
    for _ in 0..n.max(0) {
        for p in (4..LEN).step_by(4) {
            let v = word(&mem, p).wrapping_add((word(&mem, p - 4) >> 3) ^ u32::from(mem[p >> 2]));
            mem[p..p + 4].copy_from_slice(&v.to_le_bytes());
        }
    }
    let mut acc = 0u64;
    for chunk in mem.chunks_exact(8) {
        let mut b = [0u8; 8];
        b.copy_from_slice(chunk);
        acc = acc.wrapping_add(u64::from_le_bytes(b));
    }
    acc as i64
}

fn call_indirect(n: i32) -> i64 {
    let n = n as u32;
    let (mut x, mut acc) = (1u32, 7u32);
    for _ in 0..n {
        x = lcg(x);
        let y = x;
        acc = match x >> 29 {
            0 => acc.wrapping_add(y),
            1 => acc.wrapping_sub(y),
            2 => acc ^ y,
            3 => acc.wrapping_mul(y | 1),
            4 => acc.rotate_left(y % 32),
            5 => acc.wrapping_add(y & 0xff),
            6 => (acc >> 1) | (y << 31),
            _ => acc.wrapping_mul(0x9e37_79b1) ^ y,
        };
    }
    i64::from(acc)
}

fn br_table(n: i32) -> i64 {
    let n = n as u32;
    let (mut x, mut acc) = (99u32, 0u64);
    for i in 0..n {
        x = lcg(x);
        acc = match x >> 29 {
            0 => acc.wrapping_add(u64::from(x)),
            1 => acc ^ (x as i32 as i64 as u64),
            2 => acc.rotate_left(7),
            3 => acc.wrapping_mul(0x0100_0000_01b3),
            4 => acc.wrapping_sub(u64::from(i)),
            5 => acc ^ (acc >> 13),
            6 => acc.wrapping_add(0x9e37_79b9_7f4a_7c15),
            _ => acc.wrapping_neg(),
        };
    }
    acc as i64
}

fn float(n: i32) -> i64 {
    let n = n as u32;
    let (mut x, mut s, mut y) = (0.5f64, 0.0f64, 0.25f32);
    for i in 0..n {
        let fi = f64::from(i);
        x = 1e-9f64.max(0.999_999_999f64.min((3.7 * x) * (1.0 - x)));
        s += fi.sqrt() / (1.0 + 0.5 * fi) + x;
        y = y * 0.999 + 0.001 * (x as f32);
    }
    (s + f64::from(y)).to_bits() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_sane() {
        assert_eq!(fib(30), 832_040);
        assert_eq!(int_loop(0), 0);
        assert_ne!(call_indirect(10), 7);
        assert!(f64::from_bits(float(1000) as u64).is_finite());
    }
}
