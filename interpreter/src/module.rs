//! Modules: decoding, validation and translation in one pass.

use std::sync::Arc;

use wasmparser::{
    BinaryReader, ElementItems, ElementKind, ExternalKind, FuncValidatorAllocations, Operator,
    Parser, Payload, TypeRef, ValidPayload, Validator,
};

use crate::translate::{CompiledFunc, FuncTranslator, ModuleCtx};
use crate::types::{ExternType, FuncType, GlobalType, MemoryType, Mutability, TableType, ValType};
use crate::{Engine, Error};

/// A constant expression as Wasm 2.0 allows them.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ConstExpr {
    /// A constant value, as a raw slot (also `ref.null`, which is 0).
    Value(u64),
    /// `ref.func idx`.
    RefFunc(u32),
    /// `global.get idx` (of an imported global, or an earlier one).
    GlobalGet(u32),
}

/// Where a segment goes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SegmentMode {
    /// Used only by `memory.init` / `table.init`.
    Passive,
    /// Copied at instantiation into memory or table `index` at `offset`.
    Active { index: u32, offset: ConstExpr },
    /// Only declares function references (element segments).
    Declared,
}

/// An element segment.
#[derive(Debug)]
pub(crate) struct ElemSegment {
    pub(crate) mode: SegmentMode,
    pub(crate) items: Vec<ConstExpr>,
}

/// A data segment.
#[derive(Debug)]
pub(crate) struct DataSegment {
    pub(crate) mode: SegmentMode,
    pub(crate) bytes: Box<[u8]>,
}

/// What an import asks for.
#[derive(Debug, Clone)]
pub(crate) enum ImportKind {
    Func(u32),
    Table(TableType),
    Memory(MemoryType),
    Global(GlobalType),
}

/// One import.
#[derive(Debug, Clone)]
pub(crate) struct ImportDef {
    pub(crate) module: String,
    pub(crate) name: String,
    pub(crate) kind: ImportKind,
}

/// The kind of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExportKind {
    Func,
    Table,
    Memory,
    Global,
}

/// Sizes measured while compiling a module.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ModuleStats {
    /// Functions defined by the module (not imported).
    pub functions: u32,
    /// Bytes of function bodies.
    pub code_bytes: u64,
    /// Internal instructions produced by translation.
    pub instructions: u64,
}

/// The compiled contents of a module.
#[derive(Debug)]
pub(crate) struct ModuleInner {
    pub(crate) engine: Engine,
    pub(crate) types: Vec<FuncType>,
    /// Type index of every function, imported ones first.
    pub(crate) func_types: Vec<u32>,
    pub(crate) imports: Vec<ImportDef>,
    pub(crate) num_imported_funcs: u32,
    pub(crate) tables: Vec<(TableType, Option<ConstExpr>)>,
    pub(crate) memories: Vec<MemoryType>,
    pub(crate) globals: Vec<(GlobalType, ConstExpr)>,
    pub(crate) exports: Vec<(String, ExportKind, u32)>,
    pub(crate) start: Option<u32>,
    pub(crate) elems: Vec<ElemSegment>,
    pub(crate) datas: Vec<DataSegment>,
    pub(crate) code: Vec<CompiledFunc>,
    pub(crate) stats: ModuleStats,
    #[cfg(feature = "step-counter")]
    pub(crate) steps: u64,
}

/// A validated and translated WebAssembly module, ready to be instantiated in any store of its
/// engine. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Module {
    pub(crate) inner: Arc<ModuleInner>,
}

impl Module {
    /// Compile a module from its binary, or (with the `wat` feature) from WebAssembly text.
    pub fn new(engine: &Engine, bytes: impl AsRef<[u8]>) -> Result<Self, Error> {
        let bytes = bytes.as_ref();
        #[cfg(feature = "wat")]
        if !bytes.starts_with(b"\0asm") {
            let binary = wat::parse_bytes(bytes).map_err(|e| Error::Wat(e.to_string()))?;
            return Self::from_binary(engine, &binary);
        }
        Self::from_binary(engine, bytes)
    }

    /// The internal code of defined function `defined_index` (counting only the module's own
    /// functions, not imports), one instruction per line as `pc: instruction`, with the frame
    /// layout in a header line; `None` if there is no such function. For performance work and
    /// bug reports: the format is for people and may change between versions.
    pub fn disassemble(&self, defined_index: usize) -> Option<String> {
        use std::fmt::Write;
        let f = self.inner.code.get(defined_index)?;
        let mut out = format!(
            "params {}, locals {}, results {}, frame {} slots, constant pool {:?}\n",
            f.num_params, f.num_locals, f.num_results, f.frame_size, f.pool
        );
        for (pc, op) in f.code.iter().enumerate() {
            let _ = writeln!(out, "{pc:5}: {op:?}");
        }
        Some(out)
    }

