//! Parsing `gauge run` arguments by the invoked function's parameter types.
//!
//! Accepted forms:
//!
//! * `i32`, `i64`: decimal (`42`, `-7`, `+3`) or hexadecimal with `0x` (`0xff`, `-0x10`). Any
//!   value that fits the width as a signed *or* an unsigned number is accepted and kept as its
//!   bits, so `0xffffffff` and `4294967295` both give the `i32` `-1`.
//! * `f32`, `f64`: a decimal (`1.5`, `-0`, `2.5e-3`, rounded to nearest even), `inf`,
//!   `infinity` or `nan` with an optional sign (`nan` is the canonical quiet NaN), or the exact
//!   IEEE bit pattern with `0x` (`0x7fc00000`; at most 8 or 16 hex digits, no sign).
//! * `funcref`: `null` only.
//! * `externref`: `null`, or an integer `0..=4294967295` that becomes a host reference to that
//!   number (printed back as `externref:N`).

use gauge_interpreter::{F32, F64, FuncType, ValType, Value};

/// A parsed argument. `externref` arguments need the store to become a [`Value`], so they stay
/// symbolic until then.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arg {
    /// A value ready to pass.
    Value(Value),
    /// A non-null `externref` carrying this number.
    Extern(u32),
}

/// Parse `texts` as the arguments of function `name` of type `ty`; the error is one line.
pub fn parse_args(name: &str, ty: &FuncType, texts: &[String]) -> Result<Vec<Arg>, String> {
    let params = ty.params();
    if texts.len() != params.len() {
        let types = params
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ");
        return Err(format!(
            "`{name}` takes {} argument{} ({}), {} given",
            params.len(),
            if params.len() == 1 { "" } else { "s" },
            if types.is_empty() { "none" } else { &types },
            texts.len()
        ));
    }
    params
        .iter()
        .zip(texts)
        .enumerate()
        .map(|(i, (ty, text))| {
            parse_arg(*ty, text)
                .map_err(|why| format!("argument {} of `{name}` ({ty}): `{text}`: {why}", i + 1))
        })
        .collect()
}

/// Parse one argument of type `ty`; the error says what was expected.
pub fn parse_arg(ty: ValType, text: &str) -> Result<Arg, String> {
    const INT: &str = "expected a decimal or 0x hexadecimal integer";
    let value = match ty {
        ValType::I32 => Value::I32(parse_int(text, 32).ok_or(INT)? as u32 as i32),
        ValType::I64 => Value::I64(parse_int(text, 64).ok_or(INT)? as u64 as i64),
        ValType::F32 => Value::F32(F32::from_bits(parse_f32(text)?)),
        ValType::F64 => Value::F64(F64::from_bits(parse_f64(text)?)),
        ValType::FuncRef if text == "null" => Value::FuncRef(None),
        ValType::FuncRef => return Err("a funcref argument can only be `null`".into()),
        ValType::ExternRef if text == "null" => Value::ExternRef(None),
        ValType::ExternRef => {
            let n = parse_unsigned(text).filter(|&n| n <= u32::MAX as u128);
            return n
                .map(|n| Arg::Extern(n as u32))
                .ok_or_else(|| "expected `null` or an integer 0..=4294967295".into());
        }
    };
    Ok(Arg::Value(value))
}

/// Split an optional leading `-` or `+`; `true` means negative.
fn split_sign(text: &str) -> (bool, &str) {
    match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    }
}

/// The hex digits after a `0x` / `0X` prefix, if there is one.
fn strip_hex(text: &str) -> Option<&str> {
    text.strip_prefix("0x").or_else(|| text.strip_prefix("0X"))
}

/// An unsigned decimal or `0x` hexadecimal number without sign.
fn parse_unsigned(text: &str) -> Option<u128> {
    let (digits, radix) = match strip_hex(text) {
        Some(hex) => (hex, 16),
        None => (text, 10),
    };
    // `from_str_radix` would accept a sign of its own; only digits are allowed here.
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u128::from_str_radix(digits, radix).ok()
}

/// A signed or unsigned integer that fits in `bits` bits, as its two's-complement bits.
fn parse_int(text: &str, bits: u32) -> Option<u128> {
    let (negative, rest) = split_sign(text);
    let magnitude = parse_unsigned(rest)?;
    let modulus = 1u128 << bits;
    if negative {
        (magnitude <= modulus / 2).then(|| (modulus - magnitude) % modulus)
    } else {
        (magnitude < modulus).then_some(magnitude)
    }
}

