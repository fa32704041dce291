//! Functions: handles, typed calls and host functions.

use std::marker::PhantomData;
use std::sync::Arc;

use crate::store::{Extern, Store};
use crate::types::{FuncType, ValType};
use crate::value::{F32, F64, Value};
use crate::{Error, ExternRef, Instance};

/// A handle to a function (WebAssembly or host) in a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Func(pub(crate) u32);

impl Func {
    /// A host function of type `ty` that works on [`Value`]s.
    pub fn new<T>(
        store: &mut Store<T>,
        ty: FuncType,
        f: impl Fn(Caller<'_, T>, &[Value], &mut [Value]) -> Result<(), Error> + Send + Sync + 'static,
    ) -> Self {
        let host = untyped_host(ty.clone(), f);
        store.push_host(&ty, host)
    }

    /// A host function from a Rust closure with typed parameters and results; the closure
    /// may take a [`Caller`] first.
    pub fn wrap<T, Params, Results>(
        store: &mut Store<T>,
        f: impl IntoFunc<T, Params, Results>,
    ) -> Self {
        let (ty, host) = f.into_func();
        store.push_host(&ty, host)
    }

    /// The function's index in its store: stable for the store's lifetime, in creation order.
    pub fn index(&self) -> u32 {
        self.0
    }

    /// The function's type.
    pub fn ty<T>(&self, store: &Store<T>) -> FuncType {
        let e = store.inner.funcs[self.0 as usize];
        store.inner.types[e.ty() as usize].clone()
    }

    /// Call the function with `params`, writing its results to `results`.
    ///
    /// Argument and result counts and types are checked against the function's type.
    pub fn call<T>(
        &self,
        store: &mut Store<T>,
        params: &[Value],
        results: &mut [Value],
    ) -> Result<(), Error> {
        let ty = self.ty(store);
        if params.len() != ty.params().len()
            || params.iter().zip(ty.params()).any(|(v, t)| v.ty() != *t)
        {
            return Err(Error::Type(format!(
                "arguments do not match the function type {ty}"
            )));
        }
        if results.len() != ty.results().len() {
            return Err(Error::Type(format!(
                "expected {} result slots, got {}",
                ty.results().len(),
                results.len()
            )));
        }
        let mut slots: Vec<u64> = params.iter().map(|v| v.to_slot()).collect();
        crate::exec::call(store, self.0, &mut slots)?;
        for (r, (t, s)) in results.iter_mut().zip(ty.results().iter().zip(slots)) {
            *r = Value::from_slot(*t, s);
        }
        Ok(())
    }

    /// A typed view of this function, checked against its type.
    pub fn typed<P: WasmParams, R: WasmResults, T>(
        &self,
        store: &Store<T>,
    ) -> Result<TypedFunc<P, R>, Error> {
        let ty = self.ty(store);
        if !P::matches(ty.params()) || !R::matches(ty.results()) {
            return Err(Error::Type(format!(
                "function type {ty} does not match the typed view"
            )));
        }
        Ok(TypedFunc {
            func: *self,
            _marker: PhantomData,
        })
    }
}

/// A function with statically known parameter and result types.
pub struct TypedFunc<P, R> {
    func: Func,
    _marker: PhantomData<fn(P) -> R>,
}

impl<P, R> Clone for TypedFunc<P, R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P, R> Copy for TypedFunc<P, R> {}

impl<P: WasmParams, R: WasmResults> TypedFunc<P, R> {
    /// Call with typed arguments.
    pub fn call<T>(&self, store: &mut Store<T>, params: P) -> Result<R, Error> {
        let mut slots = Vec::with_capacity(P::LEN.max(R::LEN));
        params.store(&mut slots);
        crate::exec::call(store, self.func.0, &mut slots)?;
        Ok(R::load(&slots))
    }

    /// The untyped function.
    pub fn func(&self) -> Func {
        self.func
    }
}

/// The calling context handed to host functions: the store's data and the caller's exports.
pub struct Caller<'a, T> {
    pub(crate) store: &'a mut Store<T>,
    pub(crate) instance: Option<Instance>,
}

impl<T> Caller<'_, T> {
    /// The host data.
    pub fn data(&self) -> &T {
        self.store.data()
    }

    /// The host data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        self.store.data_mut()
    }

    /// The store.
    pub fn store(&mut self) -> &mut Store<T> {
        self.store
    }

    /// Charge `amount` gas; running out is a [`crate::TrapCode::OutOfGas`] error to return.
    pub fn consume_gas(&mut self, amount: u64) -> Result<(), Error> {
        self.store.consume_gas(amount)
    }

    /// An export of the calling instance (typically its `memory`), if called from WebAssembly.
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        self.instance.and_then(|i| i.get_export(self.store, name))
    }
}

