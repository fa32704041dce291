//! Pure numeric semantics of the WebAssembly 2.0 numeric instructions.
//!
//! Every function here implements exactly one instruction (MVP, sign-extension and
//! non-trapping float-to-int conversions) and is named after it, with `.` replaced by `_`.
//!
//! Conventions:
//!
//! * Integer operands and results use the Wasm value representation: `i32` / `i64`. Unsigned
//!   instructions (`div_u`, `lt_u`, `trunc_f32_u`, `convert_i32_u`, ...) reinterpret the bits
//!   as `u32` / `u64` internally, and return unsigned results as the same bits in `i32` / `i64`.
//! * Tests and comparisons (`eqz`, `eq`, `lt_s`, `f32_lt`, ...) return `bool`; the caller turns it
//!   into the Wasm `i32` result `0` or `1`.
//! * Trapping instructions return `Result<_, TrapCode>`.
//! * Determinism: every arithmetic float operation whose result is NaN returns the canonical NaN
//!   ([`CANON_F32`] / [`CANON_F64`]: positive, quiet, zero payload), whatever the host hardware
//!   produced. Bit-level operations (`neg`, `abs`, `copysign`, reinterpretations) keep every bit,
//!   NaN payloads included.

use crate::TrapCode;

/// Bits of the canonical `f32` NaN: positive, quiet, zero payload.
pub const CANON_F32: u32 = 0x7fc0_0000;
/// Bits of the canonical `f64` NaN: positive, quiet, zero payload.
pub const CANON_F64: u64 = 0x7ff8_0000_0000_0000;

const F32_SIGN: u32 = 0x8000_0000;
const F64_SIGN: u64 = 0x8000_0000_0000_0000;

// NaN tests and NaN canonicalization are done on the bits, on purpose. LLVM treats the bits of
// a NaN produced by a float operation as unspecified, and folds float-typed selects accordingly:
// on x86-64, `if r.is_nan() { CANON } else { r }` with `r = a.sqrt()` compiles (in release
// builds) to a bare `sqrtss`, returning the hardware's negative default NaN. Selecting in the
// integer domain keeps the canonicalization. On x86-64, `canon_f32` and `canon_f64` test in
// assembly instead, which LLVM cannot fold either, in fewer instructions. The unit tests run
// these paths with `black_box`ed operands; run them in release mode too.

/// Whether `bits` encode an `f32` NaN (either sign, quiet or signalling).
#[inline]
// The portable way: x86-64 tests in assembly (see `canon_f32`); the tests run it there too.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn f32_bits_are_nan(bits: u32) -> bool {
    // Shifting the sign out is `bits & !F32_SIGN > 0x7f80_0000` in fewer instructions.
    bits << 1 > 0xff00_0000
}

/// Whether `bits` encode an `f64` NaN (either sign, quiet or signalling).
#[inline]
// The portable way: x86-64 tests in assembly (see `canon_f32`); the tests run it there too.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn f64_bits_are_nan(bits: u64) -> bool {
    // As for `f32_bits_are_nan`: one 64-bit constant fewer than masking the sign.
    bits << 1 > 0xffe0_0000_0000_0000
}

/// The body of [`canon_f32`] and [`canon_f64`] on x86-64: compare `$x` with itself with
/// `$compare` and, when they are unordered (a NaN), load `$canon` into it with `$load`.
#[cfg(target_arch = "x86_64")]
macro_rules! canon_asm {
    ($x:ident, $compare:literal, $load:literal, $size:literal, $canon:ident) => {{
        let mut x = $x;
        // SAFETY: compares a float register with itself and, when they are unordered, loads
        // the static `$canon` (of the float's size) into it; nothing else is read or written,
        // the stack is untouched, and only the flags are clobbered (not declared preserved).
        unsafe {
            core::arch::asm!(
                concat!($compare, " {x}, {x}"),
                "jnp 2f",
                concat!($load, " {x}, ", $size, " ptr [rip + {canon}]"),
                "2:",
                x = inout(xmm_reg) x,
                canon = sym $canon,
                options(pure, readonly, nostack),
            );
        }
        x
    }};
}

/// Returns `x`, or the canonical `f32` NaN if `x` is any NaN.
///
/// A NaN is rare, so the test is a branch, not a select: a select would put a move to an
/// integer register, a compare and a `cmov` between the operation and the store of its
/// result, on the critical path of every chain of float operations. The branch is predicted
/// and the result is stored straight from the float register.
///
/// On x86-64 the test is the float compare of `x` with itself (unordered exactly when `x` is
/// a NaN) and a jump over the load of the canonical NaN, written out in assembly: two
/// instructions on the way taken, where the test on the bits takes five (a move to an integer
/// register, a shift, a 64-bit constant, a compare and a jump), on every float operation of
/// every handler. Written in Rust, LLVM would fold it away (see above).
#[inline]
pub fn canon_f32(x: f32) -> f32 {
    #[cfg(target_arch = "x86_64")]
    {
        canon_asm!(x, "ucomiss", "movss", "dword", CANON_F32_BITS)
    }
    #[cfg(not(target_arch = "x86_64"))]
    if f32_bits_are_nan(x.to_bits()) {
        canonical_nan_f32()
    } else {
        x
    }
}

/// Returns `x`, or the canonical `f64` NaN if `x` is any NaN (a branch, as in [`canon_f32`]).
#[inline]
pub fn canon_f64(x: f64) -> f64 {
    #[cfg(target_arch = "x86_64")]
    {
        canon_asm!(x, "ucomisd", "movsd", "qword", CANON_F64_BITS)
    }
    #[cfg(not(target_arch = "x86_64"))]
    if f64_bits_are_nan(x.to_bits()) {
        canonical_nan_f64()
    } else {
        x
    }
}

/// The canonical `f32` NaN in memory, for [`canon_f32`]'s assembly.
#[cfg(target_arch = "x86_64")]
static CANON_F32_BITS: u32 = CANON_F32;
/// The canonical `f64` NaN in memory, for [`canon_f64`]'s assembly.
#[cfg(target_arch = "x86_64")]
static CANON_F64_BITS: u64 = CANON_F64;

/// The canonical `f32` NaN: the rare way of [`canon_f32`], marked cold.
#[cold]
#[inline(never)]
// The portable way: x86-64 tests in assembly (see `canon_f32`); the tests run it there too.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn canonical_nan_f32() -> f32 {
    f32::from_bits(CANON_F32)
}

/// The canonical `f64` NaN: the rare way of [`canon_f64`], marked cold.
#[cold]
#[inline(never)]
// The portable way: x86-64 tests in assembly (see `canon_f32`); the tests run it there too.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn canonical_nan_f64() -> f64 {
    f64::from_bits(CANON_F64)
}

// ---------------------------------------------------------------------------
// i32 integer operations
// ---------------------------------------------------------------------------

/// `i32.eqz`: whether `a` is zero.
#[inline]
pub fn i32_eqz(a: i32) -> bool {
    a == 0
}

/// `i32.eq`: `a == b`.
#[inline]
pub fn i32_eq(a: i32, b: i32) -> bool {
    a == b
}

/// `i32.ne`: `a != b`.
#[inline]
pub fn i32_ne(a: i32, b: i32) -> bool {
    a != b
}

/// `i32.lt_s`: `a < b`, operands read as signed.
#[inline]
pub fn i32_lt_s(a: i32, b: i32) -> bool {
    a < b
}

/// `i32.lt_u`: `a < b`, operands read as unsigned.
#[inline]
pub fn i32_lt_u(a: i32, b: i32) -> bool {
    (a as u32) < (b as u32)
}

/// `i32.gt_s`: `a > b`, operands read as signed.
#[inline]
pub fn i32_gt_s(a: i32, b: i32) -> bool {
    a > b
}

/// `i32.gt_u`: `a > b`, operands read as unsigned.
#[inline]
pub fn i32_gt_u(a: i32, b: i32) -> bool {
    (a as u32) > (b as u32)
}

/// `i32.le_s`: `a <= b`, operands read as signed.
#[inline]
pub fn i32_le_s(a: i32, b: i32) -> bool {
    a <= b
}

/// `i32.le_u`: `a <= b`, operands read as unsigned.
#[inline]
pub fn i32_le_u(a: i32, b: i32) -> bool {
    (a as u32) <= (b as u32)
}

/// `i32.ge_s`: `a >= b`, operands read as signed.
#[inline]
pub fn i32_ge_s(a: i32, b: i32) -> bool {
    a >= b
}

/// `i32.ge_u`: `a >= b`, operands read as unsigned.
#[inline]
pub fn i32_ge_u(a: i32, b: i32) -> bool {
    (a as u32) >= (b as u32)
}

/// `i32.clz`: number of leading zero bits (`32` for zero).
#[inline]
pub fn i32_clz(a: i32) -> i32 {
    a.leading_zeros() as i32
}

/// `i32.ctz`: number of trailing zero bits (`32` for zero).
#[inline]
pub fn i32_ctz(a: i32) -> i32 {
    a.trailing_zeros() as i32
}

/// `i32.popcnt`: number of one bits.
#[inline]
pub fn i32_popcnt(a: i32) -> i32 {
    a.count_ones() as i32
}

/// `i32.add`: wrapping (modulo 2^32) add.
#[inline]
pub fn i32_add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

/// `i32.sub`: wrapping (modulo 2^32) sub.
#[inline]
pub fn i32_sub(a: i32, b: i32) -> i32 {
    a.wrapping_sub(b)
}

/// `i32.mul`: wrapping (modulo 2^32) mul.
#[inline]
pub fn i32_mul(a: i32, b: i32) -> i32 {
    a.wrapping_mul(b)
}

/// `i32.div_s`: signed division rounding toward zero.
///
/// Traps with [`TrapCode::IntegerDivisionByZero`] if `b == 0` and with
/// [`TrapCode::IntegerOverflow`] for `i32::MIN / -1`.
#[inline]
pub fn i32_div_s(a: i32, b: i32) -> Result<i32, TrapCode> {
    if b == 0 {
        return Err(TrapCode::IntegerDivisionByZero);
    }
    a.checked_div(b).ok_or(TrapCode::IntegerOverflow)
}

/// `i32.div_u`: unsigned division. Traps with [`TrapCode::IntegerDivisionByZero`] if `b == 0`.
#[inline]
pub fn i32_div_u(a: i32, b: i32) -> Result<i32, TrapCode> {
    if b == 0 {
        return Err(TrapCode::IntegerDivisionByZero);
    }
    Ok(((a as u32) / (b as u32)) as i32)
}

/// `i32.rem_s`: signed remainder, with the sign of the dividend.
///
/// Traps with [`TrapCode::IntegerDivisionByZero`] if `b == 0`; `i32::MIN rem -1` is `0`.
#[inline]
pub fn i32_rem_s(a: i32, b: i32) -> Result<i32, TrapCode> {
    if b == 0 {
        return Err(TrapCode::IntegerDivisionByZero);
    }
    Ok(a.wrapping_rem(b))
}

/// `i32.rem_u`: unsigned remainder. Traps with [`TrapCode::IntegerDivisionByZero`] if `b == 0`.
#[inline]
pub fn i32_rem_u(a: i32, b: i32) -> Result<i32, TrapCode> {
    if b == 0 {
        return Err(TrapCode::IntegerDivisionByZero);
    }
    Ok(((a as u32) % (b as u32)) as i32)
}

/// `i32.and`: bitwise and.
#[inline]
pub fn i32_and(a: i32, b: i32) -> i32 {
    a & b
}

/// `i32.or`: bitwise or.
#[inline]
pub fn i32_or(a: i32, b: i32) -> i32 {
    a | b
}

/// `i32.xor`: bitwise xor.
#[inline]
pub fn i32_xor(a: i32, b: i32) -> i32 {
    a ^ b
}

/// `i32.shl`: shift left by `b` modulo 32.
#[inline]
pub fn i32_shl(a: i32, b: i32) -> i32 {
    a.wrapping_shl(b as u32)
}

/// `i32.shr_s`: arithmetic (sign-filling) shift right by `b` modulo 32.
#[inline]
pub fn i32_shr_s(a: i32, b: i32) -> i32 {
    a.wrapping_shr(b as u32)
}

