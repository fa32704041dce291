//! The gas schedule: a static cost for every operator, plus dynamic costs.

use parity_scale_codec::{Decode, Encode};
use sha2::{Digest, Sha256};
use wasmparser::Operator;

use crate::analysis::Facts;

/// The class of an operator: operators of one class cost the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// Structure only, no work of its own: `block`, `loop`, `end`, `nop`.
    Structure,
    /// `local.get`, `local.set`, `local.tee`, `drop`, constants.
    Local,
    /// `global.get` and `global.set`.
    Global,
    /// Cheap integer arithmetic, logic, comparisons, shifts, sign extension, `eqz`.
    IntArith,
    /// Integer multiplication.
    IntMul,
    /// Integer division and remainder.
    IntDiv,
    /// Float arithmetic, comparisons, `abs`, `neg`, `copysign`, `min`, `max`, rounding.
    FloatArith,
    /// Float division and square root.
    FloatDiv,
    /// Numeric conversions (wrap, extend, truncate, convert, demote, promote, reinterpret).
    Conversion,
    /// `select`.
    Select,
    /// Memory loads.
    Load,
    /// Memory stores.
    Store,
    /// `br`, `br_if`, `if`, `else`, `return`.
    Branch,
    /// `br_table` (constant time at run time).
    BrTable,
    /// `call`.
    Call,
    /// `call_indirect`.
    CallIndirect,
    /// `memory.size`, `table.size`.
    Size,
    /// `memory.grow`, `table.grow` (plus a dynamic cost per page or element).
    Grow,
    /// `memory.fill/copy/init`, `table.fill/copy/init` (plus a dynamic cost per byte or element).
    Bulk,
    /// `data.drop`, `elem.drop`.
    Drop,
    /// `table.get`, `table.set`.
    TableAccess,
    /// `ref.null`, `ref.is_null`, `ref.func`.
    Reference,
    /// `unreachable`.
    Unreachable,
}

impl Class {
    /// Every class, in schedule order.
    pub const ALL: [Class; 23] = [
        Class::Structure,
        Class::Local,
        Class::Global,
        Class::IntArith,
        Class::IntMul,
        Class::IntDiv,
        Class::FloatArith,
        Class::FloatDiv,
        Class::Conversion,
        Class::Select,
        Class::Load,
        Class::Store,
        Class::Branch,
        Class::BrTable,
        Class::Call,
        Class::CallIndirect,
        Class::Size,
        Class::Grow,
        Class::Bulk,
        Class::Drop,
        Class::TableAccess,
        Class::Reference,
        Class::Unreachable,
    ];
}

/// Costs of one class each (in gas units).
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct InstrCosts {
    /// [`Class::Structure`].
    pub structure: u64,
    /// [`Class::Local`].
    pub local: u64,
    /// [`Class::Global`].
    pub global: u64,
    /// [`Class::IntArith`].
    pub int_arith: u64,
    /// [`Class::IntMul`].
    pub int_mul: u64,
    /// [`Class::IntDiv`].
    pub int_div: u64,
    /// [`Class::FloatArith`].
    pub float_arith: u64,
    /// [`Class::FloatDiv`].
    pub float_div: u64,
    /// [`Class::Conversion`].
    pub conversion: u64,
    /// [`Class::Select`].
    pub select: u64,
    /// [`Class::Load`].
    pub load: u64,
    /// [`Class::Store`].
    pub store: u64,
    /// [`Class::Branch`].
    pub branch: u64,
    /// [`Class::BrTable`].
    pub br_table: u64,
    /// [`Class::Call`].
    pub call: u64,
    /// [`Class::CallIndirect`].
    pub call_indirect: u64,
    /// [`Class::Size`].
    pub size: u64,
    /// [`Class::Grow`].
    pub grow: u64,
    /// [`Class::Bulk`].
    pub bulk: u64,
    /// [`Class::Drop`].
    pub drop: u64,
    /// [`Class::TableAccess`].
    pub table_access: u64,
    /// [`Class::Reference`].
    pub reference: u64,
    /// [`Class::Unreachable`].
    pub unreachable: u64,
}

