//! The linker: names host functions and exports so modules can import them.

use std::collections::BTreeMap;

use crate::func::IntoFunc;
use crate::store::{Extern, HostFn};
use crate::types::FuncType;
use crate::value::Value;
use crate::{Caller, Engine, Error, Instance, Module, Store};

enum Definition<T> {
    Extern(Extern),
    Host(FuncType, HostFn<T>),
}

/// Resolves a module's imports by `(module, name)` and instantiates it.
///
/// A later definition under the same name replaces the earlier one.
pub struct Linker<T> {
    engine: Engine,
    defs: BTreeMap<(String, String), Definition<T>>,
}

impl<T> Linker<T> {
    /// An empty linker.
    pub fn new(engine: &Engine) -> Self {
        Self {
            engine: engine.clone(),
            defs: BTreeMap::new(),
        }
    }

    /// The engine this linker belongs to.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Define `module::name` as an existing store object.
    pub fn define(
        &mut self,
        module: &str,
        name: &str,
        item: impl Into<Extern>,
    ) -> Result<&mut Self, Error> {
        self.defs.insert(
            (module.into(), name.into()),
            Definition::Extern(item.into()),
        );
        Ok(self)
    }

    /// Define `module::name` as a host function from a typed Rust closure (optionally taking a
    /// [`Caller`] first). The function is created in each store that instantiates through it.
    pub fn func_wrap<Params, Results>(
        &mut self,
        module: &str,
        name: &str,
        f: impl IntoFunc<T, Params, Results>,
    ) -> Result<&mut Self, Error> {
        let (ty, host) = f.into_func();
        self.defs
            .insert((module.into(), name.into()), Definition::Host(ty, host));
        Ok(self)
    }

    /// Define `module::name` as a host function of type `ty` working on [`Value`]s.
    pub fn func_new(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        f: impl Fn(Caller<'_, T>, &[Value], &mut [Value]) -> Result<(), Error> + Send + Sync + 'static,
    ) -> Result<&mut Self, Error> {
        let host = crate::func::untyped_host(ty.clone(), f);
        self.defs
            .insert((module.into(), name.into()), Definition::Host(ty, host));
        Ok(self)
    }

    /// Define every export of `instance` under the module name `module`.
    pub fn instance(
        &mut self,
        store: &Store<T>,
        module: &str,
        instance: Instance,
    ) -> Result<&mut Self, Error> {
        for (name, ext) in instance.exports(store) {
            self.defs
                .insert((module.into(), name.into()), Definition::Extern(ext));
        }
        Ok(self)
    }

    /// The definition of `module::name`, creating host functions in `store` as needed.
    pub fn get(&self, store: &mut Store<T>, module: &str, name: &str) -> Option<Extern> {
        match self.defs.get(&(module.to_string(), name.to_string()))? {
            Definition::Extern(e) => Some(*e),
            Definition::Host(ty, host) => Some(Extern::Func(store.push_host(ty, host.clone()))),
        }
    }

    /// Resolve `module`'s imports, instantiate it and run its start function.
    pub fn instantiate(&self, store: &mut Store<T>, module: &Module) -> Result<Instance, Error> {
        let mut imports = Vec::with_capacity(module.inner.imports.len());
        for def in &module.inner.imports {
            let ext = self.get(store, &def.module, &def.name).ok_or_else(|| {
                Error::Link(format!("unknown import: `{}::{}`", def.module, def.name))
            })?;
            imports.push(ext);
        }
        crate::instance::instantiate(store, module, &imports)
    }
}

impl<T> core::fmt::Debug for Linker<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Linker")
            .field("definitions", &self.defs.len())
            .finish()
    }
}
