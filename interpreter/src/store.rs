//! The store: owner of all runtime objects, and the handles that name them.

use std::any::Any;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::module::ModuleInner;
use crate::types::{FuncType, GlobalType, MemoryType, Mutability, TableType};
use crate::value::Value;
use crate::{Engine, Error, TrapCode};

/// Size of a WebAssembly page in bytes.
pub const PAGE_SIZE: usize = 65_536;

/// A host function as stored: reads its arguments from the slot window and writes its results
/// back into it.
pub(crate) type HostFn<T> =
    Arc<dyn Fn(crate::Caller<'_, T>, &mut [u64]) -> Result<(), Error> + Send + Sync + 'static>;

/// A function in the store.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FuncEntity {
    /// A function defined by a module instance.
    Wasm {
        /// Store-interned type id.
        ty: u32,
        /// The owning instance.
        instance: u32,
        /// Index among the module's defined (not imported) functions.
        index: u32,
    },
    /// A host function.
    Host {
        /// Store-interned type id.
        ty: u32,
        /// Index into the store's host function list.
        host: u32,
    },
}

impl FuncEntity {
    pub(crate) fn ty(&self) -> u32 {
        match self {
            FuncEntity::Wasm { ty, .. } | FuncEntity::Host { ty, .. } => *ty,
        }
    }
}

/// A module instance in the store.
#[derive(Debug)]
pub(crate) struct InstanceEntity {
    pub(crate) module: Arc<ModuleInner>,
    pub(crate) funcs: Vec<u32>,
    pub(crate) tables: Vec<u32>,
    pub(crate) memories: Vec<u32>,
    pub(crate) globals: Vec<u32>,
    /// Store type id of each of the module's types.
    pub(crate) types: Vec<u32>,
    /// Whether each data segment was dropped (`data.drop` or after active initialization).
    pub(crate) data_dropped: Vec<bool>,
    /// The resolved references of each element segment; empty once dropped.
    pub(crate) elems: Vec<Box<[u64]>>,
    pub(crate) exports: BTreeMap<String, crate::Extern>,
}

/// A linear memory in the store.
#[derive(Debug)]
pub(crate) struct MemoryEntity {
    pub(crate) data: Vec<u8>,
    pub(crate) ty: MemoryType,
    /// Effective maximum in pages: the declared maximum capped by the configuration.
    pub(crate) max_pages: u32,
}

impl MemoryEntity {
    pub(crate) fn pages(&self) -> u32 {
        (self.data.len() / PAGE_SIZE) as u32
    }

    /// Grow by `delta` pages; the old size in pages, or `None` past the maximum.
    pub(crate) fn grow(&mut self, delta: u32) -> Option<u32> {
        let old = self.pages();
        let new = old.checked_add(delta)?;
        if new > self.max_pages {
            return None;
        }
        self.data.resize(new as usize * PAGE_SIZE, 0);
        self.ty.min = new;
        Some(old)
    }
}

/// A table in the store.
#[derive(Debug)]
pub(crate) struct TableEntity {
    pub(crate) elems: Vec<u64>,
    pub(crate) ty: TableType,
    pub(crate) max: u32,
}

impl TableEntity {
    /// Grow by `delta` elements set to `init`; the old size, or `None` past the maximum.
    pub(crate) fn grow(&mut self, delta: u32, init: u64) -> Option<u32> {
        let old = self.elems.len() as u32;
        let new = old.checked_add(delta)?;
        if new > self.max {
            return None;
        }
        self.elems.resize(new as usize, init);
        self.ty.min = new;
        Some(old)
    }
}

/// A global in the store.
#[derive(Debug)]
pub(crate) struct GlobalEntity {
    pub(crate) value: u64,
    pub(crate) ty: GlobalType,
}

/// Everything in a store that does not depend on the host data type.
pub(crate) struct StoreInner {
    pub(crate) engine: Engine,
    pub(crate) funcs: Vec<FuncEntity>,
    pub(crate) instances: Vec<InstanceEntity>,
    pub(crate) memories: Vec<MemoryEntity>,
    pub(crate) tables: Vec<TableEntity>,
    pub(crate) globals: Vec<GlobalEntity>,
    pub(crate) types: Vec<FuncType>,
    type_ids: BTreeMap<FuncType, u32>,
    pub(crate) externs: Vec<Box<dyn Any + Send + Sync>>,
    /// The value stack, kept between calls to reuse its allocation.
    pub(crate) stack: Vec<u64>,
    /// Frames active in this store (Wasm and host), across nested calls from host functions.
    pub(crate) depth: u32,
    /// Gas limit set by [`Store::set_gas`].
    pub(crate) gas_limit: u64,
    /// Gas left; 0 after running out.
    pub(crate) gas_left: u64,
}