/// What a float argument may look like, for error messages.
const FLOAT: &str = "expected a decimal, inf, nan, or a 0x bit pattern";

/// Whether `rest` (a float without its sign) looks like a decimal: it starts with a digit or
/// `.` and holds only the characters a decimal float may contain. Rust's parser decides the
/// rest (and would otherwise also accept words such as `infinity` in any case).
fn decimal_float_text(rest: &str) -> bool {
    rest.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
}

/// Parse an `f32` argument to its bits.
fn parse_f32(text: &str) -> Result<u32, String> {
    if let Some(hex) = strip_hex(text) {
        return bit_pattern(hex, 8).map(|b| b as u32);
    }
    let (negative, rest) = split_sign(text);
    let sign = if negative { 0x8000_0000 } else { 0 };
    let magnitude = match rest.to_ascii_lowercase().as_str() {
        "nan" => 0x7fc0_0000,
        "inf" | "infinity" => f32::INFINITY.to_bits(),
        _ if decimal_float_text(rest) => rest.parse::<f32>().map_err(|_| FLOAT)?.to_bits(),
        _ => return Err(FLOAT.into()),
    };
    Ok(magnitude | sign)
}

/// Parse an `f64` argument to its bits.
fn parse_f64(text: &str) -> Result<u64, String> {
    if let Some(hex) = strip_hex(text) {
        return bit_pattern(hex, 16);
    }
    let (negative, rest) = split_sign(text);
    let sign = if negative { 0x8000_0000_0000_0000 } else { 0 };
    let magnitude = match rest.to_ascii_lowercase().as_str() {
        "nan" => 0x7ff8_0000_0000_0000,
        "inf" | "infinity" => f64::INFINITY.to_bits(),
        _ if decimal_float_text(rest) => rest.parse::<f64>().map_err(|_| FLOAT)?.to_bits(),
        _ => return Err(FLOAT.into()),
    };
    Ok(magnitude | sign)
}