    /// Compile a module from its binary encoding only.
    pub fn from_binary(engine: &Engine, bytes: &[u8]) -> Result<Self, Error> {
        compile(engine, bytes).map(|inner| Module {
            inner: Arc::new(inner),
        })
    }

    /// Units of translation work done for this module (feature `step-counter`): the fuzzers
    /// check that it stays below a constant times the module's size.
    #[cfg(feature = "step-counter")]
    pub fn translation_steps(&self) -> u64 {
        self.inner.steps
    }

    /// Sizes measured while compiling.
    pub fn stats(&self) -> ModuleStats {
        self.inner.stats
    }

    /// The module's imports: module name, field name and type, in order.
    pub fn imports(&self) -> impl Iterator<Item = (&str, &str, ExternType)> + '_ {
        self.inner.imports.iter().map(|i| {
            let ty = match &i.kind {
                ImportKind::Func(t) => ExternType::Func(self.inner.types[*t as usize].clone()),
                ImportKind::Table(t) => ExternType::Table(*t),
                ImportKind::Memory(m) => ExternType::Memory(*m),
                ImportKind::Global(g) => ExternType::Global(*g),
            };
            (i.module.as_str(), i.name.as_str(), ty)
        })
    }

    /// The module's exports: name and type, in order.
    pub fn exports(&self) -> impl Iterator<Item = (&str, ExternType)> + '_ {
        self.inner.exports.iter().map(|(name, kind, idx)| {
            let ty = match kind {
                ExportKind::Func => ExternType::Func(self.inner.func_type(*idx).clone()),
                ExportKind::Table => ExternType::Table(self.inner.table_type(*idx)),
                ExportKind::Memory => ExternType::Memory(self.inner.memory_type(*idx)),
                ExportKind::Global => ExternType::Global(self.inner.global_type(*idx)),
            };
            (name.as_str(), ty)
        })
    }

    /// Gas to charge for translating this module under the engine's schedule (0 without
    /// metering): `translation_per_byte` times the bytes of function bodies.
    pub fn translation_gas(&self) -> u64 {
        self.inner
            .engine
            .config
            .gas
            .as_ref()
            .map_or(0, |s| s.translation_cost(self.inner.stats.code_bytes))
    }

    /// The engine the module was compiled for.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }
}

impl ModuleInner {
    pub(crate) fn func_type(&self, func: u32) -> &FuncType {
        &self.types[self.func_types[func as usize] as usize]
    }

    fn imported<T>(&self, pick: impl Fn(&ImportKind) -> Option<T>) -> Vec<T> {
        self.imports.iter().filter_map(|i| pick(&i.kind)).collect()
    }

    pub(crate) fn table_type(&self, idx: u32) -> TableType {
        let imported = self.imported(|k| match k {
            ImportKind::Table(t) => Some(*t),
            _ => None,
        });
        imported
            .get(idx as usize)
            .copied()
            .unwrap_or_else(|| self.tables[idx as usize - imported.len()].0)
    }

    pub(crate) fn memory_type(&self, idx: u32) -> MemoryType {
        let imported = self.imported(|k| match k {
            ImportKind::Memory(m) => Some(*m),
            _ => None,
        });
        imported
            .get(idx as usize)
            .copied()
            .unwrap_or_else(|| self.memories[idx as usize - imported.len()])
    }

    pub(crate) fn global_type(&self, idx: u32) -> GlobalType {
        let imported = self.imported(|k| match k {
            ImportKind::Global(g) => Some(*g),
            _ => None,
        });
        imported
            .get(idx as usize)
            .copied()
            .unwrap_or_else(|| self.globals[idx as usize - imported.len()].0)
    }
}

fn val_type(ty: wasmparser::ValType, offset: usize) -> Result<ValType, Error> {
    ValType::from_wasmparser(ty)
        .ok_or_else(|| Error::invalid(format!("unsupported type {ty}"), offset))
}

fn is_float(t: &ValType) -> bool {
    matches!(t, ValType::F32 | ValType::F64)
}

fn ref_type(ty: wasmparser::RefType, offset: usize) -> Result<ValType, Error> {
    val_type(wasmparser::ValType::Ref(ty), offset)
}

fn table_type(t: &wasmparser::TableType, offset: usize) -> Result<TableType, Error> {
    if t.table64 {
        return Err(Error::invalid("64-bit tables are not supported", offset));
    }
    Ok(TableType {
        element: ref_type(t.element_type, offset)?,
        min: t.initial as u32,
        max: t.maximum.map(|m| m as u32),
    })
}