/// `i32.shr_u`: logical (zero-filling) shift right by `b` modulo 32.
#[inline]
pub fn i32_shr_u(a: i32, b: i32) -> i32 {
    (a as u32).wrapping_shr(b as u32) as i32
}

/// `i32.rotl`: rotate left by `b` modulo 32.
#[inline]
pub fn i32_rotl(a: i32, b: i32) -> i32 {
    a.rotate_left((b as u32) % 32)
}

/// `i32.rotr`: rotate right by `b` modulo 32.
#[inline]
pub fn i32_rotr(a: i32, b: i32) -> i32 {
    a.rotate_right((b as u32) % 32)
}

/// `i32.extend8_s`: sign-extend the low 8 bits of `a`.
#[inline]
pub fn i32_extend8_s(a: i32) -> i32 {
    a as i8 as i32
}

/// `i32.extend16_s`: sign-extend the low 16 bits of `a`.
#[inline]
pub fn i32_extend16_s(a: i32) -> i32 {
    a as i16 as i32
}

// ---------------------------------------------------------------------------
// i64 integer operations
// ---------------------------------------------------------------------------

/// `i64.eqz`: whether `a` is zero.
#[inline]
pub fn i64_eqz(a: i64) -> bool {
    a == 0
}

/// `i64.eq`: `a == b`.
#[inline]
pub fn i64_eq(a: i64, b: i64) -> bool {
    a == b
}

/// `i64.ne`: `a != b`.
#[inline]
pub fn i64_ne(a: i64, b: i64) -> bool {
    a != b
}

/// `i64.lt_s`: `a < b`, operands read as signed.
#[inline]
pub fn i64_lt_s(a: i64, b: i64) -> bool {
    a < b
}

/// `i64.lt_u`: `a < b`, operands read as unsigned.
#[inline]
pub fn i64_lt_u(a: i64, b: i64) -> bool {
    (a as u64) < (b as u64)
}

/// `i64.gt_s`: `a > b`, operands read as signed.
#[inline]
pub fn i64_gt_s(a: i64, b: i64) -> bool {
    a > b
}

/// `i64.gt_u`: `a > b`, operands read as unsigned.
#[inline]
pub fn i64_gt_u(a: i64, b: i64) -> bool {
    (a as u64) > (b as u64)
}

/// `i64.le_s`: `a <= b`, operands read as signed.
#[inline]
pub fn i64_le_s(a: i64, b: i64) -> bool {
    a <= b
}

/// `i64.le_u`: `a <= b`, operands read as unsigned.
#[inline]
pub fn i64_le_u(a: i64, b: i64) -> bool {
    (a as u64) <= (b as u64)
}

/// `i64.ge_s`: `a >= b`, operands read as signed.
#[inline]
pub fn i64_ge_s(a: i64, b: i64) -> bool {
    a >= b
}

/// `i64.ge_u`: `a >= b`, operands read as unsigned.
#[inline]
pub fn i64_ge_u(a: i64, b: i64) -> bool {
    (a as u64) >= (b as u64)
}

/// `i64.clz`: number of leading zero bits (`64` for zero).
#[inline]
pub fn i64_clz(a: i64) -> i64 {
    a.leading_zeros() as i64
}

/// `i64.ctz`: number of trailing zero bits (`64` for zero).
#[inline]
pub fn i64_ctz(a: i64) -> i64 {
    a.trailing_zeros() as i64
}

/// `i64.popcnt`: number of one bits.
#[inline]
pub fn i64_popcnt(a: i64) -> i64 {
    a.count_ones() as i64
}

/// `i64.add`: wrapping (modulo 2^64) add.
#[inline]
pub fn i64_add(a: i64, b: i64) -> i64 {
    a.wrapping_add(b)
}

/// `i64.sub`: wrapping (modulo 2^64) sub.
#[inline]
pub fn i64_sub(a: i64, b: i64) -> i64 {
    a.wrapping_sub(b)
}

/// `i64.mul`: wrapping (modulo 2^64) mul.
#[inline]
pub fn i64_mul(a: i64, b: i64) -> i64 {
    a.wrapping_mul(b)
}

/// `i64.div_s`: signed division rounding toward zero.
///
/// Traps with [`TrapCode::IntegerDivisionByZero`] if `b == 0` and with
/// [`TrapCode::IntegerOverflow`] for `i64::MIN / -1`.
#[inline]
pub fn i64_div_s(a: i64, b: i64) -> Result<i64, TrapCode> {
    if b == 0 {
        return Err(TrapCode::IntegerDivisionByZero);
    }
    a.checked_div(b).ok_or(TrapCode::IntegerOverflow)
}

/// `i64.div_u`: unsigned division. Traps with [`TrapCode::IntegerDivisionByZero`] if `b == 0`.
#[inline]
pub fn i64_div_u(a: i64, b: i64) -> Result<i64, TrapCode> {
    if b == 0 {
        return Err(TrapCode::IntegerDivisionByZero);
    }
    Ok(((a as u64) / (b as u64)) as i64)
}

/// `i64.rem_s`: signed remainder, with the sign of the dividend.
///
/// Traps with [`TrapCode::IntegerDivisionByZero`] if `b == 0`; `i64::MIN rem -1` is `0`.
#[inline]
pub fn i64_rem_s(a: i64, b: i64) -> Result<i64, TrapCode> {
    if b == 0 {
        return Err(TrapCode::IntegerDivisionByZero);
    }
    Ok(a.wrapping_rem(b))
}

/// `i64.rem_u`: unsigned remainder. Traps with [`TrapCode::IntegerDivisionByZero`] if `b == 0`.
#[inline]
pub fn i64_rem_u(a: i64, b: i64) -> Result<i64, TrapCode> {
    if b == 0 {
        return Err(TrapCode::IntegerDivisionByZero);
    }
    Ok(((a as u64) % (b as u64)) as i64)
}

/// `i64.and`: bitwise and.
#[inline]
pub fn i64_and(a: i64, b: i64) -> i64 {
    a & b
}

/// `i64.or`: bitwise or.
#[inline]
pub fn i64_or(a: i64, b: i64) -> i64 {
    a | b
}

/// `i64.xor`: bitwise xor.
#[inline]
pub fn i64_xor(a: i64, b: i64) -> i64 {
    a ^ b
}

/// `i64.shl`: shift left by `b` modulo 64.
#[inline]
pub fn i64_shl(a: i64, b: i64) -> i64 {
    a.wrapping_shl(b as u32)
}

/// `i64.shr_s`: arithmetic (sign-filling) shift right by `b` modulo 64.
#[inline]
pub fn i64_shr_s(a: i64, b: i64) -> i64 {
    a.wrapping_shr(b as u32)
}

/// `i64.shr_u`: logical (zero-filling) shift right by `b` modulo 64.
#[inline]
pub fn i64_shr_u(a: i64, b: i64) -> i64 {
    (a as u64).wrapping_shr(b as u32) as i64
}

/// `i64.rotl`: rotate left by `b` modulo 64.
#[inline]
pub fn i64_rotl(a: i64, b: i64) -> i64 {
    a.rotate_left((b as u32) % 64)
}

/// `i64.rotr`: rotate right by `b` modulo 64.
#[inline]
pub fn i64_rotr(a: i64, b: i64) -> i64 {
    a.rotate_right((b as u32) % 64)
}

/// `i64.extend8_s`: sign-extend the low 8 bits of `a`.
#[inline]
pub fn i64_extend8_s(a: i64) -> i64 {
    a as i8 as i64
}

/// `i64.extend16_s`: sign-extend the low 16 bits of `a`.
#[inline]
pub fn i64_extend16_s(a: i64) -> i64 {
    a as i16 as i64
}

/// `i64.extend32_s`: sign-extend the low 32 bits of `a`.
#[inline]
pub fn i64_extend32_s(a: i64) -> i64 {
    a as i32 as i64
}

// ---------------------------------------------------------------------------
// f32 float operations
// ---------------------------------------------------------------------------

/// `f32.eq`: IEEE 754 `a == b` (false if either operand is NaN).
#[inline]
pub fn f32_eq(a: f32, b: f32) -> bool {
    a == b
}

/// `f32.ne`: IEEE 754 `a != b` (true if either operand is NaN).
#[inline]
pub fn f32_ne(a: f32, b: f32) -> bool {
    a != b
}

/// `f32.lt`: IEEE 754 `a < b` (false if either operand is NaN).
#[inline]
pub fn f32_lt(a: f32, b: f32) -> bool {
    a < b
}

/// `f32.gt`: IEEE 754 `a > b` (false if either operand is NaN).
#[inline]
pub fn f32_gt(a: f32, b: f32) -> bool {
    a > b
}

/// `f32.le`: IEEE 754 `a <= b` (false if either operand is NaN).
#[inline]
pub fn f32_le(a: f32, b: f32) -> bool {
    a <= b
}

/// `f32.ge`: IEEE 754 `a >= b` (false if either operand is NaN).
#[inline]
pub fn f32_ge(a: f32, b: f32) -> bool {
    a >= b
}

/// `f32.abs`: clears the sign bit; every other bit (NaN payload included) is kept.
#[inline]
pub fn f32_abs(a: f32) -> f32 {
    f32::from_bits(a.to_bits() & !F32_SIGN)
}

/// `f32.neg`: flips the sign bit; every other bit (NaN payload included) is kept.
#[inline]
pub fn f32_neg(a: f32) -> f32 {
    f32::from_bits(a.to_bits() ^ F32_SIGN)
}

/// `f32.copysign`: the magnitude bits of `a` with the sign bit of `b` (pure bit operation).
#[inline]
pub fn f32_copysign(a: f32, b: f32) -> f32 {
    f32::from_bits((a.to_bits() & !F32_SIGN) | (b.to_bits() & F32_SIGN))
}

/// `f32.ceil`: round toward positive infinity; a NaN result is canonical.
#[inline]
pub fn f32_ceil(a: f32) -> f32 {
    canon_f32(a.ceil())
}

/// `f32.floor`: round toward negative infinity; a NaN result is canonical.
#[inline]
pub fn f32_floor(a: f32) -> f32 {
    canon_f32(a.floor())
}

/// `f32.trunc`: round toward zero; a NaN result is canonical.
#[inline]
pub fn f32_trunc(a: f32) -> f32 {
    canon_f32(a.trunc())
}

/// `f32.nearest`: round to nearest integer, ties to even; a NaN result is canonical.
#[inline]
pub fn f32_nearest(a: f32) -> f32 {
    canon_f32(a.round_ties_even())
}

/// `f32.sqrt`: square root; a NaN result is canonical.
#[inline]
pub fn f32_sqrt(a: f32) -> f32 {
    canon_f32(a.sqrt())
}

/// `f32.add`: IEEE 754 `a + b` (round to nearest even); a NaN result is canonical.
#[inline]
pub fn f32_add(a: f32, b: f32) -> f32 {
    canon_f32(a + b)
}

/// `f32.sub`: IEEE 754 `a - b` (round to nearest even); a NaN result is canonical.
#[inline]
pub fn f32_sub(a: f32, b: f32) -> f32 {
    canon_f32(a - b)
}

/// `f32.mul`: IEEE 754 `a * b` (round to nearest even); a NaN result is canonical.
#[inline]
pub fn f32_mul(a: f32, b: f32) -> f32 {
    canon_f32(a * b)
}

/// `f32.div`: IEEE 754 `a / b` (round to nearest even); a NaN result is canonical.
#[inline]
pub fn f32_div(a: f32, b: f32) -> f32 {
    canon_f32(a / b)
}

/// `f32.min`: the smaller operand; canonical NaN if either operand is NaN, and
/// `min(-0.0, +0.0) == -0.0`.
#[inline]
pub fn f32_min(a: f32, b: f32) -> f32 {
    use core::cmp::Ordering;
    let (x, y) = (a.to_bits(), b.to_bits());
    // One comparison tells all four cases; the result is picked in the integer domain.
    f32::from_bits(match a.partial_cmp(&b) {
        Some(Ordering::Less) => x,
        Some(Ordering::Greater) => y,
        // Equal values differ at most in the sign of a zero: prefer the negative one.
        Some(Ordering::Equal) => x | y,
        None => CANON_F32,
    })
}

