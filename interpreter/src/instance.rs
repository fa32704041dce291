//! Instances and instantiation.

use crate::func::{TypedFunc, WasmParams, WasmResults};
use crate::module::{ConstExpr, ExportKind, ImportKind, Module, SegmentMode};
use crate::store::{Extern, FuncEntity, InstanceEntity, Store, StoreInner};
use crate::types::limits_match;
use crate::{Error, Func, Global, Memory, Table, TrapCode};

/// A handle to an instantiated module in a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Instance(pub(crate) u32);

impl Instance {
    /// The export called `name`.
    pub fn get_export<T>(&self, store: &Store<T>, name: &str) -> Option<Extern> {
        store.inner.instances[self.0 as usize]
            .exports
            .get(name)
            .copied()
    }

    /// All exports, by name.
    pub fn exports<'a, T>(
        &self,
        store: &'a Store<T>,
    ) -> impl Iterator<Item = (&'a str, Extern)> + 'a {
        store.inner.instances[self.0 as usize]
            .exports
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
    }

    /// The exported function called `name`.
    pub fn get_func<T>(&self, store: &Store<T>, name: &str) -> Option<Func> {
        self.get_export(store, name)?.into_func()
    }

    /// The exported function called `name`, with a typed view checked against its type.
    pub fn get_typed_func<P: WasmParams, R: WasmResults, T>(
        &self,
        store: &Store<T>,
        name: &str,
    ) -> Result<TypedFunc<P, R>, Error> {
        self.get_func(store, name)
            .ok_or_else(|| Error::Link(format!("no exported function `{name}`")))?
            .typed(store)
    }

    /// The exported memory called `name`.
    pub fn get_memory<T>(&self, store: &Store<T>, name: &str) -> Option<Memory> {
        self.get_export(store, name)?.into_memory()
    }

    /// The exported global called `name`.
    pub fn get_global<T>(&self, store: &Store<T>, name: &str) -> Option<Global> {
        self.get_export(store, name)?.into_global()
    }

    /// The exported table called `name`.
    pub fn get_table<T>(&self, store: &Store<T>, name: &str) -> Option<Table> {
        self.get_export(store, name)?.into_table()
    }
}

fn check_import(inner: &StoreInner, module: &Module, kind: &ImportKind, ext: &Extern) -> bool {
    match (kind, ext) {
        (ImportKind::Func(t), Extern::Func(f)) => {
            inner.types[inner.funcs[f.0 as usize].ty() as usize] == module.inner.types[*t as usize]
        }
        (ImportKind::Table(want), Extern::Table(t)) => {
            let have = &inner.tables[t.0 as usize];
            have.ty.element == want.element
                && limits_match(
                    have.elems.len() as u64,
                    have.ty.max.map(u64::from),
                    want.min as u64,
                    want.max.map(u64::from),
                )
        }
        (ImportKind::Memory(want), Extern::Memory(m)) => {
            let have = &inner.memories[m.0 as usize];
            limits_match(
                have.pages() as u64,
                have.ty.max.map(u64::from),
                want.min as u64,
                want.max.map(u64::from),
            )
        }
        (ImportKind::Global(want), Extern::Global(g)) => inner.globals[g.0 as usize].ty == *want,
        _ => false,
    }
}

fn eval(inner: &StoreInner, inst: &InstanceEntity, expr: ConstExpr) -> u64 {
    match expr {
        ConstExpr::Value(v) => v,
        ConstExpr::RefFunc(f) => inst.funcs[f as usize] as u64 + 1,
        ConstExpr::GlobalGet(g) => inner.globals[inst.globals[g as usize] as usize].value,
    }
}