pub(crate) fn untyped_host<T>(
    ty: FuncType,
    f: impl Fn(Caller<'_, T>, &[Value], &mut [Value]) -> Result<(), Error> + Send + Sync + 'static,
) -> crate::store::HostFn<T> {
    Arc::new(move |caller: Caller<'_, T>, slots: &mut [u64]| {
        let params: Vec<Value> = ty
            .params()
            .iter()
            .zip(slots.iter())
            .map(|(t, s)| Value::from_slot(*t, *s))
            .collect();
        let mut results: Vec<Value> = ty
            .results()
            .iter()
            .map(|t| Value::default_for(*t))
            .collect();
        f(caller, &params, &mut results)?;
        for (i, (r, t)) in results.iter().zip(ty.results()).enumerate() {
            if r.ty() != *t {
                return Err(Error::Type(format!(
                    "host function returned {} for a result of type {t}",
                    r.ty()
                )));
            }
            slots[i] = r.to_slot();
        }
        Ok(())
    })
}

/// A Rust type that maps to one WebAssembly value type.
pub trait WasmTy: Sized + 'static {
    /// The WebAssembly type.
    const TY: ValType;
    /// Encode as a raw slot.
    fn to_slot(self) -> u64;
    /// Decode from a raw slot.
    fn from_slot(slot: u64) -> Self;
}

macro_rules! wasm_ty {
    ($($t:ty => $vt:ident, |$a:ident| $to:expr, |$b:ident| $from:expr;)*) => {$(
        impl WasmTy for $t {
            const TY: ValType = ValType::$vt;
            fn to_slot(self) -> u64 { let $a = self; $to }
            fn from_slot(slot: u64) -> Self { let $b = slot; $from }
        }
    )*};
}

wasm_ty! {
    i32 => I32, |v| v as u32 as u64, |s| s as u32 as i32;
    u32 => I32, |v| v as u64, |s| s as u32;
    i64 => I64, |v| v as u64, |s| s as i64;
    u64 => I64, |v| v, |s| s;
    f32 => F32, |v| v.to_bits() as u64, |s| f32::from_bits(s as u32);
    f64 => F64, |v| v.to_bits(), |s| f64::from_bits(s);
    F32 => F32, |v| v.to_bits() as u64, |s| F32::from_bits(s as u32);
    F64 => F64, |v| v.to_bits(), |s| F64::from_bits(s);
    Option<Func> => FuncRef, |v| v.map_or(0, |f| f.0 as u64 + 1), |s| s.checked_sub(1).map(|a| Func(a as u32));
    Option<ExternRef> => ExternRef, |v| v.map_or(0, |e| e.0 as u64 + 1), |s| s.checked_sub(1).map(|a| ExternRef(a as u32));
}

/// A tuple of [`WasmTy`] used as parameters.
pub trait WasmParams: Sized + 'static {
    /// Number of values.
    const LEN: usize;
    /// Whether the types match.
    fn matches(tys: &[ValType]) -> bool;
    /// The value types.
    fn types() -> Vec<ValType>;
    /// Append as raw slots.
    fn store(self, slots: &mut Vec<u64>);
    /// Read from raw slots.
    fn load(slots: &[u64]) -> Self;
}

/// A tuple of [`WasmTy`] used as results (same encoding as parameters).
pub trait WasmResults: WasmParams {}
impl<P: WasmParams> WasmResults for P {}

impl<A: WasmTy> WasmParams for A {
    const LEN: usize = 1;
    fn matches(tys: &[ValType]) -> bool {
        tys == [A::TY]
    }
    fn types() -> Vec<ValType> {
        vec![A::TY]
    }
    fn store(self, slots: &mut Vec<u64>) {
        slots.push(self.to_slot());
    }
    fn load(slots: &[u64]) -> Self {
        A::from_slot(slots[0])
    }
}