/// Costs that depend on run-time values, charged where they occur.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct DynamicCosts {
    /// Per byte written by `memory.fill`, `memory.copy`, `memory.init`.
    pub memory_per_byte: u64,
    /// Per element written by `table.fill`, `table.copy`, `table.init`.
    pub table_per_element: u64,
    /// Per page requested by `memory.grow` (charged whether or not it succeeds).
    pub memory_grow_per_page: u64,
    /// Per element requested by `table.grow` (charged whether or not it succeeds).
    pub table_grow_per_element: u64,
    /// Per slot of a called function's frame (parameters, locals and maximum operand-stack
    /// height), charged on entry: zeroing and holding a frame is real work.
    pub call_per_slot: u64,
    /// Base cost of a host call, charged by the host function.
    pub host_call: u64,
    /// Per byte a host function moves in or out of linear memory, charged by the host.
    pub host_call_per_byte: u64,
    /// Per byte of module code translated, chargeable before instantiation.
    pub translation_per_byte: u64,
    /// Base cost of a storage access (open, stat, read, write, delete of a key), charged by
    /// the WASI shim.
    pub storage_access: u64,
    /// Per byte of key or value read from storage.
    pub storage_read_per_byte: u64,
    /// Per byte of key or value written to storage.
    pub storage_write_per_byte: u64,
    /// Per byte by which a write grows the stored total, so storage is never filled for free.
    pub storage_new_byte: u64,
}

/// A versioned gas schedule. Its id is the SHA-256 of its SCALE encoding.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct Schedule {
    /// Schedule version; a change of any cost is a new version.
    pub version: u32,
    /// Static costs per operator class.
    pub instr: InstrCosts,
    /// Dynamic costs.
    pub dynamic: DynamicCosts,
}

impl Default for Schedule {
    fn default() -> Self {
        Self::v1()
    }
}

impl Schedule {
    /// Gauge's default schedule, version 1. Costs are relative: 1 is a simple register
    /// operation.
    pub fn v1() -> Self {
        Schedule {
            version: 1,
            instr: InstrCosts {
                structure: 0,
                local: 1,
                global: 2,
                int_arith: 1,
                int_mul: 2,
                int_div: 8,
                float_arith: 2,
                float_div: 8,
                conversion: 2,
                select: 2,
                load: 3,
                store: 3,
                branch: 2,
                br_table: 4,
                call: 10,
                call_indirect: 14,
                size: 2,
                grow: 100,
                bulk: 10,
                drop: 10,
                table_access: 4,
                reference: 2,
                unreachable: 1,
            },
            dynamic: DynamicCosts {
                memory_per_byte: 1,
                table_per_element: 2,
                memory_grow_per_page: 1_000,
                table_grow_per_element: 10,
                call_per_slot: 1,
                host_call: 50,
                host_call_per_byte: 1,
                translation_per_byte: 1,
                storage_access: 200,
                storage_read_per_byte: 2,
                storage_write_per_byte: 10,
                storage_new_byte: 100,
            },
        }
    }

    /// The schedule's id: SHA-256 of its canonical SCALE encoding.
    pub fn id(&self) -> [u8; 32] {
        Sha256::digest(self.encode()).into()
    }

