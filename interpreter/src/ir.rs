//! Gauge's internal instruction set: one list, from which everything else is derived.
//!
//! # Model
//!
//! Every function runs in a *frame*: a window of 64-bit slots on the value stack. The first
//! slots hold the parameters and declared locals, in order; then the function's constant pool
//! (constants read inside loops, set on entry); after them come the slots of the operand stack,
//! one fixed slot per operand-stack height. Because Wasm validation fixes the
//! operand-stack height at every instruction, the translator knows which slot each operand lives
//! in, and every instruction names its operands and its result by slot ([`Slot`], relative to
//! the frame's base). There is no push or pop at run time: `local.get` usually vanishes (the
//! consumer reads the local's slot), and a result can be written straight into a local.
//!
//! Values in slots are raw bits: `i32` and `f32` live in the low 32 bits, zero-extended on
//! every write; `i64`/`f64` use all 64; `funcref` is a store function address + 1 and
//! `externref` an extern handle + 1, with 0 meaning null. A future `v128` takes two adjacent
//! slots, so SIMD adds instructions, not a new value representation.
//!
//! Branch offsets are relative to the branch instruction itself and resolved at translation
//! (each forward branch is patched exactly once when its label is placed).
//!
//! # Naming
//!
//! `<type>.<op>` of Wasm becomes `<Type><Op>` (`i32.add` → `I32Add`); loads and stores keep
//! their width and sign suffix (`I64Load32U`). Float loads and stores share the integer ones of
//! the same width (they move bits), and `reinterpret` needs no instruction at all. Operands are
//! called `dst` (written), `src`/`lhs`/`rhs` (read); `base` names the first of a run of
//! consecutive slots holding an instruction's operands, in Wasm operand order.

use crate::TrapCode;

/// A slot index relative to the base of the current frame.
pub type Slot = u32;

/// A slot index in a fused instruction (see [`Op::fuse`]), which the translator makes only in
/// frames of at most `u16::MAX` slots, so that two instructions' operands fit in one.
pub type Slot16 = u16;

/// Visit one field of an `other` instruction in [`Op::for_each_slot_mut`]: only `Slot` fields.
macro_rules! visit_slot_field {
    (Slot, $field:ident, $visit:ident) => {
        $visit($field)
    };
    ($other:ident, $field:ident, $visit:ident) => {};
}

