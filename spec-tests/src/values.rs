//! Converting script arguments to Gauge values, matching results against expectations, and
//! printing both for failure messages.

use gauge_interpreter::{ExternRef, F32, F64, Store, Value};
use wast::core::{AbstractHeapType, HeapType, NanPattern, WastArgCore, WastRetCore};
use wast::{WastArg, WastRet};

/// A script argument as a Gauge value; `ref.extern N` creates a host reference holding `N`.
pub(crate) fn arg(store: &mut Store<()>, arg: &WastArg<'_>) -> Result<Value, String> {
    let WastArg::Core(core) = arg else {
        return Err("unsupported argument: component-model value".into());
    };
    Ok(match core {
        WastArgCore::I32(v) => Value::I32(*v),
        WastArgCore::I64(v) => Value::I64(*v),
        WastArgCore::F32(v) => Value::F32(F32::from_bits(v.bits)),
        WastArgCore::F64(v) => Value::F64(F64::from_bits(v.bits)),
        WastArgCore::RefNull(heap) => match abstract_heap(heap) {
            Some(AbstractHeapType::Func) => Value::FuncRef(None),
            Some(AbstractHeapType::Extern) => Value::ExternRef(None),
            _ => return Err(format!("unsupported argument: ref.null of {heap:?}")),
        },
        WastArgCore::RefExtern(n) => Value::ExternRef(Some(ExternRef::new(store, *n))),
        WastArgCore::V128(_) => return Err("unsupported argument: v128 (SIMD)".into()),
        WastArgCore::RefHost(_) => return Err("unsupported argument: ref.host".into()),
    })
}

fn abstract_heap(heap: &HeapType<'_>) -> Option<AbstractHeapType> {
    match heap {
        HeapType::Abstract { shared: false, ty } => Some(*ty),
        _ => None,
    }
}

/// Check `actual` against the expected results; `Err` says what differs.
pub(crate) fn check_results(
    store: &Store<()>,
    actual: &[Value],
    expected: &[WastRet<'_>],
) -> Result<(), String> {
    let mut core = Vec::with_capacity(expected.len());
    for e in expected {
        match e {
            WastRet::Core(c) => core.push(c),
            _ => return Err("unsupported expected result: component-model value".into()),
        }
    }
    let mismatch = || {
        format!(
            "result mismatch: expected {}, got {}",
            list(core.iter().map(|e| show_expected(e))),
            list(actual.iter().map(|v| show_value(store, v)))
        )
    };
    if actual.len() != core.len() {
        return Err(mismatch());
    }
    for (v, e) in actual.iter().zip(&core) {
        if !matches(store, v, e)? {
            return Err(mismatch());
        }
    }
    Ok(())
}

fn list(items: impl Iterator<Item = String>) -> String {
    format!("[{}]", items.collect::<Vec<_>>().join(", "))
}

/// Whether `v` matches `expected`; `Err` for expectations this runner does not support.
fn matches(store: &Store<()>, v: &Value, expected: &WastRetCore<'_>) -> Result<bool, String> {
    Ok(match (expected, v) {
        (WastRetCore::I32(e), Value::I32(a)) => e == a,
        (WastRetCore::I64(e), Value::I64(a)) => e == a,
        (WastRetCore::F32(p), Value::F32(a)) => {
            let bits = a.to_bits();
            match p {
                NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
                NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
                NanPattern::Value(e) => e.bits == bits,
            }
        }
        (WastRetCore::F64(p), Value::F64(a)) => {
            let bits = a.to_bits();
            match p {
                NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
                NanPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
                NanPattern::Value(e) => e.bits == bits,
            }
        }
        (WastRetCore::RefNull(heap), v) => match (heap.as_ref().map(abstract_heap), v) {
            (None, Value::FuncRef(r)) => r.is_none(),
            (None, Value::ExternRef(r)) => r.is_none(),
            (Some(Some(AbstractHeapType::Func | AbstractHeapType::NoFunc)), Value::FuncRef(r)) => {
                r.is_none()
            }
            (
                Some(Some(AbstractHeapType::Extern | AbstractHeapType::NoExtern)),
                Value::ExternRef(r),
            ) => r.is_none(),
            (Some(Some(AbstractHeapType::Func | AbstractHeapType::NoFunc)), _)
            | (Some(Some(AbstractHeapType::Extern | AbstractHeapType::NoExtern)), _)
            | (None, _) => false,
            (Some(_), _) => {
                return Err(format!("unsupported expected result: ref.null of {heap:?}"));
            }
        },
        (WastRetCore::RefExtern(e), Value::ExternRef(a)) => match (e, a) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(n), Some(r)) => r.data(store).downcast_ref::<u32>() == Some(n),
        },
        (WastRetCore::RefFunc(_), Value::FuncRef(a)) => a.is_some(),
        (WastRetCore::Either(cases), v) => {
            for case in cases {
                if matches(store, v, case)? {
                    return Ok(true);
                }
            }
            false
        }
        (
            WastRetCore::I32(_)
            | WastRetCore::I64(_)
            | WastRetCore::F32(_)
            | WastRetCore::F64(_)
            | WastRetCore::RefExtern(_)
            | WastRetCore::RefFunc(_),
            _,
        ) => false,
        (other, _) => {
            return Err(format!(
                "unsupported expected result: {}",
                show_expected(other)
            ));
        }
    })
}