/// `f32.max`: the larger operand; canonical NaN if either operand is NaN, and
/// `max(-0.0, +0.0) == +0.0`.
#[inline]
pub fn f32_max(a: f32, b: f32) -> f32 {
    use core::cmp::Ordering;
    let (x, y) = (a.to_bits(), b.to_bits());
    // One comparison tells all four cases; the result is picked in the integer domain.
    f32::from_bits(match a.partial_cmp(&b) {
        Some(Ordering::Less) => y,
        Some(Ordering::Greater) => x,
        // Equal values differ at most in the sign of a zero: prefer the positive one.
        Some(Ordering::Equal) => x & y,
        None => CANON_F32,
    })
}

// ---------------------------------------------------------------------------
// f64 float operations
// ---------------------------------------------------------------------------

/// `f64.eq`: IEEE 754 `a == b` (false if either operand is NaN).
#[inline]
pub fn f64_eq(a: f64, b: f64) -> bool {
    a == b
}

/// `f64.ne`: IEEE 754 `a != b` (true if either operand is NaN).
#[inline]
pub fn f64_ne(a: f64, b: f64) -> bool {
    a != b
}

/// `f64.lt`: IEEE 754 `a < b` (false if either operand is NaN).
#[inline]
pub fn f64_lt(a: f64, b: f64) -> bool {
    a < b
}

/// `f64.gt`: IEEE 754 `a > b` (false if either operand is NaN).
#[inline]
pub fn f64_gt(a: f64, b: f64) -> bool {
    a > b
}

/// `f64.le`: IEEE 754 `a <= b` (false if either operand is NaN).
#[inline]
pub fn f64_le(a: f64, b: f64) -> bool {
    a <= b
}

/// `f64.ge`: IEEE 754 `a >= b` (false if either operand is NaN).
#[inline]
pub fn f64_ge(a: f64, b: f64) -> bool {
    a >= b
}

/// `f64.abs`: clears the sign bit; every other bit (NaN payload included) is kept.
#[inline]
pub fn f64_abs(a: f64) -> f64 {
    f64::from_bits(a.to_bits() & !F64_SIGN)
}

/// `f64.neg`: flips the sign bit; every other bit (NaN payload included) is kept.
#[inline]
pub fn f64_neg(a: f64) -> f64 {
    f64::from_bits(a.to_bits() ^ F64_SIGN)
}

/// `f64.copysign`: the magnitude bits of `a` with the sign bit of `b` (pure bit operation).
#[inline]
pub fn f64_copysign(a: f64, b: f64) -> f64 {
    f64::from_bits((a.to_bits() & !F64_SIGN) | (b.to_bits() & F64_SIGN))
}

/// `f64.ceil`: round toward positive infinity; a NaN result is canonical.
#[inline]
pub fn f64_ceil(a: f64) -> f64 {
    canon_f64(a.ceil())
}

/// `f64.floor`: round toward negative infinity; a NaN result is canonical.
#[inline]
pub fn f64_floor(a: f64) -> f64 {
    canon_f64(a.floor())
}

/// `f64.trunc`: round toward zero; a NaN result is canonical.
#[inline]
pub fn f64_trunc(a: f64) -> f64 {
    canon_f64(a.trunc())
}

/// `f64.nearest`: round to nearest integer, ties to even; a NaN result is canonical.
#[inline]
pub fn f64_nearest(a: f64) -> f64 {
    canon_f64(a.round_ties_even())
}

/// `f64.sqrt`: square root; a NaN result is canonical.
#[inline]
pub fn f64_sqrt(a: f64) -> f64 {
    canon_f64(a.sqrt())
}

/// `f64.add`: IEEE 754 `a + b` (round to nearest even); a NaN result is canonical.
#[inline]
pub fn f64_add(a: f64, b: f64) -> f64 {
    canon_f64(a + b)
}

/// `f64.sub`: IEEE 754 `a - b` (round to nearest even); a NaN result is canonical.
#[inline]
pub fn f64_sub(a: f64, b: f64) -> f64 {
    canon_f64(a - b)
}

/// `f64.mul`: IEEE 754 `a * b` (round to nearest even); a NaN result is canonical.
#[inline]
pub fn f64_mul(a: f64, b: f64) -> f64 {
    canon_f64(a * b)
}

/// `f64.div`: IEEE 754 `a / b` (round to nearest even); a NaN result is canonical.
#[inline]
pub fn f64_div(a: f64, b: f64) -> f64 {
    canon_f64(a / b)
}

/// `f64.min`: the smaller operand; canonical NaN if either operand is NaN, and
/// `min(-0.0, +0.0) == -0.0`.
#[inline]
pub fn f64_min(a: f64, b: f64) -> f64 {
    use core::cmp::Ordering;
    let (x, y) = (a.to_bits(), b.to_bits());
    // One comparison tells all four cases; the result is picked in the integer domain.
    f64::from_bits(match a.partial_cmp(&b) {
        Some(Ordering::Less) => x,
        Some(Ordering::Greater) => y,
        // Equal values differ at most in the sign of a zero: prefer the negative one.
        Some(Ordering::Equal) => x | y,
        None => CANON_F64,
    })
}

/// `f64.max`: the larger operand; canonical NaN if either operand is NaN, and
/// `max(-0.0, +0.0) == +0.0`.
#[inline]
pub fn f64_max(a: f64, b: f64) -> f64 {
    use core::cmp::Ordering;
    let (x, y) = (a.to_bits(), b.to_bits());
    // One comparison tells all four cases; the result is picked in the integer domain.
    f64::from_bits(match a.partial_cmp(&b) {
        Some(Ordering::Less) => y,
        Some(Ordering::Greater) => x,
        // Equal values differ at most in the sign of a zero: prefer the positive one.
        Some(Ordering::Equal) => x & y,
        None => CANON_F64,
    })
}

// ---------------------------------------------------------------------------
// Conversions
// ---------------------------------------------------------------------------

/// `i32.wrap_i64`: the low 32 bits of `a`.
#[inline]
pub fn i32_wrap_i64(a: i64) -> i32 {
    a as i32
}

/// `i64.extend_i32_s`: sign-extends `a` to 64 bits.
#[inline]
pub fn i64_extend_i32_s(a: i32) -> i64 {
    a as i64
}

/// `i64.extend_i32_u`: zero-extends `a` to 64 bits.
#[inline]
pub fn i64_extend_i32_u(a: i32) -> i64 {
    a as u32 as i64
}

/// `i32.trunc_f32_s`: truncates toward zero to a signed 32-bit integer.
///
/// Traps with [`TrapCode::BadConversionToInteger`] on NaN and with
/// [`TrapCode::IntegerOverflow`] unless `-2^31 <= trunc(a) < 2^31`.
#[inline]
pub fn i32_trunc_f32_s(a: f32) -> Result<i32, TrapCode> {
    if a.is_nan() {
        return Err(TrapCode::BadConversionToInteger);
    }
    let t = a.trunc();
    // Both bounds are powers of two, exactly representable in f32.
    if (-2_147_483_648.0..2_147_483_648.0).contains(&t) {
        Ok(t as i32)
    } else {
        Err(TrapCode::IntegerOverflow)
    }
}

/// `i32.trunc_f32_u`: truncates toward zero to an unsigned 32-bit integer (returned as its
/// bits in `i32`).
///
/// Traps with [`TrapCode::BadConversionToInteger`] on NaN and with
/// [`TrapCode::IntegerOverflow`] unless `-1 < a < 2^32`.
#[inline]
pub fn i32_trunc_f32_u(a: f32) -> Result<i32, TrapCode> {
    if a.is_nan() {
        return Err(TrapCode::BadConversionToInteger);
    }
    // `trunc` of a value in (-1, 0] is -0.0, which compares equal to 0.0.
    let t = a.trunc();
    if (0.0..4_294_967_296.0).contains(&t) {
        Ok(t as u32 as i32)
    } else {
        Err(TrapCode::IntegerOverflow)
    }
}

/// `i32.trunc_f64_s`: truncates toward zero to a signed 32-bit integer.
///
/// Traps with [`TrapCode::BadConversionToInteger`] on NaN and with
/// [`TrapCode::IntegerOverflow`] unless `-2^31 <= trunc(a) < 2^31`.
#[inline]
pub fn i32_trunc_f64_s(a: f64) -> Result<i32, TrapCode> {
    if a.is_nan() {
        return Err(TrapCode::BadConversionToInteger);
    }
    let t = a.trunc();
    // Both bounds are powers of two, exactly representable in f64.
    if (-2_147_483_648.0..2_147_483_648.0).contains(&t) {
        Ok(t as i32)
    } else {
        Err(TrapCode::IntegerOverflow)
    }
}

/// `i32.trunc_f64_u`: truncates toward zero to an unsigned 32-bit integer (returned as its
/// bits in `i32`).
///
/// Traps with [`TrapCode::BadConversionToInteger`] on NaN and with
/// [`TrapCode::IntegerOverflow`] unless `-1 < a < 2^32`.
#[inline]
pub fn i32_trunc_f64_u(a: f64) -> Result<i32, TrapCode> {
    if a.is_nan() {
        return Err(TrapCode::BadConversionToInteger);
    }
    // `trunc` of a value in (-1, 0] is -0.0, which compares equal to 0.0.
    let t = a.trunc();
    if (0.0..4_294_967_296.0).contains(&t) {
        Ok(t as u32 as i32)
    } else {
        Err(TrapCode::IntegerOverflow)
    }
}

/// `i64.trunc_f32_s`: truncates toward zero to a signed 64-bit integer.
///
/// Traps with [`TrapCode::BadConversionToInteger`] on NaN and with
/// [`TrapCode::IntegerOverflow`] unless `-2^63 <= trunc(a) < 2^63`.
#[inline]
pub fn i64_trunc_f32_s(a: f32) -> Result<i64, TrapCode> {
    if a.is_nan() {
        return Err(TrapCode::BadConversionToInteger);
    }
    let t = a.trunc();
    // Both bounds are powers of two, exactly representable in f32.
    if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&t) {
        Ok(t as i64)
    } else {
        Err(TrapCode::IntegerOverflow)
    }
}

/// `i64.trunc_f32_u`: truncates toward zero to an unsigned 64-bit integer (returned as its
/// bits in `i64`).
///
/// Traps with [`TrapCode::BadConversionToInteger`] on NaN and with
/// [`TrapCode::IntegerOverflow`] unless `-1 < a < 2^64`.
#[inline]
pub fn i64_trunc_f32_u(a: f32) -> Result<i64, TrapCode> {
    if a.is_nan() {
        return Err(TrapCode::BadConversionToInteger);
    }
    // `trunc` of a value in (-1, 0] is -0.0, which compares equal to 0.0.
    let t = a.trunc();
    if (0.0..18_446_744_073_709_551_616.0).contains(&t) {
        Ok(t as u64 as i64)
    } else {
        Err(TrapCode::IntegerOverflow)
    }
}

/// `i64.trunc_f64_s`: truncates toward zero to a signed 64-bit integer.
///
/// Traps with [`TrapCode::BadConversionToInteger`] on NaN and with
/// [`TrapCode::IntegerOverflow`] unless `-2^63 <= trunc(a) < 2^63`.
#[inline]
pub fn i64_trunc_f64_s(a: f64) -> Result<i64, TrapCode> {
    if a.is_nan() {
        return Err(TrapCode::BadConversionToInteger);
    }
    let t = a.trunc();
    // Both bounds are powers of two, exactly representable in f64.
    if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&t) {
        Ok(t as i64)
    } else {
        Err(TrapCode::IntegerOverflow)
    }
}

