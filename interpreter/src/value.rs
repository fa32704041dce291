//! Runtime values.

use crate::types::ValType;
use crate::{ExternRef, Func};

/// A 32-bit float kept as its bit pattern, so NaN payloads survive every move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct F32(u32);

impl F32 {
    /// From raw IEEE bits.
    pub fn from_bits(bits: u32) -> Self {
        Self(bits)
    }
    /// The raw IEEE bits.
    pub fn to_bits(self) -> u32 {
        self.0
    }
    /// As a Rust float.
    pub fn to_float(self) -> f32 {
        f32::from_bits(self.0)
    }
}

impl From<f32> for F32 {
    fn from(v: f32) -> Self {
        Self(v.to_bits())
    }
}

/// A 64-bit float kept as its bit pattern, so NaN payloads survive every move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct F64(u64);

impl F64 {
    /// From raw IEEE bits.
    pub fn from_bits(bits: u64) -> Self {
        Self(bits)
    }
    /// The raw IEEE bits.
    pub fn to_bits(self) -> u64 {
        self.0
    }
    /// As a Rust float.
    pub fn to_float(self) -> f64 {
        f64::from_bits(self.0)
    }
}

impl From<f64> for F64 {
    fn from(v: f64) -> Self {
        Self(v.to_bits())
    }
}

/// A WebAssembly value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`, as bits.
    F32(F32),
    /// An `f64`, as bits.
    F64(F64),
    /// A `funcref`, `None` being null.
    FuncRef(Option<Func>),
    /// An `externref`, `None` being null.
    ExternRef(Option<ExternRef>),
}

impl Value {
    /// The type of this value.
    pub fn ty(&self) -> ValType {
        match self {
            Value::I32(_) => ValType::I32,
            Value::I64(_) => ValType::I64,
            Value::F32(_) => ValType::F32,
            Value::F64(_) => ValType::F64,
            Value::FuncRef(_) => ValType::FuncRef,
            Value::ExternRef(_) => ValType::ExternRef,
        }
    }

    /// The zero value (or null) of a type: what locals, globals and table slots start as.
    pub fn default_for(ty: ValType) -> Self {
        Self::from_slot(ty, 0)
    }

    /// Encode as a raw 64-bit slot (see [`crate::ir`] for the representation).
    pub(crate) fn to_slot(self) -> u64 {
        match self {
            Value::I32(v) => v as u32 as u64,
            Value::I64(v) => v as u64,
            Value::F32(v) => v.to_bits() as u64,
            Value::F64(v) => v.to_bits(),
            Value::FuncRef(f) => f.map_or(0, |f| f.0 as u64 + 1),
            Value::ExternRef(e) => e.map_or(0, |e| e.0 as u64 + 1),
        }
    }

    /// Decode a raw slot as a value of type `ty`.
    pub(crate) fn from_slot(ty: ValType, slot: u64) -> Self {
        match ty {
            ValType::I32 => Value::I32(slot as u32 as i32),
            ValType::I64 => Value::I64(slot as i64),
            ValType::F32 => Value::F32(F32::from_bits(slot as u32)),
            ValType::F64 => Value::F64(F64::from_bits(slot)),
            ValType::FuncRef => Value::FuncRef(slot.checked_sub(1).map(|a| Func(a as u32))),
            ValType::ExternRef => {
                Value::ExternRef(slot.checked_sub(1).map(|a| ExternRef(a as u32)))
            }
        }
    }

    /// The `i32`, if this is one.
    pub fn i32(&self) -> Option<i32> {
        match self {
            Value::I32(v) => Some(*v),
            _ => None,
        }
    }

    /// The `i64`, if this is one.
    pub fn i64(&self) -> Option<i64> {
        match self {
            Value::I64(v) => Some(*v),
            _ => None,
        }
    }
}

impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::I32(v)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::I64(v)
    }
}
impl From<f32> for Value {
    fn from(v: f32) -> Self {
        Value::F32(v.into())
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::F64(v.into())
    }
}