/// The bits of a `0x` float bit pattern of at most `max_digits` hex digits.
fn bit_pattern(hex: &str, max_digits: usize) -> Result<u64, String> {
    if hex.is_empty() || hex.len() > max_digits || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!(
            "a bit pattern is 0x and 1 to {max_digits} hex digits"
        ));
    }
    u64::from_str_radix(hex, 16).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn val(ty: ValType, text: &str) -> Value {
        match parse_arg(ty, text) {
            Ok(Arg::Value(v)) => v,
            other => panic!("{text}: {other:?}"),
        }
    }

    fn f32_bits(text: &str) -> u32 {
        match val(ValType::F32, text) {
            Value::F32(f) => f.to_bits(),
            v => panic!("{v:?}"),
        }
    }

    fn f64_bits(text: &str) -> u64 {
        match val(ValType::F64, text) {
            Value::F64(f) => f.to_bits(),
            v => panic!("{v:?}"),
        }
    }

    #[test]
    fn integers_decimal_hex_and_signs() {
        assert_eq!(val(ValType::I32, "42"), Value::I32(42));
        assert_eq!(val(ValType::I32, "-7"), Value::I32(-7));
        assert_eq!(val(ValType::I32, "+3"), Value::I32(3));
        assert_eq!(val(ValType::I32, "0x10"), Value::I32(16));
        assert_eq!(val(ValType::I32, "0XfF"), Value::I32(255));
        assert_eq!(val(ValType::I32, "-0x10"), Value::I32(-16));
        assert_eq!(val(ValType::I32, "0xffffffff"), Value::I32(-1));
        assert_eq!(val(ValType::I32, "4294967295"), Value::I32(-1));
        assert_eq!(val(ValType::I32, "-2147483648"), Value::I32(i32::MIN));
        assert_eq!(val(ValType::I32, "-0"), Value::I32(0));
        assert_eq!(
            val(ValType::I64, "-9223372036854775808"),
            Value::I64(i64::MIN)
        );
        assert_eq!(val(ValType::I64, "18446744073709551615"), Value::I64(-1));
        assert_eq!(
            val(ValType::I64, "0x8000000000000000"),
            Value::I64(i64::MIN)
        );
    }

    #[test]
    fn integers_out_of_range_or_malformed() {
        for bad in [
            "4294967296",
            "-2147483649",
            "0x100000000",
            "",
            "-",
            "0x",
            "1.5",
            "1e3",
            "--1",
            "+-1",
            "-+1",
            "++1",
            "0x-1",
            "12a",
            " 1",
            "1_000",
            "nan",
        ] {
            assert!(parse_arg(ValType::I32, bad).is_err(), "{bad:?} accepted");
        }
        assert!(parse_arg(ValType::I64, "18446744073709551616").is_err());
        assert!(parse_arg(ValType::I64, "-9223372036854775809").is_err());
    }

    #[test]
    fn floats_decimal_and_special() {
        assert_eq!(f32_bits("1.5"), 0x3fc0_0000);
        assert_eq!(f32_bits("-1.5"), 0xbfc0_0000);
        assert_eq!(f32_bits("0"), 0);
        assert_eq!(f32_bits("-0"), 0x8000_0000);
        assert_eq!(f32_bits("inf"), 0x7f80_0000);
        assert_eq!(f32_bits("-Infinity"), 0xff80_0000);
        assert_eq!(f32_bits("nan"), 0x7fc0_0000);
        assert_eq!(f32_bits("-nan"), 0xffc0_0000);
        assert_eq!(f32_bits("1e-3"), 0.001f32.to_bits());
        assert_eq!(f32_bits(".5"), 0x3f00_0000);
        assert_eq!(
            f32_bits("1e100"),
            0x7f80_0000,
            "overflow rounds to infinity"
        );
        assert_eq!(f64_bits("0.1"), 0.1f64.to_bits());
        assert_eq!(f64_bits("-0"), 0x8000_0000_0000_0000);
        assert_eq!(f64_bits("NaN"), 0x7ff8_0000_0000_0000);
        assert_eq!(f64_bits("inf"), 0x7ff0_0000_0000_0000);
    }

    #[test]
    fn floats_as_bit_patterns() {
        assert_eq!(f32_bits("0x7fc00001"), 0x7fc0_0001);
        assert_eq!(f32_bits("0xffc00000"), 0xffc0_0000);
        assert_eq!(f32_bits("0x1"), 1);
        assert_eq!(f64_bits("0x7ff4000000000000"), 0x7ff4_0000_0000_0000);
        assert!(
            parse_arg(ValType::F32, "0x123456789").is_err(),
            "too many digits for f32"
        );
        assert!(parse_arg(ValType::F64, "0x12345678912345678").is_err());
        assert!(
            parse_arg(ValType::F32, "-0x1").is_err(),
            "bit patterns take no sign"
        );
        assert!(
            parse_arg(ValType::F32, "0x1.8p1").is_err(),
            "hex floats are not bit patterns"
        );
        assert!(parse_arg(ValType::F32, "0x").is_err());
    }

    #[test]
    fn floats_malformed() {
        for bad in [
            "", "-", "abc", "1.5f", "nan:0x1", "infinite", "1,5", "e5", "+-1", " 1",
        ] {
            assert!(parse_arg(ValType::F64, bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn references() {
        assert_eq!(val(ValType::FuncRef, "null"), Value::FuncRef(None));
        assert_eq!(val(ValType::ExternRef, "null"), Value::ExternRef(None));
        assert_eq!(parse_arg(ValType::ExternRef, "7"), Ok(Arg::Extern(7)));
        assert!(parse_arg(ValType::FuncRef, "0").is_err());
        assert!(parse_arg(ValType::ExternRef, "-1").is_err());
        assert!(parse_arg(ValType::ExternRef, "4294967296").is_err());
    }

    #[test]
    fn count_and_position_in_messages() {
        let ty = FuncType::new([ValType::I32, ValType::F64], []);
        let e = parse_args("f", &ty, &["1".into()]).unwrap_err();
        assert_eq!(e, "`f` takes 2 arguments (i32 f64), 1 given");
        let e = parse_args("f", &ty, &["1".into(), "x".into()]).unwrap_err();
        assert!(
            e.starts_with("argument 2 of `f` (f64): `x`: expected"),
            "{e}"
        );
        let none = FuncType::new([], []);
        let e = parse_args("g", &none, &["1".into()]).unwrap_err();
        assert_eq!(e, "`g` takes 0 arguments (none), 1 given");
        let one = FuncType::new([ValType::I64], []);
        let e = parse_args("h", &one, &[]).unwrap_err();
        assert_eq!(e, "`h` takes 1 argument (i64), 0 given");
        assert_eq!(
            parse_args("f", &ty, &["-1".into(), "0.5".into()]).unwrap(),
            vec![
                Arg::Value(Value::I32(-1)),
                Arg::Value(Value::F64(0.5f64.into()))
            ]
        );
    }
}