impl StoreInner {
    /// Charge `amount` gas, or run out (leaving nothing).
    #[inline]
    pub(crate) fn consume_gas(&mut self, amount: u64) -> Result<(), TrapCode> {
        charge(&mut self.gas_left, amount)
    }
}

/// Charge `amount` from `left`; on failure `left` becomes 0.
#[inline(always)]
pub(crate) fn charge(left: &mut u64, amount: u64) -> Result<(), TrapCode> {
    match left.checked_sub(amount) {
        Some(rest) => {
            *left = rest;
            Ok(())
        }
        None => {
            *left = 0;
            Err(TrapCode::OutOfGas)
        }
    }
}

impl StoreInner {
    /// The store-wide id of a function type, interning it on first sight.
    pub(crate) fn intern_type(&mut self, ty: &FuncType) -> u32 {
        if let Some(id) = self.type_ids.get(ty) {
            return *id;
        }
        let id = self.types.len() as u32;
        self.types.push(ty.clone());
        self.type_ids.insert(ty.clone(), id);
        id
    }

    pub(crate) fn new_memory(&mut self, ty: MemoryType) -> Result<u32, Error> {
        let cfg = &self.engine.config;
        let max_pages = ty.max.unwrap_or(65_536).min(cfg.max_memory_pages);
        if ty.min > max_pages {
            return Err(Error::Limit(format!(
                "memory of {} pages exceeds the limit of {} pages",
                ty.min, max_pages
            )));
        }
        self.memories.push(MemoryEntity {
            data: vec![0; ty.min as usize * PAGE_SIZE],
            ty,
            max_pages,
        });
        Ok(self.memories.len() as u32 - 1)
    }

    pub(crate) fn new_table(&mut self, ty: TableType, init: u64) -> Result<u32, Error> {
        let cfg = &self.engine.config;
        let max = ty.max.unwrap_or(u32::MAX).min(cfg.max_table_elements);
        if ty.min > max {
            return Err(Error::Limit(format!(
                "table of {} elements exceeds the limit of {} elements",
                ty.min, max
            )));
        }
        self.tables.push(TableEntity {
            elems: vec![init; ty.min as usize],
            ty,
            max,
        });
        Ok(self.tables.len() as u32 - 1)
    }

    pub(crate) fn new_global(&mut self, ty: GlobalType, value: u64) -> u32 {
        self.globals.push(GlobalEntity { value, ty });
        self.globals.len() as u32 - 1
    }
}

/// Owns all runtime objects (instances, functions, memories, tables, globals) and the host's
/// data `T`. Handles such as [`crate::Func`] or [`Memory`] are only meaningful with the store
/// that created them.
pub struct Store<T> {
    pub(crate) inner: StoreInner,
    pub(crate) hosts: Vec<HostFn<T>>,
    data: T,
}

impl<T> Store<T> {
    /// A new, empty store holding `data`.
    pub fn new(engine: &Engine, data: T) -> Self {
        Self {
            inner: StoreInner {
                engine: engine.clone(),
                funcs: Vec::new(),
                instances: Vec::new(),
                memories: Vec::new(),
                tables: Vec::new(),
                globals: Vec::new(),
                types: Vec::new(),
                type_ids: BTreeMap::new(),
                externs: Vec::new(),
                stack: Vec::new(),
                depth: 0,
                gas_limit: u64::MAX,
                gas_left: u64::MAX,
            },
            hosts: Vec::new(),
            data,
        }
    }