macro_rules! define_ops {
    (
        unary: [$($un:ident),* $(,)?],
        binary: [$($bin:ident),* $(,)?],
        load: [$($ld:ident),* $(,)?],
        store: [$($st:ident),* $(,)?],
        binary_imm: [$($bi:ident),* $(,)?],
        branch_imm: [$($bri:ident),* $(,)?],
        branch_float: [$($bf:ident = $bfdoc:literal),* $(,)?],
        other: { $( $(#[$m:meta])* $name:ident $({ $($f:ident : $t:ident),* $(,)? })? ),* $(,)? }
    ) => {
        /// One internal instruction. See the [module docs](self) for the model and naming.
        // Operand fields follow the naming rules of the module docs rather than a line each.
        #[allow(missing_docs)]
        #[derive(Debug, Clone, Copy, PartialEq)]
        // `repr(u16)`: the discriminant is a leading `u16` holding the variant's position, so
        // the executor's threaded dispatch can read it and index its handler table with it
        // (see [`Op::code`] and [`OpCode`]).
        #[repr(u16)]
        pub enum Op {
            $(
                #[doc = concat!("Unary `", stringify!($un), "`: `dst = op(src)`.")]
                $un { dst: Slot, src: Slot },
            )*
            $(
                #[doc = concat!("Binary `", stringify!($bin), "`: `dst = op(lhs, rhs)`.")]
                $bin { dst: Slot, lhs: Slot, rhs: Slot },
            )*
            $(
                #[doc = concat!("Memory load `", stringify!($ld), "` of memory 0 at `slot[ptr] + offset`.")]
                $ld { dst: Slot, ptr: Slot, offset: u32 },
            )*
            $(
                #[doc = concat!("Memory store `", stringify!($st), "` of `slot[src]` to memory 0 at `slot[ptr] + offset`.")]
                $st { ptr: Slot, src: Slot, offset: u32 },
            )*
            $(
                #[doc = concat!("`", stringify!($bi), "`: `dst = op(lhs, imm)`, the immediate sign-extended to the operand type.")]
                $bi { dst: Slot, lhs: Slot, imm: i32 },
            )*
            $(
                #[doc = concat!("`", stringify!($bri), "`: jump by `offset` if `op(lhs, imm)`, the immediate sign-extended to the operand type.")]
                $bri { lhs: Slot, imm: i32, offset: i32 },
            )*
            $(
                #[doc = concat!("Fused float comparison and branch: jump by `offset` if ", $bfdoc, ".")]
                $bf { lhs: Slot, rhs: Slot, offset: i32 },
            )*
            $( $(#[$m])* $name $({ $($f : $t),* })?, )*
        }

        /// The discriminant of each [`Op`] variant, in the same order: `OpCode::X as u16` is
        /// the leading `u16` of every `Op::X` (both enums list the same variants in the same
        /// order, and `Op` is `repr(u16)`).
        #[allow(missing_docs)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(u16)]
        pub enum OpCode {
            $( $un, )* $( $bin, )* $( $ld, )* $( $st, )* $( $bi, )* $( $bri, )* $( $bf, )*
            $( $name, )*
        }

        impl Op {
            /// This instruction's [`OpCode`], by matching (the safe twin of [`Op::code`]).
            pub fn opcode(&self) -> OpCode {
                match self {
                    $( Op::$un { .. } => OpCode::$un, )*
                    $( Op::$bin { .. } => OpCode::$bin, )*
                    $( Op::$ld { .. } => OpCode::$ld, )*
                    $( Op::$st { .. } => OpCode::$st, )*
                    $( Op::$bi { .. } => OpCode::$bi, )*
                    $( Op::$bri { .. } => OpCode::$bri, )*
                    $( Op::$bf { .. } => OpCode::$bf, )*
                    $( Op::$name { .. } => OpCode::$name, )*
                }
            }

            /// The slot this instruction writes as its single result, if it has exactly one.
            ///
            /// The translator uses it to retarget a result straight into a local.
            pub fn single_dst_mut(&mut self) -> Option<&mut Slot> {
                match self {
                    $( Op::$un { dst, .. } => Some(dst), )*
                    $( Op::$bin { dst, .. } => Some(dst), )*
                    $( Op::$ld { dst, .. } => Some(dst), )*
                    $( Op::$bi { dst, .. } => Some(dst), )*
                    Op::Copy { dst, .. }
                    | Op::Const { dst, .. }
                    | Op::GlobalGet { dst, .. }
                    | Op::RefFunc { dst, .. }
                    | Op::MemorySize { dst }
                    | Op::TableSize { dst, .. }
                    | Op::TableGet { dst, .. } => Some(dst),
                    _ => None,
                }
            }

            /// Call `visit` on every [`Slot`] field of this instruction (operands, results and
            /// the first slots of spans), so that a pass can renumber a frame's slots. Derived
            /// from the field types, so no slot field can be missed.
            #[allow(unused_variables)]
            pub fn for_each_slot_mut(&mut self, mut visit: impl FnMut(&mut Slot)) {
                match self {
                    $( Op::$un { dst, src } => { visit(dst); visit(src); } )*
                    $( Op::$bin { dst, lhs, rhs } => { visit(dst); visit(lhs); visit(rhs); } )*
                    $( Op::$ld { dst, ptr, .. } => { visit(dst); visit(ptr); } )*
                    $( Op::$st { ptr, src, .. } => { visit(ptr); visit(src); } )*
                    $( Op::$bi { dst, lhs, .. } => { visit(dst); visit(lhs); } )*
                    $( Op::$bri { lhs, .. } => visit(lhs), )*
                    $( Op::$bf { lhs, rhs, .. } => { visit(lhs); visit(rhs); } )*
                    $( Op::$name $({ $($f),* })? => { $($( visit_slot_field!($t, $f, visit); )*)? } )*
                }
            }

            /// Names of all instructions, for statistics and the disassembler.
            pub const NAMES: &'static [&'static str] = &[
                $( stringify!($un), )* $( stringify!($bin), )* $( stringify!($ld), )*
                $( stringify!($st), )* $( stringify!($bi), )* $( stringify!($bri), )*
                $( stringify!($bf), )* $( stringify!($name), )*
            ];

            /// The offset of a branch with an immediate operand or a fused float comparison;
            /// `None` for other instructions.
            fn imm_branch_offset_mut(&mut self) -> Option<&mut i32> {
                match self {
                    $( Op::$bri { offset, .. } => Some(offset), )*
                    $( Op::$bf { offset, .. } => Some(offset), )*
                    _ => None,
                }
            }
        }
    };
}

define_ops! {
    unary: [
        I32Eqz, I64Eqz,
        I32Clz, I32Ctz, I32Popcnt, I64Clz, I64Ctz, I64Popcnt,
        F32Abs, F32Neg, F32Ceil, F32Floor, F32Trunc, F32Nearest, F32Sqrt,
        F64Abs, F64Neg, F64Ceil, F64Floor, F64Trunc, F64Nearest, F64Sqrt,
        I32WrapI64, I32TruncF32S, I32TruncF32U, I32TruncF64S, I32TruncF64U,
        I64ExtendI32S, I64TruncF32S, I64TruncF32U, I64TruncF64S, I64TruncF64U,
        F32ConvertI32S, F32ConvertI32U, F32ConvertI64S, F32ConvertI64U, F32DemoteF64,
        F64ConvertI32S, F64ConvertI32U, F64ConvertI64S, F64ConvertI64U, F64PromoteF32,
        I32Extend8S, I32Extend16S, I64Extend8S, I64Extend16S, I64Extend32S,
        I32TruncSatF32S, I32TruncSatF32U, I32TruncSatF64S, I32TruncSatF64U,
        I64TruncSatF32S, I64TruncSatF32U, I64TruncSatF64S, I64TruncSatF64U,
    ],
    binary: [
        I32Eq, I32Ne, I32LtS, I32LtU, I32GtS, I32GtU, I32LeS, I32LeU, I32GeS, I32GeU,
        I64Eq, I64Ne, I64LtS, I64LtU, I64GtS, I64GtU, I64LeS, I64LeU, I64GeS, I64GeU,
        F32Eq, F32Ne, F32Lt, F32Gt, F32Le, F32Ge,
        F64Eq, F64Ne, F64Lt, F64Gt, F64Le, F64Ge,
        I32Add, I32Sub, I32Mul, I32DivS, I32DivU, I32RemS, I32RemU,
        I32And, I32Or, I32Xor, I32Shl, I32ShrS, I32ShrU, I32Rotl, I32Rotr,
        I64Add, I64Sub, I64Mul, I64DivS, I64DivU, I64RemS, I64RemU,
        I64And, I64Or, I64Xor, I64Shl, I64ShrS, I64ShrU, I64Rotl, I64Rotr,
        F32Add, F32Sub, F32Mul, F32Div, F32Min, F32Max, F32Copysign,
        F64Add, F64Sub, F64Mul, F64Div, F64Min, F64Max, F64Copysign,
    ],
    load: [
        I32Load, I64Load,
        I32Load8S, I32Load8U, I32Load16S, I32Load16U,
        I64Load8S, I64Load8U, I64Load16S, I64Load16U, I64Load32S, I64Load32U,
    ],
    store: [I32Store, I64Store, I32Store8, I32Store16, I64Store8, I64Store16, I64Store32],
    binary_imm: [
        I32AddImm, I32MulImm, I32AndImm, I32OrImm, I32XorImm,
        I32ShlImm, I32ShrSImm, I32ShrUImm, I32RotlImm, I32RotrImm,
        I32EqImm, I32NeImm, I32LtSImm, I32LtUImm, I32GtSImm, I32GtUImm,
        I32LeSImm, I32LeUImm, I32GeSImm, I32GeUImm,
        I64AddImm, I64SubImm, I64MulImm, I64AndImm, I64OrImm, I64XorImm,
        I64ShlImm, I64ShrSImm, I64ShrUImm, I64RotlImm, I64RotrImm,
        I64EqImm, I64NeImm, I64LtSImm, I64LtUImm, I64GtSImm, I64GtUImm,
        I64LeSImm, I64LeUImm, I64GeSImm, I64GeUImm,
    ],
    branch_imm: [
        BrI32EqImm, BrI32NeImm, BrI32LtSImm, BrI32LtUImm, BrI32GtSImm, BrI32GtUImm,
        BrI32LeSImm, BrI32LeUImm, BrI32GeSImm, BrI32GeUImm,
        BrI64EqImm, BrI64NeImm, BrI64LtSImm, BrI64LtUImm, BrI64GtSImm, BrI64GtUImm,
        BrI64LeSImm, BrI64LeUImm, BrI64GeSImm, BrI64GeUImm,
    ],
    // Negating a float comparison is not exact (every ordered comparison with a NaN is
    // false), so the false sense of `lt`, `gt`, `le`, `ge` has instructions of its own.
    branch_float: [
        BrF32Eq = "`lhs == rhs` (f32)", BrF32Ne = "`lhs != rhs` (f32)",
        BrF32Lt = "`lhs < rhs` (f32)", BrF32Gt = "`lhs > rhs` (f32)",
        BrF32Le = "`lhs <= rhs` (f32)", BrF32Ge = "`lhs >= rhs` (f32)",
        BrF32NotLt = "`!(lhs < rhs)` (f32; taken if either is NaN)",
        BrF32NotGt = "`!(lhs > rhs)` (f32; taken if either is NaN)",
        BrF32NotLe = "`!(lhs <= rhs)` (f32; taken if either is NaN)",
        BrF32NotGe = "`!(lhs >= rhs)` (f32; taken if either is NaN)",
        BrF64Eq = "`lhs == rhs` (f64)", BrF64Ne = "`lhs != rhs` (f64)",
        BrF64Lt = "`lhs < rhs` (f64)", BrF64Gt = "`lhs > rhs` (f64)",
        BrF64Le = "`lhs <= rhs` (f64)", BrF64Ge = "`lhs >= rhs` (f64)",
        BrF64NotLt = "`!(lhs < rhs)` (f64; taken if either is NaN)",
        BrF64NotGt = "`!(lhs > rhs)` (f64; taken if either is NaN)",
        BrF64NotLe = "`!(lhs <= rhs)` (f64; taken if either is NaN)",
        BrF64NotGe = "`!(lhs >= rhs)` (f64; taken if either is NaN)",
    ],
    other: {
        /// Trap with the given code (`unreachable`, or a trap proven at translation).
        Trap { code: TrapCode },
        /// Charge `amount` gas for the metered block that starts here; out of gas traps.
        ConsumeGas { amount: u64 },
        /// Charge `total` gas for the `blocks` merged metered blocks that follow (see the
        /// translator's `close_group`) if the gas left covers them all; else continue in a
        /// precise copy of their code with one `ConsumeGas` per block, which the executor
        /// builds once per function when first needed from the function's `groups`, entries
        /// `first..first + blocks` (`CompiledFunc::precise`).
        ConsumeGasGroup { blocks: u16, first: u32, total: u64 },
        /// `slot[dst] = slot[src]`.
        Copy { dst: Slot, src: Slot },
        /// Copy `len` slots from `src..` to `dst..`, ascending (`dst <= src` or disjoint).
        CopySpan { dst: Slot, src: Slot, len: u32 },
        /// `slot[dst] = value` (32-bit values zero-extended).
        Const { dst: Slot, value: u64 },
        /// `slot[dst] = if slot[cond] as i32 != 0 { slot[dst] } else { slot[rhs] }`.
        Select { dst: Slot, rhs: Slot, cond: Slot },
        /// Jump by `offset` instructions.
        Br { offset: i32 },
        /// Jump by `offset` if the i32 in `cond` is not zero.
        BrIfNez { cond: Slot, offset: i32 },
        /// Jump by `offset` if the i32 in `cond` is zero.
        BrIfEqz { cond: Slot, offset: i32 },
        /// Jump by `offset` if the i32 in `src` is zero (fused `i32.eqz` + `br_if`).
        BrI32Eqz { src: Slot, offset: i32 },
        /// Jump by `offset` if the i32 in `src` is not zero.
        BrI32Nez { src: Slot, offset: i32 },
        /// Jump by `offset` if the i64 in `src` is zero.
        BrI64Eqz { src: Slot, offset: i32 },
        /// Jump by `offset` if the i64 in `src` is not zero.
        BrI64Nez { src: Slot, offset: i32 },
        /// Fused comparison and branch: jump by `offset` if `lhs == rhs` (i32).
        BrI32Eq { lhs: Slot, rhs: Slot, offset: i32 },
        /// Jump if `lhs != rhs` (i32).
        BrI32Ne { lhs: Slot, rhs: Slot, offset: i32 },
        /// Jump if `lhs < rhs` (i32, signed).
        BrI32LtS { lhs: Slot, rhs: Slot, offset: i32 },
        /// Jump if `lhs < rhs` (i32, unsigned).
        BrI32LtU { lhs: Slot, rhs: Slot, offset: i32 },
        /// Jump if `lhs > rhs` (i32, signed).
        BrI32GtS { lhs: Slot, rhs: Slot, offset: i32 },
        /// Jump if `lhs > rhs` (i32, unsigned).
        BrI32GtU { lhs: Slot, rhs: Slot, offset: i32 },
        /// Jump if `lhs <= rhs` (i32, signed).
        BrI32LeS { lhs: Slot, rhs: Slot, offset: i32 },
        /// Jump if `lhs <= rhs` (i32, unsigned).
        BrI32LeU { lhs: Slot, rhs: Slot, offset: i32 },
        /// Jump if `lhs >= rhs` (i32, signed).
        BrI32GeS { lhs: Slot, rhs: Slot, offset: i32 },
        /// Jump if `lhs >= rhs` (i32, unsigned).
        BrI32GeU { lhs: Slot, rhs: Slot, offset: i32 },
        /// Jump if `lhs == rhs` (i64).
        BrI64Eq { lhs: Slot, rhs: Slot, offset: i32 },
        /// Jump if `lhs != rhs` (i64).
        BrI64Ne { lhs: Slot, rhs: Slot, offset: i32 },
        /// Jump if `lhs < rhs` (i64, signed).
        BrI64LtS { lhs: Slot, rhs: Slot, offset: i32 },
        /// Jump if `lhs < rhs` (i64, unsigned).
        BrI64LtU { lhs: Slot, rhs: Slot, offset: i32 },
        /// Jump if `lhs > rhs` (i64, signed).
        BrI64GtS { lhs: Slot, rhs: Slot, offset: i32 },
        /// Jump if `lhs > rhs` (i64, unsigned).
        BrI64GtU { lhs: Slot, rhs: Slot, offset: i32 },
        /// Jump if `lhs <= rhs` (i64, signed).
        BrI64LeS { lhs: Slot, rhs: Slot, offset: i32 },
        /// Jump if `lhs <= rhs` (i64, unsigned).
        BrI64LeU { lhs: Slot, rhs: Slot, offset: i32 },
        /// Jump if `lhs >= rhs` (i64, signed).
        BrI64GeS { lhs: Slot, rhs: Slot, offset: i32 },
        /// Jump if `lhs >= rhs` (i64, unsigned).
        BrI64GeU { lhs: Slot, rhs: Slot, offset: i32 },
        /// `Br` past a gas charge, which it pays: the target `pc + offset` is the instruction
        /// right after a `ConsumeGas` or `ConsumeGasGroup` of `charge`. When the gas left
        /// covers `charge`, charge it and jump to the target; else jump to the charge itself
        /// (`pc + offset - 1`), which then traps or takes its precise path. Made by
        /// [`Op::with_charge`] once a function's code is final.
        BrGas { charge: u16, offset: i32 },
        /// `BrIfNez` to a gas charge that charges it (as `BrGas` when taken).
        BrIfNezGas { charge: u16, cond: Slot, offset: i32 },
        /// `BrIfEqz` to a gas charge that charges it (as `BrGas` when taken).
        BrIfEqzGas { charge: u16, cond: Slot, offset: i32 },
        /// `BrI32Nez` to a gas charge that charges it (as `BrGas` when taken).
        BrI32NezGas { charge: u16, src: Slot, offset: i32 },
        /// `BrI32Eqz` to a gas charge that charges it (as `BrGas` when taken).
        BrI32EqzGas { charge: u16, src: Slot, offset: i32 },
        /// `BrI32Eq` to a gas charge that charges it (as `BrGas` when taken).
        BrI32EqGas { charge: u16, lhs: Slot, rhs: Slot, offset: i32 },
        /// `BrI32Ne` to a gas charge that charges it (as `BrGas` when taken).
        BrI32NeGas { charge: u16, lhs: Slot, rhs: Slot, offset: i32 },
        /// `BrI32LtS` to a gas charge that charges it (as `BrGas` when taken).
        BrI32LtSGas { charge: u16, lhs: Slot, rhs: Slot, offset: i32 },
        /// `BrI32LtU` to a gas charge that charges it (as `BrGas` when taken).
        BrI32LtUGas { charge: u16, lhs: Slot, rhs: Slot, offset: i32 },
        /// `BrI32GtU` to a gas charge that charges it (as `BrGas` when taken).
        BrI32GtUGas { charge: u16, lhs: Slot, rhs: Slot, offset: i32 },
        /// `BrI32GeU` to a gas charge that charges it (as `BrGas` when taken).
        BrI32GeUGas { charge: u16, lhs: Slot, rhs: Slot, offset: i32 },
        /// `BrI64Ne` to a gas charge that charges it (as `BrGas` when taken).
        BrI64NeGas { charge: u16, lhs: Slot, rhs: Slot, offset: i32 },
        /// `BrI64LeU` to a gas charge that charges it (as `BrGas` when taken).
        BrI64LeUGas { charge: u16, lhs: Slot, rhs: Slot, offset: i32 },
        /// `BrI32LtUImm` to a gas charge that charges it (as `BrGas` when taken).
        BrI32LtUImmGas { charge: u16, lhs: Slot, imm: i32, offset: i32 },
        /// `BrI32NeImm` to a gas charge that charges it (as `BrGas` when taken).
        BrI32NeImmGas { charge: u16, lhs: Slot, imm: i32, offset: i32 },
        /// `BrI32GeUImm` to a gas charge that charges it (as `BrGas` when taken).
        BrI32GeUImmGas { charge: u16, lhs: Slot, imm: i32, offset: i32 },
        /// `BrI32LeU` to a gas charge that charges it (as `BrGas` when taken).
        BrI32LeUGas { charge: u16, lhs: Slot, rhs: Slot, offset: i32 },
        /// `BrI64Eq` to a gas charge that charges it (as `BrGas` when taken).
        BrI64EqGas { charge: u16, lhs: Slot, rhs: Slot, offset: i32 },
        /// `BrI32EqImm` to a gas charge that charges it (as `BrGas` when taken).
        BrI32EqImmGas { charge: u16, lhs: Slot, imm: i32, offset: i32 },
        /// `BrI32GtUImm` to a gas charge that charges it (as `BrGas` when taken).
        BrI32GtUImmGas { charge: u16, lhs: Slot, imm: i32, offset: i32 },
        /// Jump to the instruction `1 + min(slot[index] as u32, len)` after this one; those
        /// `len + 1` instructions are the table's branches (`Br` or `Return*`).
        BrTable { index: Slot, len: u32 },
        /// Return from the function; its results, if any, are already in slots `0..`.
        Return,
        /// Copy `slot[src]` to slot 0 and return.
        ReturnSlot { src: Slot },
        /// Copy `len` slots from `src..` to `0..` and return.
        ReturnSpan { src: Slot, len: u32 },
        /// Call function `func` (module function index) with its frame starting at `base`:
        /// arguments are in `base..`, and results are left in `base..`.
        Call { func: u32, base: Slot },
        /// Call the module's own defined function `index` (among the defined functions, in the
        /// same instance), with its frame starting at `base`, like `Call`.
        CallInternal { index: u32, base: Slot },
        /// `call_indirect` of type `ty` through table `table`: arguments in `base..`, the table
        /// index right after them, results left in `base..`.
        CallIndirect { base: Slot, ty: u32, table: u32 },
        /// `slot[dst] = global[global]`.
        GlobalGet { dst: Slot, global: u32 },
        /// `global[global] = slot[src]`.
        GlobalSet { src: Slot, global: u32 },
        /// `slot[dst] = memory.size` in pages.
        MemorySize { dst: Slot },
        /// `slot[dst] = memory.grow(slot[delta])`; -1 on failure.
        MemoryGrow { dst: Slot, delta: Slot },
        /// `memory.fill(d, val, n)` with operands in `base..base+3`.
        MemoryFill { base: Slot },
        /// `memory.copy(d, s, n)` with operands in `base..base+3`.
        MemoryCopy { base: Slot },
        /// `memory.init(data)(d, s, n)` with operands in `base..base+3`.
        MemoryInit { base: Slot, data: u32 },
        /// `data.drop(data)`.
        DataDrop { data: u32 },
        /// `slot[dst] = table[table][slot[index]]`.
        TableGet { dst: Slot, index: Slot, table: u32 },
        /// `table[table][slot[index]] = slot[src]`.
        TableSet { index: Slot, src: Slot, table: u32 },
        /// `slot[dst] = table.size(table)`.
        TableSize { dst: Slot, table: u32 },
        /// `table.grow(table)(init, n)` with operands in `base..base+2`; result to `base`.
        TableGrow { base: Slot, table: u32 },
        /// `table.fill(table)(i, val, n)` with operands in `base..base+3`.
        TableFill { base: Slot, table: u32 },
        /// `table.copy(dst_table, src_table)(d, s, n)` with operands in `base..base+3`.
        TableCopy { base: Slot, dst_table: u32, src_table: u32 },
        /// `table.init(table, elem)(d, s, n)` with operands in `base..base+3`.
        TableInit { base: Slot, table: u32, elem: u32 },
        /// `elem.drop(elem)`.
        ElemDrop { elem: u32 },
        /// Fused `I32Add { dst, lhs, rhs }` then `I32Load { dst: ldst, ptr: dst, offset }`; a
        /// trap of the load is reported at the next instruction, the load's own (see
        /// [`Op::fuse`]).
        I32AddLoad { dst: Slot16, lhs: Slot16, rhs: Slot16, ldst: Slot16, offset: u32 },
        /// Fused `I32Add { dst, lhs, rhs }` then `I32Load8U { dst: ldst, ptr: dst, offset }`.
        I32AddLoad8U { dst: Slot16, lhs: Slot16, rhs: Slot16, ldst: Slot16, offset: u32 },
        /// Fused `I32AddImm { dst, lhs, imm }` then `I32Load { dst: ldst, ptr: dst, offset }`.
        I32AddImmLoad { dst: Slot16, lhs: Slot16, ldst: Slot16, imm: i32, offset: u32 },
        /// Fused `I32AddImm { dst, lhs, imm }` then `I64Load { dst: ldst, ptr: dst, offset }` (a
        /// field of 8 bytes, integer or float, at a computed address).
        I32AddImmLoad64 { dst: Slot16, lhs: Slot16, ldst: Slot16, imm: i32, offset: u32 },
        /// `I32AddImmLoad64` whose loaded value the next instruction reads as an `f64` from the
        /// float accumulator (see [`Op::fa_load`]).
        I32AddImmLoadF64 { dst: Slot16, lhs: Slot16, ldst: Slot16, imm: i32, offset: u32 },
        /// Fused `I32Load8U { dst, ptr, offset }` then
        /// `I32Store8 { ptr: ptr2, src: dst, offset: offset2 }`.
        I32Load8UStore8 { dst: Slot16, ptr: Slot16, ptr2: Slot16, offset: u32, offset2: u32 },
        /// Fused `I64Load { dst, ptr, offset }` then
        /// `I64Store { ptr: ptr2, src: dst, offset: offset2 }` (8 bytes copied, an `f64` or
        /// `i64` moved in memory).
        I64LoadStore { dst: Slot16, ptr: Slot16, ptr2: Slot16, offset: u32, offset2: u32 },
        /// Fused `Copy { dst, src }` then `Copy { dst: dst2, src: src2 }`.
        Copy2 { dst: Slot16, src: Slot16, dst2: Slot16, src2: Slot16 },
        /// Fused `I32Add { dst, lhs, rhs }` then `I32Add` of `dst` and `other` into `dst2`.
        I32Add2 { dst: Slot16, lhs: Slot16, rhs: Slot16, dst2: Slot16, other: Slot16 },
        /// Fused `I32ShlImm { dst, lhs, imm }` then `I32Add` of `dst` and `other` into `dst2`
        /// (`imm` already reduced modulo 32).
        I32ShlImmAdd { dst: Slot16, lhs: Slot16, imm: u16, dst2: Slot16, other: Slot16 },
        /// Fused `I32ShrUImm { dst, lhs, imm: shift }` then `I32AndImm { dst: dst2, lhs: dst,
        /// imm }` (a bit field: `shift` already reduced modulo 32).
        I32ShrUImmAndImm { dst: Slot16, lhs: Slot16, shift: u16, dst2: Slot16, imm: i32 },
        /// Fused `I32Add { dst, lhs, rhs }` then `I32AddImm { dst: dst2, lhs: dst, imm }`.
        I32AddAddImm { dst: Slot16, lhs: Slot16, rhs: Slot16, dst2: Slot16, imm: i32 },
        /// Fused `I32MulImm { dst, lhs, imm: mul }` then `I32AddImm { dst: dst2, lhs: dst, imm:
        /// add }` (`x * k + c`: an index scaled and offset, a linear congruential step).
        I32MulImmAddImm { dst: Slot16, lhs: Slot16, dst2: Slot16, mul: i32, add: i32 },
        /// Fused `I32ShrUImm { dst, lhs, imm: shift }` then `I32Xor` of `dst` and `other` into
        /// `dst2` (`shift` already reduced modulo 32; hash and checksum mixing).
        I32ShrUImmXor { dst: Slot16, lhs: Slot16, shift: u16, dst2: Slot16, other: Slot16 },
        /// Fused `I32ShrUImm { dst, lhs, imm: shift }` then `BrTable { index: dst, len }` (the
        /// dispatch of a bytecode interpreter on a field of its instruction word): the table's
        /// `len + 1` entries follow the `BrTable`, two instructions on.
        I32ShrUImmBrTable { dst: Slot16, lhs: Slot16, shift: u16, len: u32 },
        /// Fused `I32RotlImm { dst, lhs, imm }` then `I32Xor` of `dst` and `other` into `dst2`
        /// (`imm` already reduced modulo 32; the sigma functions of SHA-256).
        I32RotlImmXor { dst: Slot16, lhs: Slot16, imm: u16, dst2: Slot16, other: Slot16 },
        /// Fused `I64Xor { dst, lhs, rhs }` then `I64RotlImm { dst: dst2, lhs: dst, imm }` (`imm`
        /// already reduced modulo 64; Keccak's theta and rho, BLAKE2's G).
        I64XorRotlImm { dst: Slot16, lhs: Slot16, rhs: Slot16, dst2: Slot16, imm: u16 },
        /// Fused `I64Add { dst, lhs, rhs }` then `I64RotlImm { dst: dst2, lhs: dst, imm }` (`imm`
        /// already reduced modulo 64; add-rotate-xor mixing).
        I64AddRotlImm { dst: Slot16, lhs: Slot16, rhs: Slot16, dst2: Slot16, imm: u16 },
        /// Fused `F32Mul { dst, lhs, rhs }` then `F32Add` of `dst` and `other` into `dst2`: two
        /// roundings, each result canonicalized, exactly as the two instructions.
        F32MulAdd { dst: Slot16, lhs: Slot16, rhs: Slot16, dst2: Slot16, other: Slot16 },
        /// Fused `F64Mul { dst, lhs, rhs }` then `F64Add` of `dst` and `other` into `dst2`: two
        /// roundings, each result canonicalized, exactly as the two instructions.
        F64MulAdd { dst: Slot16, lhs: Slot16, rhs: Slot16, dst2: Slot16, other: Slot16 },
        /// Fused `F64Mul { dst, lhs, rhs }` then `F64Sub { dst: dst2, lhs: dst, rhs: other }`: two
        /// roundings, each result canonicalized, exactly as the two instructions.
        F64MulSub { dst: Slot16, lhs: Slot16, rhs: Slot16, dst2: Slot16, other: Slot16 },
        /// Fused `F64Mul { dst, lhs, rhs }` then `F64Sub { dst: dst2, lhs: other, rhs: dst }`
        /// (`other - lhs * rhs`), two roundings as the two instructions.
        F64MulRsub { dst: Slot16, lhs: Slot16, rhs: Slot16, dst2: Slot16, other: Slot16 },
        /// Fused `F64Mul { dst, lhs, rhs }` then `F64Mul` of `dst` and `other` into `dst2`.
        F64Mul2 { dst: Slot16, lhs: Slot16, rhs: Slot16, dst2: Slot16, other: Slot16 },
        /// Fused `F64Add { dst, lhs, rhs }` then `F64Add` of `dst` and `other` into `dst2`.
        F64Add2 { dst: Slot16, lhs: Slot16, rhs: Slot16, dst2: Slot16, other: Slot16 },
        /// Fused `F64Add { dst, lhs, rhs }` then `F64Mul` of `dst` and `other` into `dst2`.
        F64AddMul { dst: Slot16, lhs: Slot16, rhs: Slot16, dst2: Slot16, other: Slot16 },
        /// Fused `F64Sub { dst, lhs, rhs }` then `F64Add` of `dst` and `other` into `dst2`.
        F64SubAdd { dst: Slot16, lhs: Slot16, rhs: Slot16, dst2: Slot16, other: Slot16 },
        /// Fused `F64Min { dst, lhs, rhs }` then `F64Max` of `dst` and `other` into `dst2` (a
        /// clamp).
        F64MinMax { dst: Slot16, lhs: Slot16, rhs: Slot16, dst2: Slot16, other: Slot16 },
        /// `F64Add` whose left operand is the float accumulator (see [`Op::with_fa`]): the
        /// result of the instruction just before, also in its slot.
        F64AddFa { dst: Slot, rhs: Slot },
        /// `F64Mul` of the float accumulator and `rhs` (see [`Op::with_fa`]).
        F64MulFa { dst: Slot, rhs: Slot },
        /// `F64Min` of the float accumulator and `rhs` (see [`Op::with_fa`]).
        F64MinFa { dst: Slot, rhs: Slot },
        /// `F64Max` of the float accumulator and `rhs` (see [`Op::with_fa`]).
        F64MaxFa { dst: Slot, rhs: Slot },
        /// `F64Sub` of the float accumulator minus `rhs` (see [`Op::with_fa`]).
        F64SubFa { dst: Slot, rhs: Slot },
        /// `F64Sub` of `lhs` minus the float accumulator (see [`Op::with_fa`]).
        F64RsubFa { dst: Slot, lhs: Slot },
        /// `F64Div` of the float accumulator by `rhs` (see [`Op::with_fa`]).
        F64DivFa { dst: Slot, rhs: Slot },
        /// `F64Div` of `lhs` by the float accumulator (see [`Op::with_fa`]).
        F64RdivFa { dst: Slot, lhs: Slot },
        /// `F64Sqrt` of the float accumulator (see [`Op::with_fa`]).
        F64SqrtFa { dst: Slot },
        /// `F32DemoteF64` of the float accumulator (see [`Op::with_fa`]).
        F32DemoteF64Fa { dst: Slot },
        /// `I64Load` (the load of `f64.load` too) whose value the next instruction reads as an
        /// `f64` from the float accumulator (see [`Op::fa_load`]).
        F64Load { dst: Slot, ptr: Slot, offset: u32 },
        /// `I64Store` (the store of `f64.store`) of the float accumulator's bits (see
        /// [`Op::with_fa`]).
        I64StoreFa { ptr: Slot, offset: u32 },
        /// `I32Add` of the integer accumulator and `rhs` (see [`Op::with_ia`]).
        I32AddIa { dst: Slot, rhs: Slot },
        /// `I32And` of the integer accumulator and `rhs` (see [`Op::with_ia`]).
        I32AndIa { dst: Slot, rhs: Slot },
        /// `I32Xor` of the integer accumulator and `rhs` (see [`Op::with_ia`]).
        I32XorIa { dst: Slot, rhs: Slot },
        /// `I64Add` of the integer accumulator and `rhs` (see [`Op::with_ia`]).
        I64AddIa { dst: Slot, rhs: Slot },
        /// `I64And` of the integer accumulator and `rhs` (see [`Op::with_ia`]).
        I64AndIa { dst: Slot, rhs: Slot },
        /// `I64Xor` of the integer accumulator and `rhs` (see [`Op::with_ia`]).
        I64XorIa { dst: Slot, rhs: Slot },
        /// `I32AddImm` of the integer accumulator (see [`Op::with_ia`]).
        I32AddImmIa { dst: Slot, imm: i32 },
        /// `I32AndImm` of the integer accumulator (see [`Op::with_ia`]).
        I32AndImmIa { dst: Slot, imm: i32 },
        /// `I32ShrUImm` of the integer accumulator (see [`Op::with_ia`]).
        I32ShrUImmIa { dst: Slot, imm: i32 },
        /// `I64ShrUImm` of the integer accumulator (see [`Op::with_ia`]).
        I64ShrUImmIa { dst: Slot, imm: i32 },
        /// `I32WrapI64` of the integer accumulator (see [`Op::with_ia`]).
        I32WrapI64Ia { dst: Slot },
        /// `I32Load` from the address in the integer accumulator (see [`Op::with_ia`]).
        I32LoadIa { dst: Slot, offset: u32 },
        /// `I32Load8U` from the address in the integer accumulator (see [`Op::with_ia`]).
        I32Load8UIa { dst: Slot, offset: u32 },
        /// `BrI32Nez` or `BrIfNez` of the integer accumulator (see [`Op::with_ia`]).
        BrNezIa { offset: i32 },
        /// `BrI32Eqz` or `BrIfEqz` of the integer accumulator (see [`Op::with_ia`]).
        BrEqzIa { offset: i32 },
        /// `BrI32NezGasFall` or `BrIfNezGasFall` of the integer accumulator (see
        /// [`Op::with_ia`]).
        BrNezGasFallIa { charge: u16, fall: u16, offset: i32 },
        /// `BrI32EqzGasFall` or `BrIfEqzGasFall` of the integer accumulator (see
        /// [`Op::with_ia`]).
        BrEqzGasFallIa { charge: u16, fall: u16, offset: i32 },
        /// `I32Sub` of the integer accumulator minus `rhs` (see [`Op::with_ia`]).
        I32SubIa { dst: Slot, rhs: Slot },
        /// `I32Sub` of `lhs` minus the integer accumulator (see [`Op::with_ia`]).
        I32RsubIa { dst: Slot, lhs: Slot },
        /// `I32Or` of the integer accumulator and `rhs` (see [`Op::with_ia`]).
        I32OrIa { dst: Slot, rhs: Slot },
        /// `I64Or` of the integer accumulator and `rhs` (see [`Op::with_ia`]).
        I64OrIa { dst: Slot, rhs: Slot },
        /// `I64Mul` of the integer accumulator and `rhs` (see [`Op::with_ia`]).
        I64MulIa { dst: Slot, rhs: Slot },
        /// `I32MulImm` of the integer accumulator (see [`Op::with_ia`]).
        I32MulImmIa { dst: Slot, imm: i32 },
        /// `I32EqImm` of the integer accumulator (see [`Op::with_ia`]).
        I32EqImmIa { dst: Slot, imm: i32 },
        /// `I32ShrU` of the integer accumulator by `rhs` (see [`Op::with_ia`]).
        I32ShrUIa { dst: Slot, rhs: Slot },
        /// `I32ShlImm` of the integer accumulator (see [`Op::with_ia`]).
        I32ShlImmIa { dst: Slot, imm: i32 },
        /// `I64Store` of the integer accumulator (see [`Op::with_ia`]).
        I64StoreIa { ptr: Slot, offset: u32 },
        /// `I32Store8` of the integer accumulator (see [`Op::with_ia`]).
        I32Store8Ia { ptr: Slot, offset: u32 },
        /// `I32Store` of the integer accumulator (see [`Op::with_ia`]).
        I32StoreIa { ptr: Slot, offset: u32 },
        /// Fused `I32Eq { dst, lhs, rhs }` then `BrI32Nez` or `BrIfNez` of `dst` by `offset`
        /// (a comparison whose result is also kept, `local.tee`): `offset` is the branch's,
        /// relative to the second instruction.
        I32EqBrNez { dst: Slot16, lhs: Slot16, rhs: Slot16, offset: i32 },
        /// Fused `I32Eq { dst, lhs, rhs }` then `BrI32NezGas` or `BrIfNezGas` of `dst`.
        I32EqBrNezGas { charge: u16, dst: Slot16, lhs: Slot16, rhs: Slot16, offset: i32 },
        /// Fused `I32AddImm { dst, lhs, imm }` then `BrI32LtU { lhs: dst, rhs, offset }` (a loop
        /// counter's step and test; the immediate fits 16 bits): `offset` is the branch's,
        /// relative to the second instruction.
        I32AddImmBrLtU { dst: Slot16, lhs: Slot16, rhs: Slot16, imm: i16, offset: i32 },
        /// Fused `I32AddImm { dst, lhs, imm }` then `BrI32LtUGas { charge, lhs: dst, rhs, offset }`.
        I32AddImmBrLtUGas { charge: u16, dst: Slot16, lhs: Slot16, rhs: Slot16, imm: i16, offset: i32 },
        /// Fused `I32AddImm { dst, lhs, imm }` then `BrI32Ne { lhs: dst, rhs, offset }` or, `!=`
        /// being symmetric, `BrI32Ne { lhs: rhs, rhs: dst, offset }`.
        I32AddImmBrNe { dst: Slot16, lhs: Slot16, rhs: Slot16, imm: i16, offset: i32 },
        /// Fused `I32AddImm { dst, lhs, imm }` then `BrI32NeGas { charge, lhs: dst, rhs, offset }`
        /// (or with `dst` on the right).
        I32AddImmBrNeGas { charge: u16, dst: Slot16, lhs: Slot16, rhs: Slot16, imm: i16, offset: i32 },
        /// Fused `I32AddImm { dst, lhs: dst, imm }` then `BrIfNez { cond: dst, offset }` or
        /// `BrI32Nez { src: dst, offset }` (a counter stepped in place and branched on while
        /// not zero): `offset` is the branch's, relative to the second instruction.
        I32AddImmBrNez { dst: Slot16, imm: i32, offset: i32 },
        /// Fused `I32AddImm { dst, lhs: dst, imm }` then `BrIfNezGas` or `BrI32NezGas` of `dst`.
        I32AddImmBrNezGas { charge: u16, dst: Slot16, imm: i32, offset: i32 },
        /// Fused `I32AddImm { dst, lhs: dst, imm }` then `BrI32LtUImm { lhs: dst, imm: bound,
        /// offset }` (a counter stepped in place and tested against a constant; the step fits
        /// 16 bits): `offset` is the branch's, relative to the second instruction.
        I32AddImmBrLtUImm { dst: Slot16, imm: i16, bound: i32, offset: i32 },
        /// Fused `I32AddImm { dst, lhs: dst, imm }` then `BrI32LtUImmGas { charge, lhs: dst,
        /// imm: bound, offset }`.
        I32AddImmBrLtUImmGas { charge: u16, dst: Slot16, imm: i16, bound: i32, offset: i32 },
        /// Fused `I32AddImm { dst, lhs: dst, imm }` then `BrI32NeImm { lhs: dst, imm: bound,
        /// offset }`.
        I32AddImmBrNeImm { dst: Slot16, imm: i16, bound: i32, offset: i32 },
        /// Fused `I32AddImm { dst, lhs: dst, imm }` then `BrI32NeImmGas { charge, lhs: dst,
        /// imm: bound, offset }`.
        I32AddImmBrNeImmGas { charge: u16, dst: Slot16, imm: i16, bound: i32, offset: i32 },
        /// Fused `I32Add { dst, lhs, rhs }` then `I32Store8 { ptr: dst, src, offset }`; a trap
        /// of the store is reported at the next instruction, the store's own.
        I32AddStore8 { dst: Slot16, lhs: Slot16, rhs: Slot16, src: Slot16, offset: u32 },
        /// Fused `I32Add { dst, lhs, rhs }` then `BrI32LtU { lhs: dst, rhs: bound, offset }` (a
        /// loop counter's step by a variable and its test): `offset` is the branch's, relative
        /// to the second instruction.
        I32AddBrLtU { dst: Slot16, lhs: Slot16, rhs: Slot16, bound: Slot16, offset: i32 },
        /// Fused `I32Add { dst, lhs, rhs }` then `BrI32LtUGas { charge, lhs: dst, rhs: bound,
        /// offset }`.
        I32AddBrLtUGas { charge: u16, dst: Slot16, lhs: Slot16, rhs: Slot16, bound: Slot16, offset: i32 },
        /// Fused `I32Add { dst, lhs, rhs }` then `Br { offset }` (a loop's last step and its
        /// back edge): `offset` is the branch's, relative to the second instruction.
        I32AddBr { dst: Slot16, lhs: Slot16, rhs: Slot16, offset: i32 },
        /// Fused `I32Add { dst, lhs, rhs }` then `BrGas { charge, offset }`.
        I32AddBrGas { charge: u16, dst: Slot16, lhs: Slot16, rhs: Slot16, offset: i32 },
        /// Fused `I32Store8 { ptr, src, offset: 0 }`, `I32Add { dst, lhs: dst, rhs }` and
        /// `Br { offset }` (a byte loop's store, step and back edge; made by [`Op::fuse3`]):
        /// `offset` is the branch's, relative to the third instruction.
        I32Store8AddBr { ptr: Slot16, src: Slot16, dst: Slot16, rhs: Slot16, offset: i32 },
        /// `I32Store8AddBr` ending in `BrGas { charge, offset }`.
        I32Store8AddBrGas { charge: u16, ptr: Slot16, src: Slot16, dst: Slot16, rhs: Slot16, offset: i32 },
        /// `BrIfNez` whose next instruction is a gas charge of `fall`, which it pays when it
        /// does not branch, and goes on past it; when the gas left does not cover it, it goes
        /// on to the charge itself, which then runs as usual. Made by [`Op::with_fall`].
        BrIfNezFall { fall: u16, cond: Slot, offset: i32 },
        /// `BrIfEqz` paying the charge it falls into (as `BrIfNezFall`).
        BrIfEqzFall { fall: u16, cond: Slot, offset: i32 },
        /// `BrI32Nez` paying the charge it falls into (as `BrIfNezFall`).
        BrI32NezFall { fall: u16, src: Slot, offset: i32 },
        /// `BrI32Eqz` paying the charge it falls into (as `BrIfNezFall`).
        BrI32EqzFall { fall: u16, src: Slot, offset: i32 },
        /// `BrIfNezGas` paying the charge it falls into as well (as `BrIfNezFall`).
        BrIfNezGasFall { charge: u16, cond: Slot, offset: i32, fall: u16 },
        /// `BrIfEqzGas` paying the charge it falls into as well.
        BrIfEqzGasFall { charge: u16, cond: Slot, offset: i32, fall: u16 },
        /// `BrI32NezGas` paying the charge it falls into as well.
        BrI32NezGasFall { charge: u16, src: Slot, offset: i32, fall: u16 },
        /// `BrI32EqzGas` paying the charge it falls into as well.
        BrI32EqzGasFall { charge: u16, src: Slot, offset: i32, fall: u16 },
        /// `BrI32EqGas` paying the charge it falls into as well (as `BrIfNezFall`; its slots fit
        /// 16 bits).
        BrI32EqGasFall { charge: u16, fall: u16, lhs: Slot16, rhs: Slot16, offset: i32 },
        /// `BrI32NeGas` paying the charge it falls into as well (as `BrIfNezFall`; its slots fit
        /// 16 bits).
        BrI32NeGasFall { charge: u16, fall: u16, lhs: Slot16, rhs: Slot16, offset: i32 },
        /// `BrI32LtSGas` paying the charge it falls into as well (as `BrIfNezFall`; its slots fit
        /// 16 bits).
        BrI32LtSGasFall { charge: u16, fall: u16, lhs: Slot16, rhs: Slot16, offset: i32 },
        /// `BrI32LtUGas` paying the charge it falls into as well (as `BrIfNezFall`; its slots fit
        /// 16 bits).
        BrI32LtUGasFall { charge: u16, fall: u16, lhs: Slot16, rhs: Slot16, offset: i32 },
        /// `BrI32GtUGas` paying the charge it falls into as well (as `BrIfNezFall`; its slots fit
        /// 16 bits).
        BrI32GtUGasFall { charge: u16, fall: u16, lhs: Slot16, rhs: Slot16, offset: i32 },
        /// `BrI32GeUGas` paying the charge it falls into as well (as `BrIfNezFall`; its slots fit
        /// 16 bits).
        BrI32GeUGasFall { charge: u16, fall: u16, lhs: Slot16, rhs: Slot16, offset: i32 },
        /// `BrI64NeGas` paying the charge it falls into as well (as `BrIfNezFall`; its slots fit
        /// 16 bits).
        BrI64NeGasFall { charge: u16, fall: u16, lhs: Slot16, rhs: Slot16, offset: i32 },
        /// `BrI64LeUGas` paying the charge it falls into as well (as `BrIfNezFall`; its slots fit
        /// 16 bits).
        BrI64LeUGasFall { charge: u16, fall: u16, lhs: Slot16, rhs: Slot16, offset: i32 },
        /// `BrI32LtUImmGas` paying the charge it falls into as well (its slot fits 16 bits).
        BrI32LtUImmGasFall { charge: u16, fall: u16, lhs: Slot16, imm: i32, offset: i32 },
        /// `BrI32NeImmGas` paying the charge it falls into as well (its slot fits 16 bits).
        BrI32NeImmGasFall { charge: u16, fall: u16, lhs: Slot16, imm: i32, offset: i32 },
        /// `BrI32GeUImmGas` paying the charge it falls into as well (its slot fits 16 bits).
        BrI32GeUImmGasFall { charge: u16, fall: u16, lhs: Slot16, imm: i32, offset: i32 },
        /// `BrI32LeUGas` paying the charge it falls into as well (as `BrIfNezFall`; its slots fit
        /// 16 bits).
        BrI32LeUGasFall { charge: u16, fall: u16, lhs: Slot16, rhs: Slot16, offset: i32 },
        /// `BrI64EqGas` paying the charge it falls into as well (as `BrIfNezFall`; its slots fit
        /// 16 bits).
        BrI64EqGasFall { charge: u16, fall: u16, lhs: Slot16, rhs: Slot16, offset: i32 },
        /// `BrI32EqImmGas` paying the charge it falls into as well (its slot fits 16 bits).
        BrI32EqImmGasFall { charge: u16, fall: u16, lhs: Slot16, imm: i32, offset: i32 },
        /// `BrI32GtUImmGas` paying the charge it falls into as well (its slot fits 16 bits).
        BrI32GtUImmGasFall { charge: u16, fall: u16, lhs: Slot16, imm: i32, offset: i32 },
        /// `I32EqBrNez` paying the charge it falls into as well: the charge right after the
        /// pair (two instructions on), which it goes past when the gas left covers `fall`.
        I32EqBrNezFall { fall: u16, dst: Slot16, lhs: Slot16, rhs: Slot16, offset: i32 },
        /// `I32EqBrNezGas` paying the charge it falls into as well (as `I32EqBrNezFall`).
        I32EqBrNezGasFall { charge: u16, fall: u16, dst: Slot16, lhs: Slot16, rhs: Slot16, offset: i32 },
        /// `slot[dst] = ref.func func` (module function index).
        RefFunc { dst: Slot, func: u32 },
    }
}

/// The arms of [`Op::fuse`] for a two-operand instruction `A { dst, lhs, rhs }` whose result
/// feeds a commutative `B { dst: dst2, .. }`: `A > B => Fused` makes
/// `Fused { dst, lhs, rhs, dst2, other }`, `other` being `B`'s operand that is not `dst`.
macro_rules! fuse_chains {
    ($first:expr, $next:expr, $n:ident, $other:ident; $($a:ident > $b:ident => $f:ident),* $(,)?) => {
        match ($first, $next) {
            $(
                (
                    Op::$a { dst, lhs, rhs },
                    Op::$b {
                        dst: dst2,
                        lhs: l,
                        rhs: r,
                    },
                ) => Some(Op::$f {
                    dst: $n(dst)?,
                    lhs: $n(lhs)?,
                    rhs: $n(rhs)?,
                    dst2: $n(dst2)?,
                    other: $n($other(dst, l, r)?)?,
                }),
            )*
            _ => None,
        }
    };
}

impl Op {
    /// Set the branch offset of a `Br`, `BrIfNez` or `BrIfEqz`.
    ///
    /// # Panics
    /// On any other instruction: that is a translator bug, never reachable from input.
    pub fn set_branch_offset(&mut self, new: i32) {
        match self {
            Op::Br { offset }
            | Op::BrIfNez { offset, .. }
            | Op::BrIfEqz { offset, .. }
            | Op::BrNezIa { offset }
            | Op::BrEqzIa { offset }
            | Op::BrNezGasFallIa { offset, .. }
            | Op::BrEqzGasFallIa { offset, .. }
            | Op::BrI32Eqz { offset, .. }
            | Op::BrI32Nez { offset, .. }
            | Op::BrI64Eqz { offset, .. }
            | Op::BrI64Nez { offset, .. }
            | Op::BrI32Eq { offset, .. }
            | Op::BrI32Ne { offset, .. }
            | Op::BrI32LtS { offset, .. }
            | Op::BrI32LtU { offset, .. }
            | Op::BrI32GtS { offset, .. }
            | Op::BrI32GtU { offset, .. }
            | Op::BrI32LeS { offset, .. }
            | Op::BrI32LeU { offset, .. }
            | Op::BrI32GeS { offset, .. }
            | Op::BrI32GeU { offset, .. }
            | Op::BrI64Eq { offset, .. }
            | Op::BrI64Ne { offset, .. }
            | Op::BrI64LtS { offset, .. }
            | Op::BrI64LtU { offset, .. }
            | Op::BrI64GtS { offset, .. }
            | Op::BrI64GtU { offset, .. }
            | Op::BrI64LeS { offset, .. }
            | Op::BrI64LeU { offset, .. }
            | Op::BrI64GeS { offset, .. }
            | Op::BrI64GeU { offset, .. }
            | Op::BrGas { offset, .. }
            | Op::BrIfNezGas { offset, .. }
            | Op::BrIfEqzGas { offset, .. }
            | Op::BrI32NezGas { offset, .. }
            | Op::BrI32EqzGas { offset, .. }
            | Op::BrI32EqGas { offset, .. }
            | Op::BrI32NeGas { offset, .. }
            | Op::BrI32LtSGas { offset, .. }
            | Op::BrI32LtUGas { offset, .. }
            | Op::BrI32GtUGas { offset, .. }
            | Op::BrI32GeUGas { offset, .. }
            | Op::BrI64NeGas { offset, .. }
            | Op::BrI64LeUGas { offset, .. }
            | Op::BrI32LtUImmGas { offset, .. }
            | Op::BrI32NeImmGas { offset, .. }
            | Op::BrI32GeUImmGas { offset, .. }
            | Op::BrI32LeUGas { offset, .. }
            | Op::BrI64EqGas { offset, .. }
            | Op::BrI32EqImmGas { offset, .. }
            | Op::BrI32GtUImmGas { offset, .. } => *offset = new,
            other => match other.imm_branch_offset_mut() {
                Some(offset) => *offset = new,
                None => unreachable!("not a branch: {other:?}"),
            },
        }
    }

    /// The slot whose value this instruction also leaves in the float accumulator, the
    /// executor's `f64` register argument that every handler hands on to the next one: the
    /// `f64` result of arithmetic, conversions and the float pairs (the second result). The
    /// translator's final pass lets the instruction right after it read that operand from the
    /// accumulator instead of the slot ([`Op::with_fa`]), which takes a store and a load off a
    /// chain of dependent float operations. `None` for every other instruction.
    pub fn fa_dst(&self) -> Option<Slot> {
        use Op::*;
        match *self {
            F64Add { dst, .. }
            | F64Sub { dst, .. }
            | F64Mul { dst, .. }
            | F64Div { dst, .. }
            | F64Min { dst, .. }
            | F64Max { dst, .. }
            | F64Sqrt { dst, .. }
            | F64Ceil { dst, .. }
            | F64Floor { dst, .. }
            | F64Trunc { dst, .. }
            | F64Nearest { dst, .. }
            | F64ConvertI32S { dst, .. }
            | F64ConvertI32U { dst, .. }
            | F64ConvertI64S { dst, .. }
            | F64ConvertI64U { dst, .. }
            | F64PromoteF32 { dst, .. }
            | F64AddFa { dst, .. }
            | F64MulFa { dst, .. }
            | F64MinFa { dst, .. }
            | F64MaxFa { dst, .. }
            | F64SubFa { dst, .. }
            | F64RsubFa { dst, .. }
            | F64DivFa { dst, .. }
            | F64RdivFa { dst, .. }
            | F64SqrtFa { dst }
            | F64Load { dst, .. } => Some(dst),
            F64MulAdd { dst2, .. }
            | F64MulSub { dst2, .. }
            | F64MulRsub { dst2, .. }
            | F64Mul2 { dst2, .. }
            | F64Add2 { dst2, .. }
            | F64AddMul { dst2, .. }
            | F64SubAdd { dst2, .. }
            | F64MinMax { dst2, .. } => Some(Slot::from(dst2)),
            I32AddImmLoadF64 { ldst, .. } => Some(Slot::from(ldst)),
            _ => None,
        }
    }

    /// This load of 8 bytes (`I64Load`, alone or in `I32AddImmLoad64`) as the twin that also
    /// leaves the value in the float accumulator ([`Op::fa_dst`]), for when the instruction
    /// after it reads the value from there (Wasm's `f64.load` and `i64.load` share
    /// `I64Load`; the reader tells which it is). `None` for other instructions.
    pub fn fa_load(&self) -> Option<Op> {
        use Op::*;
        Some(match *self {
            I64Load { dst, ptr, offset } => F64Load { dst, ptr, offset },
            I32AddImmLoad64 {
                dst,
                lhs,
                ldst,
                imm,
                offset,
            } => I32AddImmLoadF64 {
                dst,
                lhs,
                ldst,
                imm,
                offset,
            },
            _ => return None,
        })
    }

    /// This instruction reading its operand in slot `fa` from the float accumulator instead,
    /// where the instruction right before it leaves that slot's value there
    /// ([`Op::fa_dst`]) and nothing jumps to it; `None` if it has no such form or does not
    /// read `fa`. The accumulator holds exactly the slot's value (the producer writes both),
    /// so the result is the same; an operand read twice may still come from the slot. `add`,
    /// `mul`, `min` and `max` are commutative in Wasm (NaN results are canonical), so either
    /// operand may be the accumulator.
    pub fn with_fa(&self, fa: Slot) -> Option<Op> {
        use Op::*;
        let commutative = |l, r| other_operand(fa, l, r);
        Some(match *self {
            F64Add { dst, lhs, rhs } => F64AddFa {
                dst,
                rhs: commutative(lhs, rhs)?,
            },
            F64Mul { dst, lhs, rhs } => F64MulFa {
                dst,
                rhs: commutative(lhs, rhs)?,
            },
            F64Min { dst, lhs, rhs } => F64MinFa {
                dst,
                rhs: commutative(lhs, rhs)?,
            },
            F64Max { dst, lhs, rhs } => F64MaxFa {
                dst,
                rhs: commutative(lhs, rhs)?,
            },
            F64Sub { dst, lhs, rhs } if lhs == fa => F64SubFa { dst, rhs },
            F64Sub { dst, lhs, rhs } if rhs == fa => F64RsubFa { dst, lhs },
            F64Div { dst, lhs, rhs } if lhs == fa => F64DivFa { dst, rhs },
            F64Div { dst, lhs, rhs } if rhs == fa => F64RdivFa { dst, lhs },
            F64Sqrt { dst, src } if src == fa => F64SqrtFa { dst },
            F32DemoteF64 { dst, src } if src == fa => F32DemoteF64Fa { dst },
            I64Store { ptr, src, offset } if src == fa => I64StoreFa { ptr, offset },
            _ => return None,
        })
    }

    /// The slot whose value this instruction also leaves in the integer accumulator, the
    /// executor's integer register argument that holds the result of the instruction just
    /// run: the result of integer arithmetic, shifts, comparisons and loads (and of the
    /// accumulator's readers). The final pass lets the instruction right after it read that
    /// operand from the accumulator instead of the slot ([`Op::with_ia`]), which takes a store
    /// and a load off a chain of dependent operations (`Copy` and `Const` too, whose values
    /// may be of any type). `None` for every other instruction (fused pairs included).
    pub fn ia_dst(&self) -> Option<Slot> {
        use Op::*;
        match *self {
            I32Add { dst, .. }
            | I32Sub { dst, .. }
            | I32Mul { dst, .. }
            | I32And { dst, .. }
            | I32Or { dst, .. }
            | I32Xor { dst, .. }
            | I32Shl { dst, .. }
            | I32ShrS { dst, .. }
            | I32ShrU { dst, .. }
            | I32Rotl { dst, .. }
            | I32Rotr { dst, .. }
            | I64Add { dst, .. }
            | I64Sub { dst, .. }
            | I64Mul { dst, .. }
            | I64And { dst, .. }
            | I64Or { dst, .. }
            | I64Xor { dst, .. }
            | I64Shl { dst, .. }
            | I64ShrS { dst, .. }
            | I64ShrU { dst, .. }
            | I64Rotl { dst, .. }
            | I64Rotr { dst, .. }
            | I32Eq { dst, .. }
            | I32Ne { dst, .. }
            | I32LtS { dst, .. }
            | I32LtU { dst, .. }
            | I32GtS { dst, .. }
            | I32GtU { dst, .. }
            | I32LeS { dst, .. }
            | I32LeU { dst, .. }
            | I32GeS { dst, .. }
            | I32GeU { dst, .. }
            | I64Eq { dst, .. }
            | I64Ne { dst, .. }
            | I64LtS { dst, .. }
            | I64LtU { dst, .. }
            | I64GtS { dst, .. }
            | I64GtU { dst, .. }
            | I64LeS { dst, .. }
            | I64LeU { dst, .. }
            | I64GeS { dst, .. }
            | I64GeU { dst, .. }
            | I32AddImm { dst, .. }
            | I32AndImm { dst, .. }
            | I32OrImm { dst, .. }
            | I32XorImm { dst, .. }
            | I32ShlImm { dst, .. }
            | I32ShrUImm { dst, .. }
            | I32RotlImm { dst, .. }
            | I64AddImm { dst, .. }
            | I64AndImm { dst, .. }
            | I64XorImm { dst, .. }
            | I64ShlImm { dst, .. }
            | I64ShrUImm { dst, .. }
            | I32WrapI64 { dst, .. }
            | I32Load { dst, .. }
            | I32Load8U { dst, .. }
            | I32Load8S { dst, .. }
            | I32Load16U { dst, .. }
            | I64Load32U { dst, .. }
            | I32AddIa { dst, .. }
            | I32AndIa { dst, .. }
            | I32XorIa { dst, .. }
            | I64AddIa { dst, .. }
            | I64AndIa { dst, .. }
            | I64XorIa { dst, .. }
            | I32AddImmIa { dst, .. }
            | I32AndImmIa { dst, .. }
            | I32ShrUImmIa { dst, .. }
            | I64ShrUImmIa { dst, .. }
            | I32WrapI64Ia { dst }
            | I32SubIa { dst, .. }
            | I32RsubIa { dst, .. }
            | I32OrIa { dst, .. }
            | I64OrIa { dst, .. }
            | I64MulIa { dst, .. }
            | I32MulImmIa { dst, .. }
            | I32EqImmIa { dst, .. }
            | I32ShrUIa { dst, .. }
            | I32ShlImmIa { dst, .. }
            | F32Eq { dst, .. }
            | F32Ne { dst, .. }
            | F32Lt { dst, .. }
            | F32Gt { dst, .. }
            | F32Le { dst, .. }
            | F32Ge { dst, .. }
            | F64Eq { dst, .. }
            | F64Ne { dst, .. }
            | F64Lt { dst, .. }
            | F64Gt { dst, .. }
            | F64Le { dst, .. }
            | F64Ge { dst, .. }
            | I32MulImm { dst, .. }
            | I32ShrSImm { dst, .. }
            | I32RotrImm { dst, .. }
            | I32EqImm { dst, .. }
            | I32NeImm { dst, .. }
            | I32LtSImm { dst, .. }
            | I32LtUImm { dst, .. }
            | I32GtSImm { dst, .. }
            | I32GtUImm { dst, .. }
            | I32LeSImm { dst, .. }
            | I32LeUImm { dst, .. }
            | I32GeSImm { dst, .. }
            | I32GeUImm { dst, .. }
            | I64SubImm { dst, .. }
            | I64MulImm { dst, .. }
            | I64OrImm { dst, .. }
            | I64ShrSImm { dst, .. }
            | I64RotlImm { dst, .. }
            | I64RotrImm { dst, .. }
            | I64EqImm { dst, .. }
            | I64NeImm { dst, .. }
            | I64LtSImm { dst, .. }
            | I64LtUImm { dst, .. }
            | I64GtSImm { dst, .. }
            | I64GtUImm { dst, .. }
            | I64LeSImm { dst, .. }
            | I64LeUImm { dst, .. }
            | I64GeSImm { dst, .. }
            | I64GeUImm { dst, .. }
            | I32Eqz { dst, .. }
            | I64Eqz { dst, .. }
            | I32Clz { dst, .. }
            | I32Ctz { dst, .. }
            | I32Popcnt { dst, .. }
            | I64Clz { dst, .. }
            | I64Ctz { dst, .. }
            | I64Popcnt { dst, .. }
            | I64ExtendI32S { dst, .. }
            | I32Extend8S { dst, .. }
            | I32Extend16S { dst, .. }
            | I64Extend8S { dst, .. }
            | I64Extend16S { dst, .. }
            | I64Extend32S { dst, .. }
            | I32Load16S { dst, .. }
            | I64Load8S { dst, .. }
            | I64Load8U { dst, .. }
            | I64Load16S { dst, .. }
            | I64Load16U { dst, .. }
            | I64Load32S { dst, .. }
            | I32LoadIa { dst, .. }
            | I32Load8UIa { dst, .. }
            | I64Load { dst, .. }
            | Copy { dst, .. }
            | Const { dst, .. } => Some(dst),
            _ => None,
        }
    }

    /// This instruction reading its operand in slot `ia` from the integer accumulator
    /// instead, where the instruction right before it leaves that slot's value there
    /// ([`Op::ia_dst`]) and nothing jumps to it; `None` if it has no such form or does not
    /// read `ia`. (A merged block may start at it: the `ConsumeGas` that its precise copy puts
    /// before it hands the accumulator on.) As for [`Op::with_fa`], the accumulator holds
    /// exactly the slot's value, so the result is the same.
    pub fn with_ia(&self, ia: Slot) -> Option<Op> {
        use Op::*;
        let commutative = |l, r| other_operand(ia, l, r);
        Some(match *self {
            I32Add { dst, lhs, rhs } => I32AddIa {
                dst,
                rhs: commutative(lhs, rhs)?,
            },
            I32And { dst, lhs, rhs } => I32AndIa {
                dst,
                rhs: commutative(lhs, rhs)?,
            },
            I32Xor { dst, lhs, rhs } => I32XorIa {
                dst,
                rhs: commutative(lhs, rhs)?,
            },
            I64Add { dst, lhs, rhs } => I64AddIa {
                dst,
                rhs: commutative(lhs, rhs)?,
            },
            I64And { dst, lhs, rhs } => I64AndIa {
                dst,
                rhs: commutative(lhs, rhs)?,
            },
            I64Xor { dst, lhs, rhs } => I64XorIa {
                dst,
                rhs: commutative(lhs, rhs)?,
            },
            I32AddImm { dst, lhs, imm } if lhs == ia => I32AddImmIa { dst, imm },
            I32Sub { dst, lhs, rhs } if lhs == ia => I32SubIa { dst, rhs },
            I32Sub { dst, lhs, rhs } if rhs == ia => I32RsubIa { dst, lhs },
            I32Or { dst, lhs, rhs } => I32OrIa {
                dst,
                rhs: commutative(lhs, rhs)?,
            },
            I64Or { dst, lhs, rhs } => I64OrIa {
                dst,
                rhs: commutative(lhs, rhs)?,
            },
            I64Mul { dst, lhs, rhs } => I64MulIa {
                dst,
                rhs: commutative(lhs, rhs)?,
            },
            I32MulImm { dst, lhs, imm } if lhs == ia => I32MulImmIa { dst, imm },
            I32EqImm { dst, lhs, imm } if lhs == ia => I32EqImmIa { dst, imm },
            I32ShrU { dst, lhs, rhs } if lhs == ia => I32ShrUIa { dst, rhs },
            I32ShlImm { dst, lhs, imm } if lhs == ia => I32ShlImmIa { dst, imm },
            I32AndImm { dst, lhs, imm } if lhs == ia => I32AndImmIa { dst, imm },
            I32ShrUImm { dst, lhs, imm } if lhs == ia => I32ShrUImmIa { dst, imm },
            I64ShrUImm { dst, lhs, imm } if lhs == ia => I64ShrUImmIa { dst, imm },
            I32WrapI64 { dst, src } if src == ia => I32WrapI64Ia { dst },
            I32Store { ptr, src, offset } if src == ia => I32StoreIa { ptr, offset },
            I64Store { ptr, src, offset } if src == ia => I64StoreIa { ptr, offset },
            I32Store8 { ptr, src, offset } if src == ia => I32Store8Ia { ptr, offset },
            I32Load { dst, ptr, offset } if ptr == ia => I32LoadIa { dst, offset },
            I32Load8U { dst, ptr, offset } if ptr == ia => I32Load8UIa { dst, offset },
            // Branches on an `i32` being zero or not (the plain ones without metering, the
            // charging twins that pay both ways with it).
            BrIfNez { cond, offset } | BrI32Nez { src: cond, offset } if cond == ia => {
                BrNezIa { offset }
            }
            BrIfEqz { cond, offset } | BrI32Eqz { src: cond, offset } if cond == ia => {
                BrEqzIa { offset }
            }
            BrIfNezGasFall {
                charge,
                cond,
                offset,
                fall,
            }
            | BrI32NezGasFall {
                charge,
                src: cond,
                offset,
                fall,
            } if cond == ia => BrNezGasFallIa {
                charge,
                fall,
                offset,
            },
            BrIfEqzGasFall {
                charge,
                cond,
                offset,
                fall,
            }
            | BrI32EqzGasFall {
                charge,
                src: cond,
                offset,
                fall,
            } if cond == ia => BrEqzGasFallIa {
                charge,
                fall,
                offset,
            },
            _ => return None,
        })
    }

    /// One instruction doing `self` and the two instructions after it, as [`Op::fuse`] does
    /// for two; the three stay in the code, for jumps to the second or the third. The only
    /// triple is a byte loop's tail: `I32Store8` at offset 0 (whose trap is the triple's own),
    /// a step in place by `I32Add`, and the back edge, `Br` or `BrGas` (`I32Store8AddBr`,
    /// `I32Store8AddBrGas`).
    pub fn fuse3(&self, next: &Op, third: &Op) -> Option<Op> {
        use Op::*;
        let n = |s: Slot| Slot16::try_from(s).ok();
        let I32Store8 {
            ptr,
            src,
            offset: 0,
        } = *self
        else {
            return None;
        };
        let I32Add { dst, lhs, rhs } = *next else {
            return None;
        };
        // The step in place, its other operand on either side.
        let rhs = if lhs == dst {
            rhs
        } else if rhs == dst {
            lhs
        } else {
            return None;
        };
        let (ptr, src, dst, rhs) = (n(ptr)?, n(src)?, n(dst)?, n(rhs)?);
        Some(match *third {
            Br { offset } => I32Store8AddBr {
                ptr,
                src,
                dst,
                rhs,
                offset,
            },
            BrGas { charge, offset } => I32Store8AddBrGas {
                charge,
                ptr,
                src,
                dst,
                rhs,
                offset,
            },
            _ => return None,
        })
    }

    /// One instruction doing `self` and then `next`, the instruction right after it, and
    /// continuing after both (at `pc + 2`); `None` when the pair has no fused form or an operand
    /// does not fit a [`Slot16`]. The second instruction stays in the code, for jumps to it.
    /// Effects happen in the pair's order, each operand read when its instruction would read
    /// it, and a trap of the second half is reported at `pc + 1`, as if it had run alone (gas
    /// refunds of merged charges depend on where a trap happens).
    pub fn fuse(&self, next: &Op) -> Option<Op> {
        use Op::*;
        let n = |s: Slot| Slot16::try_from(s).ok();
        // The operand of a commutative `next` that is not `t`, if the other one is.
        let other = |t: Slot, l: Slot, r: Slot| {
            if l == t {
                Some(r)
            } else if r == t {
                Some(l)
            } else {
                None
            }
        };
        // A two-operand instruction feeding a commutative one, whose other operand is `other`.
        let chained = fuse_chains!(*self, *next, n, other;
            I32Add > I32Add => I32Add2,
            F32Mul > F32Add => F32MulAdd,
            F64Mul > F64Add => F64MulAdd,
            F64Mul > F64Mul => F64Mul2,
            F64Add > F64Add => F64Add2,
            F64Add > F64Mul => F64AddMul,
            F64Sub > F64Add => F64SubAdd,
            F64Min > F64Max => F64MinMax,
        );
        if chained.is_some() {
            return chained;
        }
        Some(match (*self, *next) {
            (
                I32Add { dst, lhs, rhs },
                I32Load {
                    dst: ldst,
                    ptr,
                    offset,
                },
            ) if ptr == dst => I32AddLoad {
                dst: n(dst)?,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                ldst: n(ldst)?,
                offset,
            },
            (
                I32Add { dst, lhs, rhs },
                I32Load8U {
                    dst: ldst,
                    ptr,
                    offset,
                },
            ) if ptr == dst => I32AddLoad8U {
                dst: n(dst)?,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                ldst: n(ldst)?,
                offset,
            },
            (I32Add { dst, lhs, rhs }, I32Store8 { ptr, src, offset }) if ptr == dst => {
                I32AddStore8 {
                    dst: n(dst)?,
                    lhs: n(lhs)?,
                    rhs: n(rhs)?,
                    src: n(src)?,
                    offset,
                }
            }
            (
                I32Add { dst, lhs, rhs },
                BrI32LtU {
                    lhs: l,
                    rhs: bound,
                    offset,
                },
            ) if l == dst => I32AddBrLtU {
                dst: n(dst)?,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                bound: n(bound)?,
                offset,
            },
            (
                I32Add { dst, lhs, rhs },
                BrI32LtUGas {
                    charge,
                    lhs: l,
                    rhs: bound,
                    offset,
                },
            ) if l == dst => I32AddBrLtUGas {
                charge,
                dst: n(dst)?,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                bound: n(bound)?,
                offset,
            },
            (I32Add { dst, lhs, rhs }, Br { offset }) => I32AddBr {
                dst: n(dst)?,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                offset,
            },
            (I32Add { dst, lhs, rhs }, BrGas { charge, offset }) => I32AddBrGas {
                charge,
                dst: n(dst)?,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                offset,
            },
            (
                I32AddImm { dst, lhs, imm },
                I32Load {
                    dst: ldst,
                    ptr,
                    offset,
                },
            ) if ptr == dst => I32AddImmLoad {
                dst: n(dst)?,
                lhs: n(lhs)?,
                ldst: n(ldst)?,
                imm,
                offset,
            },
            (
                I32AddImm { dst, lhs, imm },
                I64Load {
                    dst: ldst,
                    ptr,
                    offset,
                },
            ) if ptr == dst => I32AddImmLoad64 {
                dst: n(dst)?,
                lhs: n(lhs)?,
                ldst: n(ldst)?,
                imm,
                offset,
            },
            (
                I32Load8U { dst, ptr, offset },
                I32Store8 {
                    ptr: ptr2,
                    src,
                    offset: offset2,
                },
            ) if src == dst => I32Load8UStore8 {
                dst: n(dst)?,
                ptr: n(ptr)?,
                ptr2: n(ptr2)?,
                offset,
                offset2,
            },
            (
                I64Load { dst, ptr, offset },
                I64Store {
                    ptr: ptr2,
                    src,
                    offset: offset2,
                },
            ) if src == dst => I64LoadStore {
                dst: n(dst)?,
                ptr: n(ptr)?,
                ptr2: n(ptr2)?,
                offset,
                offset2,
            },
            (
                Copy { dst, src },
                Copy {
                    dst: dst2,
                    src: src2,
                },
            ) => Copy2 {
                dst: n(dst)?,
                src: n(src)?,
                dst2: n(dst2)?,
                src2: n(src2)?,
            },
            (
                I32ShlImm { dst, lhs, imm },
                I32Add {
                    dst: dst2,
                    lhs: l,
                    rhs: r,
                },
            ) => I32ShlImmAdd {
                dst: n(dst)?,
                lhs: n(lhs)?,
                imm: (imm & 31) as u16,
                dst2: n(dst2)?,
                other: n(other(dst, l, r)?)?,
            },
            (
                I32ShrUImm {
                    dst,
                    lhs,
                    imm: shift,
                },
                I32AndImm {
                    dst: dst2,
                    lhs: l,
                    imm,
                },
            ) if l == dst => I32ShrUImmAndImm {
                dst: n(dst)?,
                lhs: n(lhs)?,
                shift: (shift & 31) as u16,
                dst2: n(dst2)?,
                imm,
            },
            (
                I32ShrUImm {
                    dst,
                    lhs,
                    imm: shift,
                },
                BrTable { index, len },
            ) if index == dst => I32ShrUImmBrTable {
                dst: n(dst)?,
                lhs: n(lhs)?,
                shift: (shift & 31) as u16,
                len,
            },
            (
                I32Add { dst, lhs, rhs },
                I32AddImm {
                    dst: dst2,
                    lhs: l,
                    imm,
                },
            ) if l == dst => I32AddAddImm {
                dst: n(dst)?,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                dst2: n(dst2)?,
                imm,
            },
            (
                I32MulImm { dst, lhs, imm: mul },
                I32AddImm {
                    dst: dst2,
                    lhs: l,
                    imm: add,
                },
            ) if l == dst => I32MulImmAddImm {
                dst: n(dst)?,
                lhs: n(lhs)?,
                dst2: n(dst2)?,
                mul,
                add,
            },
            (
                I32ShrUImm {
                    dst,
                    lhs,
                    imm: shift,
                },
                I32Xor {
                    dst: dst2,
                    lhs: l,
                    rhs: r,
                },
            ) => I32ShrUImmXor {
                dst: n(dst)?,
                lhs: n(lhs)?,
                shift: (shift & 31) as u16,
                dst2: n(dst2)?,
                other: n(other(dst, l, r)?)?,
            },
            (
                I32RotlImm { dst, lhs, imm },
                I32Xor {
                    dst: dst2,
                    lhs: l,
                    rhs: r,
                },
            ) => I32RotlImmXor {
                dst: n(dst)?,
                lhs: n(lhs)?,
                imm: (imm & 31) as u16,
                dst2: n(dst2)?,
                other: n(other(dst, l, r)?)?,
            },
            (
                I64Xor { dst, lhs, rhs },
                I64RotlImm {
                    dst: dst2,
                    lhs: l,
                    imm,
                },
            ) if l == dst => I64XorRotlImm {
                dst: n(dst)?,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                dst2: n(dst2)?,
                imm: (imm & 63) as u16,
            },
            (
                I64Add { dst, lhs, rhs },
                I64RotlImm {
                    dst: dst2,
                    lhs: l,
                    imm,
                },
            ) if l == dst => I64AddRotlImm {
                dst: n(dst)?,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                dst2: n(dst2)?,
                imm: (imm & 63) as u16,
            },
            (
                F64Mul { dst, lhs, rhs },
                F64Sub {
                    dst: dst2,
                    lhs: l,
                    rhs: r,
                },
            ) if l == dst => F64MulSub {
                dst: n(dst)?,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                dst2: n(dst2)?,
                other: n(r)?,
            },
            (
                F64Mul { dst, lhs, rhs },
                F64Sub {
                    dst: dst2,
                    lhs: l,
                    rhs: r,
                },
            ) if r == dst => F64MulRsub {
                dst: n(dst)?,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                dst2: n(dst2)?,
                other: n(l)?,
            },
            (I32Eq { dst, lhs, rhs }, BrI32Nez { src, offset } | BrIfNez { cond: src, offset })
                if src == dst =>
            {
                I32EqBrNez {
                    dst: n(dst)?,
                    lhs: n(lhs)?,
                    rhs: n(rhs)?,
                    offset,
                }
            }
            (
                I32Eq { dst, lhs, rhs },
                BrI32NezGas {
                    charge,
                    src,
                    offset,
                }
                | BrIfNezGas {
                    charge,
                    cond: src,
                    offset,
                },
            ) if src == dst => I32EqBrNezGas {
                charge,
                dst: n(dst)?,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                offset,
            },
            (
                I32AddImm { dst, lhs, imm },
                BrI32LtU {
                    lhs: l,
                    rhs,
                    offset,
                },
            ) if l == dst => I32AddImmBrLtU {
                dst: n(dst)?,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                imm: i16::try_from(imm).ok()?,
                offset,
            },
            (
                I32AddImm { dst, lhs, imm },
                BrI32LtUGas {
                    charge,
                    lhs: l,
                    rhs,
                    offset,
                },
            ) if l == dst => I32AddImmBrLtUGas {
                charge,
                dst: n(dst)?,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                imm: i16::try_from(imm).ok()?,
                offset,
            },
            // `!=` is symmetric: the counter may be either operand.
            (
                I32AddImm { dst, lhs, imm },
                BrI32Ne {
                    lhs: l,
                    rhs,
                    offset,
                }
                | BrI32Ne {
                    lhs: rhs,
                    rhs: l,
                    offset,
                },
            ) if l == dst => I32AddImmBrNe {
                dst: n(dst)?,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                imm: i16::try_from(imm).ok()?,
                offset,
            },
            (
                I32AddImm { dst, lhs, imm },
                BrI32NeGas {
                    charge,
                    lhs: l,
                    rhs,
                    offset,
                }
                | BrI32NeGas {
                    charge,
                    lhs: rhs,
                    rhs: l,
                    offset,
                },
            ) if l == dst => I32AddImmBrNeGas {
                charge,
                dst: n(dst)?,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                imm: i16::try_from(imm).ok()?,
                offset,
            },
            (
                I32AddImm { dst, lhs, imm },
                BrIfNez { cond: c, offset } | BrI32Nez { src: c, offset },
            ) if c == dst && lhs == dst => I32AddImmBrNez {
                dst: n(dst)?,
                imm,
                offset,
            },
            (
                I32AddImm { dst, lhs, imm },
                BrIfNezGas {
                    charge,
                    cond: c,
                    offset,
                }
                | BrI32NezGas {
                    charge,
                    src: c,
                    offset,
                },
            ) if c == dst && lhs == dst => I32AddImmBrNezGas {
                charge,
                dst: n(dst)?,
                imm,
                offset,
            },
            (
                I32AddImm { dst, lhs, imm },
                BrI32LtUImm {
                    lhs: l,
                    imm: bound,
                    offset,
                },
            ) if l == dst && lhs == dst => I32AddImmBrLtUImm {
                dst: n(dst)?,
                imm: i16::try_from(imm).ok()?,
                bound,
                offset,
            },
            (
                I32AddImm { dst, lhs, imm },
                BrI32LtUImmGas {
                    charge,
                    lhs: l,
                    imm: bound,
                    offset,
                },
            ) if l == dst && lhs == dst => I32AddImmBrLtUImmGas {
                charge,
                dst: n(dst)?,
                imm: i16::try_from(imm).ok()?,
                bound,
                offset,
            },
            (
                I32AddImm { dst, lhs, imm },
                BrI32NeImm {
                    lhs: l,
                    imm: bound,
                    offset,
                },
            ) if l == dst && lhs == dst => I32AddImmBrNeImm {
                dst: n(dst)?,
                imm: i16::try_from(imm).ok()?,
                bound,
                offset,
            },
            (
                I32AddImm { dst, lhs, imm },
                BrI32NeImmGas {
                    charge,
                    lhs: l,
                    imm: bound,
                    offset,
                },
            ) if l == dst && lhs == dst => I32AddImmBrNeImmGas {
                charge,
                dst: n(dst)?,
                imm: i16::try_from(imm).ok()?,
                bound,
                offset,
            },
            _ => return None,
        })
    }

    /// The offset of a branch that has a twin charging the gas charge it lands on (see
    /// [`Op::BrGas`]); `None` for every other instruction.
    pub fn chargeable_branch_offset(&self) -> Option<i32> {
        use Op::*;
        match *self {
            Br { offset }
            | BrIfNez { offset, .. }
            | BrIfEqz { offset, .. }
            | BrI32Nez { offset, .. }
            | BrI32Eqz { offset, .. }
            | BrI32Eq { offset, .. }
            | BrI32Ne { offset, .. }
            | BrI32LtS { offset, .. }
            | BrI32LtU { offset, .. }
            | BrI32GtU { offset, .. }
            | BrI32GeU { offset, .. }
            | BrI64Ne { offset, .. }
            | BrI64LeU { offset, .. }
            | BrI32LtUImm { offset, .. }
            | BrI32NeImm { offset, .. }
            | BrI32GeUImm { offset, .. }
            | BrI32LeU { offset, .. }
            | BrI64Eq { offset, .. }
            | BrI32EqImm { offset, .. }
            | BrI32GtUImm { offset, .. } => Some(offset),
            _ => None,
        }
    }

    /// The twin of a conditional branch (plain or charging) followed by a gas charge of
    /// `fall`: when it does not branch it pays the charge and goes on past it
    /// ([`Op::BrIfNezFall`] and the like); `None` for other instructions. For a fused pair
    /// ending in a branch (`I32EqBrNez`), the charge is the one after the pair's second half.
    pub fn with_fall(&self, fall: u16) -> Option<Op> {
        use Op::*;
        let n = |s: Slot| Slot16::try_from(s).ok();
        Some(match *self {
            BrIfNez { cond, offset } => BrIfNezFall { fall, cond, offset },
            BrIfEqz { cond, offset } => BrIfEqzFall { fall, cond, offset },
            BrI32Nez { src, offset } => BrI32NezFall { fall, src, offset },
            BrI32Eqz { src, offset } => BrI32EqzFall { fall, src, offset },
            BrIfNezGas {
                charge,
                cond,
                offset,
            } => BrIfNezGasFall {
                charge,
                cond,
                offset,
                fall,
            },
            BrIfEqzGas {
                charge,
                cond,
                offset,
            } => BrIfEqzGasFall {
                charge,
                cond,
                offset,
                fall,
            },
            BrI32NezGas {
                charge,
                src,
                offset,
            } => BrI32NezGasFall {
                charge,
                src,
                offset,
                fall,
            },
            BrI32EqzGas {
                charge,
                src,
                offset,
            } => BrI32EqzGasFall {
                charge,
                src,
                offset,
                fall,
            },
            BrI32EqGas {
                charge,
                lhs,
                rhs,
                offset,
            } => BrI32EqGasFall {
                charge,
                fall,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                offset,
            },
            BrI32NeGas {
                charge,
                lhs,
                rhs,
                offset,
            } => BrI32NeGasFall {
                charge,
                fall,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                offset,
            },
            BrI32LtSGas {
                charge,
                lhs,
                rhs,
                offset,
            } => BrI32LtSGasFall {
                charge,
                fall,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                offset,
            },
            BrI32LtUGas {
                charge,
                lhs,
                rhs,
                offset,
            } => BrI32LtUGasFall {
                charge,
                fall,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                offset,
            },
            BrI32GtUGas {
                charge,
                lhs,
                rhs,
                offset,
            } => BrI32GtUGasFall {
                charge,
                fall,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                offset,
            },
            BrI32GeUGas {
                charge,
                lhs,
                rhs,
                offset,
            } => BrI32GeUGasFall {
                charge,
                fall,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                offset,
            },
            BrI64NeGas {
                charge,
                lhs,
                rhs,
                offset,
            } => BrI64NeGasFall {
                charge,
                fall,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                offset,
            },
            BrI64LeUGas {
                charge,
                lhs,
                rhs,
                offset,
            } => BrI64LeUGasFall {
                charge,
                fall,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                offset,
            },
            BrI32LtUImmGas {
                charge,
                lhs,
                imm,
                offset,
            } => BrI32LtUImmGasFall {
                charge,
                fall,
                lhs: n(lhs)?,
                imm,
                offset,
            },
            BrI32NeImmGas {
                charge,
                lhs,
                imm,
                offset,
            } => BrI32NeImmGasFall {
                charge,
                fall,
                lhs: n(lhs)?,
                imm,
                offset,
            },
            BrI32GeUImmGas {
                charge,
                lhs,
                imm,
                offset,
            } => BrI32GeUImmGasFall {
                charge,
                fall,
                lhs: n(lhs)?,
                imm,
                offset,
            },
            BrI32LeUGas {
                charge,
                lhs,
                rhs,
                offset,
            } => BrI32LeUGasFall {
                charge,
                fall,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                offset,
            },
            BrI64EqGas {
                charge,
                lhs,
                rhs,
                offset,
            } => BrI64EqGasFall {
                charge,
                fall,
                lhs: n(lhs)?,
                rhs: n(rhs)?,
                offset,
            },
            BrI32EqImmGas {
                charge,
                lhs,
                imm,
                offset,
            } => BrI32EqImmGasFall {
                charge,
                fall,
                lhs: n(lhs)?,
                imm,
                offset,
            },
            BrI32GtUImmGas {
                charge,
                lhs,
                imm,
                offset,
            } => BrI32GtUImmGasFall {
                charge,
                fall,
                lhs: n(lhs)?,
                imm,
                offset,
            },
            // A fused pair ending in a branch falls into the charge after its second half.
            I32EqBrNez {
                dst,
                lhs,
                rhs,
                offset,
            } => I32EqBrNezFall {
                fall,
                dst,
                lhs,
                rhs,
                offset,
            },
            I32EqBrNezGas {
                charge,
                dst,
                lhs,
                rhs,
                offset,
            } => I32EqBrNezGasFall {
                charge,
                fall,
                dst,
                lhs,
                rhs,
                offset,
            },
            _ => return None,
        })
    }

    /// The twin of a branch ([`Op::chargeable_branch_offset`]) that lands on a gas charge of
    /// `charge`: it jumps past the charge and pays it itself ([`Op::BrGas`]; its offset is one
    /// more than this branch's); `None` for other instructions.
    pub fn with_charge(&self, charge: u16) -> Option<Op> {
        use Op::*;
        let offset = self.chargeable_branch_offset()?.checked_add(1)?;
        Some(match *self {
            Br { .. } => BrGas { charge, offset },
            BrIfNez { cond, .. } => BrIfNezGas {
                charge,
                cond,
                offset,
            },
            BrIfEqz { cond, .. } => BrIfEqzGas {
                charge,
                cond,
                offset,
            },
            BrI32Nez { src, .. } => BrI32NezGas {
                charge,
                src,
                offset,
            },
            BrI32Eqz { src, .. } => BrI32EqzGas {
                charge,
                src,
                offset,
            },
            BrI32Eq { lhs, rhs, .. } => BrI32EqGas {
                charge,
                lhs,
                rhs,
                offset,
            },
            BrI32Ne { lhs, rhs, .. } => BrI32NeGas {
                charge,
                lhs,
                rhs,
                offset,
            },
            BrI32LtS { lhs, rhs, .. } => BrI32LtSGas {
                charge,
                lhs,
                rhs,
                offset,
            },
            BrI32LtU { lhs, rhs, .. } => BrI32LtUGas {
                charge,
                lhs,
                rhs,
                offset,
            },
            BrI32GtU { lhs, rhs, .. } => BrI32GtUGas {
                charge,
                lhs,
                rhs,
                offset,
            },
            BrI32GeU { lhs, rhs, .. } => BrI32GeUGas {
                charge,
                lhs,
                rhs,
                offset,
            },
            BrI64Ne { lhs, rhs, .. } => BrI64NeGas {
                charge,
                lhs,
                rhs,
                offset,
            },
            BrI64LeU { lhs, rhs, .. } => BrI64LeUGas {
                charge,
                lhs,
                rhs,
                offset,
            },
            BrI32LtUImm { lhs, imm, .. } => BrI32LtUImmGas {
                charge,
                lhs,
                imm,
                offset,
            },
            BrI32NeImm { lhs, imm, .. } => BrI32NeImmGas {
                charge,
                lhs,
                imm,
                offset,
            },
            BrI32GeUImm { lhs, imm, .. } => BrI32GeUImmGas {
                charge,
                lhs,
                imm,
                offset,
            },
            BrI32LeU { lhs, rhs, .. } => BrI32LeUGas {
                charge,
                lhs,
                rhs,
                offset,
            },
            BrI64Eq { lhs, rhs, .. } => BrI64EqGas {
                charge,
                lhs,
                rhs,
                offset,
            },
            BrI32EqImm { lhs, imm, .. } => BrI32EqImmGas {
                charge,
                lhs,
                imm,
                offset,
            },
            BrI32GtUImm { lhs, imm, .. } => BrI32GtUImmGas {
                charge,
                lhs,
                imm,
                offset,
            },
            _ => return None,
        })
    }

    /// The fused branch taken when the comparison `self` (which wrote its result into a
    /// temporary) is `when`, with the comparison's operands; `None` for other instructions.
    /// Negating an integer comparison is exact (no NaNs), so both senses fuse into the
    /// opposite comparison; a float comparison's false sense has `BrF..Not..` forms.
    pub fn fuse_branch(&self, when: bool) -> Option<Op> {
        use Op::*;
        let offset = 0;
        Some(match (*self, when) {
            (I32Eqz { src, .. }, true) => BrI32Eqz { src, offset },
            (I32Eqz { src, .. }, false) => BrI32Nez { src, offset },
            (I64Eqz { src, .. }, true) => BrI64Eqz { src, offset },
            (I64Eqz { src, .. }, false) => BrI64Nez { src, offset },
            (I32Eq { lhs, rhs, .. }, true) | (I32Ne { lhs, rhs, .. }, false) => {
                BrI32Eq { lhs, rhs, offset }
            }
            (I32Ne { lhs, rhs, .. }, true) | (I32Eq { lhs, rhs, .. }, false) => {
                BrI32Ne { lhs, rhs, offset }
            }
            (I32LtS { lhs, rhs, .. }, true) | (I32GeS { lhs, rhs, .. }, false) => {
                BrI32LtS { lhs, rhs, offset }
            }
            (I32LtU { lhs, rhs, .. }, true) | (I32GeU { lhs, rhs, .. }, false) => {
                BrI32LtU { lhs, rhs, offset }
            }
            (I32GtS { lhs, rhs, .. }, true) | (I32LeS { lhs, rhs, .. }, false) => {
                BrI32GtS { lhs, rhs, offset }
            }
            (I32GtU { lhs, rhs, .. }, true) | (I32LeU { lhs, rhs, .. }, false) => {
                BrI32GtU { lhs, rhs, offset }
            }
            (I32LeS { lhs, rhs, .. }, true) | (I32GtS { lhs, rhs, .. }, false) => {
                BrI32LeS { lhs, rhs, offset }
            }
            (I32LeU { lhs, rhs, .. }, true) | (I32GtU { lhs, rhs, .. }, false) => {
                BrI32LeU { lhs, rhs, offset }
            }
            (I32GeS { lhs, rhs, .. }, true) | (I32LtS { lhs, rhs, .. }, false) => {
                BrI32GeS { lhs, rhs, offset }
            }
            (I32GeU { lhs, rhs, .. }, true) | (I32LtU { lhs, rhs, .. }, false) => {
                BrI32GeU { lhs, rhs, offset }
            }
            (I64Eq { lhs, rhs, .. }, true) | (I64Ne { lhs, rhs, .. }, false) => {
                BrI64Eq { lhs, rhs, offset }
            }
            (I64Ne { lhs, rhs, .. }, true) | (I64Eq { lhs, rhs, .. }, false) => {
                BrI64Ne { lhs, rhs, offset }
            }
            (I64LtS { lhs, rhs, .. }, true) | (I64GeS { lhs, rhs, .. }, false) => {
                BrI64LtS { lhs, rhs, offset }
            }
            (I64LtU { lhs, rhs, .. }, true) | (I64GeU { lhs, rhs, .. }, false) => {
                BrI64LtU { lhs, rhs, offset }
            }
            (I64GtS { lhs, rhs, .. }, true) | (I64LeS { lhs, rhs, .. }, false) => {
                BrI64GtS { lhs, rhs, offset }
            }
            (I64GtU { lhs, rhs, .. }, true) | (I64LeU { lhs, rhs, .. }, false) => {
                BrI64GtU { lhs, rhs, offset }
            }
            (I64LeS { lhs, rhs, .. }, true) | (I64GtS { lhs, rhs, .. }, false) => {
                BrI64LeS { lhs, rhs, offset }
            }
            (I64LeU { lhs, rhs, .. }, true) | (I64GtU { lhs, rhs, .. }, false) => {
                BrI64LeU { lhs, rhs, offset }
            }
            (I64GeS { lhs, rhs, .. }, true) | (I64LtS { lhs, rhs, .. }, false) => {
                BrI64GeS { lhs, rhs, offset }
            }
            (I64GeU { lhs, rhs, .. }, true) | (I64LtU { lhs, rhs, .. }, false) => {
                BrI64GeU { lhs, rhs, offset }
            }
            (I32EqImm { lhs, imm, .. }, true) | (I32NeImm { lhs, imm, .. }, false) => {
                BrI32EqImm { lhs, imm, offset }
            }
            (I32NeImm { lhs, imm, .. }, true) | (I32EqImm { lhs, imm, .. }, false) => {
                BrI32NeImm { lhs, imm, offset }
            }
            (I32LtSImm { lhs, imm, .. }, true) | (I32GeSImm { lhs, imm, .. }, false) => {
                BrI32LtSImm { lhs, imm, offset }
            }
            (I32LtUImm { lhs, imm, .. }, true) | (I32GeUImm { lhs, imm, .. }, false) => {
                BrI32LtUImm { lhs, imm, offset }
            }
            (I32GtSImm { lhs, imm, .. }, true) | (I32LeSImm { lhs, imm, .. }, false) => {
                BrI32GtSImm { lhs, imm, offset }
            }
            (I32GtUImm { lhs, imm, .. }, true) | (I32LeUImm { lhs, imm, .. }, false) => {
                BrI32GtUImm { lhs, imm, offset }
            }
            (I32LeSImm { lhs, imm, .. }, true) | (I32GtSImm { lhs, imm, .. }, false) => {
                BrI32LeSImm { lhs, imm, offset }
            }
            (I32LeUImm { lhs, imm, .. }, true) | (I32GtUImm { lhs, imm, .. }, false) => {
                BrI32LeUImm { lhs, imm, offset }
            }
            (I32GeSImm { lhs, imm, .. }, true) | (I32LtSImm { lhs, imm, .. }, false) => {
                BrI32GeSImm { lhs, imm, offset }
            }
            (I32GeUImm { lhs, imm, .. }, true) | (I32LtUImm { lhs, imm, .. }, false) => {
                BrI32GeUImm { lhs, imm, offset }
            }
            (I64EqImm { lhs, imm, .. }, true) | (I64NeImm { lhs, imm, .. }, false) => {
                BrI64EqImm { lhs, imm, offset }
            }
            (I64NeImm { lhs, imm, .. }, true) | (I64EqImm { lhs, imm, .. }, false) => {
                BrI64NeImm { lhs, imm, offset }
            }
            (I64LtSImm { lhs, imm, .. }, true) | (I64GeSImm { lhs, imm, .. }, false) => {
                BrI64LtSImm { lhs, imm, offset }
            }
            (I64LtUImm { lhs, imm, .. }, true) | (I64GeUImm { lhs, imm, .. }, false) => {
                BrI64LtUImm { lhs, imm, offset }
            }
            (I64GtSImm { lhs, imm, .. }, true) | (I64LeSImm { lhs, imm, .. }, false) => {
                BrI64GtSImm { lhs, imm, offset }
            }
            (I64GtUImm { lhs, imm, .. }, true) | (I64LeUImm { lhs, imm, .. }, false) => {
                BrI64GtUImm { lhs, imm, offset }
            }
            (I64LeSImm { lhs, imm, .. }, true) | (I64GtSImm { lhs, imm, .. }, false) => {
                BrI64LeSImm { lhs, imm, offset }
            }
            (I64LeUImm { lhs, imm, .. }, true) | (I64GtUImm { lhs, imm, .. }, false) => {
                BrI64LeUImm { lhs, imm, offset }
            }
            (I64GeSImm { lhs, imm, .. }, true) | (I64LtSImm { lhs, imm, .. }, false) => {
                BrI64GeSImm { lhs, imm, offset }
            }
            (I64GeUImm { lhs, imm, .. }, true) | (I64LtUImm { lhs, imm, .. }, false) => {
                BrI64GeUImm { lhs, imm, offset }
            }
            (F32Eq { lhs, rhs, .. }, true) | (F32Ne { lhs, rhs, .. }, false) => {
                BrF32Eq { lhs, rhs, offset }
            }
            (F32Ne { lhs, rhs, .. }, true) | (F32Eq { lhs, rhs, .. }, false) => {
                BrF32Ne { lhs, rhs, offset }
            }
            (F32Lt { lhs, rhs, .. }, true) => BrF32Lt { lhs, rhs, offset },
            (F32Gt { lhs, rhs, .. }, true) => BrF32Gt { lhs, rhs, offset },
            (F32Le { lhs, rhs, .. }, true) => BrF32Le { lhs, rhs, offset },
            (F32Ge { lhs, rhs, .. }, true) => BrF32Ge { lhs, rhs, offset },
            (F32Lt { lhs, rhs, .. }, false) => BrF32NotLt { lhs, rhs, offset },
            (F32Gt { lhs, rhs, .. }, false) => BrF32NotGt { lhs, rhs, offset },
            (F32Le { lhs, rhs, .. }, false) => BrF32NotLe { lhs, rhs, offset },
            (F32Ge { lhs, rhs, .. }, false) => BrF32NotGe { lhs, rhs, offset },
            (F64Eq { lhs, rhs, .. }, true) | (F64Ne { lhs, rhs, .. }, false) => {
                BrF64Eq { lhs, rhs, offset }
            }
            (F64Ne { lhs, rhs, .. }, true) | (F64Eq { lhs, rhs, .. }, false) => {
                BrF64Ne { lhs, rhs, offset }
            }
            (F64Lt { lhs, rhs, .. }, true) => BrF64Lt { lhs, rhs, offset },
            (F64Gt { lhs, rhs, .. }, true) => BrF64Gt { lhs, rhs, offset },
            (F64Le { lhs, rhs, .. }, true) => BrF64Le { lhs, rhs, offset },
            (F64Ge { lhs, rhs, .. }, true) => BrF64Ge { lhs, rhs, offset },
            (F64Lt { lhs, rhs, .. }, false) => BrF64NotLt { lhs, rhs, offset },
            (F64Gt { lhs, rhs, .. }, false) => BrF64NotGt { lhs, rhs, offset },
            (F64Le { lhs, rhs, .. }, false) => BrF64NotLe { lhs, rhs, offset },
            (F64Ge { lhs, rhs, .. }, false) => BrF64NotGe { lhs, rhs, offset },
            _ => return None,
        })
    }
}

const _: () = assert!(core::mem::size_of::<Op>() <= 16, "Op must stay 16 bytes");

/// Of a commutative operation's operands `l` and `r`, the one that is not `acc` (the slot an
/// accumulator holds), if either is; `None` if neither is.
fn other_operand(acc: Slot, l: Slot, r: Slot) -> Option<Slot> {
    if l == acc {
        Some(r)
    } else if r == acc {
        Some(l)
    } else {
        None
    }
}

/// Number of instructions (of [`Op`] variants).
pub const NUM_OPS: usize = Op::NAMES.len();

/// [`FINAL_PASS_OPS`] flag: the opcode can begin a fused pair or triple ([`Op::fuse`],
/// [`Op::fuse3`]) or has a charging twin ([`Op::with_charge`]).
pub const PASS_FUSE: u8 = 1;
/// [`FINAL_PASS_OPS`] flag: the opcode leaves a value in the float accumulator or can read one
/// from it ([`Op::fa_dst`], [`Op::with_fa`]).
pub const PASS_FA: u8 = 2;

/// [`FINAL_PASS_OPS`] flag: the opcode leaves a value in the integer accumulator
/// ([`Op::ia_dst`]).
pub const PASS_IA: u8 = 4;
/// [`FINAL_PASS_OPS`] flag: the opcode has a form that reads an operand from the integer
/// accumulator ([`Op::with_ia`]); the final pass asks what an instruction leaves there only
/// when the next one has this flag.
pub const PASS_IA_READ: u8 = 8;

/// What the translator's final pass does with each opcode ([`PASS_FUSE`], [`PASS_FA`],
/// [`PASS_IA`], [`PASS_IA_READ`]); it looks at no instruction whose entry is 0.
pub static FINAL_PASS_OPS: [u8; NUM_OPS] = {
    use OpCode::*;
    let mut t = [0; NUM_OPS];
    let fuse = [
        I32Add,
        I32AddImm,
        I32Eq,
        I32Load8U,
        I32Store8,
        I64Load,
        Copy,
        I32ShlImm,
        I32ShrUImm,
        I32MulImm,
        I32RotlImm,
        I64Xor,
        I64Add,
        F32Mul,
        F64Mul,
        F64Add,
        F64Sub,
        F64Min,
        Br,
        BrIfNez,
        BrIfEqz,
        BrI32Nez,
        BrI32Eqz,
        BrI32Eq,
        BrI32Ne,
        BrI32LtS,
        BrI32LtU,
        BrI32GtU,
        BrI32GeU,
        BrI64Ne,
        BrI64LeU,
        BrI32LtUImm,
        BrI32NeImm,
        BrI32GeUImm,
        BrI32LeU,
        BrI64Eq,
        BrI32EqImm,
        BrI32GtUImm,
    ];
    let fa = [
        F64Mul,
        F64Add,
        F64Sub,
        F64Min,
        F64Max,
        F64Div,
        F64Sqrt,
        F64Ceil,
        F64Floor,
        F64Trunc,
        F64Nearest,
        F64ConvertI32S,
        F64ConvertI32U,
        F64ConvertI64S,
        F64ConvertI64U,
        F64PromoteF32,
        F32DemoteF64,
        I64Store,
        I64Load,
    ];
    let mut i = 0;
    while i < fuse.len() {
        t[fuse[i] as usize] |= PASS_FUSE;
        i += 1;
    }
    let mut i = 0;
    while i < fa.len() {
        t[fa[i] as usize] |= PASS_FA;
        i += 1;
    }
    let ia = [
        I32Add,
        I32Sub,
        I32Mul,
        I32And,
        I32Or,
        I32Xor,
        I32Shl,
        I32ShrS,
        I32ShrU,
        I32Rotl,
        I32Rotr,
        I64Add,
        I64Sub,
        I64Mul,
        I64And,
        I64Or,
        I64Xor,
        I64Shl,
        I64ShrS,
        I64ShrU,
        I64Rotl,
        I64Rotr,
        I32Eq,
        I32Ne,
        I32LtS,
        I32LtU,
        I32GtS,
        I32GtU,
        I32LeS,
        I32LeU,
        I32GeS,
        I32GeU,
        I64Eq,
        I64Ne,
        I64LtS,
        I64LtU,
        I64GtS,
        I64GtU,
        I64LeS,
        I64LeU,
        I64GeS,
        I64GeU,
        I32AddImm,
        I32AndImm,
        I32OrImm,
        I32XorImm,
        I32ShlImm,
        I32ShrUImm,
        I32RotlImm,
        I64AddImm,
        I64AndImm,
        I64XorImm,
        I64ShlImm,
        I64ShrUImm,
        I32WrapI64,
        I32Load,
        I32Load8U,
        I32Load8S,
        I32Load16U,
        I64Load32U,
        I64Load,
        Copy,
        Const,
        F32Eq,
        F32Ne,
        F32Lt,
        F32Gt,
        F32Le,
        F32Ge,
        F64Eq,
        F64Ne,
        F64Lt,
        F64Gt,
        F64Le,
        F64Ge,
        I32MulImm,
        I32ShrSImm,
        I32RotrImm,
        I32EqImm,
        I32NeImm,
        I32LtSImm,
        I32LtUImm,
        I32GtSImm,
        I32GtUImm,
        I32LeSImm,
        I32LeUImm,
        I32GeSImm,
        I32GeUImm,
        I64SubImm,
        I64MulImm,
        I64OrImm,
        I64ShrSImm,
        I64RotlImm,
        I64RotrImm,
        I64EqImm,
        I64NeImm,
        I64LtSImm,
        I64LtUImm,
        I64GtSImm,
        I64GtUImm,
        I64LeSImm,
        I64LeUImm,
        I64GeSImm,
        I64GeUImm,
        I32Eqz,
        I64Eqz,
        I32Clz,
        I32Ctz,
        I32Popcnt,
        I64Clz,
        I64Ctz,
        I64Popcnt,
        I64ExtendI32S,
        I32Extend8S,
        I32Extend16S,
        I64Extend8S,
        I64Extend16S,
        I64Extend32S,
        I32Load16S,
        I64Load8S,
        I64Load8U,
        I64Load16S,
        I64Load16U,
        I64Load32S,
    ];
    let mut i = 0;
    while i < ia.len() {
        t[ia[i] as usize] |= PASS_IA;
        i += 1;
    }
    let ia_read = [
        I32Add, I32Sub, I32And, I32Or, I32Xor, I32ShrU, I64Add, I64Mul, I64And, I64Or, I64Xor,
        I32AddImm, I32AndImm, I32MulImm, I32EqImm, I32ShlImm, I32ShrUImm, I64ShrUImm, I32WrapI64,
        I32Load, I32Load8U, I32Store, I64Store, I32Store8, BrIfNez, BrIfEqz, BrI32Nez, BrI32Eqz,
    ];
    let mut i = 0;
    while i < ia_read.len() {
        t[ia_read[i] as usize] |= PASS_IA_READ;
        i += 1;
    }
    t
};

impl Op {
    /// The discriminant, read from memory: equal to `self.opcode() as u16`.
    #[inline(always)]
    pub fn code(&self) -> u16 {
        // SAFETY: `Op` is `repr(u16)`, so every value starts with its `u16` discriminant
        // (RFC 2195's layout of primitive-representation enums with fields), and `self` is a
        // valid, aligned `Op`.
        unsafe { *(self as *const Op as *const u16) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_is_compact() {
        assert_eq!(core::mem::size_of::<Op>(), 16);
    }

    #[test]
    fn code_is_the_opcode() {
        let ops = [
            Op::I32Eqz { dst: 1, src: 2 },
            Op::I32Add {
                dst: 1,
                lhs: 2,
                rhs: 3,
            },
            Op::I64Load32U {
                dst: 1,
                ptr: 2,
                offset: 7,
            },
            Op::I64Store32 {
                ptr: 1,
                src: 2,
                offset: 7,
            },
            Op::I64GeUImm {
                dst: 1,
                lhs: 2,
                imm: -3,
            },
            Op::BrI64GeUImm {
                lhs: 1,
                imm: 2,
                offset: -3,
            },
            Op::ConsumeGas { amount: u64::MAX },
            Op::Const { dst: 3, value: 9 },
            Op::Return,
            Op::RefFunc { dst: 1, func: 2 },
        ];
        for op in ops {
            assert_eq!(op.code(), op.opcode() as u16, "{op:?}");
        }
        assert_eq!(OpCode::RefFunc as usize, NUM_OPS - 1);
    }

    #[test]
    fn every_slot_field_is_visited() {
        let cases = [
            (Op::Copy { dst: 1, src: 2 }, vec![1, 2]),
            (Op::CallInternal { index: 9, base: 3 }, vec![3]),
            (Op::ConsumeGas { amount: 5 }, vec![]),
            (
                Op::I32Add {
                    dst: 1,
                    lhs: 2,
                    rhs: 3,
                },
                vec![1, 2, 3],
            ),
            (
                Op::BrI32LtSImm {
                    lhs: 4,
                    imm: 5,
                    offset: 6,
                },
                vec![4],
            ),
            (
                Op::TableSet {
                    index: 1,
                    src: 2,
                    table: 3,
                },
                vec![1, 2],
            ),
            (
                Op::I64Store8 {
                    ptr: 7,
                    src: 8,
                    offset: 9,
                },
                vec![7, 8],
            ),
            (
                Op::Select {
                    dst: 1,
                    rhs: 2,
                    cond: 3,
                },
                vec![1, 2, 3],
            ),
        ];
        for (mut op, want) in cases {
            let mut seen = Vec::new();
            op.for_each_slot_mut(|s| {
                seen.push(*s);
                *s += 100;
            });
            assert_eq!(seen, want, "{op:?}");
            let mut again = Vec::new();
            op.for_each_slot_mut(|s| again.push(*s));
            assert_eq!(again, want.iter().map(|s| s + 100).collect::<Vec<_>>());
        }
    }

    #[test]
    fn names_are_unique() {
        let mut names = Op::NAMES.to_vec();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len());
    }

    #[test]
    fn fused_branches_negate_exactly() {
        let lt = Op::I32LtS {
            dst: 9,
            lhs: 1,
            rhs: 2,
        };
        assert_eq!(
            lt.fuse_branch(true),
            Some(Op::BrI32LtS {
                lhs: 1,
                rhs: 2,
                offset: 0
            })
        );
        assert_eq!(
            lt.fuse_branch(false),
            Some(Op::BrI32GeS {
                lhs: 1,
                rhs: 2,
                offset: 0
            })
        );
        let eqz = Op::I64Eqz { dst: 9, src: 3 };
        assert_eq!(
            eqz.fuse_branch(false),
            Some(Op::BrI64Nez { src: 3, offset: 0 })
        );
        // A false float comparison is not the opposite comparison: `!(a < b)` is not
        // `a >= b` with NaNs.
        let flt = Op::F32Lt {
            dst: 9,
            lhs: 1,
            rhs: 2,
        };
        assert_eq!(
            flt.fuse_branch(false),
            Some(Op::BrF32NotLt {
                lhs: 1,
                rhs: 2,
                offset: 0
            })
        );
        assert_eq!(
            Op::F64Eq {
                dst: 9,
                lhs: 1,
                rhs: 2
            }
            .fuse_branch(false),
            Some(Op::BrF64Ne {
                lhs: 1,
                rhs: 2,
                offset: 0
            })
        );
    }

    #[test]
    fn retarget_single_result() {
        let mut op = Op::I32Add {
            dst: 5,
            lhs: 0,
            rhs: 1,
        };
        *op.single_dst_mut().unwrap() = 2;
        assert_eq!(
            op,
            Op::I32Add {
                dst: 2,
                lhs: 0,
                rhs: 1
            }
        );
        assert!(Op::Return.clone().single_dst_mut().is_none());
    }
}