    /// The id as lowercase hex.
    pub fn id_hex(&self) -> String {
        self.id().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The static cost of one class.
    pub fn class_cost(&self, class: Class) -> u64 {
        let c = &self.instr;
        match class {
            Class::Structure => c.structure,
            Class::Local => c.local,
            Class::Global => c.global,
            Class::IntArith => c.int_arith,
            Class::IntMul => c.int_mul,
            Class::IntDiv => c.int_div,
            Class::FloatArith => c.float_arith,
            Class::FloatDiv => c.float_div,
            Class::Conversion => c.conversion,
            Class::Select => c.select,
            Class::Load => c.load,
            Class::Store => c.store,
            Class::Branch => c.branch,
            Class::BrTable => c.br_table,
            Class::Call => c.call,
            Class::CallIndirect => c.call_indirect,
            Class::Size => c.size,
            Class::Grow => c.grow,
            Class::Bulk => c.bulk,
            Class::Drop => c.drop,
            Class::TableAccess => c.table_access,
            Class::Reference => c.reference,
            Class::Unreachable => c.unreachable,
        }
    }

    /// The static cost of an operator, or `None` for an operator of a proposal Gauge does
    /// not support.
    pub fn cost(&self, op: &Operator<'_>) -> Option<u64> {
        classify(op).map(|c| self.class_cost(c))
    }

    /// Gas for translating `code_bytes` bytes of function bodies.
    pub fn translation_cost(&self, code_bytes: u64) -> u64 {
        code_bytes.saturating_mul(self.dynamic.translation_per_byte)
    }

    /// The schedule as a Markdown table (generated, so the docs cannot drift).
    pub fn markdown(&self) -> String {
        let mut s = format!(
            "Schedule version {}, id `{}`.\n\n| class | cost | operators |\n|---|---:|---|\n",
            self.version,
            self.id_hex()
        );
        for class in Class::ALL {
            let ops: Vec<&str> = OPERATORS
                .iter()
                .filter(|(_, c)| *c == Some(class))
                .map(|(name, _)| *name)
                .collect();
            s.push_str(&format!(
                "| {class:?} | {} | {} |\n",
                self.class_cost(class),
                ops.join(", ")
            ));
        }
        let d = &self.dynamic;
        s.push_str("\n| dynamic cost | gas |\n|---|---:|\n");
        for (name, v) in [
            ("memory.fill/copy/init, per byte", d.memory_per_byte),
            ("table.fill/copy/init, per element", d.table_per_element),
            ("memory.grow, per page requested", d.memory_grow_per_page),
            (
                "table.grow, per element requested",
                d.table_grow_per_element,
            ),
            ("function entry, per frame slot", d.call_per_slot),
            ("host call, base (charged by the host)", d.host_call),
            (
                "host call, per byte moved (charged by the host)",
                d.host_call_per_byte,
            ),
            ("translation, per byte of code", d.translation_per_byte),
            (
                "storage access, base (charged by the WASI shim)",
                d.storage_access,
            ),
            ("storage read, per byte", d.storage_read_per_byte),
            ("storage write, per byte", d.storage_write_per_byte),
            ("storage growth, per new byte stored", d.storage_new_byte),
        ] {
            s.push_str(&format!("| {name} | {v} |\n"));
        }
        s
    }
}

/// The class of an operator, or `None` for operators of proposals Gauge does not support.
pub fn classify(op: &Operator<'_>) -> Option<Class> {
    facts(op).map(|f| f.class)
}

/// Every operator of wasmparser with its class (for documentation and tests).
pub const OPERATORS: &[(&str, Option<Class>)] = &wasmparser::for_each_operator!(operator_list);

macro_rules! operator_list {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        [$( (stringify!($op), class_of!(@$proposal $op)), )*]
    };
}
use operator_list;

