//! Single-pass translation of validated Wasm function bodies into Gauge's slot IR.
//!
//! wasmparser's validator and this translator see each operator once, in the same loop
//! ([`FuncTranslator::translate`]). The translator keeps a compile-time model of the operand
//! stack in which each entry is either a *temporary* living in its own stack slot, a *lazy*
//! reference to a local, or a *constant*. Lazy entries let consumers read locals directly and
//! let results be written straight into locals; see `docs/architecture.md`.
//!
//! Linear time, by construction:
//! - each forward branch is recorded once and patched once, when its label is placed;
//! - `br_table` targets are written once, plus at most one stub per target;
//! - a lazy local entry is materialized at most once: a `local.set` walks only the entries that
//!   reference that local (an intrusive list), and a block entry walks only the lazy entries
//!   (a list of their positions), never the whole operand stack;
//! - per-local state is reset through the list of touched locals, not by clearing an array the
//!   size of the declared locals, so a body declaring 50,000 locals in six bytes costs O(1)
//!   per function.

use wasmparser::{BlockType, FuncValidator, FunctionBody, Operator, ValidatorResources};

use crate::ir::{Op, Slot};
use crate::types::FuncType;
use crate::{Error, TrapCode};

/// What the translator needs to know about the module.
pub(crate) struct ModuleCtx<'a> {
    pub(crate) types: &'a [FuncType],
    pub(crate) func_types: &'a [u32],
    /// Number of imported functions (defined function `i` has index `imports + i`).
    pub(crate) num_imported_funcs: u32,
    /// The gas schedule, when metering is on.
    pub(crate) gas: Option<&'a gauge_metering::Schedule>,
    /// Whether float types and instructions are allowed.
    pub(crate) floats: bool,
}

/// Whether `op` takes, produces or names a float (for `Config::floats(false)`).
fn is_float_op(op: &Operator<'_>) -> bool {
    use Operator as O;
    use gauge_metering::Class;
    let is_float_type =
        |t: &wasmparser::ValType| matches!(t, wasmparser::ValType::F32 | wasmparser::ValType::F64);
    let float_block = |bt: &BlockType| matches!(bt, BlockType::Type(t) if is_float_type(t));
    match op {
        O::Block { blockty } | O::Loop { blockty } | O::If { blockty } => float_block(blockty),
        O::TypedSelect { ty } => is_float_type(ty),
        O::F32Const { .. } | O::F64Const { .. } => true,
        O::F32Load { .. } | O::F64Load { .. } | O::F32Store { .. } | O::F64Store { .. } => true,
        O::I32WrapI64 | O::I64ExtendI32S | O::I64ExtendI32U => false,
        _ => matches!(
            gauge_metering::classify(op),
            Some(Class::FloatArith | Class::FloatDiv | Class::Conversion)
        ),
    }
}

impl ModuleCtx<'_> {
    fn func_type(&self, func: u32) -> &FuncType {
        &self.types[self.func_types[func as usize] as usize]
    }
}

/// A translated function.
#[derive(Debug)]
pub(crate) struct CompiledFunc {
    /// The instructions.
    pub(crate) code: Box<[Op]>,
    /// Number of parameters.
    pub(crate) num_params: u32,
    /// Number of parameters plus declared locals.
    pub(crate) num_locals: u32,
    /// Number of results.
    pub(crate) num_results: u32,
    /// Slots the frame needs: locals, the constant pool, and the maximum operand-stack height.
    pub(crate) frame_size: u32,
    /// The constant pool (see [`FuncTranslator`]'s `pool`): the values of slots
    /// `num_locals..num_locals + pool.len()`, written on entry. Declared locals are zeroed on
    /// entry instead of being stored here, so that their number costs no translation memory.
    pub(crate) pool: Box<[u64]>,
    /// Gas to give back when an instruction in `start..end` traps, for merged charges:
    /// `(start, end, refund)`, ascending and disjoint.
    pub(crate) refunds: Box<[(u32, u32, u64)]>,
    /// The metered blocks of every merged charge (`Op::ConsumeGasGroup`), in code order:
    /// (index of the block's first instruction, its charge). A group's first block starts
    /// right after its `ConsumeGasGroup`; each block ends where the next of its group starts.
    pub(crate) groups: Box<[(u32, u64)]>,
    /// Fused instructions whose second half starts a merged block but the first
    /// ([`FuncTranslator::final_pass`]): (index, the instruction before it was fused),
    /// ascending. The precise copies run each block alone, so they take the unfused one.
    pub(crate) straddles: Box<[(u32, Op)]>,
    /// The code with the precise copies of its merged charges appended, built the first time
    /// the gas left does not cover a merged charge of this function.
    pub(crate) precise: std::sync::OnceLock<Precise>,
}

/// A function's code followed by precise copies of its merged charges: where the gas left does
/// not cover a `ConsumeGasGroup`, execution goes on in its copy, which charges block by block
/// (`docs/gas.md`). The function's own code comes first and unchanged, so every instruction
/// index means the same in both, and a call or return leaves the copy without a fix-up.
#[derive(Debug)]
pub(crate) struct Precise {
    /// The function's code, then, per merged charge: for each block, a `ConsumeGas` of the
    /// block's charge followed by a copy of the block's instructions; for the last block, its
    /// `ConsumeGas` and a `Br` to the block in the function's own code.
    pub(crate) code: Box<[Op]>,
    /// (index of a `ConsumeGasGroup`, index of its copy in `code`), ascending.
    entries: Box<[(u32, u32)]>,
}

impl Precise {
    /// The index in [`Precise::code`] of the copy of the merged charge at `head`.
    pub(crate) fn copy_of(&self, head: usize) -> usize {
        let i = self.entries.partition_point(|&(h, _)| (h as usize) < head);
        debug_assert_eq!(
            self.entries[i].0 as usize, head,
            "a merged charge has a copy"
        );
        self.entries[i].1 as usize
    }
}

impl CompiledFunc {
    /// The gas prepaid by a merged charge for metered blocks that a trap at `pc` keeps from
    /// running.
    pub(crate) fn refund_at(&self, pc: usize) -> u64 {
        let pc = pc as u32;
        let i = self.refunds.partition_point(|&(_, end, _)| end <= pc);
        match self.refunds.get(i) {
            Some(&(start, _, refund)) if start <= pc => refund,
            _ => 0,
        }
    }

    /// The code with precise copies of its merged charges (see [`Precise`]), built on the
    /// first call: linear in the size of the code, and at most once per translated function.
    pub(crate) fn precise(&self) -> &Precise {
        self.precise.get_or_init(|| {
            let mut code = self.code.to_vec();
            let mut entries = Vec::new();
            // The instruction at `pc` as the translator made it, before any pair was fused.
            let unfused = |pc: usize| match self
                .straddles
                .binary_search_by_key(&(pc as u32), |&(at, _)| at)
            {
                Ok(i) => self.straddles[i].1,
                Err(_) => self.code[pc],
            };
            let mut g = 0;
            while g < self.groups.len() {
                let head = self.groups[g].0 as usize - 1;
                let Op::ConsumeGasGroup { blocks, .. } = self.code[head] else {
                    unreachable!(
                        "a merged block follows its charge, not {:?}",
                        self.code[head]
                    )
                };
                let group = &self.groups[g..g + usize::from(blocks)];
                entries.push((head as u32, code.len() as u32));
                for (j, &(start, amount)) in group.iter().enumerate() {
                    code.push(Op::ConsumeGas { amount });
                    match group.get(j + 1) {
                        Some(&(end, _)) => code.extend((start..end).map(|pc| unfused(pc as usize))),
                        None => code.push(Op::Br {
                            offset: start as i32 - code.len() as i32,
                        }),
                    }
                }
                g += group.len();
            }
            Precise {
                code: code.into(),
                entries: entries.into(),
            }
        })
    }
}

/// Whether `op` is a branch on an `i32` being zero or not, plain or charging both ways: the
/// branches that may test the integer accumulator (`Op::with_ia`).
fn tests_zero(op: &Op) -> bool {
    matches!(
        op,
        Op::BrIfNez { .. }
            | Op::BrIfEqz { .. }
            | Op::BrI32Nez { .. }
            | Op::BrI32Eqz { .. }
            | Op::BrIfNezGasFall { .. }
            | Op::BrIfEqzGasFall { .. }
            | Op::BrI32NezGasFall { .. }
            | Op::BrI32EqzGasFall { .. }
    )
}

/// Whether a metered block that ends after the operator of `step` may share a merged charge
/// with the block that starts right after it: the operator can trap but has no other effect
/// on control or gas (a load, a store, an integer division or remainder, `global.set`).
fn ends_block_simply(step: &gauge_metering::Step) -> bool {
    use gauge_metering::Class;
    // One shift and mask instead of a `match` on every operator.
    const SIMPLE: u32 = 1 << Class::Load as u32
        | 1 << Class::Store as u32
        | 1 << Class::IntDiv as u32
        | 1 << Class::Global as u32;
    const _: () = assert!(Class::ALL.len() <= 32, "classes fit the mask");
    step.ends & (SIMPLE >> step.class as u32 & 1 != 0)
}

const NONE: u32 = u32::MAX;

/// Most distinct constants a function's pool holds; later constants become `Const` ops.
/// Bounds the work of a pool lookup and of each call's frame set-up.
const POOL_MAX: usize = 32;