/// `i64.trunc_f64_u`: truncates toward zero to an unsigned 64-bit integer (returned as its
/// bits in `i64`).
///
/// Traps with [`TrapCode::BadConversionToInteger`] on NaN and with
/// [`TrapCode::IntegerOverflow`] unless `-1 < a < 2^64`.
#[inline]
pub fn i64_trunc_f64_u(a: f64) -> Result<i64, TrapCode> {
    if a.is_nan() {
        return Err(TrapCode::BadConversionToInteger);
    }
    // `trunc` of a value in (-1, 0] is -0.0, which compares equal to 0.0.
    let t = a.trunc();
    if (0.0..18_446_744_073_709_551_616.0).contains(&t) {
        Ok(t as u64 as i64)
    } else {
        Err(TrapCode::IntegerOverflow)
    }
}

/// `i32.trunc_sat_f32_s`: truncates toward zero to a signed 32-bit integer, saturating at
/// the bounds; NaN gives `0`.
#[inline]
pub fn i32_trunc_sat_f32_s(a: f32) -> i32 {
    // Rust's float-to-int `as` casts saturate and map NaN to 0, exactly like Wasm.
    a as i32
}

/// `i32.trunc_sat_f32_u`: truncates toward zero to an unsigned 32-bit integer (returned as its
/// bits in `i32`), saturating at the bounds; NaN gives `0`.
#[inline]
pub fn i32_trunc_sat_f32_u(a: f32) -> i32 {
    a as u32 as i32
}

/// `i32.trunc_sat_f64_s`: truncates toward zero to a signed 32-bit integer, saturating at
/// the bounds; NaN gives `0`.
#[inline]
pub fn i32_trunc_sat_f64_s(a: f64) -> i32 {
    // Rust's float-to-int `as` casts saturate and map NaN to 0, exactly like Wasm.
    a as i32
}

/// `i32.trunc_sat_f64_u`: truncates toward zero to an unsigned 32-bit integer (returned as its
/// bits in `i32`), saturating at the bounds; NaN gives `0`.
#[inline]
pub fn i32_trunc_sat_f64_u(a: f64) -> i32 {
    a as u32 as i32
}

/// `i64.trunc_sat_f32_s`: truncates toward zero to a signed 64-bit integer, saturating at
/// the bounds; NaN gives `0`.
#[inline]
pub fn i64_trunc_sat_f32_s(a: f32) -> i64 {
    // Rust's float-to-int `as` casts saturate and map NaN to 0, exactly like Wasm.
    a as i64
}

/// `i64.trunc_sat_f32_u`: truncates toward zero to an unsigned 64-bit integer (returned as its
/// bits in `i64`), saturating at the bounds; NaN gives `0`.
#[inline]
pub fn i64_trunc_sat_f32_u(a: f32) -> i64 {
    a as u64 as i64
}

/// `i64.trunc_sat_f64_s`: truncates toward zero to a signed 64-bit integer, saturating at
/// the bounds; NaN gives `0`.
#[inline]
pub fn i64_trunc_sat_f64_s(a: f64) -> i64 {
    // Rust's float-to-int `as` casts saturate and map NaN to 0, exactly like Wasm.
    a as i64
}

/// `i64.trunc_sat_f64_u`: truncates toward zero to an unsigned 64-bit integer (returned as its
/// bits in `i64`), saturating at the bounds; NaN gives `0`.
#[inline]
pub fn i64_trunc_sat_f64_u(a: f64) -> i64 {
    a as u64 as i64
}

/// `f32.convert_i32_s`: the signed integer `a`, rounded to nearest even.
#[inline]
pub fn f32_convert_i32_s(a: i32) -> f32 {
    a as f32
}

/// `f32.convert_i32_u`: the unsigned integer `a`, rounded to nearest even.
#[inline]
pub fn f32_convert_i32_u(a: i32) -> f32 {
    a as u32 as f32
}

/// `f32.convert_i64_s`: the signed integer `a`, rounded to nearest even.
#[inline]
pub fn f32_convert_i64_s(a: i64) -> f32 {
    a as f32
}

/// `f32.convert_i64_u`: the unsigned integer `a`, rounded to nearest even.
#[inline]
pub fn f32_convert_i64_u(a: i64) -> f32 {
    a as u64 as f32
}

/// `f64.convert_i32_s`: the signed integer `a`, rounded to nearest even.
#[inline]
pub fn f64_convert_i32_s(a: i32) -> f64 {
    a as f64
}

/// `f64.convert_i32_u`: the unsigned integer `a`, rounded to nearest even.
#[inline]
pub fn f64_convert_i32_u(a: i32) -> f64 {
    a as u32 as f64
}

/// `f64.convert_i64_s`: the signed integer `a`, rounded to nearest even.
#[inline]
pub fn f64_convert_i64_s(a: i64) -> f64 {
    a as f64
}

/// `f64.convert_i64_u`: the unsigned integer `a`, rounded to nearest even.
#[inline]
pub fn f64_convert_i64_u(a: i64) -> f64 {
    a as u64 as f64
}

/// `f32.demote_f64`: `a` rounded to nearest even `f32`; NaN gives the canonical `f32` NaN.
#[inline]
pub fn f32_demote_f64(a: f64) -> f32 {
    canon_f32(a as f32)
}

/// `f64.promote_f32`: `a` exactly as `f64`; NaN gives the canonical `f64` NaN.
#[inline]
pub fn f64_promote_f32(a: f32) -> f64 {
    canon_f64(a as f64)
}

/// `i32.reinterpret_f32`: the bits of `a`.
#[inline]
pub fn i32_reinterpret_f32(a: f32) -> i32 {
    a.to_bits() as i32
}

/// `i64.reinterpret_f64`: the bits of `a`.
#[inline]
pub fn i64_reinterpret_f64(a: f64) -> i64 {
    a.to_bits() as i64
}

/// `f32.reinterpret_i32`: the `f32` with bits `a`.
#[inline]
pub fn f32_reinterpret_i32(a: i32) -> f32 {
    f32::from_bits(a as u32)
}