// `facts`: a table of constants (computed at compile time by `Facts::of` from each operator's
// class and name), indexed by the operator's position in `for_each_operator!`'s list. The
// metered translator asks it of every operator. A `match` whose arms were the constants
// themselves compiled to an indirect jump per operator, on a target that changes with every
// operator (often mispredicted); the position `match` compiles to arithmetic on the
// discriminant or a table load, without a jump. SIMD operators (not in `for_each_operator!`)
// and operators of proposals Gauge does not support are `None`.
macro_rules! define_facts {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        /// Position of each operator in `for_each_operator!`'s list; `Other` for the rest.
        #[allow(non_camel_case_types, dead_code)]
        #[repr(u16)]
        #[derive(Clone, Copy)]
        enum Position {
            $( $op, )*
            Other,
        }

        /// [`facts`] of each operator, by [`Position`].
        static FACTS: [Option<Facts>; Position::Other as usize + 1] = [
            $( Facts::of(class_of!(@$proposal $op), stringify!($op)), )*
            None,
        ];

        /// What the gas analysis needs of `op` ([`Facts`]), or `None` for an operator of a
        /// proposal Gauge does not support.
        #[inline]
        pub(crate) fn facts(op: &Operator<'_>) -> Option<Facts> {
            let position = match op {
                $( Operator::$op { .. } => Position::$op, )*
                #[allow(unreachable_patterns)]
                _ => Position::Other,
            };
            FACTS[position as usize]
        }
    };
}
wasmparser::for_each_operator!(define_facts);