/// Instantiate `module` with `imports` given in the module's import order.
pub(crate) fn instantiate<T>(
    store: &mut Store<T>,
    module: &Module,
    imports: &[Extern],
) -> Result<Instance, Error> {
    let m = &module.inner;
    if imports.len() != m.imports.len() {
        return Err(Error::Link(format!(
            "module needs {} imports, {} given",
            m.imports.len(),
            imports.len()
        )));
    }
    let inner = &mut store.inner;
    let mut inst = InstanceEntity {
        module: m.clone(),
        funcs: Vec::new(),
        tables: Vec::new(),
        memories: Vec::new(),
        globals: Vec::new(),
        types: Vec::new(),
        data_dropped: vec![false; m.datas.len()],
        elems: Vec::new(),
        exports: Default::default(),
    };
    for (def, ext) in m.imports.iter().zip(imports) {
        if !check_import(inner, module, &def.kind, ext) {
            return Err(Error::Link(format!(
                "incompatible import type for `{}::{}`",
                def.module, def.name
            )));
        }
        match ext {
            Extern::Func(f) => inst.funcs.push(f.0),
            Extern::Table(t) => inst.tables.push(t.0),
            Extern::Memory(mm) => inst.memories.push(mm.0),
            Extern::Global(g) => inst.globals.push(g.0),
        }
    }
    inst.types = m.types.iter().map(|t| inner.intern_type(t)).collect();
    let id = inner.instances.len() as u32;
    for (i, &t) in m.func_types[m.num_imported_funcs as usize..]
        .iter()
        .enumerate()
    {
        inner.funcs.push(FuncEntity::Wasm {
            ty: inst.types[t as usize],
            instance: id,
            index: i as u32,
        });
        inst.funcs.push(inner.funcs.len() as u32 - 1);
    }
    for (ty, init) in &m.tables {
        let v = init.map_or(0, |e| eval(inner, &inst, e));
        inst.tables.push(inner.new_table(*ty, v)?);
    }
    for ty in &m.memories {
        inst.memories.push(inner.new_memory(*ty)?);
    }
    for (ty, init) in &m.globals {
        let v = eval(inner, &inst, *init);
        inst.globals.push(inner.new_global(*ty, v));
    }
    for (name, kind, idx) in &m.exports {
        let i = *idx as usize;
        let ext = match kind {
            ExportKind::Func => Extern::Func(Func(inst.funcs[i])),
            ExportKind::Table => Extern::Table(Table(inst.tables[i])),
            ExportKind::Memory => Extern::Memory(Memory(inst.memories[i])),
            ExportKind::Global => Extern::Global(Global(inst.globals[i])),
        };
        inst.exports.insert(name.clone(), ext);
    }
    inst.elems = m
        .elems
        .iter()
        .map(|seg| seg.items.iter().map(|e| eval(inner, &inst, *e)).collect())
        .collect();
    inner.instances.push(inst);

    // Active and declared element segments, then data segments, in order (Wasm 2.0 §4.5.4).
    for (i, seg) in m.elems.iter().enumerate() {
        match seg.mode {
            SegmentMode::Active { index, offset } => {
                let inst = &inner.instances[id as usize];
                let off = eval(inner, inst, offset) as u32 as usize;
                let table = inst.tables[index as usize] as usize;
                let items = std::mem::take(&mut inner.instances[id as usize].elems[i]);
                let t = &mut inner.tables[table];
                let dst = off
                    .checked_add(items.len())
                    .filter(|&end| end <= t.elems.len())
                    .map(|end| off..end)
                    .ok_or(Error::Trap(TrapCode::TableOutOfBounds))?;
                t.elems[dst].copy_from_slice(&items);
            }
            SegmentMode::Declared => inner.instances[id as usize].elems[i] = Box::new([]),
            SegmentMode::Passive => {}
        }
    }
    for (i, seg) in m.datas.iter().enumerate() {
        if let SegmentMode::Active { index, offset } = seg.mode {
            let inst = &inner.instances[id as usize];
            let off = eval(inner, inst, offset) as u32 as usize;
            let mem = inst.memories[index as usize] as usize;
            let data = &mut inner.memories[mem].data;
            let dst = off
                .checked_add(seg.bytes.len())
                .filter(|&end| end <= data.len())
                .map(|end| off..end)
                .ok_or(Error::Trap(TrapCode::MemoryOutOfBounds))?;
            data[dst].copy_from_slice(&seg.bytes);
            inner.instances[id as usize].data_dropped[i] = true;
        }
    }
    if let Some(start) = m.start {
        let f = inner.instances[id as usize].funcs[start as usize];
        crate::exec::call(store, f, &mut Vec::new())?;
    }
    Ok(Instance(id))
}