/// `f64.reinterpret_i64`: the `f64` with bits `a`.
#[inline]
pub fn f64_reinterpret_i64(a: i64) -> f64 {
    f64::from_bits(a as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    // ----- helpers -----------------------------------------------------------------------

    fn f32b(bits: u32) -> f32 {
        f32::from_bits(bits)
    }

    fn f64b(bits: u64) -> f64 {
        f64::from_bits(bits)
    }

    /// A negative, signalling f32 NaN with a non-zero payload.
    const F32_ODD_NAN: u32 = 0xff80_0001;
    /// A negative, quiet f32 NaN with a non-zero payload.
    const F32_ODD_QNAN: u32 = 0xffc1_2345;
    /// A negative, signalling f64 NaN with a non-zero payload.
    const F64_ODD_NAN: u64 = 0xfff0_0000_0000_0001;
    /// A negative, quiet f64 NaN with a non-zero payload.
    const F64_ODD_QNAN: u64 = 0xfff8_1234_5678_9abc;

    const F32_NANS: [u32; 5] = [
        CANON_F32,
        0xffc0_0000,
        F32_ODD_NAN,
        F32_ODD_QNAN,
        0x7f80_0001,
    ];
    const F64_NANS: [u64; 5] = [
        CANON_F64,
        0xfff8_0000_0000_0000,
        F64_ODD_NAN,
        F64_ODD_QNAN,
        0x7ff0_0000_0000_0001,
    ];

    #[track_caller]
    fn assert_canon32(x: f32) {
        assert_eq!(
            x.to_bits(),
            CANON_F32,
            "expected canonical f32 NaN, got {:#x}",
            x.to_bits()
        );
    }

    #[track_caller]
    fn assert_canon64(x: f64) {
        assert_eq!(
            x.to_bits(),
            CANON_F64,
            "expected canonical f64 NaN, got {:#x}",
            x.to_bits()
        );
    }

    /// Exact bit equality (distinguishes -0.0 from +0.0).
    #[track_caller]
    fn assert_bits32(x: f32, expected: f32) {
        assert_eq!(x.to_bits(), expected.to_bits(), "{x:?} vs {expected:?}");
    }

    #[track_caller]
    fn assert_bits64(x: f64, expected: f64) {
        assert_eq!(x.to_bits(), expected.to_bits(), "{x:?} vs {expected:?}");
    }

    use TrapCode::IntegerOverflow as Ovf;
    use TrapCode::{BadConversionToInteger as Nan, IntegerDivisionByZero as DivZero};

    // ----- canonical NaN helpers ---------------------------------------------------------

    #[test]
    fn canon_helpers() {
        for bits in F32_NANS {
            assert_canon32(canon_f32(f32b(bits)));
        }
        for bits in F64_NANS {
            assert_canon64(canon_f64(f64b(bits)));
        }
        assert_bits32(canon_f32(-0.0), -0.0);
        assert_bits32(canon_f32(f32::INFINITY), f32::INFINITY);
        assert_bits64(canon_f64(-0.0), -0.0);
        assert_bits64(canon_f64(f64::NEG_INFINITY), f64::NEG_INFINITY);
        assert_eq!(canon_f32(1.5), 1.5);
        assert_eq!(canon_f64(1.5), 1.5);
    }

    #[test]
    fn the_nan_tests_agree_with_is_nan_at_every_boundary() {
        use std::hint::black_box as bb;
        // Each exponent boundary, with the smallest and largest mantissas, both signs.
        for sign in [0, F32_SIGN] {
            for exp in [0u32, 1, 0xfe, 0xff] {
                for mant in [0u32, 1, 0x3f_ffff, 0x40_0000, 0x7f_ffff] {
                    let bits = sign | exp << 23 | mant;
                    let nan = f32::from_bits(bits).is_nan();
                    assert_eq!(f32_bits_are_nan(bb(bits)), nan);
                    // `canon_f32` (assembly on x86-64) keeps every other value bit for bit.
                    let canon = canon_f32(bb(f32::from_bits(bits))).to_bits();
                    assert_eq!(canon, if nan { CANON_F32 } else { bits }, "{bits:#x}");
                }
            }
        }
        for sign in [0, F64_SIGN] {
            for exp in [0u64, 1, 0x7fe, 0x7ff] {
                for mant in [
                    0u64,
                    1,
                    0x7_ffff_ffff_ffff,
                    0x8_0000_0000_0000,
                    0xf_ffff_ffff_ffff,
                ] {
                    let bits = sign | exp << 52 | mant;
                    let nan = f64::from_bits(bits).is_nan();
                    assert_eq!(f64_bits_are_nan(bb(bits)), nan);
                    let canon = canon_f64(bb(f64::from_bits(bits))).to_bits();
                    assert_eq!(canon, if nan { CANON_F64 } else { bits }, "{bits:#x}");
                }
            }
        }
    }

    // ----- integer arithmetic ------------------------------------------------------------

    #[test]
    fn int_add_sub_mul_wrap() {
        assert_eq!(i32_add(1, 2), 3);
        assert_eq!(i32_add(i32::MAX, 1), i32::MIN);
        assert_eq!(i32_sub(i32::MIN, 1), i32::MAX);
        assert_eq!(i32_sub(0, 1), -1);
        assert_eq!(i32_mul(0x1000_0000, 16), 0);
        assert_eq!(i32_mul(0x0123_4567, 0x7654_3210), 0x358e_7470);
        assert_eq!(i32_mul(i32::MIN, -1), i32::MIN);
        assert_eq!(i64_add(i64::MAX, 1), i64::MIN);
        assert_eq!(i64_sub(i64::MIN, 1), i64::MAX);
        assert_eq!(i64_mul(i64::MIN, -1), i64::MIN);
        assert_eq!(
            i64_mul(0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210_u64 as i64),
            0x2236_d88f_e561_8cf0
        );
    }

    #[test]
    fn i32_div_rem() {
        assert_eq!(i32_div_s(7, 2), Ok(3));
        assert_eq!(i32_div_s(-7, 2), Ok(-3));
        assert_eq!(i32_div_s(7, -2), Ok(-3));
        assert_eq!(i32_div_s(-7, -2), Ok(3));
        assert_eq!(i32_div_s(1, 0), Err(DivZero));
        assert_eq!(i32_div_s(0, 0), Err(DivZero));
        assert_eq!(i32_div_s(i32::MIN, 0), Err(DivZero));
        assert_eq!(i32_div_s(i32::MIN, -1), Err(Ovf));
        assert_eq!(i32_div_s(i32::MIN, 1), Ok(i32::MIN));
        assert_eq!(i32_div_s(i32::MIN, 2), Ok(-0x4000_0000));

        assert_eq!(i32_div_u(7, 2), Ok(3));
        assert_eq!(i32_div_u(-1, 2), Ok(0x7fff_ffff));
        assert_eq!(i32_div_u(i32::MIN, -1), Ok(0));
        assert_eq!(i32_div_u(-5, -6), Ok(1));
        assert_eq!(i32_div_u(1, 0), Err(DivZero));

        assert_eq!(i32_rem_s(7, 2), Ok(1));
        assert_eq!(i32_rem_s(-7, 2), Ok(-1));
        assert_eq!(i32_rem_s(7, -2), Ok(1));
        assert_eq!(i32_rem_s(-7, -2), Ok(-1));
        assert_eq!(i32_rem_s(i32::MIN, -1), Ok(0));
        assert_eq!(i32_rem_s(i32::MIN, 2), Ok(0));
        assert_eq!(i32_rem_s(1, 0), Err(DivZero));
        assert_eq!(i32_rem_s(i32::MIN, 0), Err(DivZero));

        assert_eq!(i32_rem_u(7, 2), Ok(1));
        assert_eq!(i32_rem_u(-1, 10), Ok(5)); // 4294967295 % 10
        assert_eq!(i32_rem_u(i32::MIN, -1), Ok(i32::MIN));
        assert_eq!(i32_rem_u(1, 0), Err(DivZero));
    }

    #[test]
    fn i64_div_rem() {
        assert_eq!(i64_div_s(-7, 2), Ok(-3));
        assert_eq!(i64_div_s(1, 0), Err(DivZero));
        assert_eq!(i64_div_s(i64::MIN, 0), Err(DivZero));
        assert_eq!(i64_div_s(i64::MIN, -1), Err(Ovf));
        assert_eq!(i64_div_s(i64::MIN, 2), Ok(-0x4000_0000_0000_0000));

        assert_eq!(i64_div_u(-1, 2), Ok(0x7fff_ffff_ffff_ffff));
        assert_eq!(i64_div_u(i64::MIN, -1), Ok(0));
        assert_eq!(i64_div_u(1, 0), Err(DivZero));

        assert_eq!(i64_rem_s(-7, 2), Ok(-1));
        assert_eq!(i64_rem_s(7, -2), Ok(1));
        assert_eq!(i64_rem_s(i64::MIN, -1), Ok(0));
        assert_eq!(i64_rem_s(1, 0), Err(DivZero));

        assert_eq!(i64_rem_u(-1, 10), Ok(5)); // 18446744073709551615 % 10
        assert_eq!(i64_rem_u(i64::MIN, -1), Ok(i64::MIN));
        assert_eq!(i64_rem_u(1, 0), Err(DivZero));
    }

    #[test]
    fn int_bitwise() {
        assert_eq!(i32_and(0b1100, 0b1010), 0b1000);
        assert_eq!(i32_or(0b1100, 0b1010), 0b1110);
        assert_eq!(i32_xor(0b1100, 0b1010), 0b0110);
        assert_eq!(i32_xor(-1, 0x0f0f_0f0f), 0xf0f0_f0f0_u32 as i32);
        assert_eq!(i64_and(-1, 0x1234), 0x1234);
        assert_eq!(i64_or(i64::MIN, 1), i64::MIN + 1);
        assert_eq!(i64_xor(-1, 0), -1);
    }

    #[test]
    fn i32_shifts_mask_count() {
        assert_eq!(i32_shl(1, 1), 2);
        assert_eq!(i32_shl(1, 31), i32::MIN);
        assert_eq!(i32_shl(1, 32), 1);
        assert_eq!(i32_shl(1, 33), 2);
        assert_eq!(i32_shl(1, -1), i32::MIN);
        assert_eq!(i32_shl(1, i32::MAX), i32::MIN);

        assert_eq!(i32_shr_s(i32::MIN, 31), -1);
        assert_eq!(i32_shr_s(i32::MIN, 32), i32::MIN);
        assert_eq!(i32_shr_s(i32::MIN, 33), -0x4000_0000);
        assert_eq!(i32_shr_s(i32::MIN, -1), -1);
        assert_eq!(i32_shr_s(0x4000_0000, -1), 0);
        assert_eq!(i32_shr_s(-8, 1), -4);

        assert_eq!(i32_shr_u(i32::MIN, 31), 1);
        assert_eq!(i32_shr_u(i32::MIN, 32), i32::MIN);
        assert_eq!(i32_shr_u(i32::MIN, 33), 0x4000_0000);
        assert_eq!(i32_shr_u(-1, -1), 1);
        assert_eq!(i32_shr_u(-8, 1), 0x7fff_fffc);
    }

    #[test]
    fn i64_shifts_mask_count() {
        assert_eq!(i64_shl(1, 63), i64::MIN);
        assert_eq!(i64_shl(1, 64), 1);
        assert_eq!(i64_shl(1, 65), 2);
        assert_eq!(i64_shl(1, -1), i64::MIN);
        assert_eq!(i64_shl(1, 32), 1 << 32);
        assert_eq!(i64_shr_s(i64::MIN, 63), -1);
        assert_eq!(i64_shr_s(i64::MIN, 64), i64::MIN);
        assert_eq!(i64_shr_s(i64::MIN, 65), -0x4000_0000_0000_0000);
        assert_eq!(i64_shr_s(i64::MIN, -1), -1);
        assert_eq!(i64_shr_u(i64::MIN, 63), 1);
        assert_eq!(i64_shr_u(i64::MIN, 64), i64::MIN);
        assert_eq!(i64_shr_u(i64::MIN, 65), 0x4000_0000_0000_0000);
        assert_eq!(i64_shr_u(-1, -1), 1);
        assert_eq!(i64_shr_u(-1, 32), 0xffff_ffff);
    }

    #[test]
    fn rotates() {
        assert_eq!(i32_rotl(0x8000_0001_u32 as i32, 1), 3);
        assert_eq!(i32_rotl(0x1234_5678, 4), 0x2345_6781);
        assert_eq!(i32_rotl(0x1234_5678, 36), 0x2345_6781);
        assert_eq!(i32_rotl(0x1234_5678, 32), 0x1234_5678);
        assert_eq!(i32_rotl(0x1234_5678, -4), 0x8123_4567_u32 as i32);
        assert_eq!(i32_rotr(3, 1), 0x8000_0001_u32 as i32);
        assert_eq!(i32_rotr(0x1234_5678, 4), 0x8123_4567_u32 as i32);
        assert_eq!(i32_rotr(0x1234_5678, 36), 0x8123_4567_u32 as i32);
        assert_eq!(i32_rotr(0x1234_5678, -4), 0x2345_6781);
        assert_eq!(i32_rotr(1, 33), i32::MIN);

        assert_eq!(i64_rotl(i64::MIN | 1, 1), 3);
        assert_eq!(i64_rotl(0x0123_4567_89ab_cdef, 8), 0x2345_6789_abcd_ef01);
        assert_eq!(i64_rotl(0x0123_4567_89ab_cdef, 72), 0x2345_6789_abcd_ef01);
        assert_eq!(i64_rotl(0x0123_4567_89ab_cdef, 64), 0x0123_4567_89ab_cdef);
        assert_eq!(
            i64_rotl(0x0123_4567_89ab_cdef, -8),
            0xef01_2345_6789_abcd_u64 as i64
        );
        assert_eq!(
            i64_rotr(0x0123_4567_89ab_cdef, 8),
            0xef01_2345_6789_abcd_u64 as i64
        );
        assert_eq!(i64_rotr(0x0123_4567_89ab_cdef, -8), 0x2345_6789_abcd_ef01);
        assert_eq!(i64_rotr(1, 65), i64::MIN);
    }

    #[test]
    fn bit_counts() {
        assert_eq!(i32_clz(0), 32);
        assert_eq!(i32_ctz(0), 32);
        assert_eq!(i32_popcnt(0), 0);
        assert_eq!(i32_clz(1), 31);
        assert_eq!(i32_clz(-1), 0);
        assert_eq!(i32_clz(0x0000_8000), 16);
        assert_eq!(i32_ctz(i32::MIN), 31);
        assert_eq!(i32_ctz(0x0001_0000), 16);
        assert_eq!(i32_popcnt(-1), 32);
        assert_eq!(i32_popcnt(0x5555_5555), 16);

        assert_eq!(i64_clz(0), 64);
        assert_eq!(i64_ctz(0), 64);
        assert_eq!(i64_popcnt(0), 0);
        assert_eq!(i64_clz(1), 63);
        assert_eq!(i64_clz(-1), 0);
        assert_eq!(i64_ctz(i64::MIN), 63);
        assert_eq!(i64_popcnt(-1), 64);
        assert_eq!(i64_popcnt(0x00ff_0000_0000_0001), 9);
    }

    #[test]
    fn int_comparisons() {
        assert!(i32_eqz(0));
        assert!(!i32_eqz(1));
        assert!(!i32_eqz(i32::MIN));
        assert!(i64_eqz(0));
        assert!(!i64_eqz(1 << 40));

        assert!(i32_eq(5, 5) && !i32_eq(5, 6));
        assert!(i32_ne(5, 6) && !i32_ne(5, 5));
        // -1 is the largest unsigned value and the smallest signed one of these.
        assert!(i32_lt_s(-1, 0) && !i32_lt_u(-1, 0));
        assert!(!i32_gt_s(-1, 0) && i32_gt_u(-1, 0));
        assert!(i32_le_s(-1, -1) && i32_le_u(-1, -1) && i32_le_s(i32::MIN, 0));
        assert!(!i32_le_u(i32::MIN, 0));
        assert!(i32_ge_s(0, i32::MIN) && !i32_ge_u(0, i32::MIN));
        assert!(i32_ge_u(i32::MIN, i32::MAX) && !i32_ge_s(i32::MIN, i32::MAX));

        assert!(i64_eq(-1, -1) && i64_ne(-1, 1));
        assert!(i64_lt_s(-1, 0) && !i64_lt_u(-1, 0));
        assert!(!i64_gt_s(-1, 0) && i64_gt_u(-1, 0));
        assert!(i64_le_s(i64::MIN, 0) && !i64_le_u(i64::MIN, 0));
        assert!(i64_ge_s(0, i64::MIN) && !i64_ge_u(0, i64::MIN));
        assert!(i64_le_u(7, 7) && i64_ge_s(7, 7));
    }

    #[test]
    fn sign_extension() {
        assert_eq!(i32_extend8_s(0x7f), 0x7f);
        assert_eq!(i32_extend8_s(0x80), -128);
        assert_eq!(i32_extend8_s(0xff), -1);
        assert_eq!(i32_extend8_s(0x0123_4500), 0);
        assert_eq!(i32_extend8_s(-0x7f), -0x7f); // low byte 0x81
        assert_eq!(i32_extend16_s(0x7fff), 0x7fff);
        assert_eq!(i32_extend16_s(0x8000), -32768);
        assert_eq!(i32_extend16_s(0x1234_ffff), -1);
        assert_eq!(i32_extend16_s(0x1234_0000), 0);

        assert_eq!(i64_extend8_s(0x7f), 0x7f);
        assert_eq!(i64_extend8_s(0x80), -128);
        assert_eq!(i64_extend8_s(0x0123_4567_89ab_cd00), 0);
        assert_eq!(i64_extend16_s(0x8000), -32768);
        assert_eq!(i64_extend16_s(0x0123_4567_89ab_7fff), 0x7fff);
        assert_eq!(i64_extend32_s(0x7fff_ffff), 0x7fff_ffff);
        assert_eq!(i64_extend32_s(0x8000_0000), -0x8000_0000);
        assert_eq!(i64_extend32_s(0x0123_4567_ffff_ffff), -1);
        assert_eq!(i64_extend32_s(0x0123_4567_0000_0000), 0);

        assert_eq!(i64_extend_i32_s(-1), -1);
        assert_eq!(i64_extend_i32_s(i32::MIN), -0x8000_0000);
        assert_eq!(i64_extend_i32_u(-1), 0xffff_ffff);
        assert_eq!(i64_extend_i32_u(i32::MIN), 0x8000_0000);
        assert_eq!(i32_wrap_i64(0x0123_4567_89ab_cdef), 0x89ab_cdef_u32 as i32);
        assert_eq!(i32_wrap_i64(-1), -1);
        assert_eq!(i32_wrap_i64(1 << 32), 0);
    }

    // ----- float arithmetic: canonical NaNs ----------------------------------------------

    #[test]
    fn zero_div_zero_is_canonical() {
        // x86 SSE produces the "default NaN" 0xffc00000 here; Wasm determinism needs 0x7fc00000.
        assert_canon32(f32_div(0.0, 0.0));
        assert_canon32(f32_div(-0.0, 0.0));
        assert_canon32(f32_div(f32::INFINITY, f32::NEG_INFINITY));
        assert_canon64(f64_div(0.0, 0.0));
        assert_canon64(f64_div(-0.0, 0.0));
        assert_canon64(f64_div(f64::INFINITY, f64::INFINITY));
        assert_canon32(f32_sub(f32::INFINITY, f32::INFINITY));
        assert_canon32(f32_add(f32::INFINITY, f32::NEG_INFINITY));
        assert_canon32(f32_mul(0.0, f32::INFINITY));
        assert_canon64(f64_sub(f64::INFINITY, f64::INFINITY));
        assert_canon64(f64_add(f64::NEG_INFINITY, f64::INFINITY));
        assert_canon64(f64_mul(f64::NEG_INFINITY, -0.0));
        assert_canon32(f32_sqrt(-1.0));
        assert_canon32(f32_sqrt(f32::NEG_INFINITY));
        assert_canon64(f64_sqrt(-1.0));
        assert_canon64(f64_sqrt(-f64::MIN_POSITIVE));
    }

    #[test]
    fn nan_operands_give_canonical_nan() {
        for bits in F32_NANS {
            let n = f32b(bits);
            for x in [0.0, -1.0, f32::INFINITY, n] {
                assert_canon32(f32_add(n, x));
                assert_canon32(f32_add(x, n));
                assert_canon32(f32_sub(n, x));
                assert_canon32(f32_sub(x, n));
                assert_canon32(f32_mul(n, x));
                assert_canon32(f32_mul(x, n));
                assert_canon32(f32_div(n, x));
                assert_canon32(f32_div(x, n));
                assert_canon32(f32_min(n, x));
                assert_canon32(f32_min(x, n));
                assert_canon32(f32_max(n, x));
                assert_canon32(f32_max(x, n));
            }
            assert_canon32(f32_sqrt(n));
            assert_canon32(f32_ceil(n));
            assert_canon32(f32_floor(n));
            assert_canon32(f32_trunc(n));
            assert_canon32(f32_nearest(n));
            assert_canon64(f64_promote_f32(n));
        }
        for bits in F64_NANS {
            let n = f64b(bits);
            for x in [0.0, -1.0, f64::INFINITY, n] {
                assert_canon64(f64_add(n, x));
                assert_canon64(f64_add(x, n));
                assert_canon64(f64_sub(n, x));
                assert_canon64(f64_sub(x, n));
                assert_canon64(f64_mul(n, x));
                assert_canon64(f64_mul(x, n));
                assert_canon64(f64_div(n, x));
                assert_canon64(f64_div(x, n));
                assert_canon64(f64_min(n, x));
                assert_canon64(f64_min(x, n));
                assert_canon64(f64_max(n, x));
                assert_canon64(f64_max(x, n));
            }
            assert_canon64(f64_sqrt(n));
            assert_canon64(f64_ceil(n));
            assert_canon64(f64_floor(n));
            assert_canon64(f64_trunc(n));
            assert_canon64(f64_nearest(n));
            assert_canon32(f32_demote_f64(n));
        }
        // The payload-carrying negative NaN must not leak through.
        assert_canon32(f32_add(f32b(F32_ODD_QNAN), 1.0));
        assert_canon64(f64_add(f64b(F64_ODD_QNAN), 1.0));
    }

    /// Runtime (non-constant-folded) operands: guards against the optimizer dropping the
    /// canonicalization of hardware-produced NaNs (see the note above `f32_bits_are_nan`).
    #[test]
    fn runtime_nans_are_canonical() {
        use std::hint::black_box as bb;
        for bits in F32_NANS {
            let n = bb(f32b(bits));
            assert_canon32(f32_sqrt(n));
            assert_canon32(f32_add(n, bb(1.0)));
            assert_canon32(f32_mul(bb(2.0), n));
            assert_canon32(f32_nearest(n));
            assert_canon32(f32_ceil(n));
            assert_canon32(f32_floor(n));
            assert_canon32(f32_trunc(n));
            assert_canon32(f32_min(n, bb(1.0)));
            assert_canon32(f32_max(bb(1.0), n));
            assert_canon64(f64_promote_f32(n));
        }
        for bits in F64_NANS {
            let n = bb(f64b(bits));
            assert_canon64(f64_sqrt(n));
            assert_canon64(f64_add(n, bb(1.0)));
            assert_canon64(f64_mul(bb(2.0), n));
            assert_canon64(f64_nearest(n));
            assert_canon64(f64_ceil(n));
            assert_canon64(f64_floor(n));
            assert_canon64(f64_trunc(n));
            assert_canon64(f64_min(n, bb(1.0)));
            assert_canon64(f64_max(bb(1.0), n));
            assert_canon32(f32_demote_f64(n));
        }
        assert_canon32(f32_sqrt(bb(-1.0)));
        assert_canon32(f32_div(bb(0.0), bb(0.0)));
        assert_canon32(f32_sub(bb(f32::INFINITY), bb(f32::INFINITY)));
        assert_canon64(f64_sqrt(bb(-1.0)));
        assert_canon64(f64_div(bb(0.0), bb(0.0)));
        assert_canon64(f64_mul(bb(f64::INFINITY), bb(0.0)));
    }

    #[test]
    fn float_arithmetic_values() {
        assert_eq!(f32_add(1.5, 2.25), 3.75);
        assert_eq!(f32_sub(1.0, 3.0), -2.0);
        assert_eq!(f32_mul(-1.5, 4.0), -6.0);
        assert_eq!(f32_div(1.0, 4.0), 0.25);
        assert_eq!(f32_div(1.0, 0.0), f32::INFINITY);
        assert_eq!(f32_div(-1.0, 0.0), f32::NEG_INFINITY);
        assert_eq!(f32_add(f32::MAX, f32::MAX), f32::INFINITY);
        assert_bits32(f32_add(-0.0, -0.0), -0.0);
        assert_bits32(f32_add(-0.0, 0.0), 0.0);
        assert_bits32(f32_sub(0.0, 0.0), 0.0);
        assert_bits32(f32_mul(-0.0, 5.0), -0.0);
        // 1 + 2^-24 is a tie between 1 and 1 + 2^-23: rounds to even (1.0).
        assert_eq!(f32_add(1.0, f32b(0x3380_0000)), 1.0);
        assert_eq!(f32_sqrt(4.0), 2.0);
        assert_bits32(f32_sqrt(-0.0), -0.0);
        assert_eq!(f32_sqrt(f32::INFINITY), f32::INFINITY);
        assert_eq!(f32_sqrt(2.0).to_bits(), 0x3fb5_04f3);

        assert_eq!(f64_add(1.5, 2.25), 3.75);
        assert_eq!(f64_sub(1.0, 3.0), -2.0);
        assert_eq!(f64_mul(-1.5, 4.0), -6.0);
        assert_eq!(f64_div(1.0, 4.0), 0.25);
        assert_eq!(f64_div(-1.0, -0.0), f64::INFINITY);
        assert_eq!(f64_add(0.1, 0.2).to_bits(), 0x3fd3_3333_3333_3334);
        assert_bits64(f64_add(-0.0, -0.0), -0.0);
        assert_bits64(f64_sub(-0.0, 0.0), -0.0);
        assert_bits64(f64_mul(-0.0, -5.0), 0.0);
        assert_eq!(f64_sqrt(2.0).to_bits(), 0x3ff6_a09e_667f_3bcd);
        assert_bits64(f64_sqrt(-0.0), -0.0);
    }

    // ----- bit-level float operations keep every bit -------------------------------------

    #[test]
    fn neg_abs_copysign_keep_nan_payloads() {
        for bits in F32_NANS
            .into_iter()
            .chain([0, 0x8000_0000, 0x3f80_0000, 0x7f80_0000])
        {
            let x = f32b(bits);
            assert_eq!(f32_neg(x).to_bits(), bits ^ 0x8000_0000);
            assert_eq!(f32_abs(x).to_bits(), bits & 0x7fff_ffff);
            assert_eq!(f32_copysign(x, -1.0).to_bits(), bits | 0x8000_0000);
            assert_eq!(f32_copysign(x, 1.0).to_bits(), bits & 0x7fff_ffff);
            // The sign may come from a NaN too.
            assert_eq!(
                f32_copysign(1.0, x).to_bits(),
                0x3f80_0000 | (bits & 0x8000_0000)
            );
        }
        assert_eq!(f32_neg(f32b(F32_ODD_NAN)).to_bits(), 0x7f80_0001);
        assert_eq!(f32_abs(f32b(F32_ODD_QNAN)).to_bits(), 0x7fc1_2345);
        assert_eq!(f32_copysign(f32b(0x7f80_0001), -0.0).to_bits(), F32_ODD_NAN);
        assert_bits32(f32_neg(0.0), -0.0);
        assert_bits32(f32_abs(-0.0), 0.0);
        assert_bits32(f32_copysign(0.0, -0.0), -0.0);
        assert_eq!(f32_copysign(-2.5, 3.0), 2.5);

        let sign = 0x8000_0000_0000_0000_u64;
        for bits in F64_NANS.into_iter().chain([0, sign, 0x3ff0_0000_0000_0000]) {
            let x = f64b(bits);
            assert_eq!(f64_neg(x).to_bits(), bits ^ sign);
            assert_eq!(f64_abs(x).to_bits(), bits & !sign);
            assert_eq!(f64_copysign(x, -1.0).to_bits(), bits | sign);
            assert_eq!(f64_copysign(x, 1.0).to_bits(), bits & !sign);
            assert_eq!(
                f64_copysign(1.0, x).to_bits(),
                0x3ff0_0000_0000_0000 | (bits & sign)
            );
        }
        assert_eq!(f64_neg(f64b(F64_ODD_NAN)).to_bits(), 0x7ff0_0000_0000_0001);
        assert_eq!(f64_abs(f64b(F64_ODD_QNAN)).to_bits(), 0x7ff8_1234_5678_9abc);
        assert_bits64(f64_neg(0.0), -0.0);
        assert_bits64(f64_abs(-0.0), 0.0);
        assert_bits64(f64_copysign(0.0, -0.0), -0.0);
        assert_eq!(f64_copysign(-2.5, 3.0), 2.5);
    }

    #[test]
    fn reinterpret_keeps_bits() {
        for bits in F32_NANS.into_iter().chain([0, 0x8000_0000, 1]) {
            assert_eq!(i32_reinterpret_f32(f32b(bits)) as u32, bits);
            assert_eq!(f32_reinterpret_i32(bits as i32).to_bits(), bits);
        }
        for bits in F64_NANS.into_iter().chain([0, 0x8000_0000_0000_0000, 1]) {
            assert_eq!(i64_reinterpret_f64(f64b(bits)) as u64, bits);
            assert_eq!(f64_reinterpret_i64(bits as i64).to_bits(), bits);
        }
        assert_eq!(i32_reinterpret_f32(-1.0), 0xbf80_0000_u32 as i32);
        assert_eq!(i64_reinterpret_f64(1.0), 0x3ff0_0000_0000_0000);
    }

    // ----- min / max ---------------------------------------------------------------------

    #[test]
    fn min_max() {
        assert_bits32(f32_min(-0.0, 0.0), -0.0);
        assert_bits32(f32_min(0.0, -0.0), -0.0);
        assert_bits32(f32_max(-0.0, 0.0), 0.0);
        assert_bits32(f32_max(0.0, -0.0), 0.0);
        assert_bits32(f32_min(-0.0, -0.0), -0.0);
        assert_bits32(f32_max(0.0, 0.0), 0.0);
        assert_eq!(f32_min(1.0, 2.0), 1.0);
        assert_eq!(f32_min(2.0, 1.0), 1.0);
        assert_eq!(f32_max(1.0, 2.0), 2.0);
        assert_eq!(f32_max(2.0, 1.0), 2.0);
        assert_eq!(f32_min(-3.0, 3.0), -3.0);
        assert_eq!(f32_max(-3.0, 3.0), 3.0);
        assert_eq!(f32_min(f32::NEG_INFINITY, f32::MIN), f32::NEG_INFINITY);
        assert_eq!(f32_max(f32::INFINITY, f32::MAX), f32::INFINITY);
        assert_eq!(f32_max(f32::NEG_INFINITY, -0.0), -0.0);
        assert_eq!(f32_min(5.5, 5.5), 5.5);

        assert_bits64(f64_min(-0.0, 0.0), -0.0);
        assert_bits64(f64_min(0.0, -0.0), -0.0);
        assert_bits64(f64_max(-0.0, 0.0), 0.0);
        assert_bits64(f64_max(0.0, -0.0), 0.0);
        assert_bits64(f64_min(-0.0, -0.0), -0.0);
        assert_bits64(f64_max(0.0, 0.0), 0.0);
        assert_eq!(f64_min(1.0, 2.0), 1.0);
        assert_eq!(f64_min(2.0, 1.0), 1.0);
        assert_eq!(f64_max(1.0, 2.0), 2.0);
        assert_eq!(f64_max(2.0, 1.0), 2.0);
        assert_eq!(f64_min(f64::NEG_INFINITY, f64::MIN), f64::NEG_INFINITY);
        assert_eq!(f64_max(f64::INFINITY, f64::MAX), f64::INFINITY);
        assert_eq!(f64_min(-5.5, -5.5), -5.5);

        // Rust's own min/max return the non-NaN operand; Wasm wants the canonical NaN.
        assert_canon32(f32_min(f32::NAN, 1.0));
        assert_canon32(f32_max(1.0, f32::NAN));
        assert_canon64(f64_min(1.0, f64::NAN));
        assert_canon64(f64_max(f64::NAN, 1.0));
    }

    // ----- rounding ----------------------------------------------------------------------

    #[test]
    fn f32_rounding() {
        assert_eq!(f32_nearest(0.5), 0.0);
        assert_eq!(f32_nearest(1.5), 2.0);
        assert_eq!(f32_nearest(2.5), 2.0);
        assert_eq!(f32_nearest(3.5), 4.0);
        assert_bits32(f32_nearest(-0.5), -0.0);
        assert_bits32(f32_nearest(0.5), 0.0);
        assert_eq!(f32_nearest(-1.5), -2.0);
        assert_eq!(f32_nearest(-2.5), -2.0);
        assert_eq!(f32_nearest(0.49999997), 0.0);
        assert_eq!(f32_nearest(8388609.0), 8388609.0); // 2^23 + 1: already integral
        assert_bits32(f32_nearest(-0.0), -0.0);
        assert_eq!(f32_nearest(f32::INFINITY), f32::INFINITY);

        assert_eq!(f32_ceil(1.1), 2.0);
        assert_eq!(f32_ceil(-1.1), -1.0);
        assert_bits32(f32_ceil(-0.5), -0.0);
        assert_bits32(f32_ceil(-0.0), -0.0);
        assert_eq!(f32_ceil(f32b(1)), 1.0);
        assert_eq!(f32_floor(1.9), 1.0);
        assert_eq!(f32_floor(-1.1), -2.0);
        assert_bits32(f32_floor(0.5), 0.0);
        assert_eq!(f32_floor(f32b(0x8000_0001)), -1.0);
        assert_eq!(f32_trunc(1.9), 1.0);
        assert_eq!(f32_trunc(-1.9), -1.0);
        assert_bits32(f32_trunc(-0.9), -0.0);
        assert_eq!(f32_trunc(f32::NEG_INFINITY), f32::NEG_INFINITY);
    }

    #[test]
    fn f64_rounding() {
        assert_eq!(f64_nearest(0.5), 0.0);
        assert_eq!(f64_nearest(1.5), 2.0);
        assert_eq!(f64_nearest(2.5), 2.0);
        assert_eq!(f64_nearest(3.5), 4.0);
        assert_bits64(f64_nearest(-0.5), -0.0);
        assert_bits64(f64_nearest(0.5), 0.0);
        assert_eq!(f64_nearest(-2.5), -2.0);
        assert_eq!(f64_nearest(0.49999999999999994), 0.0);
        assert_eq!(f64_nearest(4503599627370497.0), 4503599627370497.0); // 2^52 + 1
        assert_bits64(f64_nearest(-0.0), -0.0);

        assert_eq!(f64_ceil(1.1), 2.0);
        assert_bits64(f64_ceil(-0.5), -0.0);
        assert_eq!(f64_ceil(f64b(1)), 1.0);
        assert_eq!(f64_floor(-1.1), -2.0);
        assert_bits64(f64_floor(0.5), 0.0);
        assert_eq!(f64_floor(f64b(0x8000_0000_0000_0001)), -1.0);
        assert_eq!(f64_trunc(-1.9), -1.0);
        assert_bits64(f64_trunc(-0.9), -0.0);
        assert_eq!(f64_trunc(f64::INFINITY), f64::INFINITY);
    }

    // ----- float comparisons -------------------------------------------------------------

    #[test]
    fn float_comparisons() {
        let n32 = f32::NAN;
        assert!(f32_eq(1.0, 1.0) && !f32_eq(1.0, 2.0));
        assert!(f32_eq(0.0, -0.0) && !f32_ne(0.0, -0.0));
        assert!(!f32_lt(-0.0, 0.0) && f32_le(-0.0, 0.0) && f32_ge(-0.0, 0.0));
        assert!(f32_lt(1.0, 2.0) && f32_gt(2.0, 1.0) && f32_le(1.0, 1.0) && f32_ge(1.0, 1.0));
        assert!(f32_lt(f32::NEG_INFINITY, f32::MIN));
        assert!(!f32_eq(n32, n32) && f32_ne(n32, n32) && f32_ne(n32, 1.0) && f32_ne(1.0, n32));
        assert!(!f32_lt(n32, 1.0) && !f32_gt(n32, 1.0) && !f32_le(n32, 1.0) && !f32_ge(n32, 1.0));
        assert!(!f32_lt(1.0, n32) && !f32_gt(1.0, n32) && !f32_le(1.0, n32) && !f32_ge(1.0, n32));

        let n64 = f64b(F64_ODD_NAN);
        assert!(f64_eq(1.0, 1.0) && !f64_eq(1.0, 2.0));
        assert!(f64_eq(0.0, -0.0) && !f64_ne(0.0, -0.0));
        assert!(f64_lt(1.0, 2.0) && f64_gt(2.0, 1.0) && f64_le(1.0, 1.0) && f64_ge(1.0, 1.0));
        assert!(!f64_eq(n64, n64) && f64_ne(n64, n64) && f64_ne(n64, 1.0));
        assert!(!f64_lt(n64, 1.0) && !f64_gt(n64, 1.0) && !f64_le(n64, 1.0) && !f64_ge(n64, 1.0));
        assert!(!f64_lt(1.0, n64) && !f64_gt(1.0, n64) && !f64_le(1.0, n64) && !f64_ge(1.0, n64));
    }

    // ----- trapping float -> int ---------------------------------------------------------

    #[test]
    fn i32_trunc_f32_s_bounds() {
        let t = i32_trunc_f32_s;
        assert_eq!(t(0.0), Ok(0));
        assert_eq!(t(-0.0), Ok(0));
        assert_eq!(t(1.9), Ok(1));
        assert_eq!(t(-1.9), Ok(-1));
        assert_eq!(t(f32b(0x4eff_ffff)), Ok(2_147_483_520)); // largest f32 < 2^31
        assert_eq!(t(f32b(0x4f00_0000)), Err(Ovf)); // 2^31
        assert_eq!(t(f32b(0xcf00_0000)), Ok(i32::MIN)); // -2^31
        assert_eq!(t(f32b(0xcf00_0001)), Err(Ovf)); // -2^31 - 256
        assert_eq!(t(f32::INFINITY), Err(Ovf));
        assert_eq!(t(f32::NEG_INFINITY), Err(Ovf));
        for bits in F32_NANS {
            assert_eq!(t(f32b(bits)), Err(Nan));
        }
    }

    #[test]
    fn i32_trunc_f32_u_bounds() {
        let t = i32_trunc_f32_u;
        assert_eq!(t(0.0), Ok(0));
        assert_eq!(t(-0.0), Ok(0));
        assert_eq!(t(1.9), Ok(1));
        assert_eq!(t(f32b(0xbf7f_ffff)), Ok(0)); // -0.99999994
        assert_eq!(t(-1.0), Err(Ovf));
        assert_eq!(t(2_147_483_648.0), Ok(i32::MIN)); // 2^31 as bits
        assert_eq!(t(f32b(0x4f7f_ffff)), Ok(0xffff_ff00_u32 as i32)); // largest f32 < 2^32
        assert_eq!(t(f32b(0x4f80_0000)), Err(Ovf)); // 2^32
        assert_eq!(t(f32::INFINITY), Err(Ovf));
        assert_eq!(t(f32::NEG_INFINITY), Err(Ovf));
        for bits in F32_NANS {
            assert_eq!(t(f32b(bits)), Err(Nan));
        }
    }

    #[test]
    fn i32_trunc_f64_s_bounds() {
        let t = i32_trunc_f64_s;
        assert_eq!(t(-0.0), Ok(0));
        assert_eq!(t(-1.9), Ok(-1));
        assert_eq!(t(2_147_483_647.0), Ok(i32::MAX));
        assert_eq!(t(f64b(0x41df_ffff_ffff_ffff)), Ok(i32::MAX)); // 2147483647.9999998
        assert_eq!(t(f64b(0x41e0_0000_0000_0000)), Err(Ovf)); // 2^31
        assert_eq!(t(f64b(0xc1e0_0000_0000_0000)), Ok(i32::MIN)); // -2^31
        assert_eq!(t(f64b(0xc1e0_0000_001f_ffff)), Ok(i32::MIN)); // -2147483648.9999995
        assert_eq!(t(f64b(0xc1e0_0000_0020_0000)), Err(Ovf)); // -2147483649
        assert_eq!(t(f64::INFINITY), Err(Ovf));
        assert_eq!(t(f64::NEG_INFINITY), Err(Ovf));
        for bits in F64_NANS {
            assert_eq!(t(f64b(bits)), Err(Nan));
        }
    }

    #[test]
    fn i32_trunc_f64_u_bounds() {
        let t = i32_trunc_f64_u;
        assert_eq!(t(-0.0), Ok(0));
        assert_eq!(t(f64b(0xbfef_ffff_ffff_ffff)), Ok(0)); // -0.9999999999999999
        assert_eq!(t(-1.0), Err(Ovf));
        assert_eq!(t(4_294_967_295.0), Ok(-1));
        assert_eq!(t(f64b(0x41ef_ffff_ffff_ffff)), Ok(-1)); // 4294967295.9999995
        assert_eq!(t(f64b(0x41f0_0000_0000_0000)), Err(Ovf)); // 2^32
        assert_eq!(t(1e30), Err(Ovf));
        assert_eq!(t(f64::INFINITY), Err(Ovf));
        assert_eq!(t(f64::NEG_INFINITY), Err(Ovf));
        for bits in F64_NANS {
            assert_eq!(t(f64b(bits)), Err(Nan));
        }
    }

    #[test]
    fn i64_trunc_f32_bounds() {
        let s = i64_trunc_f32_s;
        assert_eq!(s(-1.9), Ok(-1));
        assert_eq!(s(f32b(0x5eff_ffff)), Ok(9_223_371_487_098_961_920)); // largest f32 < 2^63
        assert_eq!(s(f32b(0x5f00_0000)), Err(Ovf)); // 2^63
        assert_eq!(s(f32b(0xdf00_0000)), Ok(i64::MIN)); // -2^63
        assert_eq!(s(f32b(0xdf00_0001)), Err(Ovf));
        assert_eq!(s(f32::INFINITY), Err(Ovf));
        assert_eq!(s(f32::NEG_INFINITY), Err(Ovf));

        let u = i64_trunc_f32_u;
        assert_eq!(u(f32b(0xbf7f_ffff)), Ok(0));
        assert_eq!(u(-1.0), Err(Ovf));
        assert_eq!(u(f32b(0x5f00_0000)), Ok(i64::MIN)); // 2^63 as bits
        // Largest f32 < 2^64: 18446742974197923840.
        assert_eq!(u(f32b(0x5f7f_ffff)), Ok(0xffff_ff00_0000_0000_u64 as i64));
        assert_eq!(u(f32b(0x5f80_0000)), Err(Ovf)); // 2^64
        assert_eq!(u(f32::INFINITY), Err(Ovf));
        assert_eq!(u(f32::NEG_INFINITY), Err(Ovf));
        for bits in F32_NANS {
            assert_eq!(s(f32b(bits)), Err(Nan));
            assert_eq!(u(f32b(bits)), Err(Nan));
        }
    }

    #[test]
    fn i64_trunc_f64_bounds() {
        let s = i64_trunc_f64_s;
        assert_eq!(s(-1.9), Ok(-1));
        assert_eq!(
            s(f64b(0x43df_ffff_ffff_ffff)),
            Ok(9_223_372_036_854_774_784)
        ); // < 2^63
        assert_eq!(s(f64b(0x43e0_0000_0000_0000)), Err(Ovf)); // 2^63
        assert_eq!(s(f64b(0xc3e0_0000_0000_0000)), Ok(i64::MIN)); // -2^63
        assert_eq!(s(f64b(0xc3e0_0000_0000_0001)), Err(Ovf));
        assert_eq!(s(f64::INFINITY), Err(Ovf));
        assert_eq!(s(f64::NEG_INFINITY), Err(Ovf));

        let u = i64_trunc_f64_u;
        assert_eq!(u(f64b(0xbfef_ffff_ffff_ffff)), Ok(0));
        assert_eq!(u(-1.0), Err(Ovf));
        assert_eq!(u(f64b(0x43e0_0000_0000_0000)), Ok(i64::MIN)); // 2^63 as bits
        // Largest f64 < 2^64: 18446744073709549568.
        assert_eq!(
            u(f64b(0x43ef_ffff_ffff_ffff)),
            Ok(0xffff_ffff_ffff_f800_u64 as i64)
        );
        assert_eq!(u(f64b(0x43f0_0000_0000_0000)), Err(Ovf)); // 2^64
        assert_eq!(u(f64::INFINITY), Err(Ovf));
        assert_eq!(u(f64::NEG_INFINITY), Err(Ovf));
        for bits in F64_NANS {
            assert_eq!(s(f64b(bits)), Err(Nan));
            assert_eq!(u(f64b(bits)), Err(Nan));
        }
    }

    // ----- saturating float -> int -------------------------------------------------------

    #[test]
    fn trunc_sat() {
        assert_eq!(i32_trunc_sat_f32_s(f32::NAN), 0);
        assert_eq!(i32_trunc_sat_f32_s(f32b(F32_ODD_NAN)), 0);
        assert_eq!(i32_trunc_sat_f32_s(-1.9), -1);
        assert_eq!(i32_trunc_sat_f32_s(f32b(0x4f00_0000)), i32::MAX);
        assert_eq!(i32_trunc_sat_f32_s(f32b(0xcf00_0001)), i32::MIN);
        assert_eq!(i32_trunc_sat_f32_s(f32::INFINITY), i32::MAX);
        assert_eq!(i32_trunc_sat_f32_s(f32::NEG_INFINITY), i32::MIN);

        assert_eq!(i32_trunc_sat_f32_u(f32::NAN), 0);
        assert_eq!(i32_trunc_sat_f32_u(-1.0), 0);
        assert_eq!(i32_trunc_sat_f32_u(f32b(0xbf7f_ffff)), 0);
        assert_eq!(i32_trunc_sat_f32_u(f32b(0x4f80_0000)), -1);
        assert_eq!(i32_trunc_sat_f32_u(f32::INFINITY), -1);
        assert_eq!(i32_trunc_sat_f32_u(2_147_483_648.0), i32::MIN);

        assert_eq!(i32_trunc_sat_f64_s(f64::NAN), 0);
        assert_eq!(i32_trunc_sat_f64_s(f64b(0x41df_ffff_ffff_ffff)), i32::MAX);
        assert_eq!(i32_trunc_sat_f64_s(f64b(0xc1e0_0000_0020_0000)), i32::MIN);
        assert_eq!(i32_trunc_sat_f64_s(1e300), i32::MAX);
        assert_eq!(i32_trunc_sat_f64_u(f64b(F64_ODD_QNAN)), 0);
        assert_eq!(i32_trunc_sat_f64_u(-1e300), 0);
        assert_eq!(i32_trunc_sat_f64_u(4_294_967_295.5), -1);
        assert_eq!(i32_trunc_sat_f64_u(4_294_967_296.0), -1);

        assert_eq!(i64_trunc_sat_f32_s(f32::NAN), 0);
        assert_eq!(i64_trunc_sat_f32_s(f32b(0x5f00_0000)), i64::MAX);
        assert_eq!(i64_trunc_sat_f32_s(f32::NEG_INFINITY), i64::MIN);
        assert_eq!(i64_trunc_sat_f32_u(f32::NAN), 0);
        assert_eq!(i64_trunc_sat_f32_u(-5.0), 0);
        assert_eq!(i64_trunc_sat_f32_u(f32b(0x5f80_0000)), -1);
        assert_eq!(i64_trunc_sat_f32_u(f32b(0x5f00_0000)), i64::MIN);

        assert_eq!(i64_trunc_sat_f64_s(f64::NAN), 0);
        assert_eq!(i64_trunc_sat_f64_s(f64b(0x43e0_0000_0000_0000)), i64::MAX);
        assert_eq!(i64_trunc_sat_f64_s(f64b(0xc3e0_0000_0000_0000)), i64::MIN);
        assert_eq!(i64_trunc_sat_f64_s(f64b(0xc3e0_0000_0000_0001)), i64::MIN);
        assert_eq!(i64_trunc_sat_f64_s(-1.5), -1);
        assert_eq!(i64_trunc_sat_f64_u(f64::NAN), 0);
        assert_eq!(i64_trunc_sat_f64_u(f64::NEG_INFINITY), 0);
        assert_eq!(i64_trunc_sat_f64_u(f64b(0x43f0_0000_0000_0000)), -1);
        assert_eq!(
            i64_trunc_sat_f64_u(f64b(0x43ef_ffff_ffff_ffff)),
            0xffff_ffff_ffff_f800_u64 as i64
        );
    }

    // ----- int -> float, demote, promote -------------------------------------------------

    #[test]
    fn convert_int_to_float() {
        assert_eq!(f32_convert_i32_s(-1), -1.0);
        assert_eq!(f32_convert_i32_s(i32::MIN), -2_147_483_648.0);
        // 2^24 + 1 ties to even (2^24); 2^24 + 3 ties to even (2^24 + 4).
        assert_eq!(f32_convert_i32_s(16_777_217), 16_777_216.0);
        assert_eq!(f32_convert_i32_s(16_777_219), 16_777_220.0);
        assert_eq!(f32_convert_i32_u(-1), 4_294_967_296.0);
        assert_eq!(f32_convert_i32_u(i32::MIN), 2_147_483_648.0);
        assert_bits32(f32_convert_i32_u(0), 0.0);
        assert_bits32(f32_convert_i32_s(0), 0.0);

        assert_eq!(f32_convert_i64_s(i64::MIN), f32b(0xdf00_0000));
        assert_eq!(f32_convert_i64_s(i64::MAX), f32b(0x5f00_0000));
        // Single rounding (no double rounding through f64): spec test values.
        assert_eq!(f32_convert_i64_s(0x0020_0000_2000_0001), f32b(0x5a00_0001));
        assert_eq!(f32_convert_i64_s(-0x0020_0000_2000_0001), f32b(0xda00_0001));
        assert_eq!(f32_convert_i64_u(-1), f32b(0x5f80_0000));
        assert_eq!(f32_convert_i64_u(i64::MIN), f32b(0x5f00_0000));
        assert_eq!(f32_convert_i64_u(0x0020_0000_2000_0001), f32b(0x5a00_0001));
        assert_eq!(
            f32_convert_i64_u(0xffff_ff7f_ffff_ffff_u64 as i64),
            f32b(0x5f7f_ffff)
        );

        assert_eq!(f64_convert_i32_s(i32::MIN), -2_147_483_648.0);
        assert_eq!(f64_convert_i32_s(-1), -1.0);
        assert_eq!(f64_convert_i32_u(-1), 4_294_967_295.0);
        assert_eq!(f64_convert_i32_u(i32::MIN), 2_147_483_648.0);
        assert_eq!(f64_convert_i64_s(i64::MIN), -9_223_372_036_854_775_808.0);
        // 2^53 + 1 ties to even (2^53); 2^53 + 3 ties to even (2^53 + 4).
        assert_eq!(
            f64_convert_i64_s(9_007_199_254_740_993),
            9_007_199_254_740_992.0
        );
        assert_eq!(
            f64_convert_i64_s(9_007_199_254_740_995),
            9_007_199_254_740_996.0
        );
        assert_eq!(f64_convert_i64_u(-1), f64b(0x43f0_0000_0000_0000));
        assert_eq!(f64_convert_i64_u(i64::MIN), f64b(0x43e0_0000_0000_0000));
        assert_eq!(
            f64_convert_i64_u(0x8000_0000_0000_0401_u64 as i64),
            f64b(0x43e0_0000_0000_0001)
        );
    }

    #[test]
    fn demote_promote() {
        assert_eq!(f32_demote_f64(1.5), 1.5);
        assert_bits32(f32_demote_f64(-0.0), -0.0);
        assert_eq!(f32_demote_f64(f64::INFINITY), f32::INFINITY);
        assert_eq!(f32_demote_f64(f64::MAX), f32::INFINITY);
        assert_eq!(f32_demote_f64(f64::MIN), f32::NEG_INFINITY);
        assert_eq!(f32_demote_f64(f32::MAX as f64), f32::MAX);
        // 1 + 2^-24 is a tie: rounds to even (1.0); 1 + 3 * 2^-24 rounds up to 1 + 2^-22.
        assert_eq!(f32_demote_f64(f64b(0x3ff0_0000_1000_0000)), 1.0);
        assert_eq!(
            f32_demote_f64(f64b(0x3ff0_0000_3000_0000)),
            f32b(0x3f80_0002)
        );
        // Just above the tie rounds up.
        assert_eq!(
            f32_demote_f64(f64b(0x3ff0_0000_1000_0001)),
            f32b(0x3f80_0001)
        );
        // Tiny values underflow to (signed) zero.
        assert_bits32(f32_demote_f64(f64b(1)), 0.0);
        assert_bits32(f32_demote_f64(-f64b(1)), -0.0);
        // Largest value rounding to f32::MAX, and the first rounding to infinity.
        assert_eq!(f32_demote_f64(f64b(0x47ef_ffff_efff_ffff)), f32::MAX);
        assert_eq!(f32_demote_f64(f64b(0x47ef_ffff_f000_0000)), f32::INFINITY);
        for bits in F64_NANS {
            assert_canon32(f32_demote_f64(f64b(bits)));
        }

        assert_eq!(f64_promote_f32(1.5), 1.5);
        assert_bits64(f64_promote_f32(-0.0), -0.0);
        assert_eq!(f64_promote_f32(f32::NEG_INFINITY), f64::NEG_INFINITY);
        assert_eq!(f64_promote_f32(f32::MAX), f64b(0x47ef_ffff_e000_0000));
        assert_eq!(f64_promote_f32(f32b(1)), f64b(0x36a0_0000_0000_0000));
        for bits in F32_NANS {
            assert_canon64(f64_promote_f32(f32b(bits)));
        }
    }
}