/// During translation, pool slot `k` is named `POOL_MARK + k`; [`FuncTranslator::finish_pool`]
/// renumbers it once the pool's size is known. Far above any real slot: a frame has at most
/// 50,000 locals and one operand-stack slot per byte of a body of a few MB.
const POOL_MARK: Slot = 0xC000_0000;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// The value lives in its own operand-stack slot.
    Temp,
    /// The value is the current value of this local.
    Local(u32),
    /// The value is this constant (raw slot bits).
    Const(u64),
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    kind: Kind,
    /// For `Local` entries: position of the next lower entry of the same local, or `NONE`.
    prev_same_local: u32,
}

/// A branch condition: a slot holding an i32, or a comparison to fuse into the branch.
#[derive(Debug, Clone, Copy)]
enum Cond {
    Slot(Slot),
    Fused(Op),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum CtrlKind {
    Block,
    Loop,
    If,
    Else,
}

#[derive(Debug)]
struct Ctrl {
    kind: CtrlKind,
    /// Operand-stack height at entry, below the block's parameters.
    height: u32,
    params: u32,
    results: u32,
    /// The branch target: end of block/if, start of loop. `NONE` for the function body.
    label: u32,
    /// For `if`: where the false branch starts.
    else_label: u32,
    /// The block was entered in unreachable code: nothing inside is translated.
    dead: bool,
}

impl Ctrl {
    /// Number of values a branch to this frame carries.
    fn branch_arity(&self) -> u32 {
        if self.kind == CtrlKind::Loop {
            self.params
        } else {
            self.results
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Label {
    Pinned(u32),
    /// Not yet placed: head of its fixup list in `fixups`, and whether anything branches here.
    Unpinned {
        head: u32,
        used: bool,
    },
}

/// Reusable translation state; one per module compilation, reused across functions.
#[derive(Default)]
pub(crate) struct FuncTranslator {
    code: Vec<Op>,
    stack: Vec<Entry>,
    ctrl: Vec<Ctrl>,
    labels: Vec<Label>,
    /// Where labels were pinned, in code order: the instructions a jump may land on (the final
    /// pass keeps the float accumulator from being read there).
    targets: Vec<u32>,
    /// Fixup list nodes: (instruction to patch, next node).
    fixups: Vec<(u32, u32)>,
    /// Per local: position + 1 of the topmost entry referencing it (0 = none).
    local_heads: Vec<u32>,
    /// Locals whose `local_heads` entry may be non-zero.
    touched: Vec<u32>,
    /// Positions of entries that were pushed as lazy locals, ascending (may be stale).
    lazy: Vec<u32>,
    num_locals: u32,
    max_height: u32,
    /// The constant pool: values that constants read inside loops take from frame slots, set
    /// once on entry, instead of a `Const` instruction on every iteration. The pool sits right
    /// after the declared locals; the operand-stack slots follow it.
    pool: Vec<u64>,
    /// Number of open `loop`s.
    loop_depth: u32,
    reachable: bool,
    /// Index of the last instruction if it wrote its single result into the top temporary.
    last_result: Option<usize>,
    /// Function results (for returns).
    num_results: u32,
    /// The open merged charge: index of its first `ConsumeGas`.
    group_head: Option<usize>,
    /// Its metered blocks: (index of the block's first instruction, static cost).
    group_blocks: Vec<(u32, u64)>,
    /// Trap refunds of this function (see [`CompiledFunc::refunds`]).
    refunds: Vec<(u32, u32, u64)>,
    /// The blocks of its merged charges (see [`CompiledFunc::groups`]).
    groups: Vec<(u32, u64)>,
    /// Fused instructions that straddle a merged block's start (see
    /// [`CompiledFunc::straddles`]).
    straddles: Vec<(u32, Op)>,
    /// Units of work done so far (with the `step-counter` feature).
    #[cfg(feature = "step-counter")]
    pub(crate) steps: u64,
}

type FuncValidatorT = FuncValidator<ValidatorResources>;

/// Count `n` units of translation work (only with the `step-counter` feature).
///
/// Counted: operators, conversions of lazy entries into temporaries, branch fix-ups, `br_table`
/// targets, per-local bookkeeping. Not counted: moves and pushes whose number is a block or
/// function type's arity (at most 1,000 per operator, the same work the validator does for the
/// same operator).
macro_rules! count {
    ($self:ident, $n:expr) => {
        #[cfg(feature = "step-counter")]
        {
            $self.steps += $n as u64;
        }
    };
}

impl FuncTranslator {
    /// Validate and translate one function body in a single pass.
    pub(crate) fn translate(
        &mut self,
        ctx: &ModuleCtx<'_>,
        func_index: u32,
        body: &FunctionBody<'_>,
        validator: &mut FuncValidatorT,
    ) -> Result<CompiledFunc, Error> {
        let ty = ctx.func_type(func_index);
        let num_params = ty.params().len() as u32;
        let num_results = ty.results().len() as u32;

        // Locals: count them, never materialize them one by one.
        let mut reader = body.get_binary_reader();
        let mut num_locals = num_params;
        for _ in 0..reader.read_var_u32()? {
            let offset = reader.original_position();
            let count = reader.read_var_u32()?;
            let ty: wasmparser::ValType = reader.read()?;
            if !ctx.floats && matches!(ty, wasmparser::ValType::F32 | wasmparser::ValType::F64) {
                return Err(Error::invalid("float types are disabled", offset as usize));
            }
            validator.define_locals(offset, count, ty)?;
            num_locals = num_locals.saturating_add(count);
        }
        self.reset(num_locals, num_results);
        let mut meter = ctx
            .gas
            .map(|s| gauge_metering::FuncMeter::new(s, num_locals));
        // The open charge (index of its `ConsumeGas`), and the function's entry charge.
        let mut entry_charge: Option<usize> = None;
        // Whether the previous operator ended its metered block "simply" (see
        // `ends_block_simply`), so that a block opening now may join the open merged charge.
        let mut after_simple_end = false;
        // The cost of the operators of the open block not yet added to its amount (the last
        // of `group_blocks`): summed here, in a register, and added when a block opens and
        // at the end; dropped where no charge is open (dead code).
        let mut amount: u64 = 0;

        let mut ops = wasmparser::OperatorsReader::new(reader);
        while !ops.eof() {
            // The operator is used where the reader left it, not moved out of the `Result`:
            // moving it read its 16 bytes back with wider loads than the reader had written
            // them with, a store-forwarding stall on every operator.
            let offset = ops.original_position();
            let read = ops.read();
            let op = match &read {
                Ok(op) => op,
                Err(e) => return Err(e.clone().into()),
            };
            validator.op(offset, op)?;
            count!(self, 1);
            if !ctx.floats && is_float_op(op) {
                return Err(Error::invalid(
                    "float instructions are disabled",
                    offset as usize,
                ));
            }
            // Wasm 2.0 encodes the memory index of `memory.size`/`memory.grow` as exactly one
            // zero byte; wasmparser also accepts the longer multi-memory encodings.
            if matches!(
                op,
                Operator::MemorySize { .. } | Operator::MemoryGrow { .. }
            ) && ops.original_position() - offset != 2
            {
                return Err(Error::invalid("zero byte expected", offset as usize));
            }
            if let Some(meter) = &mut meter {
                let Some(step) = meter.try_step(op) else {
                    return Err(Error::invalid(
                        format!("no gas cost for {op:?}"),
                        offset as usize,
                    ));
                };
                meter.observe_height(validator.operand_stack_height());
                if step.open {
                    self.add_to_open_block(core::mem::take(&mut amount));
                    if self.reachable
                        && after_simple_end
                        && self.group_head.is_some()
                        && self.group_blocks.len() < usize::from(u16::MAX)
                    {
                        // The block follows a simple block end without a branch target in
                        // between: it joins the open merged charge (of at most `u16::MAX`
                        // blocks, `Op::ConsumeGasGroup::blocks`).
                        self.group_blocks.push((self.code.len() as u32, 0));
                    } else {
                        self.close_group();
                        // Dead code never runs: its charges are not emitted.
                        if self.reachable {
                            let at = self.emit(Op::ConsumeGas { amount: 0 });
                            self.group_head = Some(at);
                            self.group_blocks.push((at as u32 + 1, 0));
                            if entry_charge.is_none() {
                                entry_charge = Some(at);
                            }
                        }
                    }
                }
                amount += step.cost;
                after_simple_end = ends_block_simply(&step);
            }
            self.op(ctx, op).map_err(|e| match e {
                Error::Invalid { message, .. } => Error::invalid(message, offset as usize),
                e => e,
            })?;
        }
        ops.finish()?;
        // The executor relies on this: execution never falls off the end of the code.
        debug_assert!(
            matches!(
                self.code.last(),
                Some(
                    Op::Return
                        | Op::ReturnSlot { .. }
                        | Op::ReturnSpan { .. }
                        | Op::Br { .. }
                        | Op::Trap { .. }
                )
            ),
            "function code must end in a return, branch or trap"
        );
        self.add_to_open_block(amount);
        self.close_group();
        if let (Some(meter), Some(at)) = (meter, entry_charge) {
            let frame = meter.finish();
            match &mut self.code[at] {
                Op::ConsumeGas { amount } => *amount += frame,
                Op::ConsumeGasGroup { first, total, .. } => {
                    *total = total.saturating_add(frame);
                    // The entry block is the group's first.
                    self.groups[*first as usize].1 += frame;
                }
                other => unreachable!("entry charge is {other:?}"),
            }
        }
        self.finish_pool();

        let frame_size = num_locals
            .saturating_add(self.pool.len() as u32)
            .saturating_add(self.max_height);
        // The executor reads and writes slots unchecked: every slot named must be in the frame
        // (a span's first slot may be its end, as the base of a call without arguments).
        #[cfg(debug_assertions)]
        for op in &self.code {
            op.clone().for_each_slot_mut(|s| {
                assert!(*s <= frame_size, "{op:?} names a slot past {frame_size}")
            });
        }
        self.final_pass(frame_size, ctx.gas.is_some());
        // Copied out at its exact size: the buffer keeps its capacity for the next function,
        // instead of growing from nothing again (reallocations and fresh pages per function).
        let code: Box<[Op]> = self.code.as_slice().into();
        Ok(CompiledFunc {
            code,
            num_params,
            num_locals,
            num_results,
            frame_size,
            pool: self.pool.as_slice().into(),
            refunds: self.refunds.as_slice().into(),
            groups: self.groups.as_slice().into(),
            straddles: self.straddles.as_slice().into(),
            precise: std::sync::OnceLock::new(),
        })
    }

    /// Add `amount` to the open block's charge, if a charge is open.
    fn add_to_open_block(&mut self, amount: u64) {
        if self.group_head.is_some()
            && let Some((_, open)) = self.group_blocks.last_mut()
        {
            *open += amount;
        }
    }

    /// Close the open merged charge. A single block keeps its plain `ConsumeGas`. Several
    /// blocks (each but the last ending simply, e.g. in a load) get one `ConsumeGasGroup` for
    /// all of them, which falls back, when the gas left does not cover them all, to a precise
    /// copy of their code with one charge per block (made by the executor, from the blocks
    /// recorded here, if it is ever needed: [`CompiledFunc::precise`]); a trap in a block
    /// that is not the last gives back what was prepaid for the blocks after it. Observable
    /// gas is exactly that of one charge per block (`docs/gas.md`).
    fn close_group(&mut self) {
        let Some(head) = self.group_head.take() else {
            return;
        };
        let blocks = &self.group_blocks;
        count!(self, blocks.len());
        if let [(_, amount)] = blocks[..] {
            self.code[head] = Op::ConsumeGas { amount };
        } else {
            let total = blocks.iter().fold(0u64, |t, b| t.saturating_add(b.1));
            self.code[head] = Op::ConsumeGasGroup {
                blocks: blocks.len() as u16,
                first: self.groups.len() as u32,
                total,
            };
            self.groups.extend_from_slice(blocks);
            let mut prepaid_after = total - blocks[0].1;
            for w in blocks.windows(2) {
                let ((start, _), (end, next_amount)) = (w[0], w[1]);
                debug_assert!(
                    self.code[start as usize..end as usize]
                        .iter()
                        .all(|op| !matches!(
                            op,
                            Op::Br { .. }
                                | Op::BrTable { .. }
                                | Op::Return
                                | Op::ReturnSlot { .. }
                                | Op::ReturnSpan { .. }
                                | Op::Call { .. }
                                | Op::CallInternal { .. }
                                | Op::CallIndirect { .. }
                                | Op::ConsumeGas { .. }
                        )),
                    "a merged block must be straight-line code"
                );
                self.refunds.push((start, end, prepaid_after));
                prepaid_after = prepaid_after.saturating_sub(next_amount);
            }
        }
        self.group_blocks.clear();
    }

    /// The final pass over a function's code, once it is final (offsets resolved, charges
    /// complete). With metering, every branch that lands on a gas charge
    /// of at most `u16::MAX` charges it itself ([`Op::BrGas`] and its twins), so that a loop's
    /// back edge, say, runs one instruction instead of two; the charge stays where it is, for
    /// the code that falls into it and for when the gas left does not cover it. And frequent
    /// pairs of consecutive instructions become one that does both and goes on after the pair
    /// ([`Op::fuse`]), left to right, each instruction in at most one pair, in frames whose
    /// slots fit 16 bits; the second instruction stays in place, so a jump to it still runs it
    /// alone. A pair may end in a branch (`I32EqBrNez`): that branch gets its charging twin
    /// before the pair is made, so the pair charges as well. A pair whose second instruction
    /// starts a merged block keeps its first instruction in `straddles`, for the precise copy
    /// that charges that block alone. One table lookup rejects every other instruction
    /// (`FINAL_PASS_OPS`).
    fn final_pass(&mut self, frame_size: u32, metered: bool) {
        let fuse = frame_size <= u32::from(u16::MAX);
        count!(self, self.code.len());
        // The next merged block that starts after another one's end (the end of a refund
        // range), for the pairs that straddle it (`CompiledFunc::straddles`).
        let mut next_end = 0;
        // The slot whose value the float accumulator holds when the instruction at `at` is
        // reached from the one before it (`Op::fa_dst`), and the first label at or after `at`.
        let mut fa: Option<Slot> = None;
        // The same for the integer accumulator (`Op::ia_dst`).
        let mut ia: Option<Slot> = None;
        let mut next_label = 0;
        debug_assert!(self.targets.is_sorted(), "labels are pinned in code order");
        let mut at = 0;
        while at < self.code.len() {
            let op = self.code[at];
            let pass = crate::ir::FINAL_PASS_OPS[op.code() as usize];
            let ia_before = ia.take();
            if pass == 0 {
                fa = None;
                at += 1;
                continue;
            }
            if pass & crate::ir::PASS_FUSE == 0 {
                // No pair, triple or charge begins here: only the accumulators. (An
                // instruction that may begin a pair reads the integer accumulator below, if
                // no pair forms: a pair takes the value on in its handler and saves a
                // dispatch besides.)
                if pass & crate::ir::PASS_IA_READ != 0
                    && let Some(slot) = ia_before
                    && self.reads_ia(at, slot, &mut next_label)
                {
                    fa = None;
                } else if pass & crate::ir::PASS_FA != 0 {
                    // Read the operand from the accumulator, unless a jump may land here.
                    if let Some(slot) = fa.take()
                        && let Some(reading) = op.with_fa(slot)
                        && !self.lands(at, &mut next_label)
                    {
                        self.code[at] = reading;
                        fa = reading.fa_dst();
                    } else {
                        fa = self.fa_load(at, 1).or_else(|| op.fa_dst());
                    }
                } else {
                    fa = None;
                }
                if pass & crate::ir::PASS_IA != 0 && self.next_reads_ia(at) {
                    ia = self.code[at].ia_dst();
                }
                at += 1;
                continue;
            }
            if pass & crate::ir::PASS_FA != 0 {
                // Read the operand from the accumulator, unless a jump may land here.
                if let Some(slot) = fa.take()
                    && let Some(reading) = op.with_fa(slot)
                    && !self.lands(at, &mut next_label)
                {
                    self.code[at] = reading;
                    fa = reading.fa_dst();
                    at += 1;
                    continue;
                }
            } else {
                fa = None;
            }
            if op.chargeable_branch_offset().is_some() {
                if metered {
                    self.charge_branch(at);
                    self.charge_fall(at, 1);
                }
                // The branch, charging or not, may test the accumulator.
                if let Some(slot) = ia_before
                    && tests_zero(&self.code[at])
                {
                    self.reads_ia(at, slot, &mut next_label);
                }
                at += 1;
                continue;
            }
            if fuse && let Op::I32Store8 { offset: 0, .. } = op {
                // A byte loop's tail (`Op::fuse3`): its back edge charges first, as a pair's
                // branch does; the step and the branch are then looked at as usual, for jumps
                // to them. Only an unconditional `Br` ends the triple: a conditional branch
                // made its charging twin here, with no triple formed, would miss its
                // fall-through charge (twins are not looked at again).
                if metered && matches!(self.code.get(at + 2), Some(Op::Br { .. })) {
                    self.charge_branch(at + 2);
                }
                if let (Some(next), Some(third)) = (self.code.get(at + 1), self.code.get(at + 2))
                    && let Some(fused) = op.fuse3(next, third)
                {
                    self.straddle(&mut next_end, at, 3, op);
                    self.code[at] = fused;
                    at += 1;
                    continue;
                }
            }
            if fuse && at + 1 < self.code.len() {
                // A branch that ends a pair charges first, so that the pair charges too.
                let charged = metered
                    && crate::ir::FINAL_PASS_OPS[self.code[at + 1].code() as usize]
                        & crate::ir::PASS_FUSE
                        != 0;
                if charged {
                    self.charge_branch(at + 1);
                }
                if let Some(fused) = op.fuse(&self.code[at + 1]) {
                    self.straddle(&mut next_end, at, 2, op);
                    self.code[at] = fused;
                    if metered {
                        // A pair ending in a branch pays the charge it falls into, and so does
                        // the branch, for jumps to it.
                        self.charge_fall(at, 2);
                        self.charge_fall(at + 1, 1);
                    }
                    fa = self.fa_load(at, 2).or_else(|| fused.fa_dst());
                    at += 2;
                    continue;
                }
                if charged {
                    // No pair: a branch that became its charging twin is not looked at again
                    // (the twins have no `FINAL_PASS_OPS` entry), so it pays the charge it
                    // falls into now, and may test the accumulator.
                    self.charge_fall(at + 1, 1);
                    if tests_zero(&self.code[at + 1])
                        && let Some(slot) = op.ia_dst()
                    {
                        self.reads_ia(at + 1, slot, &mut next_label);
                    }
                }
            }
            if pass & crate::ir::PASS_IA_READ != 0
                && let Some(slot) = ia_before
                && self.reads_ia(at, slot, &mut next_label)
            {
                fa = None;
            } else if pass & crate::ir::PASS_FA != 0 {
                // A load that begins no pair may still hand its value to the accumulator.
                fa = self.fa_load(at, 1).or_else(|| op.fa_dst());
            }
            if pass & crate::ir::PASS_IA != 0 && self.next_reads_ia(at) {
                ia = self.code[at].ia_dst();
            }
            at += 1;
        }
    }

    /// Whether the instruction after `at` may read the integer accumulator (only then is it
    /// worth asking what the one at `at` leaves there).
    fn next_reads_ia(&self, at: usize) -> bool {
        self.code.get(at + 1).is_some_and(|next| {
            crate::ir::FINAL_PASS_OPS[next.code() as usize] & crate::ir::PASS_IA_READ != 0
        })
    }

    /// Make the instruction at `at` read its operand in slot `slot` from the integer
    /// accumulator, where it has such a form (`Op::with_ia`) and no jump lands on it; whether
    /// it did.
    fn reads_ia(&mut self, at: usize, slot: Slot, next_label: &mut usize) -> bool {
        match self.code[at].with_ia(slot) {
            Some(reading) if !self.lands(at, next_label) => {
                self.code[at] = reading;
                true
            }
            _ => false,
        }
    }

    /// Whether a jump may land at `at` (a label is pinned there); `next` indexes the first
    /// label at or after the `at` of the previous call, and moves on (`at` only grows).
    fn lands(&self, at: usize, next: &mut usize) -> bool {
        while self.targets.get(*next).is_some_and(|&t| (t as usize) < at) {
            *next += 1;
        }
        self.targets.get(*next) == Some(&(at as u32))
    }

    /// Keep `op`, the instruction at `at` before it was fused with the `len - 1` after it, in
    /// `straddles` if a merged block starts at one of those; `next_end` indexes the first
    /// refund range that may end at or after `at`, and moves on.
    fn straddle(&mut self, next_end: &mut usize, at: usize, len: usize, op: Op) {
        while self
            .refunds
            .get(*next_end)
            .is_some_and(|&(_, end, _)| (end as usize) <= at)
        {
            *next_end += 1;
        }
        if self
            .refunds
            .get(*next_end)
            .is_some_and(|&(_, end, _)| (end as usize) < at + len)
        {
            self.straddles.push((at as u32, op));
        }
    }

    /// When the instruction at `at` is a load of 8 bytes (see [`Op::fa_load`]) and the one `next`
    /// after it reads the loaded value in a form that takes it from the float accumulator,
    /// make the load its twin that leaves the value there too, and return the value's slot.
    /// The second half of a fused load, which a jump may run alone, becomes a twin as well.
    fn fa_load(&mut self, at: usize, next: usize) -> Option<Slot> {
        let load = self.code[at].fa_load()?;
        let slot = load.fa_dst()?;
        self.code.get(at + next)?.with_fa(slot)?;
        if next == 2 {
            self.code[at + 1] = self.code[at + 1].fa_load()?;
        }
        self.code[at] = load;
        Some(slot)
    }

    /// Make the conditional branch at `at`, whose fall-through goes `next` instructions on (1,
    /// or 2 for a fused pair), pay the gas charge there, if there is one of at most
    /// `u16::MAX` ([`Op::with_fall`]).
    fn charge_fall(&mut self, at: usize, next: usize) {
        let fall = match self.code.get(at + next) {
            Some(&Op::ConsumeGas { amount }) => amount,
            Some(&Op::ConsumeGasGroup { total, .. }) => total,
            _ => return,
        };
        if let Ok(fall) = u16::try_from(fall)
            && let Some(falling) = self.code[at].with_fall(fall)
        {
            self.code[at] = falling;
        }
    }

    /// Make the branch at `at` its charging twin if it lands on a gas charge of at most
    /// `u16::MAX` (see [`FuncTranslator::final_pass`]); anything else stays as it is.
    fn charge_branch(&mut self, at: usize) {
        let op = self.code[at];
        let Some(offset) = op.chargeable_branch_offset() else {
            return;
        };
        let amount = match self.code.get(at.wrapping_add_signed(offset as isize)) {
            Some(&Op::ConsumeGas { amount }) => amount,
            Some(&Op::ConsumeGasGroup { total, .. }) => total,
            _ => u64::MAX,
        };
        if let Ok(charge) = u16::try_from(amount)
            && let Some(charging) = op.with_charge(charge)
        {
            self.code[at] = charging;
        }
    }

    fn reset(&mut self, num_locals: u32, num_results: u32) {
        count!(self, self.touched.len() + 1);
        self.code.clear();
        self.stack.clear();
        self.ctrl.clear();
        self.labels.clear();
        self.targets.clear();
        self.fixups.clear();
        for &l in &self.touched {
            if let Some(h) = self.local_heads.get_mut(l as usize) {
                *h = 0;
            }
        }
        self.touched.clear();
        self.lazy.clear();
        self.num_locals = num_locals;
        self.max_height = 0;
        self.pool.clear();
        self.loop_depth = 0;
        self.reachable = true;
        self.last_result = None;
        self.num_results = num_results;
        self.group_head = None;
        self.group_blocks.clear();
        self.refunds.clear();
        self.groups.clear();
        self.straddles.clear();
        self.ctrl.push(Ctrl {
            kind: CtrlKind::Block,
            height: 0,
            params: 0,
            results: num_results,
            label: NONE,
            else_label: NONE,
            dead: false,
        });
    }

    // ---- emission helpers ----

    fn emit(&mut self, op: Op) -> usize {
        self.code.push(op);
        self.last_result = None;
        self.code.len() - 1
    }

    fn height(&self) -> u32 {
        self.stack.len() as u32
    }

    fn temp_slot(&self, pos: u32) -> Slot {
        self.num_locals + pos
    }

    fn push(&mut self, kind: Kind) {
        let pos = self.height();
        let mut prev = NONE;
        if let Kind::Local(l) = kind {
            let l = l as usize;
            if l >= self.local_heads.len() {
                // Grows to at most the largest local index used: bounded by the code size.
                count!(self, l + 1 - self.local_heads.len());
                self.local_heads.resize(l + 1, 0);
            }
            prev = self.local_heads[l].wrapping_sub(1);
            if self.local_heads[l] == 0 {
                self.touched.push(l as u32);
            }
            self.local_heads[l] = pos + 1;
            self.lazy.push(pos);
        }
        self.stack.push(Entry {
            kind,
            prev_same_local: prev,
        });
        self.max_height = self.max_height.max(pos + 1);
    }

    /// Push a temporary that `op` writes, and remember it for retargeting.
    fn push_result(&mut self, op: Op) {
        let idx = self.emit(op);
        self.push(Kind::Temp);
        self.last_result = Some(idx);
    }

    /// Remove the top entry, unlinking it from the lazy lists.
    fn pop_entry(&mut self) -> Entry {
        let e = self
            .stack
            .pop()
            .expect("validated: operand stack underflow");
        let pos = self.height();
        if let Kind::Local(l) = e.kind {
            self.local_heads[l as usize] = e.prev_same_local.wrapping_add(1);
        }
        while self.lazy.last().is_some_and(|&p| p >= pos) {
            self.lazy.pop();
        }
        e
    }

    /// Pop the top entry and return the slot its value can be read from. A constant is first
    /// written into the entry's own slot.
    fn pop_slot(&mut self) -> Slot {
        let pos = self.height() - 1;
        let e = self.pop_entry();
        match e.kind {
            Kind::Temp => self.temp_slot(pos),
            Kind::Local(l) => l,
            Kind::Const(value) => {
                if self.loop_depth > 0 {
                    // Inside a loop: read the value from the pool.
                    count!(self, self.pool.len());
                    if let Some(k) = self.pool.iter().position(|&v| v == value) {
                        return POOL_MARK + k as u32;
                    }
                    if self.pool.len() < POOL_MAX {
                        self.pool.push(value);
                        return POOL_MARK + self.pool.len() as u32 - 1;
                    }
                }
                let dst = self.temp_slot(pos);
                self.emit(Op::Const { dst, value });
                dst
            }
        }
    }

    /// Give the pool its slots (right after the locals) and move the operand-stack slots
    /// above it.
    ///
    /// Every slot an instruction names is a local (below `num_locals`, kept), an
    /// operand-stack slot (moved up by the pool's size) or a pool slot (`POOL_MARK + k`).
    /// The result slots `0..num_results` are named only implicitly, by the `Return*`
    /// instructions, so that results beyond the locals are not mistaken for operand slots.
    fn finish_pool(&mut self) {
        let (locals, n) = (self.num_locals, self.pool.len() as u32);
        if n == 0 {
            return;
        }
        count!(self, self.code.len());
        for op in &mut self.code {
            op.for_each_slot_mut(|s| {
                if *s >= POOL_MARK {
                    *s = locals + (*s - POOL_MARK);
                } else if *s >= locals {
                    *s += n;
                }
            });
        }
    }

    /// Write the value of `kind` into `dst` (nothing if it is already there).
    fn emit_move(&mut self, dst: Slot, kind: Kind, pos: u32) {
        match kind {
            Kind::Temp => {
                let src = self.temp_slot(pos);
                if src != dst {
                    self.emit(Op::Copy { dst, src });
                }
            }
            Kind::Local(l) => {
                if l != dst {
                    self.emit(Op::Copy { dst, src: l });
                }
            }
            Kind::Const(value) => {
                self.emit(Op::Const { dst, value });
            }
        }
    }

    /// Turn the top `n` entries into temporaries in their own slots.
    fn materialize_top(&mut self, n: u32) {
        let h = self.height();
        // Top-down, so every lazy local entry met is the head of its local's list.
        for pos in (h - n..h).rev() {
            let e = self.stack[pos as usize];
            if e.kind == Kind::Temp {
                continue;
            }
            count!(self, 1);
            if let Kind::Local(l) = e.kind {
                debug_assert_eq!(self.local_heads[l as usize], pos + 1);
                self.local_heads[l as usize] = e.prev_same_local.wrapping_add(1);
            }
            self.emit_move(self.temp_slot(pos), e.kind, pos);
            self.stack[pos as usize] = Entry {
                kind: Kind::Temp,
                prev_same_local: NONE,
            };
        }
    }

    /// Materialize every lazy local entry (before control flow that could change a local).
    fn materialize_lazy_locals(&mut self) {
        let lazy = std::mem::take(&mut self.lazy);
        count!(self, lazy.len());
        for &pos in &lazy {
            let e = self.stack[pos as usize];
            if let Kind::Local(l) = e.kind {
                self.emit(Op::Copy {
                    dst: self.temp_slot(pos),
                    src: l,
                });
                self.stack[pos as usize] = Entry {
                    kind: Kind::Temp,
                    prev_same_local: NONE,
                };
                self.local_heads[l as usize] = 0;
            }
        }
        self.lazy = lazy;
        self.lazy.clear();
    }

    /// Before local `l` is written: materialize the entries still referencing its old value.
    fn preserve_local(&mut self, l: u32) {
        let Some(&head) = self.local_heads.get(l as usize) else {
            return;
        };
        let mut pos = head.wrapping_sub(1);
        while pos != NONE {
            count!(self, 1);
            let e = self.stack[pos as usize];
            debug_assert_eq!(e.kind, Kind::Local(l));
            self.emit(Op::Copy {
                dst: self.temp_slot(pos),
                src: l,
            });
            self.stack[pos as usize] = Entry {
                kind: Kind::Temp,
                prev_same_local: NONE,
            };
            pos = e.prev_same_local;
        }
        self.local_heads[l as usize] = 0;
    }

    // ---- labels ----

    fn new_label(&mut self) -> u32 {
        self.labels.push(Label::Unpinned {
            head: NONE,
            used: false,
        });
        self.labels.len() as u32 - 1
    }

    fn pin_label(&mut self, label: u32) {
        let target = self.code.len() as u32;
        if let Label::Unpinned { mut head, .. } = self.labels[label as usize] {
            while head != NONE {
                count!(self, 1);
                let (at, next) = self.fixups[head as usize];
                self.code[at as usize].set_branch_offset(target as i32 - at as i32);
                head = next;
            }
        }
        self.labels[label as usize] = Label::Pinned(target);
        self.targets.push(target);
        self.last_result = None;
    }

    fn label_used(&self, label: u32) -> bool {
        matches!(
            self.labels[label as usize],
            Label::Unpinned { used: true, .. }
        )
    }

    /// Emit a branch instruction targeting `label`, patching now or recording a fixup.
    fn emit_branch(&mut self, op: Op, label: u32) {
        let at = self.emit(op);
        self.bind_branch(at, label);
    }

    fn bind_branch(&mut self, at: usize, label: u32) {
        match &mut self.labels[label as usize] {
            Label::Pinned(target) => {
                let off = *target as i32 - at as i32;
                self.code[at].set_branch_offset(off);
            }
            Label::Unpinned { head, used } => {
                self.fixups.push((at as u32, *head));
                *head = self.fixups.len() as u32 - 1;
                *used = true;
            }
        }
    }

    // ---- control helpers ----

    fn block_arity(&self, ctx: &ModuleCtx<'_>, bt: BlockType) -> (u32, u32) {
        match bt {
            BlockType::Empty => (0, 0),
            BlockType::Type(_) => (0, 1),
            BlockType::FuncType(t) => {
                let ft = &ctx.types[t as usize];
                (ft.params().len() as u32, ft.results().len() as u32)
            }
        }
    }

    fn push_dead(&mut self) {
        self.ctrl.push(Ctrl {
            kind: CtrlKind::Block,
            height: self.height(),
            params: 0,
            results: 0,
            label: NONE,
            else_label: NONE,
            dead: true,
        });
    }

    /// Emit the moves that place the top `n` values where a branch to `depth` expects them,
    /// then the branch (or the return, for the function frame). Leaves the stack as is.
    fn emit_branch_to(&mut self, depth: u32) {
        let idx = self.ctrl.len() - 1 - depth as usize;
        if idx == 0 {
            self.emit_return();
            return;
        }
        let (n, base, label) = {
            let c = &self.ctrl[idx];
            (c.branch_arity(), c.height, c.label)
        };
        self.emit_moves_to(base, n);
        self.emit_branch(Op::Br { offset: 0 }, label);
    }

    /// Copy the top `n` values to positions `base..base + n` (ascending; safe because
    /// `base + i` never exceeds the position of the value copied into it).
    fn emit_moves_to(&mut self, base: u32, n: u32) {
        let h = self.height();
        for i in 0..n {
            let pos = h - n + i;
            let kind = self.stack[pos as usize].kind;
            self.emit_move(self.temp_slot(base + i), kind, pos);
        }
    }

    /// Whether the top `n` values already sit in positions `base..base + n`.
    fn in_place(&self, base: u32, n: u32) -> bool {
        let h = self.height();
        (0..n).all(|i| h - n + i == base + i && self.stack[(h - n + i) as usize].kind == Kind::Temp)
    }

    /// Return the top `num_results` values. Leaves the stack as is.
    fn emit_return(&mut self) {
        let n = self.num_results;
        let h = self.height();
        match n {
            0 => {
                self.emit(Op::Return);
            }
            1 => {
                let pos = h - 1;
                let src = match self.stack[pos as usize].kind {
                    Kind::Temp => self.temp_slot(pos),
                    Kind::Local(l) => l,
                    Kind::Const(value) => {
                        // Through the value's own slot, not straight into slot 0: only the
                        // `Return*` instructions name the result slots, so that the pool's
                        // renumbering can tell every other slot apart (`finish_pool`).
                        let dst = self.temp_slot(pos);
                        self.emit(Op::Const { dst, value });
                        dst
                    }
                };
                self.emit(Op::ReturnSlot { src });
            }
            _ => {
                // Parallel move: go through the values' own slots, which lie at or above
                // their destinations.
                for i in 0..n {
                    let pos = h - n + i;
                    let kind = self.stack[pos as usize].kind;
                    if kind != Kind::Temp {
                        self.emit_move(self.temp_slot(pos), kind, pos);
                    }
                }
                self.emit(Op::ReturnSpan {
                    src: self.temp_slot(h - n),
                    len: n,
                });
            }
        }
    }

    /// Truncate the stack to `height` and push `n` temporaries (a merge point's results).
    fn reset_stack(&mut self, height: u32, n: u32) {
        while self.height() > height {
            self.pop_entry();
        }
        for _ in 0..n {
            self.push(Kind::Temp);
        }
    }

    // ---- operator families ----

    fn unary(&mut self, make: impl FnOnce(Slot, Slot) -> Op) {
        let src = self.pop_slot();
        let dst = self.temp_slot(self.height());
        self.push_result(make(dst, src));
    }

    fn binary(&mut self, make: impl FnOnce(Slot, Slot, Slot) -> Op) {
        let rhs = self.pop_slot();
        let lhs = self.pop_slot();
        let dst = self.temp_slot(self.height());
        self.push_result(make(dst, lhs, rhs));
    }

    /// The constant on top of the operand stack as an immediate, if it fits one: any i32, or
    /// an i64 in the i32 range (sign-extended back by the executor).
    fn imm_at(&self, depth: u32, wide: bool) -> Option<i32> {
        let pos = self.height().checked_sub(1 + depth)?;
        match self.stack[pos as usize].kind {
            Kind::Const(c) if !wide => Some(c as u32 as i32),
            Kind::Const(c) if c as i64 == c as i64 as i32 as i64 => Some(c as i64 as i32),
            _ => None,
        }
    }

    /// A binary operator with an immediate form: `make_imm` when the right operand is a
    /// constant that fits an immediate, `swapped` (the operator with its operands exchanged,
    /// for commutative operators and mirrored comparisons) when the left one is, else `make`.
    fn binary_imm(
        &mut self,
        wide: bool,
        make: impl FnOnce(Slot, Slot, Slot) -> Op,
        make_imm: fn(Slot, Slot, i32) -> Op,
        swapped: Option<fn(Slot, Slot, i32) -> Op>,
    ) {
        if let Some(imm) = self.imm_at(0, wide) {
            self.pop_entry();
            let lhs = self.pop_slot();
            let dst = self.temp_slot(self.height());
            self.push_result(make_imm(dst, lhs, imm));
        } else if let (Some(imm), Some(swapped)) = (self.imm_at(1, wide), swapped) {
            let rhs = self.pop_slot();
            self.pop_entry();
            let dst = self.temp_slot(self.height());
            self.push_result(swapped(dst, rhs, imm));
        } else {
            self.binary(make);
        }
    }

    fn load(&mut self, memarg: &wasmparser::MemArg, make: impl FnOnce(Slot, Slot, u32) -> Op) {
        let ptr = self.pop_slot();
        let dst = self.temp_slot(self.height());
        self.push_result(make(dst, ptr, memarg.offset as u32));
    }

    fn store(&mut self, memarg: &wasmparser::MemArg, make: impl FnOnce(Slot, Slot, u32) -> Op) {
        let src = self.pop_slot();
        let ptr = self.pop_slot();
        self.emit(make(ptr, src, memarg.offset as u32));
    }

    /// Materialize and pop the top `n` operands; returns the slot of the first.
    fn pop_span(&mut self, n: u32) -> Slot {
        self.materialize_top(n);
        for _ in 0..n {
            self.pop_entry();
        }
        self.temp_slot(self.height())
    }

    fn local_set(&mut self, l: u32, tee: bool) {
        let pos = self.height() - 1;
        let e = self.pop_entry();
        if e.kind == Kind::Local(l) {
            // `local.set x (local.get x)` changes nothing.
            if tee {
                self.push(Kind::Local(l));
            }
            return;
        }
        let has_refs = self.local_heads.get(l as usize).is_some_and(|&h| h != 0);
        let retarget = !has_refs
            && e.kind == Kind::Temp
            && self.last_result.is_some()
            && self.last_result == self.code.len().checked_sub(1)
            && self
                .code
                .last_mut()
                .and_then(|op| op.single_dst_mut())
                .map(|d| *d)
                == Some(self.temp_slot(pos));
        if retarget {
            let op = self.code.last_mut().expect("checked above");
            *op.single_dst_mut().expect("checked above") = l;
            self.last_result = None;
        } else {
            self.preserve_local(l);
            self.emit_move(l, e.kind, pos);
        }
        if tee {
            self.push(Kind::Local(l));
        }
    }

    fn call(&mut self, params: u32, results: u32, make: impl FnOnce(Slot) -> Op) {
        let base = self.pop_span(params);
        self.emit(make(base));
        for _ in 0..results {
            self.push(Kind::Temp);
        }
    }

    /// Translate one operator (already validated).
    fn op(&mut self, ctx: &ModuleCtx<'_>, op: &Operator<'_>) -> Result<(), Error> {
        use Operator as O;
        if !self.reachable {
            match op {
                O::Block { .. } | O::Loop { .. } | O::If { .. } => {
                    self.push_dead();
                    return Ok(());
                }
                O::Else | O::End => {}
                _ => return Ok(()),
            }
        }
        match *op {
            O::Unreachable => {
                self.emit(Op::Trap {
                    code: TrapCode::Unreachable,
                });
                self.reachable = false;
            }
            O::Nop => {}
            O::Block { blockty } => {
                let (params, results) = self.block_arity(ctx, blockty);
                self.materialize_lazy_locals();
                let label = self.new_label();
                self.ctrl.push(Ctrl {
                    kind: CtrlKind::Block,
                    height: self.height() - params,
                    params,
                    results,
                    label,
                    else_label: NONE,
                    dead: false,
                });
            }
            O::Loop { blockty } => {
                let (params, results) = self.block_arity(ctx, blockty);
                self.materialize_lazy_locals();
                self.materialize_top(params);
                let label = self.new_label();
                self.pin_label(label);
                self.loop_depth += 1;
                self.ctrl.push(Ctrl {
                    kind: CtrlKind::Loop,
                    height: self.height() - params,
                    params,
                    results,
                    label,
                    else_label: NONE,
                    dead: false,
                });
            }
            O::If { blockty } => {
                let (params, results) = self.block_arity(ctx, blockty);
                let cond = self.pop_cond();
                self.materialize_lazy_locals();
                self.materialize_top(params);
                let label = self.new_label();
                let else_label = self.new_label();
                self.emit_cond_branch(cond, false, else_label);
                self.ctrl.push(Ctrl {
                    kind: CtrlKind::If,
                    height: self.height() - params,
                    params,
                    results,
                    label,
                    else_label,
                    dead: false,
                });
            }
            O::Else => {
                let c = self.ctrl.last_mut().expect("validated");
                if c.dead {
                    return Ok(());
                }
                c.kind = CtrlKind::Else;
                let (height, params, results, label, else_label) =
                    (c.height, c.params, c.results, c.label, c.else_label);
                c.else_label = NONE;
                if self.reachable {
                    self.materialize_top(results);
                    self.emit_branch(Op::Br { offset: 0 }, label);
                }
                self.pin_label(else_label);
                self.reset_stack(height, params);
                self.reachable = true;
            }
            O::End => self.end()?,
            O::Br { relative_depth } => {
                self.emit_branch_to(relative_depth);
                self.reachable = false;
            }
            O::BrIf { relative_depth } => self.br_if(relative_depth),
            O::BrTable { ref targets } => self.br_table(targets)?,
            O::Return => {
                self.emit_return();
                self.reachable = false;
            }
            O::Call { function_index } => {
                let ft = ctx.func_type(function_index);
                let (p, r) = (ft.params().len() as u32, ft.results().len() as u32);
                match function_index.checked_sub(ctx.num_imported_funcs) {
                    Some(index) => self.call(p, r, |base| Op::CallInternal { index, base }),
                    None => self.call(p, r, |base| Op::Call {
                        func: function_index,
                        base,
                    }),
                }
            }
            O::CallIndirect {
                type_index,
                table_index,
            } => {
                let ft = &ctx.types[type_index as usize];
                let (p, r) = (ft.params().len() as u32, ft.results().len() as u32);
                // The table index sits right after the arguments.
                let base = self.pop_span(p + 1);
                self.emit(Op::CallIndirect {
                    base,
                    ty: type_index,
                    table: table_index,
                });
                for _ in 0..r {
                    self.push(Kind::Temp);
                }
            }
            O::Drop => {
                self.pop_entry();
            }
            O::Select | O::TypedSelect { .. } => {
                let cond = self.pop_slot();
                let rhs = self.pop_slot();
                self.materialize_top(1);
                self.pop_entry();
                let dst = self.temp_slot(self.height());
                self.push_result(Op::Select { dst, rhs, cond });
            }
            O::TypedSelectMulti { .. } => {
                return Err(Error::invalid("multi-value select is not supported", 0));
            }
            O::LocalGet { local_index } => self.push(Kind::Local(local_index)),
            O::LocalSet { local_index } => self.local_set(local_index, false),
            O::LocalTee { local_index } => self.local_set(local_index, true),
            O::GlobalGet { global_index } => {
                let dst = self.temp_slot(self.height());
                self.push_result(Op::GlobalGet {
                    dst,
                    global: global_index,
                });
            }
            O::GlobalSet { global_index } => {
                let src = self.pop_slot();
                self.emit(Op::GlobalSet {
                    src,
                    global: global_index,
                });
            }
            O::I32Load { memarg } | O::F32Load { memarg } => {
                self.load(&memarg, |dst, ptr, offset| Op::I32Load { dst, ptr, offset })
            }
            O::I64Load { memarg } | O::F64Load { memarg } => {
                self.load(&memarg, |dst, ptr, offset| Op::I64Load { dst, ptr, offset })
            }
            O::I32Load8S { memarg } => self.load(&memarg, |dst, ptr, offset| Op::I32Load8S {
                dst,
                ptr,
                offset,
            }),
            O::I32Load8U { memarg } => self.load(&memarg, |dst, ptr, offset| Op::I32Load8U {
                dst,
                ptr,
                offset,
            }),
            O::I32Load16S { memarg } => self.load(&memarg, |dst, ptr, offset| Op::I32Load16S {
                dst,
                ptr,
                offset,
            }),
            O::I32Load16U { memarg } => self.load(&memarg, |dst, ptr, offset| Op::I32Load16U {
                dst,
                ptr,
                offset,
            }),
            O::I64Load8S { memarg } => self.load(&memarg, |dst, ptr, offset| Op::I64Load8S {
                dst,
                ptr,
                offset,
            }),
            O::I64Load8U { memarg } => self.load(&memarg, |dst, ptr, offset| Op::I64Load8U {
                dst,
                ptr,
                offset,
            }),
            O::I64Load16S { memarg } => self.load(&memarg, |dst, ptr, offset| Op::I64Load16S {
                dst,
                ptr,
                offset,
            }),
            O::I64Load16U { memarg } => self.load(&memarg, |dst, ptr, offset| Op::I64Load16U {
                dst,
                ptr,
                offset,
            }),
            O::I64Load32S { memarg } => self.load(&memarg, |dst, ptr, offset| Op::I64Load32S {
                dst,
                ptr,
                offset,
            }),
            O::I64Load32U { memarg } => self.load(&memarg, |dst, ptr, offset| Op::I64Load32U {
                dst,
                ptr,
                offset,
            }),
            O::I32Store { memarg } | O::F32Store { memarg } => {
                self.store(&memarg, |ptr, src, offset| Op::I32Store {
                    ptr,
                    src,
                    offset,
                })
            }
            O::I64Store { memarg } | O::F64Store { memarg } => {
                self.store(&memarg, |ptr, src, offset| Op::I64Store {
                    ptr,
                    src,
                    offset,
                })
            }
            O::I32Store8 { memarg } => self.store(&memarg, |ptr, src, offset| Op::I32Store8 {
                ptr,
                src,
                offset,
            }),
            O::I32Store16 { memarg } => self.store(&memarg, |ptr, src, offset| Op::I32Store16 {
                ptr,
                src,
                offset,
            }),
            O::I64Store8 { memarg } => self.store(&memarg, |ptr, src, offset| Op::I64Store8 {
                ptr,
                src,
                offset,
            }),
            O::I64Store16 { memarg } => self.store(&memarg, |ptr, src, offset| Op::I64Store16 {
                ptr,
                src,
                offset,
            }),
            O::I64Store32 { memarg } => self.store(&memarg, |ptr, src, offset| Op::I64Store32 {
                ptr,
                src,
                offset,
            }),
            O::MemorySize { .. } => {
                let dst = self.temp_slot(self.height());
                self.push_result(Op::MemorySize { dst });
            }
            O::MemoryGrow { .. } => self.unary(|dst, delta| Op::MemoryGrow { dst, delta }),
            O::MemoryFill { .. } => {
                let base = self.pop_span(3);
                self.emit(Op::MemoryFill { base });
            }
            O::MemoryCopy { .. } => {
                let base = self.pop_span(3);
                self.emit(Op::MemoryCopy { base });
            }
            O::MemoryInit { data_index, .. } => {
                let base = self.pop_span(3);
                self.emit(Op::MemoryInit {
                    base,
                    data: data_index,
                });
            }
            O::DataDrop { data_index } => {
                self.emit(Op::DataDrop { data: data_index });
            }
            O::TableGet { table } => self.unary(|dst, index| Op::TableGet { dst, index, table }),
            O::TableSet { table } => {
                let src = self.pop_slot();
                let index = self.pop_slot();
                self.emit(Op::TableSet { index, src, table });
            }
            O::TableSize { table } => {
                let dst = self.temp_slot(self.height());
                self.push_result(Op::TableSize { dst, table });
            }
            O::TableGrow { table } => {
                let base = self.pop_span(2);
                self.emit(Op::TableGrow { base, table });
                self.push(Kind::Temp);
            }
            O::TableFill { table } => {
                let base = self.pop_span(3);
                self.emit(Op::TableFill { base, table });
            }
            O::TableCopy {
                dst_table,
                src_table,
            } => {
                let base = self.pop_span(3);
                self.emit(Op::TableCopy {
                    base,
                    dst_table,
                    src_table,
                });
            }
            O::TableInit { elem_index, table } => {
                let base = self.pop_span(3);
                self.emit(Op::TableInit {
                    base,
                    table,
                    elem: elem_index,
                });
            }
            O::ElemDrop { elem_index } => {
                self.emit(Op::ElemDrop { elem: elem_index });
            }
            O::RefNull { .. } => self.push(Kind::Const(0)),
            O::RefIsNull => self.unary(|dst, src| Op::I64Eqz { dst, src }),
            O::RefFunc { function_index } => {
                let dst = self.temp_slot(self.height());
                self.push_result(Op::RefFunc {
                    dst,
                    func: function_index,
                });
            }
            O::I32Const { value } => self.push(Kind::Const(value as u32 as u64)),
            O::I64Const { value } => self.push(Kind::Const(value as u64)),
            O::F32Const { value } => self.push(Kind::Const(value.bits() as u64)),
            O::F64Const { value } => self.push(Kind::Const(value.bits())),
            // Reinterpretations change the type, not the bits: nothing to do. Nor does
            // `i64.extend_i32_u`: an i32 is zero-extended in its slot and as a constant, so its
            // bits are already the i64's.
            O::I32ReinterpretF32
            | O::I64ReinterpretF64
            | O::F32ReinterpretI32
            | O::F64ReinterpretI64
            | O::I64ExtendI32U => {}
            ref other => return self.numeric(other),
        }
        Ok(())
    }

    /// Pop an i32 condition: a fused comparison if the comparison that produced it was the
    /// last instruction (it is removed; the branch does the comparing), else its slot.
    fn pop_cond(&mut self) -> Cond {
        let pos = self.height() - 1;
        let last = self.code.len().checked_sub(1);
        if self.stack[pos as usize].kind == Kind::Temp
            && self.last_result.is_some()
            && self.last_result == last
            && let Some(i) = last
            && self.code[i].fuse_branch(true).is_some()
            && self.code[i].single_dst_mut().map(|d| *d) == Some(self.temp_slot(pos))
        {
            let cmp = self.code.pop().expect("checked above");
            self.last_result = None;
            self.pop_entry();
            return Cond::Fused(cmp);
        }
        Cond::Slot(self.pop_slot())
    }

    /// Emit a branch to `label` taken when the condition is `when`.
    fn emit_cond_branch(&mut self, cond: Cond, when: bool, label: u32) {
        let op = match cond {
            Cond::Fused(cmp) => cmp.fuse_branch(when).expect("fusable by construction"),
            Cond::Slot(cond) if when => Op::BrIfNez { cond, offset: 0 },
            Cond::Slot(cond) => Op::BrIfEqz { cond, offset: 0 },
        };
        self.emit_branch(op, label);
    }

    fn br_if(&mut self, depth: u32) {
        let cond = self.pop_cond();
        let idx = self.ctrl.len() - 1 - depth as usize;
        if idx != 0 {
            let (n, base, label) = {
                let c = &self.ctrl[idx];
                (c.branch_arity(), c.height, c.label)
            };
            if self.in_place(base, n) {
                self.emit_cond_branch(cond, true, label);
                return;
            }
        }
        let skip = self.new_label();
        self.emit_cond_branch(cond, false, skip);
        self.emit_branch_to(depth);
        self.pin_label(skip);
    }

    fn br_table(&mut self, targets: &wasmparser::BrTable<'_>) -> Result<(), Error> {
        let index = self.pop_slot();
        let default = targets.default();
        let arity = self.ctrl[self.ctrl.len() - 1 - default as usize].branch_arity();
        // Values go through their own slots once; each target then needs at most one move.
        self.materialize_top(arity);
        let src_pos = self.height() - arity;
        let len = targets.len();
        self.emit(Op::BrTable { index, len });
        let mut stubs: Vec<(usize, u32)> = Vec::new();
        let depths = targets.targets().chain(std::iter::once(Ok(default)));
        for depth in depths {
            count!(self, 1);
            let depth = depth?;
            let idx = self.ctrl.len() - 1 - depth as usize;
            if idx == 0 {
                // Returning: the entry itself is the return.
                let op = match self.num_results {
                    0 => Op::Return,
                    1 => Op::ReturnSlot {
                        src: self.temp_slot(src_pos),
                    },
                    n => Op::ReturnSpan {
                        src: self.temp_slot(src_pos),
                        len: n,
                    },
                };
                self.emit(op);
                continue;
            }
            let (base, label) = (self.ctrl[idx].height, self.ctrl[idx].label);
            let at = self.emit(Op::Br { offset: 0 });
            if base == src_pos || arity == 0 {
                self.bind_branch(at, label);
            } else {
                stubs.push((at, depth));
            }
        }
        for (at, depth) in stubs {
            let here = self.code.len();
            self.code[at].set_branch_offset(here as i32 - at as i32);
            let idx = self.ctrl.len() - 1 - depth as usize;
            let (base, label) = (self.ctrl[idx].height, self.ctrl[idx].label);
            if arity == 1 {
                self.emit(Op::Copy {
                    dst: self.temp_slot(base),
                    src: self.temp_slot(src_pos),
                });
            } else {
                self.emit(Op::CopySpan {
                    dst: self.temp_slot(base),
                    src: self.temp_slot(src_pos),
                    len: arity,
                });
            }
            self.emit_branch(Op::Br { offset: 0 }, label);
        }
        self.reachable = false;
        Ok(())
    }

    fn end(&mut self) -> Result<(), Error> {
        let c = self.ctrl.pop().expect("validated");
        if c.kind == CtrlKind::Loop {
            self.loop_depth -= 1;
        }
        if c.dead {
            return Ok(());
        }
        if self.ctrl.is_empty() {
            // End of the function body.
            if self.reachable {
                self.emit_return();
            }
            return Ok(());
        }
        match c.kind {
            CtrlKind::Loop => {
                // Only fall-through reaches a loop's end: values stay where they are.
            }
            CtrlKind::Block | CtrlKind::If | CtrlKind::Else => {
                if self.reachable {
                    self.materialize_top(c.results);
                }
                let mut reachable = self.reachable || self.label_used(c.label);
                if c.kind == CtrlKind::If {
                    // No else: the false branch falls through with the parameters.
                    self.pin_label(c.else_label);
                    reachable = true;
                }
                self.pin_label(c.label);
                self.reset_stack(c.height, c.results);
                self.reachable = reachable;
            }
        }
        Ok(())
    }

    fn numeric(&mut self, op: &Operator<'_>) -> Result<(), Error> {
        use Operator as O;
        macro_rules! un {
            ($v:ident) => {
                self.unary(|dst, src| Op::$v { dst, src })
            };
        }
        macro_rules! bin {
            ($v:ident) => {
                self.binary(|dst, lhs, rhs| Op::$v { dst, lhs, rhs })
            };
        }
        macro_rules! bini {
            ($v:ident, $vi:ident, $wide:expr) => {
                self.binary_imm(
                    $wide,
                    |dst, lhs, rhs| Op::$v { dst, lhs, rhs },
                    |dst, lhs, imm| Op::$vi { dst, lhs, imm },
                    None,
                )
            };
            ($v:ident, $vi:ident, $wide:expr, $sw:ident) => {
                self.binary_imm(
                    $wide,
                    |dst, lhs, rhs| Op::$v { dst, lhs, rhs },
                    |dst, lhs, imm| Op::$vi { dst, lhs, imm },
                    Some(|dst, lhs, imm| Op::$sw { dst, lhs, imm }),
                )
            };
        }
        match op {
            O::I32Eqz => un!(I32Eqz),
            O::I64Eqz => un!(I64Eqz),
            O::I32Clz => un!(I32Clz),
            O::I32Ctz => un!(I32Ctz),
            O::I32Popcnt => un!(I32Popcnt),
            O::I64Clz => un!(I64Clz),
            O::I64Ctz => un!(I64Ctz),
            O::I64Popcnt => un!(I64Popcnt),
            O::F32Abs => un!(F32Abs),
            O::F32Neg => un!(F32Neg),
            O::F32Ceil => un!(F32Ceil),
            O::F32Floor => un!(F32Floor),
            O::F32Trunc => un!(F32Trunc),
            O::F32Nearest => un!(F32Nearest),
            O::F32Sqrt => un!(F32Sqrt),
            O::F64Abs => un!(F64Abs),
            O::F64Neg => un!(F64Neg),
            O::F64Ceil => un!(F64Ceil),
            O::F64Floor => un!(F64Floor),
            O::F64Trunc => un!(F64Trunc),
            O::F64Nearest => un!(F64Nearest),
            O::F64Sqrt => un!(F64Sqrt),
            O::I32WrapI64 => un!(I32WrapI64),
            O::I32TruncF32S => un!(I32TruncF32S),
            O::I32TruncF32U => un!(I32TruncF32U),
            O::I32TruncF64S => un!(I32TruncF64S),
            O::I32TruncF64U => un!(I32TruncF64U),
            O::I64ExtendI32S => un!(I64ExtendI32S),
            O::I64TruncF32S => un!(I64TruncF32S),
            O::I64TruncF32U => un!(I64TruncF32U),
            O::I64TruncF64S => un!(I64TruncF64S),
            O::I64TruncF64U => un!(I64TruncF64U),
            O::F32ConvertI32S => un!(F32ConvertI32S),
            O::F32ConvertI32U => un!(F32ConvertI32U),
            O::F32ConvertI64S => un!(F32ConvertI64S),
            O::F32ConvertI64U => un!(F32ConvertI64U),
            O::F32DemoteF64 => un!(F32DemoteF64),
            O::F64ConvertI32S => un!(F64ConvertI32S),
            O::F64ConvertI32U => un!(F64ConvertI32U),
            O::F64ConvertI64S => un!(F64ConvertI64S),
            O::F64ConvertI64U => un!(F64ConvertI64U),
            O::F64PromoteF32 => un!(F64PromoteF32),
            O::I32Extend8S => un!(I32Extend8S),
            O::I32Extend16S => un!(I32Extend16S),
            O::I64Extend8S => un!(I64Extend8S),
            O::I64Extend16S => un!(I64Extend16S),
            O::I64Extend32S => un!(I64Extend32S),
            O::I32TruncSatF32S => un!(I32TruncSatF32S),
            O::I32TruncSatF32U => un!(I32TruncSatF32U),
            O::I32TruncSatF64S => un!(I32TruncSatF64S),
            O::I32TruncSatF64U => un!(I32TruncSatF64U),
            O::I64TruncSatF32S => un!(I64TruncSatF32S),
            O::I64TruncSatF32U => un!(I64TruncSatF32U),
            O::I64TruncSatF64S => un!(I64TruncSatF64S),
            O::I64TruncSatF64U => un!(I64TruncSatF64U),
            O::I32Eq => bini!(I32Eq, I32EqImm, false, I32EqImm),
            O::I32Ne => bini!(I32Ne, I32NeImm, false, I32NeImm),
            O::I32LtS => bini!(I32LtS, I32LtSImm, false, I32GtSImm),
            O::I32LtU => bini!(I32LtU, I32LtUImm, false, I32GtUImm),
            O::I32GtS => bini!(I32GtS, I32GtSImm, false, I32LtSImm),
            O::I32GtU => bini!(I32GtU, I32GtUImm, false, I32LtUImm),
            O::I32LeS => bini!(I32LeS, I32LeSImm, false, I32GeSImm),
            O::I32LeU => bini!(I32LeU, I32LeUImm, false, I32GeUImm),
            O::I32GeS => bini!(I32GeS, I32GeSImm, false, I32LeSImm),
            O::I32GeU => bini!(I32GeU, I32GeUImm, false, I32LeUImm),
            O::I64Eq => bini!(I64Eq, I64EqImm, true, I64EqImm),
            O::I64Ne => bini!(I64Ne, I64NeImm, true, I64NeImm),
            O::I64LtS => bini!(I64LtS, I64LtSImm, true, I64GtSImm),
            O::I64LtU => bini!(I64LtU, I64LtUImm, true, I64GtUImm),
            O::I64GtS => bini!(I64GtS, I64GtSImm, true, I64LtSImm),
            O::I64GtU => bini!(I64GtU, I64GtUImm, true, I64LtUImm),
            O::I64LeS => bini!(I64LeS, I64LeSImm, true, I64GeSImm),
            O::I64LeU => bini!(I64LeU, I64LeUImm, true, I64GeUImm),
            O::I64GeS => bini!(I64GeS, I64GeSImm, true, I64LeSImm),
            O::I64GeU => bini!(I64GeU, I64GeUImm, true, I64LeUImm),
            O::F32Eq => bin!(F32Eq),
            O::F32Ne => bin!(F32Ne),
            O::F32Lt => bin!(F32Lt),
            O::F32Gt => bin!(F32Gt),
            O::F32Le => bin!(F32Le),
            O::F32Ge => bin!(F32Ge),
            O::F64Eq => bin!(F64Eq),
            O::F64Ne => bin!(F64Ne),
            O::F64Lt => bin!(F64Lt),
            O::F64Gt => bin!(F64Gt),
            O::F64Le => bin!(F64Le),
            O::F64Ge => bin!(F64Ge),
            O::I32Add => bini!(I32Add, I32AddImm, false, I32AddImm),
            // `x - c` is `x + (-c)` modulo 2^32 for every `c` (`i32::MIN` negates to itself),
            // so a subtraction of a constant is an `I32AddImm`, which has fused forms.
            O::I32Sub => self.binary_imm(
                false,
                |dst, lhs, rhs| Op::I32Sub { dst, lhs, rhs },
                |dst, lhs, imm| Op::I32AddImm {
                    dst,
                    lhs,
                    imm: imm.wrapping_neg(),
                },
                None,
            ),
            O::I32Mul => bini!(I32Mul, I32MulImm, false, I32MulImm),
            O::I32DivS => bin!(I32DivS),
            O::I32DivU => bin!(I32DivU),
            O::I32RemS => bin!(I32RemS),
            O::I32RemU => bin!(I32RemU),
            O::I32And => bini!(I32And, I32AndImm, false, I32AndImm),
            O::I32Or => bini!(I32Or, I32OrImm, false, I32OrImm),
            O::I32Xor => bini!(I32Xor, I32XorImm, false, I32XorImm),
            O::I32Shl => bini!(I32Shl, I32ShlImm, false),
            O::I32ShrS => bini!(I32ShrS, I32ShrSImm, false),
            O::I32ShrU => bini!(I32ShrU, I32ShrUImm, false),
            O::I32Rotl => bini!(I32Rotl, I32RotlImm, false),
            O::I32Rotr => bini!(I32Rotr, I32RotrImm, false),
            O::I64Add => bini!(I64Add, I64AddImm, true, I64AddImm),
            // As for `i32.sub`, except that the immediate is sign-extended: `-(-2^31)` is not
            // one, so that constant keeps its `I64SubImm`.
            O::I64Sub => self.binary_imm(
                true,
                |dst, lhs, rhs| Op::I64Sub { dst, lhs, rhs },
                |dst, lhs, imm| match imm.checked_neg() {
                    Some(imm) => Op::I64AddImm { dst, lhs, imm },
                    None => Op::I64SubImm { dst, lhs, imm },
                },
                None,
            ),
            O::I64Mul => bini!(I64Mul, I64MulImm, true, I64MulImm),
            O::I64DivS => bin!(I64DivS),
            O::I64DivU => bin!(I64DivU),
            O::I64RemS => bin!(I64RemS),
            O::I64RemU => bin!(I64RemU),
            O::I64And => bini!(I64And, I64AndImm, true, I64AndImm),
            O::I64Or => bini!(I64Or, I64OrImm, true, I64OrImm),
            O::I64Xor => bini!(I64Xor, I64XorImm, true, I64XorImm),
            O::I64Shl => bini!(I64Shl, I64ShlImm, true),
            O::I64ShrS => bini!(I64ShrS, I64ShrSImm, true),
            O::I64ShrU => bini!(I64ShrU, I64ShrUImm, true),
            O::I64Rotl => bini!(I64Rotl, I64RotlImm, true),
            O::I64Rotr => bini!(I64Rotr, I64RotrImm, true),
            O::F32Add => bin!(F32Add),
            O::F32Sub => bin!(F32Sub),
            O::F32Mul => bin!(F32Mul),
            O::F32Div => bin!(F32Div),
            O::F32Min => bin!(F32Min),
            O::F32Max => bin!(F32Max),
            O::F32Copysign => bin!(F32Copysign),
            O::F64Add => bin!(F64Add),
            O::F64Sub => bin!(F64Sub),
            O::F64Mul => bin!(F64Mul),
            O::F64Div => bin!(F64Div),
            O::F64Min => bin!(F64Min),
            O::F64Max => bin!(F64Max),
            O::F64Copysign => bin!(F64Copysign),
            // The validator admits only the features of `Config::wasm_features`; anything else
            // reaching here is a Gauge bug, reported as an error rather than a panic.
            other => {
                return Err(Error::invalid(format!("unsupported operator {other:?}"), 0));
            }
        }
        Ok(())
    }
}