    /// The engine this store belongs to.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The host data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The host data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.data
    }

    /// Consume the store and return the host data.
    pub fn into_data(self) -> T {
        self.data
    }

    /// Set the gas limit for what runs next, and reset the gas used to 0.
    pub fn set_gas(&mut self, limit: u64) {
        self.inner.gas_limit = limit;
        self.inner.gas_left = limit;
    }

    /// Gas left of the limit (everything after running out of gas is 0).
    pub fn gas_left(&self) -> u64 {
        self.inner.gas_left
    }

    /// Gas used since the limit was set: the sum of all charges (the whole limit after running
    /// out of gas).
    pub fn gas_used(&self) -> u64 {
        self.inner.gas_limit - self.inner.gas_left
    }

    /// Charge `amount` gas (for host functions); running out is a
    /// [`TrapCode::OutOfGas`] error.
    pub fn consume_gas(&mut self, amount: u64) -> Result<(), Error> {
        self.inner.consume_gas(amount).map_err(Error::Trap)
    }

    pub(crate) fn push_host(&mut self, ty: &FuncType, f: HostFn<T>) -> crate::Func {
        let ty = self.inner.intern_type(ty);
        let host = self.hosts.len() as u32;
        self.hosts.push(f);
        self.inner.funcs.push(FuncEntity::Host { ty, host });
        crate::Func(self.inner.funcs.len() as u32 - 1)
    }
}

/// A handle to a linear memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Memory(pub(crate) u32);

impl Memory {
    /// Create a memory in the store.
    pub fn new<T>(store: &mut Store<T>, ty: MemoryType) -> Result<Self, Error> {
        store.inner.new_memory(ty).map(Memory)
    }

    /// The memory's current type (its minimum is the current size).
    pub fn ty<T>(&self, store: &Store<T>) -> MemoryType {
        store.inner.memories[self.0 as usize].ty
    }

    /// Current size in pages.
    pub fn size<T>(&self, store: &Store<T>) -> u32 {
        store.inner.memories[self.0 as usize].pages()
    }

    /// Grow by `delta` pages, returning the old size, or an error past the maximum.
    pub fn grow<T>(&self, store: &mut Store<T>, delta: u32) -> Result<u32, Error> {
        store.inner.memories[self.0 as usize]
            .grow(delta)
            .ok_or_else(|| Error::Limit(format!("cannot grow memory by {delta} pages")))
    }

    /// The memory's bytes.
    pub fn data<'a, T>(&self, store: &'a Store<T>) -> &'a [u8] {
        &store.inner.memories[self.0 as usize].data
    }

    /// The memory's bytes, mutably.
    pub fn data_mut<'a, T>(&self, store: &'a mut Store<T>) -> &'a mut [u8] {
        &mut store.inner.memories[self.0 as usize].data
    }

    /// Copy `buf.len()` bytes at `offset` into `buf`; an out-of-bounds range is a trap error.
    pub fn read<T>(&self, store: &Store<T>, offset: usize, buf: &mut [u8]) -> Result<(), Error> {
        let data = self.data(store);
        let src = offset
            .checked_add(buf.len())
            .and_then(|end| data.get(offset..end))
            .ok_or(Error::Trap(TrapCode::MemoryOutOfBounds))?;
        buf.copy_from_slice(src);
        Ok(())
    }

    /// Copy `buf` into memory at `offset`; an out-of-bounds range is a trap error.
    pub fn write<T>(&self, store: &mut Store<T>, offset: usize, buf: &[u8]) -> Result<(), Error> {
        let data = self.data_mut(store);
        let dst = offset
            .checked_add(buf.len())
            .and_then(|end| data.get_mut(offset..end))
            .ok_or(Error::Trap(TrapCode::MemoryOutOfBounds))?;
        dst.copy_from_slice(buf);
        Ok(())
    }
}

/// A handle to a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Table(pub(crate) u32);

impl Table {
    /// Create a table in the store, every element set to `init`.
    pub fn new<T>(store: &mut Store<T>, ty: TableType, init: Value) -> Result<Self, Error> {
        if init.ty() != ty.element {
            return Err(Error::Type(format!(
                "table of {} initialized with {}",
                ty.element,
                init.ty()
            )));
        }
        store.inner.new_table(ty, init.to_slot()).map(Table)
    }

    /// The table's current type (its minimum is the current size).
    pub fn ty<T>(&self, store: &Store<T>) -> TableType {
        store.inner.tables[self.0 as usize].ty
    }

    /// Current size in elements.
    pub fn size<T>(&self, store: &Store<T>) -> u32 {
        store.inner.tables[self.0 as usize].elems.len() as u32
    }

    /// The element at `index`, or `None` out of bounds.
    pub fn get<T>(&self, store: &Store<T>, index: u32) -> Option<Value> {
        let t = &store.inner.tables[self.0 as usize];
        t.elems
            .get(index as usize)
            .map(|&s| Value::from_slot(t.ty.element, s))
    }