fn memory_type(m: &wasmparser::MemoryType, offset: usize) -> Result<MemoryType, Error> {
    if m.memory64 || m.shared || m.page_size_log2.is_some() {
        return Err(Error::invalid("unsupported memory type", offset));
    }
    Ok(MemoryType {
        min: m.initial as u32,
        max: m.maximum.map(|m| m as u32),
    })
}

fn global_type(g: &wasmparser::GlobalType, offset: usize) -> Result<GlobalType, Error> {
    Ok(GlobalType {
        content: val_type(g.content_type, offset)?,
        mutability: if g.mutable {
            Mutability::Var
        } else {
            Mutability::Const
        },
    })
}

/// Check that 32-bit memory limits at `reader` use at most 5-byte LEB128 integers, as Wasm 2.0
/// requires (wasmparser reads them with the 64-bit encoding).
fn check_memory_limits(reader: &mut BinaryReader<'_>) -> Result<(), Error> {
    let flags = reader.read_u8()?;
    if flags & 0x04 != 0 {
        return Ok(()); // memory64: rejected later as unsupported
    }
    reader.read_var_u32()?;
    if flags & 0x01 != 0 {
        reader.read_var_u32()?;
    }
    Ok(())
}

fn const_expr(expr: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr, Error> {
    let mut reader = expr.get_operators_reader();
    let mut result = None;
    while !reader.eof() {
        let (op, offset) = reader.read_with_offset()?;
        let offset = offset as usize;
        let value = match op {
            Operator::End => continue,
            Operator::I32Const { value } => ConstExpr::Value(value as u32 as u64),
            Operator::I64Const { value } => ConstExpr::Value(value as u64),
            Operator::F32Const { value } => ConstExpr::Value(value.bits() as u64),
            Operator::F64Const { value } => ConstExpr::Value(value.bits()),
            Operator::RefNull { .. } => ConstExpr::Value(0),
            Operator::RefFunc { function_index } => ConstExpr::RefFunc(function_index),
            Operator::GlobalGet { global_index } => ConstExpr::GlobalGet(global_index),
            other => {
                return Err(Error::invalid(
                    format!("unsupported constant expression operator {other:?}"),
                    offset,
                ));
            }
        };
        if result.replace(value).is_some() {
            return Err(Error::invalid("unsupported constant expression", offset));
        }
    }
    result.ok_or_else(|| {
        Error::invalid(
            "empty constant expression",
            reader.original_position() as usize,
        )
    })
}

fn compile(engine: &Engine, bytes: &[u8]) -> Result<ModuleInner, Error> {
    let mut validator = Validator::new_with_features(engine.config.wasm_features());
    let mut m = ModuleInner {
        engine: engine.clone(),
        types: Vec::new(),
        func_types: Vec::new(),
        imports: Vec::new(),
        num_imported_funcs: 0,
        tables: Vec::new(),
        memories: Vec::new(),
        globals: Vec::new(),
        exports: Vec::new(),
        start: None,
        elems: Vec::new(),
        datas: Vec::new(),
        code: Vec::new(),
        stats: ModuleStats::default(),
        #[cfg(feature = "step-counter")]
        steps: 0,
    };
    let mut translator = FuncTranslator::default();
    let mut allocs = FuncValidatorAllocations::default();
    let mut defined_funcs = 0u32;

    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload?;
        if let ValidPayload::Func(to_validate, body) = validator.payload(&payload)? {
            let mut func_validator = to_validate.into_validator(allocs);
            let index = func_validator.index();
            let ctx = ModuleCtx {
                types: &m.types,
                func_types: &m.func_types,
                num_imported_funcs: m.num_imported_funcs,
                gas: engine.config.gas.as_deref(),
                floats: engine.config.floats,
            };
            let compiled = translator.translate(&ctx, index, &body, &mut func_validator)?;
            m.stats.instructions += compiled.code.len() as u64;
            m.stats.code_bytes += body.range().end - body.range().start;
            m.code.push(compiled);
            allocs = func_validator.into_allocations();
            continue;
        }
        match payload {
            Payload::TypeSection(reader) => {
                let offset = reader.range().start as usize;
                for ty in reader.into_iter_err_on_gc_types() {
                    let ty = ty?;
                    let params = ty
                        .params()
                        .iter()
                        .map(|t| val_type(*t, offset))
                        .collect::<Result<Vec<_>, _>>()?;
                    let results = ty
                        .results()
                        .iter()
                        .map(|t| val_type(*t, offset))
                        .collect::<Result<Vec<_>, _>>()?;
                    let ty = FuncType::new(params, results);
                    if !engine.config.floats && ty.params().iter().chain(ty.results()).any(is_float)
                    {
                        return Err(Error::invalid("float types are disabled", offset));
                    }
                    m.types.push(ty);
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports_with_offsets() {
                    let (offset, import) = import?;
                    let offset = offset as usize;
                    if let TypeRef::Memory(_) = import.ty {
                        let mut raw = BinaryReader::new(&bytes[offset..], offset as u64);
                        raw.read_string()?;
                        raw.read_string()?;
                        if raw.read_u8()? == 0x02 {
                            check_memory_limits(&mut raw)?;
                        }
                    }
                    let kind = match import.ty {
                        TypeRef::Func(t) => {
                            m.func_types.push(t);
                            m.num_imported_funcs += 1;
                            ImportKind::Func(t)
                        }
                        TypeRef::Table(t) => ImportKind::Table(table_type(&t, offset)?),
                        TypeRef::Memory(mt) => ImportKind::Memory(memory_type(&mt, offset)?),
                        TypeRef::Global(g) => {
                            let g = global_type(&g, offset)?;
                            if !engine.config.floats && is_float(&g.content) {
                                return Err(Error::invalid("float types are disabled", offset));
                            }
                            ImportKind::Global(g)
                        }
                        _ => return Err(Error::invalid("unsupported import kind", offset)),
                    };
                    m.imports.push(ImportDef {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        kind,
                    });
                }
            }
            Payload::FunctionSection(reader) => {
                for t in reader {
                    m.func_types.push(t?);
                    defined_funcs += 1;
                }
            }
            Payload::TableSection(reader) => {
                let offset = reader.range().start as usize;
                for t in reader {
                    let t = t?;
                    let init = match &t.init {
                        wasmparser::TableInit::RefNull => None,
                        wasmparser::TableInit::Expr(e) => Some(const_expr(e)?),
                    };
                    m.tables.push((table_type(&t.ty, offset)?, init));
                }
            }
            Payload::MemorySection(reader) => {
                let offset = reader.range().start as usize;
                let range = reader.range();
                let mut raw = BinaryReader::new(
                    &bytes[range.start as usize..range.end as usize],
                    range.start,
                );
                for _ in 0..raw.read_var_u32()? {
                    check_memory_limits(&mut raw)?;
                }
                for mt in reader {
                    m.memories.push(memory_type(&mt?, offset)?);
                }
            }
            Payload::GlobalSection(reader) => {
                let offset = reader.range().start as usize;
                for g in reader {
                    let g = g?;
                    let ty = global_type(&g.ty, offset)?;
                    if !engine.config.floats && is_float(&ty.content) {
                        return Err(Error::invalid("float types are disabled", offset));
                    }
                    m.globals.push((ty, const_expr(&g.init_expr)?));
                }
            }
            Payload::ExportSection(reader) => {
                for e in reader {
                    let e = e?;
                    let kind = match e.kind {
                        ExternalKind::Func | ExternalKind::FuncExact => ExportKind::Func,
                        ExternalKind::Table => ExportKind::Table,
                        ExternalKind::Memory => ExportKind::Memory,
                        ExternalKind::Global => ExportKind::Global,
                        ExternalKind::Tag => {
                            return Err(Error::invalid("tags are not supported", 0));
                        }
                    };
                    m.exports.push((e.name.to_string(), kind, e.index));
                }
            }
            Payload::StartSection { func, .. } => m.start = Some(func),
            Payload::ElementSection(reader) => {
                for e in reader {
                    let e = e?;
                    let mode = match e.kind {
                        ElementKind::Passive => SegmentMode::Passive,
                        ElementKind::Declared => SegmentMode::Declared,
                        ElementKind::Active {
                            table_index,
                            offset_expr,
                        } => SegmentMode::Active {
                            index: table_index.unwrap_or(0),
                            offset: const_expr(&offset_expr)?,
                        },
                    };
                    let items = match e.items {
                        ElementItems::Functions(r) => r
                            .into_iter()
                            .map(|f| f.map(ConstExpr::RefFunc).map_err(Error::from))
                            .collect::<Result<Vec<_>, _>>()?,
                        ElementItems::Expressions(_, r) => r
                            .into_iter()
                            .map(|e| const_expr(&e?))
                            .collect::<Result<Vec<_>, _>>()?,
                    };
                    m.elems.push(ElemSegment { mode, items });
                }
            }
            Payload::DataSection(reader) => {
                for d in reader {
                    let d = d?;
                    let mode = match d.kind {
                        wasmparser::DataKind::Passive => SegmentMode::Passive,
                        wasmparser::DataKind::Active {
                            memory_index,
                            offset_expr,
                        } => SegmentMode::Active {
                            index: memory_index,
                            offset: const_expr(&offset_expr)?,
                        },
                    };
                    m.datas.push(DataSegment {
                        mode,
                        bytes: d.data.into(),
                    });
                }
            }
            _ => {}
        }
    }
    m.stats.functions = defined_funcs;
    #[cfg(feature = "step-counter")]
    {
        m.steps = translator.steps;
    }
    Ok(m)
}