/// Class of each operator of the supported proposals, listed one by one: an operator that
/// wasmparser adds to a supported proposal, or a new proposal, fails to compile here.
macro_rules! class_of {
    // Proposals Gauge does not support: rejected by validation, no cost.
    (@simd $op:ident) => {
        None
    };
    (@relaxed_simd $op:ident) => {
        None
    };
    (@threads $op:ident) => {
        None
    };
    (@shared_everything_threads $op:ident) => {
        None
    };
    (@exceptions $op:ident) => {
        None
    };
    (@legacy_exceptions $op:ident) => {
        None
    };
    (@tail_call $op:ident) => {
        None
    };
    (@function_references $op:ident) => {
        None
    };
    (@gc $op:ident) => {
        None
    };
    (@memory_control $op:ident) => {
        None
    };
    (@stack_switching $op:ident) => {
        None
    };
    (@wide_arithmetic $op:ident) => {
        None
    };
    (@custom_descriptors $op:ident) => {
        None
    };
    (@acquire_release_atomics $op:ident) => {
        None
    };
    // MVP.
    (@mvp Unreachable) => {
        Some(Class::Unreachable)
    };
    (@mvp Nop) => {
        Some(Class::Structure)
    };
    (@mvp Block) => {
        Some(Class::Structure)
    };
    (@mvp Loop) => {
        Some(Class::Structure)
    };
    (@mvp If) => {
        Some(Class::Branch)
    };
    (@mvp Else) => {
        Some(Class::Branch)
    };
    (@mvp End) => {
        Some(Class::Structure)
    };
    (@mvp Br) => {
        Some(Class::Branch)
    };
    (@mvp BrIf) => {
        Some(Class::Branch)
    };
    (@mvp BrTable) => {
        Some(Class::BrTable)
    };
    (@mvp Return) => {
        Some(Class::Branch)
    };
    (@mvp Call) => {
        Some(Class::Call)
    };
    (@mvp CallIndirect) => {
        Some(Class::CallIndirect)
    };
    (@mvp Drop) => {
        Some(Class::Local)
    };
    (@mvp Select) => {
        Some(Class::Select)
    };
    (@mvp LocalGet) => {
        Some(Class::Local)
    };
    (@mvp LocalSet) => {
        Some(Class::Local)
    };
    (@mvp LocalTee) => {
        Some(Class::Local)
    };
    (@mvp GlobalGet) => {
        Some(Class::Global)
    };
    (@mvp GlobalSet) => {
        Some(Class::Global)
    };
    (@mvp I32Load) => {
        Some(Class::Load)
    };
    (@mvp I64Load) => {
        Some(Class::Load)
    };
    (@mvp F32Load) => {
        Some(Class::Load)
    };
    (@mvp F64Load) => {
        Some(Class::Load)
    };
    (@mvp I32Load8S) => {
        Some(Class::Load)
    };
    (@mvp I32Load8U) => {
        Some(Class::Load)
    };
    (@mvp I32Load16S) => {
        Some(Class::Load)
    };
    (@mvp I32Load16U) => {
        Some(Class::Load)
    };
    (@mvp I64Load8S) => {
        Some(Class::Load)
    };
    (@mvp I64Load8U) => {
        Some(Class::Load)
    };
    (@mvp I64Load16S) => {
        Some(Class::Load)
    };
    (@mvp I64Load16U) => {
        Some(Class::Load)
    };
    (@mvp I64Load32S) => {
        Some(Class::Load)
    };
    (@mvp I64Load32U) => {
        Some(Class::Load)
    };
    (@mvp I32Store) => {
        Some(Class::Store)
    };
    (@mvp I64Store) => {
        Some(Class::Store)
    };
    (@mvp F32Store) => {
        Some(Class::Store)
    };
    (@mvp F64Store) => {
        Some(Class::Store)
    };
    (@mvp I32Store8) => {
        Some(Class::Store)
    };
    (@mvp I32Store16) => {
        Some(Class::Store)
    };
    (@mvp I64Store8) => {
        Some(Class::Store)
    };
    (@mvp I64Store16) => {
        Some(Class::Store)
    };
    (@mvp I64Store32) => {
        Some(Class::Store)
    };
    (@mvp MemorySize) => {
        Some(Class::Size)
    };
    (@mvp MemoryGrow) => {
        Some(Class::Grow)
    };
    (@mvp I32Const) => {
        Some(Class::Local)
    };
    (@mvp I64Const) => {
        Some(Class::Local)
    };
    (@mvp F32Const) => {
        Some(Class::Local)
    };
    (@mvp F64Const) => {
        Some(Class::Local)
    };
    (@mvp I32Eqz) => {
        Some(Class::IntArith)
    };
    (@mvp I32Eq) => {
        Some(Class::IntArith)
    };
    (@mvp I32Ne) => {
        Some(Class::IntArith)
    };
    (@mvp I32LtS) => {
        Some(Class::IntArith)
    };
    (@mvp I32LtU) => {
        Some(Class::IntArith)
    };
    (@mvp I32GtS) => {
        Some(Class::IntArith)
    };
    (@mvp I32GtU) => {
        Some(Class::IntArith)
    };
    (@mvp I32LeS) => {
        Some(Class::IntArith)
    };
    (@mvp I32LeU) => {
        Some(Class::IntArith)
    };
    (@mvp I32GeS) => {
        Some(Class::IntArith)
    };
    (@mvp I32GeU) => {
        Some(Class::IntArith)
    };
    (@mvp I64Eqz) => {
        Some(Class::IntArith)
    };
    (@mvp I64Eq) => {
        Some(Class::IntArith)
    };
    (@mvp I64Ne) => {
        Some(Class::IntArith)
    };
    (@mvp I64LtS) => {
        Some(Class::IntArith)
    };
    (@mvp I64LtU) => {
        Some(Class::IntArith)
    };
    (@mvp I64GtS) => {
        Some(Class::IntArith)
    };
    (@mvp I64GtU) => {
        Some(Class::IntArith)
    };
    (@mvp I64LeS) => {
        Some(Class::IntArith)
    };
    (@mvp I64LeU) => {
        Some(Class::IntArith)
    };
    (@mvp I64GeS) => {
        Some(Class::IntArith)
    };
    (@mvp I64GeU) => {
        Some(Class::IntArith)
    };
    (@mvp F32Eq) => {
        Some(Class::FloatArith)
    };
    (@mvp F32Ne) => {
        Some(Class::FloatArith)
    };
    (@mvp F32Lt) => {
        Some(Class::FloatArith)
    };
    (@mvp F32Gt) => {
        Some(Class::FloatArith)
    };
    (@mvp F32Le) => {
        Some(Class::FloatArith)
    };
    (@mvp F32Ge) => {
        Some(Class::FloatArith)
    };
    (@mvp F64Eq) => {
        Some(Class::FloatArith)
    };
    (@mvp F64Ne) => {
        Some(Class::FloatArith)
    };
    (@mvp F64Lt) => {
        Some(Class::FloatArith)
    };
    (@mvp F64Gt) => {
        Some(Class::FloatArith)
    };
    (@mvp F64Le) => {
        Some(Class::FloatArith)
    };
    (@mvp F64Ge) => {
        Some(Class::FloatArith)
    };
    (@mvp I32Clz) => {
        Some(Class::IntArith)
    };
    (@mvp I32Ctz) => {
        Some(Class::IntArith)
    };
    (@mvp I32Popcnt) => {
        Some(Class::IntArith)
    };
    (@mvp I32Add) => {
        Some(Class::IntArith)
    };
    (@mvp I32Sub) => {
        Some(Class::IntArith)
    };
    (@mvp I32Mul) => {
        Some(Class::IntMul)
    };
    (@mvp I32DivS) => {
        Some(Class::IntDiv)
    };
    (@mvp I32DivU) => {
        Some(Class::IntDiv)
    };
    (@mvp I32RemS) => {
        Some(Class::IntDiv)
    };
    (@mvp I32RemU) => {
        Some(Class::IntDiv)
    };
    (@mvp I32And) => {
        Some(Class::IntArith)
    };
    (@mvp I32Or) => {
        Some(Class::IntArith)
    };
    (@mvp I32Xor) => {
        Some(Class::IntArith)
    };
    (@mvp I32Shl) => {
        Some(Class::IntArith)
    };
    (@mvp I32ShrS) => {
        Some(Class::IntArith)
    };
    (@mvp I32ShrU) => {
        Some(Class::IntArith)
    };
    (@mvp I32Rotl) => {
        Some(Class::IntArith)
    };
    (@mvp I32Rotr) => {
        Some(Class::IntArith)
    };
    (@mvp I64Clz) => {
        Some(Class::IntArith)
    };
    (@mvp I64Ctz) => {
        Some(Class::IntArith)
    };
    (@mvp I64Popcnt) => {
        Some(Class::IntArith)
    };
    (@mvp I64Add) => {
        Some(Class::IntArith)
    };
    (@mvp I64Sub) => {
        Some(Class::IntArith)
    };
    (@mvp I64Mul) => {
        Some(Class::IntMul)
    };
    (@mvp I64DivS) => {
        Some(Class::IntDiv)
    };
    (@mvp I64DivU) => {
        Some(Class::IntDiv)
    };
    (@mvp I64RemS) => {
        Some(Class::IntDiv)
    };
    (@mvp I64RemU) => {
        Some(Class::IntDiv)
    };
    (@mvp I64And) => {
        Some(Class::IntArith)
    };
    (@mvp I64Or) => {
        Some(Class::IntArith)
    };
    (@mvp I64Xor) => {
        Some(Class::IntArith)
    };
    (@mvp I64Shl) => {
        Some(Class::IntArith)
    };
    (@mvp I64ShrS) => {
        Some(Class::IntArith)
    };
    (@mvp I64ShrU) => {
        Some(Class::IntArith)
    };
    (@mvp I64Rotl) => {
        Some(Class::IntArith)
    };
    (@mvp I64Rotr) => {
        Some(Class::IntArith)
    };
    (@mvp F32Abs) => {
        Some(Class::FloatArith)
    };
    (@mvp F32Neg) => {
        Some(Class::FloatArith)
    };
    (@mvp F32Ceil) => {
        Some(Class::FloatArith)
    };
    (@mvp F32Floor) => {
        Some(Class::FloatArith)
    };
    (@mvp F32Trunc) => {
        Some(Class::FloatArith)
    };
    (@mvp F32Nearest) => {
        Some(Class::FloatArith)
    };
    (@mvp F32Sqrt) => {
        Some(Class::FloatDiv)
    };
    (@mvp F32Add) => {
        Some(Class::FloatArith)
    };
    (@mvp F32Sub) => {
        Some(Class::FloatArith)
    };
    (@mvp F32Mul) => {
        Some(Class::FloatArith)
    };
    (@mvp F32Div) => {
        Some(Class::FloatDiv)
    };
    (@mvp F32Min) => {
        Some(Class::FloatArith)
    };
    (@mvp F32Max) => {
        Some(Class::FloatArith)
    };
    (@mvp F32Copysign) => {
        Some(Class::FloatArith)
    };
    (@mvp F64Abs) => {
        Some(Class::FloatArith)
    };
    (@mvp F64Neg) => {
        Some(Class::FloatArith)
    };
    (@mvp F64Ceil) => {
        Some(Class::FloatArith)
    };
    (@mvp F64Floor) => {
        Some(Class::FloatArith)
    };
    (@mvp F64Trunc) => {
        Some(Class::FloatArith)
    };
    (@mvp F64Nearest) => {
        Some(Class::FloatArith)
    };
    (@mvp F64Sqrt) => {
        Some(Class::FloatDiv)
    };
    (@mvp F64Add) => {
        Some(Class::FloatArith)
    };
    (@mvp F64Sub) => {
        Some(Class::FloatArith)
    };
    (@mvp F64Mul) => {
        Some(Class::FloatArith)
    };
    (@mvp F64Div) => {
        Some(Class::FloatDiv)
    };
    (@mvp F64Min) => {
        Some(Class::FloatArith)
    };
    (@mvp F64Max) => {
        Some(Class::FloatArith)
    };
    (@mvp F64Copysign) => {
        Some(Class::FloatArith)
    };
    (@mvp I32WrapI64) => {
        Some(Class::Conversion)
    };
    (@mvp I32TruncF32S) => {
        Some(Class::Conversion)
    };
    (@mvp I32TruncF32U) => {
        Some(Class::Conversion)
    };
    (@mvp I32TruncF64S) => {
        Some(Class::Conversion)
    };
    (@mvp I32TruncF64U) => {
        Some(Class::Conversion)
    };
    (@mvp I64ExtendI32S) => {
        Some(Class::Conversion)
    };
    (@mvp I64ExtendI32U) => {
        Some(Class::Conversion)
    };
    (@mvp I64TruncF32S) => {
        Some(Class::Conversion)
    };
    (@mvp I64TruncF32U) => {
        Some(Class::Conversion)
    };
    (@mvp I64TruncF64S) => {
        Some(Class::Conversion)
    };
    (@mvp I64TruncF64U) => {
        Some(Class::Conversion)
    };
    (@mvp F32ConvertI32S) => {
        Some(Class::Conversion)
    };
    (@mvp F32ConvertI32U) => {
        Some(Class::Conversion)
    };
    (@mvp F32ConvertI64S) => {
        Some(Class::Conversion)
    };
    (@mvp F32ConvertI64U) => {
        Some(Class::Conversion)
    };
    (@mvp F32DemoteF64) => {
        Some(Class::Conversion)
    };
    (@mvp F64ConvertI32S) => {
        Some(Class::Conversion)
    };
    (@mvp F64ConvertI32U) => {
        Some(Class::Conversion)
    };
    (@mvp F64ConvertI64S) => {
        Some(Class::Conversion)
    };
    (@mvp F64ConvertI64U) => {
        Some(Class::Conversion)
    };
    (@mvp F64PromoteF32) => {
        Some(Class::Conversion)
    };
    (@mvp I32ReinterpretF32) => {
        Some(Class::Conversion)
    };
    (@mvp I64ReinterpretF64) => {
        Some(Class::Conversion)
    };
    (@mvp F32ReinterpretI32) => {
        Some(Class::Conversion)
    };
    (@mvp F64ReinterpretI64) => {
        Some(Class::Conversion)
    };
    // Sign extension.
    (@sign_extension I32Extend8S) => {
        Some(Class::IntArith)
    };
    (@sign_extension I32Extend16S) => {
        Some(Class::IntArith)
    };
    (@sign_extension I64Extend8S) => {
        Some(Class::IntArith)
    };
    (@sign_extension I64Extend16S) => {
        Some(Class::IntArith)
    };
    (@sign_extension I64Extend32S) => {
        Some(Class::IntArith)
    };
    // Non-trapping float-to-int.
    (@saturating_float_to_int I32TruncSatF32S) => {
        Some(Class::Conversion)
    };
    (@saturating_float_to_int I32TruncSatF32U) => {
        Some(Class::Conversion)
    };
    (@saturating_float_to_int I32TruncSatF64S) => {
        Some(Class::Conversion)
    };
    (@saturating_float_to_int I32TruncSatF64U) => {
        Some(Class::Conversion)
    };
    (@saturating_float_to_int I64TruncSatF32S) => {
        Some(Class::Conversion)
    };
    (@saturating_float_to_int I64TruncSatF32U) => {
        Some(Class::Conversion)
    };
    (@saturating_float_to_int I64TruncSatF64S) => {
        Some(Class::Conversion)
    };
    (@saturating_float_to_int I64TruncSatF64U) => {
        Some(Class::Conversion)
    };
    // Bulk memory.
    (@bulk_memory MemoryInit) => {
        Some(Class::Bulk)
    };
    (@bulk_memory DataDrop) => {
        Some(Class::Drop)
    };
    (@bulk_memory MemoryCopy) => {
        Some(Class::Bulk)
    };
    (@bulk_memory MemoryFill) => {
        Some(Class::Bulk)
    };
    (@bulk_memory TableInit) => {
        Some(Class::Bulk)
    };
    (@bulk_memory ElemDrop) => {
        Some(Class::Drop)
    };
    (@bulk_memory TableCopy) => {
        Some(Class::Bulk)
    };
    // Reference types.
    (@reference_types TypedSelect) => {
        Some(Class::Select)
    };
    (@reference_types TypedSelectMulti) => {
        None
    };
    (@reference_types RefNull) => {
        Some(Class::Reference)
    };
    (@reference_types RefIsNull) => {
        Some(Class::Reference)
    };
    (@reference_types RefFunc) => {
        Some(Class::Reference)
    };
    (@reference_types TableFill) => {
        Some(Class::Bulk)
    };
    (@reference_types TableGet) => {
        Some(Class::TableAccess)
    };
    (@reference_types TableSet) => {
        Some(Class::TableAccess)
    };
    (@reference_types TableGrow) => {
        Some(Class::Grow)
    };
    (@reference_types TableSize) => {
        Some(Class::Size)
    };
}
use class_of;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_is_stable_and_changes_with_any_cost() {
        let a = Schedule::v1();
        assert_eq!(a.id(), Schedule::v1().id());
        let mut b = a.clone();
        b.instr.load += 1;
        assert_ne!(a.id(), b.id());
        let mut c = a.clone();
        c.dynamic.call_per_slot += 1;
        assert_ne!(a.id(), c.id());
    }

    #[test]
    fn scale_round_trip() {
        let s = Schedule::v1();
        let bytes = s.encode();
        assert_eq!(Schedule::decode(&mut &bytes[..]).unwrap(), s);
    }

    #[test]
    fn every_wasm2_operator_has_a_class() {
        let supported = OPERATORS.iter().filter(|(_, c)| c.is_some()).count();
        // MVP 172 + sign-extension 5 + saturating 8 + bulk memory 7 + reference types 9.
        assert_eq!(supported, 201);
        assert_eq!(classify(&Operator::I32Add), Some(Class::IntArith));
        assert_eq!(classify(&Operator::I64DivU), Some(Class::IntDiv));
        assert_eq!(
            classify(&Operator::V128Const {
                value: 0u128.into()
            }),
            None
        );
    }

    #[test]
    fn markdown_lists_every_supported_operator_once() {
        let md = Schedule::v1().markdown();
        assert!(md.contains(&Schedule::v1().id_hex()));
        for (name, class) in OPERATORS {
            if class.is_some() {
                assert!(md.contains(name), "{name} missing from the table");
            }
        }
    }
}