/// A value in script syntax, floats with their bits.
pub(crate) fn show_value(store: &Store<()>, v: &Value) -> String {
    match v {
        Value::I32(x) => format!("(i32.const {x})"),
        Value::I64(x) => format!("(i64.const {x})"),
        Value::F32(x) => format!("(f32.const {:?} ;0x{:08x})", x.to_float(), x.to_bits()),
        Value::F64(x) => format!("(f64.const {:?} ;0x{:016x})", x.to_float(), x.to_bits()),
        Value::FuncRef(None) => "(ref.null func)".into(),
        Value::FuncRef(Some(f)) => format!("(ref.func {f:?})"),
        Value::ExternRef(None) => "(ref.null extern)".into(),
        Value::ExternRef(Some(r)) => match r.data(store).downcast_ref::<u32>() {
            Some(n) => format!("(ref.extern {n})"),
            None => "(ref.extern <foreign payload>)".into(),
        },
    }
}

/// An expected result in script syntax.
fn show_expected(e: &WastRetCore<'_>) -> String {
    fn nan<T>(p: &NanPattern<T>, ty: &str, value: impl Fn(&T) -> String) -> String {
        match p {
            NanPattern::CanonicalNan => format!("({ty}.const nan:canonical)"),
            NanPattern::ArithmeticNan => format!("({ty}.const nan:arithmetic)"),
            NanPattern::Value(v) => format!("({ty}.const {})", value(v)),
        }
    }
    match e {
        WastRetCore::I32(x) => format!("(i32.const {x})"),
        WastRetCore::I64(x) => format!("(i64.const {x})"),
        WastRetCore::F32(p) => nan(p, "f32", |v| {
            format!("{:?} ;0x{:08x}", f32::from_bits(v.bits), v.bits)
        }),
        WastRetCore::F64(p) => nan(p, "f64", |v| {
            format!("{:?} ;0x{:016x}", f64::from_bits(v.bits), v.bits)
        }),
        WastRetCore::RefNull(None) => "(ref.null)".into(),
        WastRetCore::RefNull(Some(h)) => match abstract_heap(h) {
            Some(AbstractHeapType::Func) => "(ref.null func)".into(),
            Some(AbstractHeapType::Extern) => "(ref.null extern)".into(),
            _ => format!("(ref.null {h:?})"),
        },
        WastRetCore::RefExtern(None) => "(ref.extern)".into(),
        WastRetCore::RefExtern(Some(n)) => format!("(ref.extern {n})"),
        WastRetCore::RefFunc(_) => "(ref.func)".into(),
        WastRetCore::Either(cases) => {
            let cases: Vec<String> = cases.iter().map(show_expected).collect();
            format!("(either {})", cases.join(" "))
        }
        WastRetCore::V128(_) => "(v128.const ...)".into(),
        other => format!("{other:?}"),
    }
}