macro_rules! tuple_params {
    ($n:expr; $($t:ident $i:tt),*) => {
        impl<$($t: WasmTy),*> WasmParams for ($($t,)*) {
            const LEN: usize = $n;
            fn matches(tys: &[ValType]) -> bool {
                tys == [$($t::TY),*]
            }
            fn types() -> Vec<ValType> {
                vec![$($t::TY),*]
            }
            #[allow(unused_variables)]
            fn store(self, slots: &mut Vec<u64>) {
                $( slots.push(self.$i.to_slot()); )*
            }
            #[allow(unused_variables, clippy::unused_unit)]
            fn load(slots: &[u64]) -> Self {
                ($($t::from_slot(slots[$i]),)*)
            }
        }
    };
}

tuple_params!(0;);
tuple_params!(1; A 0);
tuple_params!(2; A 0, B 1);
tuple_params!(3; A 0, B 1, C 2);
tuple_params!(4; A 0, B 1, C 2, D 3);
tuple_params!(5; A 0, B 1, C 2, D 3, E 4);
tuple_params!(6; A 0, B 1, C 2, D 3, E 4, F 5);
tuple_params!(7; A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_params!(8; A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

/// What a typed host closure may return: results, or results and an error.
pub trait WasmRet {
    /// The results.
    type Results: WasmResults;
    /// Convert to a result.
    fn into_result(self) -> Result<Self::Results, Error>;
}

impl<R: WasmParams> WasmRet for R {
    type Results = R;
    fn into_result(self) -> Result<R, Error> {
        Ok(self)
    }
}

impl<R: WasmParams> WasmRet for Result<R, Error> {
    type Results = R;
    fn into_result(self) -> Result<R, Error> {
        self
    }
}

/// A Rust closure usable as a host function: `Fn(A, B, …) -> R` or
/// `Fn(Caller<'_, T>, A, B, …) -> R`, where `R` is results or `Result<results, Error>`.
pub trait IntoFunc<T, Params, Results>: Send + Sync + 'static {
    /// The function type and the stored host function.
    #[doc(hidden)]
    fn into_func(self) -> (FuncType, crate::store::HostFn<T>);
}

/// Marker for closures that take a [`Caller`] first.
#[doc(hidden)]
pub struct WithCaller<P>(PhantomData<P>);

macro_rules! into_func {
    ($($t:ident $i:tt),*) => {
        impl<T, Func_, Ret, R, $($t: WasmTy),*> IntoFunc<T, ($($t,)*), R> for Func_
        where
            Func_: Fn($($t),*) -> Ret + Send + Sync + 'static,
            Ret: WasmRet<Results = R>,
            R: WasmResults,
        {
            fn into_func(self) -> (FuncType, crate::store::HostFn<T>) {
                let ty = FuncType::new(<($($t,)*) as WasmParams>::types(), R::types());
                let f = Arc::new(move |_caller: Caller<'_, T>, slots: &mut [u64]| {
                    let ($($t,)*) = <($($t,)*) as WasmParams>::load(slots);
                    let r = (self)($($t),*).into_result()?;
                    let mut out = Vec::with_capacity(R::LEN);
                    r.store(&mut out);
                    slots[..out.len()].copy_from_slice(&out);
                    Ok(())
                });
                (ty, f)
            }
        }

        impl<T, Func_, Ret, R, $($t: WasmTy),*> IntoFunc<T, WithCaller<($($t,)*)>, R> for Func_
        where
            Func_: Fn(Caller<'_, T>, $($t),*) -> Ret + Send + Sync + 'static,
            Ret: WasmRet<Results = R>,
            R: WasmResults,
        {
            fn into_func(self) -> (FuncType, crate::store::HostFn<T>) {
                let ty = FuncType::new(<($($t,)*) as WasmParams>::types(), R::types());
                let f = Arc::new(move |caller: Caller<'_, T>, slots: &mut [u64]| {
                    let ($($t,)*) = <($($t,)*) as WasmParams>::load(slots);
                    let r = (self)(caller, $($t),*).into_result()?;
                    let mut out = Vec::with_capacity(R::LEN);
                    r.store(&mut out);
                    slots[..out.len()].copy_from_slice(&out);
                    Ok(())
                });
                (ty, f)
            }
        }
    };
}

#[allow(non_snake_case, non_camel_case_types)]
mod impls {
    use super::*;
    into_func!();
    into_func!(A 0);
    into_func!(A 0, B 1);
    into_func!(A 0, B 1, C 2);
    into_func!(A 0, B 1, C 2, D 3);
    into_func!(A 0, B 1, C 2, D 3, E 4);
    into_func!(A 0, B 1, C 2, D 3, E 4, F 5);
    into_func!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
    into_func!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
}