    /// Set the element at `index`.
    pub fn set<T>(&self, store: &mut Store<T>, index: u32, value: Value) -> Result<(), Error> {
        let t = &mut store.inner.tables[self.0 as usize];
        if value.ty() != t.ty.element {
            return Err(Error::Type(format!(
                "{} stored in a table of {}",
                value.ty(),
                t.ty.element
            )));
        }
        let slot = t
            .elems
            .get_mut(index as usize)
            .ok_or(Error::Trap(TrapCode::TableOutOfBounds))?;
        *slot = value.to_slot();
        Ok(())
    }

    /// Grow by `delta` elements set to `init`, returning the old size.
    pub fn grow<T>(&self, store: &mut Store<T>, delta: u32, init: Value) -> Result<u32, Error> {
        let t = &mut store.inner.tables[self.0 as usize];
        if init.ty() != t.ty.element {
            return Err(Error::Type(format!(
                "{} stored in a table of {}",
                init.ty(),
                t.ty.element
            )));
        }
        t.grow(delta, init.to_slot())
            .ok_or_else(|| Error::Limit(format!("cannot grow table by {delta} elements")))
    }
}

/// A handle to a global.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Global(pub(crate) u32);

impl Global {
    /// Create a global in the store.
    pub fn new<T>(store: &mut Store<T>, ty: GlobalType, value: Value) -> Result<Self, Error> {
        if value.ty() != ty.content {
            return Err(Error::Type(format!(
                "global of {} initialized with {}",
                ty.content,
                value.ty()
            )));
        }
        Ok(Global(store.inner.new_global(ty, value.to_slot())))
    }

    /// The global's type.
    pub fn ty<T>(&self, store: &Store<T>) -> GlobalType {
        store.inner.globals[self.0 as usize].ty
    }

    /// The current value.
    pub fn get<T>(&self, store: &Store<T>) -> Value {
        let g = &store.inner.globals[self.0 as usize];
        Value::from_slot(g.ty.content, g.value)
    }

    /// Set the value of a mutable global.
    pub fn set<T>(&self, store: &mut Store<T>, value: Value) -> Result<(), Error> {
        let g = &mut store.inner.globals[self.0 as usize];
        if g.ty.mutability != Mutability::Var {
            return Err(Error::Type("global is immutable".into()));
        }
        if value.ty() != g.ty.content {
            return Err(Error::Type(format!(
                "{} stored in a global of {}",
                value.ty(),
                g.ty.content
            )));
        }
        g.value = value.to_slot();
        Ok(())
    }
}

/// A handle to a host value passed to WebAssembly as an `externref`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExternRef(pub(crate) u32);

impl ExternRef {
    /// Put `value` in the store and return a reference to it.
    pub fn new<T>(store: &mut Store<T>, value: impl Any + Send + Sync) -> Self {
        store.inner.externs.push(Box::new(value));
        ExternRef(store.inner.externs.len() as u32 - 1)
    }

    /// The host value behind this reference.
    pub fn data<'a, T>(&self, store: &'a Store<T>) -> &'a (dyn Any + Send + Sync) {
        &*store.inner.externs[self.0 as usize]
    }
}

/// Something a module can import or export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extern {
    /// A function.
    Func(crate::Func),
    /// A table.
    Table(Table),
    /// A memory.
    Memory(Memory),
    /// A global.
    Global(Global),
}

impl Extern {
    /// The function, if this is one.
    pub fn into_func(self) -> Option<crate::Func> {
        match self {
            Extern::Func(f) => Some(f),
            _ => None,
        }
    }
    /// The memory, if this is one.
    pub fn into_memory(self) -> Option<Memory> {
        match self {
            Extern::Memory(m) => Some(m),
            _ => None,
        }
    }
    /// The table, if this is one.
    pub fn into_table(self) -> Option<Table> {
        match self {
            Extern::Table(t) => Some(t),
            _ => None,
        }
    }
    /// The global, if this is one.
    pub fn into_global(self) -> Option<Global> {
        match self {
            Extern::Global(g) => Some(g),
            _ => None,
        }
    }
}

impl From<crate::Func> for Extern {
    fn from(f: crate::Func) -> Self {
        Extern::Func(f)
    }
}
impl From<Memory> for Extern {
    fn from(m: Memory) -> Self {
        Extern::Memory(m)
    }
}
impl From<Table> for Extern {
    fn from(t: Table) -> Self {
        Extern::Table(t)
    }
}
impl From<Global> for Extern {
    fn from(g: Global) -> Self {
        Extern::Global(g)
    }
}
