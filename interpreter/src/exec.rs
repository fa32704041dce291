//! Execution: the portable `loop { match op }` backend over the slot IR.
//!
//! Wasm calls never recurse on the host stack: a call leaves the inner loop
//! ([`run_frame`]) with [`Exit::Call`], the driver ([`call`]) pushes a [`Frame`] on an explicit
//! frame stack and re-enters the loop for the callee. Limits are counted in Wasm terms: frames
//! (`max_call_depth`) and value-stack slots (`max_stack_slots`), so exhaustion happens at the
//! same point on every platform.

use crate::ir::Op;
use crate::num;
use crate::store::{FuncEntity, MemoryEntity, Store, StoreInner};
use crate::{Caller, Error, Instance, TrapCode};

/// One activation on the explicit frame stack.
#[derive(Debug, Clone, Copy)]
struct Frame {
    instance: u32,
    /// Index among the instance module's defined functions.
    func: u32,
    /// Where to resume.
    pc: u32,
    /// Absolute index of slot 0 of this frame in the value stack.
    base: u32,
}

/// Why the inner loop stopped.
enum Exit {
    /// A frame returned (its results are in its slots `0..`) and was popped; the frame now on
    /// top, if any, belongs to another instance.
    Return,
    /// Call store function `func` (a host function, or one of another instance) with its frame
    /// at absolute slot `base`; the caller's resume point is saved in its frame.
    Call { func: u32, base: u32 },
    /// Execution trapped.
    Trap(TrapCode),
}

/// Call store function `func`; `slots` holds the arguments on entry and the results on exit.
pub(crate) fn call<T>(store: &mut Store<T>, func: u32, slots: &mut Vec<u64>) -> Result<(), Error> {
    let entity = store.inner.funcs[func as usize];
    let ty = &store.inner.types[entity.ty() as usize];
    let (np, nr) = (ty.params().len(), ty.results().len());
    debug_assert_eq!(slots.len(), np);
    if store.inner.depth >= store.inner.engine.config.max_call_depth {
        return Err(Error::Trap(TrapCode::StackExhausted));
    }
    match entity {
        FuncEntity::Host { host, .. } => {
            let f = store.hosts[host as usize].clone();
            slots.resize(np.max(nr), 0);
            store.inner.depth += 1;
            let r = f(
                Caller {
                    store,
                    instance: None,
                },
                slots,
            );
            store.inner.depth -= 1;
            r?;
        }
        FuncEntity::Wasm {
            instance, index, ..
        } => {
            let mut stack = std::mem::take(&mut store.inner.stack);
            let r = run(store, &mut stack, instance, index, slots);
            store.inner.stack = stack;
            r?;
        }
    }
    slots.truncate(nr);
    Ok(())
}

/// Make sure `stack` has `need` slots, within the configured limit.
fn reserve(stack: &mut Vec<u64>, need: u64, limit: u32) -> Result<(), TrapCode> {
    if need > limit as u64 {
        return Err(TrapCode::StackExhausted);
    }
    if stack.len() < need as usize {
        stack.resize(need as usize, 0);
    }
    Ok(())
}

/// Push a frame for Wasm function `index` of `instance` at absolute slot `base`: reserve its
/// slots and zero its declared locals (the arguments are already in place).
#[inline]
fn enter(
    stack: &mut Vec<u64>,
    frames: &mut Vec<Frame>,
    f: &crate::translate::CompiledFunc,
    instance: u32,
    index: u32,
    base: u32,
    max_slots: u32,
) -> Result<(), TrapCode> {
    let need = base as u64 + f.frame_size as u64;
    // The stack never grows past the limit, so a frame that fits in it is within the limit.
    if need > stack.len() as u64 {
        reserve(stack, need, max_slots)?;
    }
    let b = base as usize;
    stack[b + f.num_params as usize..b + f.num_locals as usize].fill(0);
    frames.push(Frame {
        instance,
        func: index,
        pc: 0,
        base,
    });
    Ok(())
}

fn run<T>(
    store: &mut Store<T>,
    stack: &mut Vec<u64>,
    instance: u32,
    index: u32,
    slots: &mut Vec<u64>,
) -> Result<(), Error> {
    let max_slots = store.inner.engine.config.max_stack_slots;
    let max_depth = store.inner.engine.config.max_call_depth;
    let outer_depth = store.inner.depth;
    stack.clear();
    {
        let f = &store.inner.instances[instance as usize].module.code[index as usize];
        reserve(stack, f.frame_size as u64, max_slots)?;
    }
    stack[..slots.len()].copy_from_slice(slots);
    let mut frames = vec![Frame {
        instance,
        func: index,
        pc: 0,
        base: 0,
    }];
    store.inner.depth = outer_depth + 1;
    let result = loop {
        match run_frame(&mut store.inner, stack, &mut frames) {
            Exit::Return => {
                if frames.is_empty() {
                    break Ok(());
                }
            }
            Exit::Trap(code) => break Err(Error::Trap(code)),
            Exit::Call { func, base } => {
                let caller_instance = frames.last().expect("caller frame").instance;
                if store.inner.depth >= max_depth {
                    break Err(Error::Trap(TrapCode::StackExhausted));
                }
                match store.inner.funcs[func as usize] {
                    FuncEntity::Wasm {
                        instance, index, ..
                    } => {
                        let f =
                            &store.inner.instances[instance as usize].module.code[index as usize];
                        if let Err(code) =
                            enter(stack, &mut frames, f, instance, index, base, max_slots)
                        {
                            break Err(Error::Trap(code));
                        }
                        store.inner.depth += 1;
                    }
                    FuncEntity::Host { host, ty } => {
                        let ty = &store.inner.types[ty as usize];
                        let n = ty.params().len().max(ty.results().len());
                        if let Err(code) = reserve(stack, base as u64 + n as u64, max_slots) {
                            break Err(Error::Trap(code));
                        }
                        let f = store.hosts[host as usize].clone();
                        let caller = Some(Instance(caller_instance));
                        store.inner.depth += 1;
                        let window = &mut stack[base as usize..base as usize + n];
                        let r = f(
                            Caller {
                                store,
                                instance: caller,
                            },
                            window,
                        );
                        store.inner.depth -= 1;
                        if let Err(e) = r {
                            break Err(e);
                        }
                    }
                }
            }
        }
    };
    store.inner.depth = outer_depth;
    result?;
    let nr = store.inner.instances[instance as usize].module.code[index as usize].num_results;
    slots.clear();
    slots.extend_from_slice(&stack[..nr as usize]);
    Ok(())
}

/// Bounds of `[start, start + len)` within `size`, as a range.
#[inline(always)]
fn range(start: u64, len: u64, size: usize) -> Option<core::ops::Range<usize>> {
    let end = start.checked_add(len)?;
    if end > size as u64 {
        return None;
    }
    Some(start as usize..end as usize)
}

#[inline(always)]
fn b2s(b: bool) -> u64 {
    b as u64
}
#[inline(always)]
fn i32s(v: i32) -> u64 {
    v as u32 as u64
}
#[inline(always)]
fn i64s(v: i64) -> u64 {
    v as u64
}
#[inline(always)]
fn f32s(v: f32) -> u64 {
    v.to_bits() as u64
}
#[inline(always)]
fn f64s(v: f64) -> u64 {
    v.to_bits()
}
#[inline(always)]
fn si32(s: u64) -> i32 {
    s as u32 as i32
}
#[inline(always)]
fn si64(s: u64) -> i64 {
    s as i64
}
#[inline(always)]
fn sf32(s: u64) -> f32 {
    f32::from_bits(s as u32)
}
#[inline(always)]
fn sf64(s: u64) -> f64 {
    f64::from_bits(s)
}

/// The slots of the running frame: a pointer to its slot 0 in the value stack.
///
/// Slot indices come from the translator, which only names slots below the function's
/// `frame_size` (parameters, declared locals, and one slot per operand-stack height up to the
/// validated maximum), and [`enter`] / [`run`] reserve `base + frame_size` slots before a
/// frame runs. The value stack only grows while frames are live, and `Regs` is rebuilt after
/// every operation that may reallocate it (entering a frame), so the pointer stays valid.
#[derive(Clone, Copy)]
struct Regs {
    ptr: *mut u64,
    /// Slots available from `ptr` (for debug assertions).
    #[cfg(debug_assertions)]
    len: usize,
}

impl Regs {
    #[inline(always)]
    fn new(stack: &mut [u64], base: u32) -> Regs {
        let frame = &mut stack[base as usize..];
        Regs {
            ptr: frame.as_mut_ptr(),
            #[cfg(debug_assertions)]
            len: frame.len(),
        }
    }

    /// The slot `s` of the frame.
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    fn at(&self, s: u32) -> &mut u64 {
        #[cfg(debug_assertions)]
        debug_assert!(
            (s as usize) < self.len,
            "slot {s} outside frame of {}",
            self.len
        );
        // SAFETY: `s` is a slot named by translated code of the running function, hence below
        // its `frame_size`, and the frame's `frame_size` slots were reserved from `ptr` (see
        // the type's docs). The reference is used for one read or write only, never held
        // across another access.
        unsafe { &mut *self.ptr.add(s as usize) }
    }

    /// Copy `len` slots from `src..` to `dst..` (may overlap).
    #[inline(always)]
    fn copy_span(&self, dst: usize, src: usize, len: usize) {
        #[cfg(debug_assertions)]
        debug_assert!(dst + len <= self.len && src + len <= self.len);
        // SAFETY: both spans are operand or result slots of the running frame, below its
        // reserved `frame_size`; `ptr::copy` allows overlap.
        unsafe { core::ptr::copy(self.ptr.add(src), self.ptr.add(dst), len) }
    }
}

/// The bytes of memory 0 as a pointer and length, so that loads and stores check one bound
/// and touch no other state.
///
/// Valid until the memory's byte vector is reallocated or resized: only `memory.grow` does
/// that while the loop runs (host functions run outside it), and the loop rebuilds its `Heap`
/// right after it.
#[derive(Clone, Copy)]
struct Heap {
    ptr: *mut u8,
    len: usize,
}

impl Heap {
    #[inline(always)]
    fn new(mem: Option<&mut MemoryEntity>) -> Heap {
        match mem {
            Some(m) => Heap {
                ptr: m.data.as_mut_ptr(),
                len: m.data.len(),
            },
            None => Heap {
                ptr: core::ptr::null_mut(),
                len: 0,
            },
        }
    }

    /// The effective address of an `N`-byte access, if it is in bounds.
    #[inline(always)]
    fn ea<const N: usize>(&self, ptr: u64, offset: u32) -> Result<usize, TrapCode> {
        let ea = ptr as u32 as u64 + offset as u64;
        if ea + N as u64 <= self.len as u64 {
            Ok(ea as usize)
        } else {
            Err(TrapCode::MemoryOutOfBounds)
        }
    }

    #[inline(always)]
    fn load<const N: usize>(&self, ptr: u64, offset: u32) -> Result<[u8; N], TrapCode> {
        let ea = self.ea::<N>(ptr, offset)?;
        // SAFETY: `ea + N <= len`, and `ptr` points to `len` initialized bytes of the memory
        // that are not moved while this `Heap` is used (see the type's docs). With `len == 0`
        // (no memory) no access gets here.
        Ok(unsafe { core::ptr::read_unaligned(self.ptr.add(ea) as *const [u8; N]) })
    }

    #[inline(always)]
    fn store<const N: usize>(&self, ptr: u64, offset: u32, bytes: [u8; N]) -> Result<(), TrapCode> {
        let ea = self.ea::<N>(ptr, offset)?;
        // SAFETY: as for `load`; nothing else holds a reference into the memory's bytes
        // while the loop runs (bulk operations borrow them only for their own duration).
        unsafe { core::ptr::write_unaligned(self.ptr.add(ea) as *mut [u8; N], bytes) };
        Ok(())
    }
}

/// Gas left, held in a local while the loop runs and written back to the store when it exits
/// (by any path, including traps).
struct GasReg<'a> {
    left: u64,
    home: &'a mut u64,
}

impl Drop for GasReg<'_> {
    #[inline(always)]
    fn drop(&mut self) {
        *self.home = self.left;
    }
}

/// Run the frame on top of `frames` until control leaves its instance (a return to, or a call
/// into, another instance or the host), or a trap. Calls and returns within the instance are
/// handled here, on the explicit frame stack, without leaving the loop.
fn run_frame(inner: &mut StoreInner, stack: &mut Vec<u64>, frames: &mut Vec<Frame>) -> Exit {
    let StoreInner {
        funcs,
        instances,
        memories,
        tables,
        globals,
        gas_left,
        engine,
        depth,
        ..
    } = inner;
    let schedule = engine.config.gas.as_deref();
    let (max_depth, max_slots) = (engine.config.max_call_depth, engine.config.max_stack_slots);
    let frame = *frames.last().expect("a frame to run");
    let instance = frame.instance;
    let inst = &mut instances[instance as usize];
    let module = inst.module.clone();
    let mut cur: &crate::translate::CompiledFunc = &module.code[frame.func as usize];
    let mut code: &[Op] = &cur.code;
    let mut mem: Option<&mut MemoryEntity> =
        inst.memories.first().map(|&m| &mut memories[m as usize]);
    let mut base = frame.base;
    let mut regs = Regs::new(stack, base);
    let mut pc = frame.pc as usize;
    // Memory 0's bytes, for loads and stores; refreshed after `memory.grow`, the only
    // operation in this loop that can move them.
    let mut heap = Heap::new(mem.as_deref_mut());
    // Gas left lives in a local (a register) while the loop runs; written back on every exit.
    let mut gas = GasReg {
        left: *gas_left,
        home: gas_left,
    };

    // Call store function `$callee` with its frame at slot `$b` of this one: Wasm functions of
    // this instance run here; anything else leaves the loop.
    macro_rules! call {
        ($callee:expr, $b:expr) => {{
            let callee = $callee;
            frames.last_mut().expect("running frame").pc = pc as u32 + 1;
            let new_base = base + $b;
            match funcs[callee as usize] {
                FuncEntity::Wasm {
                    instance: i, index, ..
                } if i == instance => enter_local!(index, new_base),
                _ => {
                    return Exit::Call {
                        func: callee,
                        base: new_base,
                    };
                }
            }
        }};
    }
    // Enter defined function `$index` of this instance with its frame at absolute `$new_base`
    // (the caller's resume point is already saved).
    macro_rules! enter_local {
        ($index:expr, $new_base:expr) => {{
            let index = $index;
            if *depth >= max_depth {
                trap!(TrapCode::StackExhausted);
            }
            let f = &module.code[index as usize];
            tri!(enter(
                stack, frames, f, instance, index, $new_base, max_slots
            ));
            *depth += 1;
            cur = f;
            code = &f.code;
            base = $new_base;
            regs = Regs::new(stack, base);
            pc = 0;
            continue;
        }};
    }
    macro_rules! br_if {
        ($cond:expr, $offset:expr) => {
            if $cond {
                pc = pc.wrapping_add_signed($offset as isize);
                continue;
            }
        };
    }
    macro_rules! r {
        ($s:expr) => {
            *regs.at($s)
        };
    }
    // Trap; a trap inside merged metered blocks gives back the gas prepaid for the blocks
    // after the trapping one (see `translate::CompiledFunc::refunds`).
    macro_rules! trap {
        ($code:expr) => {{
            let code = $code;
            if !cur.refunds.is_empty() && code != TrapCode::OutOfGas {
                gas.left += cur.refund_at(pc);
            }
            return Exit::Trap(code);
        }};
    }
    macro_rules! tri {
        ($e:expr) => {
            match $e {
                Ok(v) => v,
                Err(code) => trap!(code),
            }
        };
    }
    // Dynamic charge of `units` at the schedule's rate for `kind`, before the work is done.
    macro_rules! dynamic {
        ($kind:ident, $units:expr) => {
            if let Some(s) = schedule {
                let rate = gauge_metering::Dynamic::$kind.rate(s);
                tri!(crate::store::charge(
                    &mut gas.left,
                    rate.saturating_mul($units as u64)
                ));
            }
        };
    }
    macro_rules! mem {
        () => {
            match mem.as_deref_mut() {
                Some(m) => m,
                None => trap!(TrapCode::MemoryOutOfBounds),
            }
        };
    }
    macro_rules! un {
        ($dst:expr, $src:expr, $get:ident, $f:path, $put:ident) => {
            r!($dst) = $put($f($get(r!($src))))
        };
    }
    macro_rules! un_t {
        ($dst:expr, $src:expr, $get:ident, $f:path, $put:ident) => {
            r!($dst) = $put(tri!($f($get(r!($src)))))
        };
    }
    macro_rules! bin {
        ($dst:expr, $l:expr, $rr:expr, $get:ident, $f:path, $put:ident) => {
            r!($dst) = $put($f($get(r!($l)), $get(r!($rr))))
        };
    }
    macro_rules! bin_t {
        ($dst:expr, $l:expr, $rr:expr, $get:ident, $f:path, $put:ident) => {
            r!($dst) = $put(tri!($f($get(r!($l)), $get(r!($rr)))))
        };
    }
    macro_rules! ld {
        ($dst:expr, $ptr:expr, $off:expr, $n:literal, |$b:ident| $conv:expr) => {{
            let $b = tri!(heap.load::<$n>(r!($ptr), $off));
            r!($dst) = $conv;
        }};
    }
    macro_rules! st {
        ($ptr:expr, $src:expr, $off:expr, |$v:ident| $bytes:expr) => {{
            let $v = r!($src);
            let p = r!($ptr);
            tri!(heap.store(p, $off, $bytes));
        }};
    }

    loop {
        debug_assert!(pc < code.len(), "pc {pc} outside code of {}", code.len());
        // SAFETY: `pc` always indexes `code`. It starts at 0 (every function has at least its
        // final return) or at a saved resume point `call_pc + 1`, and a call is never the last
        // instruction (a function ends with a return). Straight-line code advances by one from
        // an instruction that is not the last (the last is a return/branch/trap, which never
        // falls through), branch offsets are patched by the translator to land on an
        // instruction of the same function, and `BrTable` jumps into its `len + 1` entries,
        // which follow it.
        let op = unsafe { *code.get_unchecked(pc) };
        match op {
            Op::Trap { code } => trap!(code),
            Op::ConsumeGas { amount } => match gas.left.checked_sub(amount) {
                Some(rest) => gas.left = rest,
                None => {
                    gas.left = 0;
                    trap!(TrapCode::OutOfGas)
                }
            },
            Op::ConsumeGasGroup { group, cold } => {
                let (total, first) = cur.gas_groups[group as usize];
                match gas.left.checked_sub(total) {
                    Some(rest) => gas.left = rest,
                    None => match gas.left.checked_sub(first) {
                        Some(rest) => {
                            gas.left = rest;
                            pc = pc.wrapping_add_signed(cold as isize);
                            continue;
                        }
                        None => {
                            gas.left = 0;
                            trap!(TrapCode::OutOfGas)
                        }
                    },
                }
            }
            Op::Copy { dst, src } => r!(dst) = r!(src),
            Op::CopySpan { dst, src, len } => {
                let (d, s) = (dst as usize, src as usize);
                regs.copy_span(d, s, len as usize);
            }
            Op::Const { dst, value } => r!(dst) = value,
            Op::Select { dst, rhs, cond } => {
                if si32(r!(cond)) == 0 {
                    r!(dst) = r!(rhs);
                }
            }
            Op::Br { offset } => {
                pc = pc.wrapping_add_signed(offset as isize);
                continue;
            }
            Op::BrIfNez { cond, offset } => {
                if si32(r!(cond)) != 0 {
                    pc = pc.wrapping_add_signed(offset as isize);
                    continue;
                }
            }
            Op::BrI32Eqz { src, offset } => br_if!(si32(r!(src)) == 0, offset),
            Op::BrI32Nez { src, offset } => br_if!(si32(r!(src)) != 0, offset),
            Op::BrI64Eqz { src, offset } => br_if!(r!(src) == 0, offset),
            Op::BrI64Nez { src, offset } => br_if!(r!(src) != 0, offset),
            Op::BrI32Eq { lhs, rhs, offset } => br_if!(si32(r!(lhs)) == si32(r!(rhs)), offset),
            Op::BrI32Ne { lhs, rhs, offset } => br_if!(si32(r!(lhs)) != si32(r!(rhs)), offset),
            Op::BrI32LtS { lhs, rhs, offset } => br_if!(si32(r!(lhs)) < si32(r!(rhs)), offset),
            Op::BrI32LtU { lhs, rhs, offset } => br_if!((r!(lhs) as u32) < r!(rhs) as u32, offset),
            Op::BrI32GtS { lhs, rhs, offset } => br_if!(si32(r!(lhs)) > si32(r!(rhs)), offset),
            Op::BrI32GtU { lhs, rhs, offset } => br_if!(r!(lhs) as u32 > r!(rhs) as u32, offset),
            Op::BrI32LeS { lhs, rhs, offset } => br_if!(si32(r!(lhs)) <= si32(r!(rhs)), offset),
            Op::BrI32LeU { lhs, rhs, offset } => br_if!(r!(lhs) as u32 <= r!(rhs) as u32, offset),
            Op::BrI32GeS { lhs, rhs, offset } => br_if!(si32(r!(lhs)) >= si32(r!(rhs)), offset),
            Op::BrI32GeU { lhs, rhs, offset } => br_if!(r!(lhs) as u32 >= r!(rhs) as u32, offset),
            Op::BrI64Eq { lhs, rhs, offset } => br_if!(r!(lhs) == r!(rhs), offset),
            Op::BrI64Ne { lhs, rhs, offset } => br_if!(r!(lhs) != r!(rhs), offset),
            Op::BrI64LtS { lhs, rhs, offset } => br_if!(si64(r!(lhs)) < si64(r!(rhs)), offset),
            Op::BrI64LtU { lhs, rhs, offset } => br_if!(r!(lhs) < r!(rhs), offset),
            Op::BrI64GtS { lhs, rhs, offset } => br_if!(si64(r!(lhs)) > si64(r!(rhs)), offset),
            Op::BrI64GtU { lhs, rhs, offset } => br_if!(r!(lhs) > r!(rhs), offset),
            Op::BrI64LeS { lhs, rhs, offset } => br_if!(si64(r!(lhs)) <= si64(r!(rhs)), offset),
            Op::BrI64LeU { lhs, rhs, offset } => br_if!(r!(lhs) <= r!(rhs), offset),
            Op::BrI64GeS { lhs, rhs, offset } => br_if!(si64(r!(lhs)) >= si64(r!(rhs)), offset),
            Op::BrI64GeU { lhs, rhs, offset } => br_if!(r!(lhs) >= r!(rhs), offset),
            Op::I32AddImm { dst, lhs, imm } => r!(dst) = i32s(num::i32_add(si32(r!(lhs)), imm)),
            Op::I32SubImm { dst, lhs, imm } => r!(dst) = i32s(num::i32_sub(si32(r!(lhs)), imm)),
            Op::I32MulImm { dst, lhs, imm } => r!(dst) = i32s(num::i32_mul(si32(r!(lhs)), imm)),
            Op::I32AndImm { dst, lhs, imm } => r!(dst) = i32s(num::i32_and(si32(r!(lhs)), imm)),
            Op::I32OrImm { dst, lhs, imm } => r!(dst) = i32s(num::i32_or(si32(r!(lhs)), imm)),
            Op::I32XorImm { dst, lhs, imm } => r!(dst) = i32s(num::i32_xor(si32(r!(lhs)), imm)),
            Op::I32ShlImm { dst, lhs, imm } => r!(dst) = i32s(num::i32_shl(si32(r!(lhs)), imm)),
            Op::I32ShrSImm { dst, lhs, imm } => r!(dst) = i32s(num::i32_shr_s(si32(r!(lhs)), imm)),
            Op::I32ShrUImm { dst, lhs, imm } => r!(dst) = i32s(num::i32_shr_u(si32(r!(lhs)), imm)),
            Op::I32RotlImm { dst, lhs, imm } => r!(dst) = i32s(num::i32_rotl(si32(r!(lhs)), imm)),
            Op::I32RotrImm { dst, lhs, imm } => r!(dst) = i32s(num::i32_rotr(si32(r!(lhs)), imm)),
            Op::I32EqImm { dst, lhs, imm } => r!(dst) = b2s(num::i32_eq(si32(r!(lhs)), imm)),
            Op::I32NeImm { dst, lhs, imm } => r!(dst) = b2s(num::i32_ne(si32(r!(lhs)), imm)),
            Op::I32LtSImm { dst, lhs, imm } => r!(dst) = b2s(num::i32_lt_s(si32(r!(lhs)), imm)),
            Op::I32LtUImm { dst, lhs, imm } => r!(dst) = b2s(num::i32_lt_u(si32(r!(lhs)), imm)),
            Op::I32GtSImm { dst, lhs, imm } => r!(dst) = b2s(num::i32_gt_s(si32(r!(lhs)), imm)),
            Op::I32GtUImm { dst, lhs, imm } => r!(dst) = b2s(num::i32_gt_u(si32(r!(lhs)), imm)),
            Op::I32LeSImm { dst, lhs, imm } => r!(dst) = b2s(num::i32_le_s(si32(r!(lhs)), imm)),
            Op::I32LeUImm { dst, lhs, imm } => r!(dst) = b2s(num::i32_le_u(si32(r!(lhs)), imm)),
            Op::I32GeSImm { dst, lhs, imm } => r!(dst) = b2s(num::i32_ge_s(si32(r!(lhs)), imm)),
            Op::I32GeUImm { dst, lhs, imm } => r!(dst) = b2s(num::i32_ge_u(si32(r!(lhs)), imm)),
            Op::BrI32EqImm { lhs, imm, offset } => {
                br_if!(num::i32_eq(si32(r!(lhs)), imm), offset)
            }
            Op::BrI32GeSImm { lhs, imm, offset } => {
                br_if!(num::i32_ge_s(si32(r!(lhs)), imm), offset)
            }
            Op::BrI32GeUImm { lhs, imm, offset } => {
                br_if!(num::i32_ge_u(si32(r!(lhs)), imm), offset)
            }
            Op::BrI32GtSImm { lhs, imm, offset } => {
                br_if!(num::i32_gt_s(si32(r!(lhs)), imm), offset)
            }
            Op::BrI32GtUImm { lhs, imm, offset } => {
                br_if!(num::i32_gt_u(si32(r!(lhs)), imm), offset)
            }
            Op::BrI32LeSImm { lhs, imm, offset } => {
                br_if!(num::i32_le_s(si32(r!(lhs)), imm), offset)
            }
            Op::BrI32LeUImm { lhs, imm, offset } => {
                br_if!(num::i32_le_u(si32(r!(lhs)), imm), offset)
            }
            Op::BrI32LtSImm { lhs, imm, offset } => {
                br_if!(num::i32_lt_s(si32(r!(lhs)), imm), offset)
            }
            Op::BrI32LtUImm { lhs, imm, offset } => {
                br_if!(num::i32_lt_u(si32(r!(lhs)), imm), offset)
            }
            Op::BrI32NeImm { lhs, imm, offset } => {
                br_if!(num::i32_ne(si32(r!(lhs)), imm), offset)
            }
            Op::I64AddImm { dst, lhs, imm } => {
                r!(dst) = i64s(num::i64_add(si64(r!(lhs)), imm as i64))
            }
            Op::I64SubImm { dst, lhs, imm } => {
                r!(dst) = i64s(num::i64_sub(si64(r!(lhs)), imm as i64))
            }
            Op::I64MulImm { dst, lhs, imm } => {
                r!(dst) = i64s(num::i64_mul(si64(r!(lhs)), imm as i64))
            }
            Op::I64AndImm { dst, lhs, imm } => {
                r!(dst) = i64s(num::i64_and(si64(r!(lhs)), imm as i64))
            }
            Op::I64OrImm { dst, lhs, imm } => {
                r!(dst) = i64s(num::i64_or(si64(r!(lhs)), imm as i64))
            }
            Op::I64XorImm { dst, lhs, imm } => {
                r!(dst) = i64s(num::i64_xor(si64(r!(lhs)), imm as i64))
            }
            Op::I64ShlImm { dst, lhs, imm } => {
                r!(dst) = i64s(num::i64_shl(si64(r!(lhs)), imm as i64))
            }
            Op::I64ShrSImm { dst, lhs, imm } => {
                r!(dst) = i64s(num::i64_shr_s(si64(r!(lhs)), imm as i64))
            }
            Op::I64ShrUImm { dst, lhs, imm } => {
                r!(dst) = i64s(num::i64_shr_u(si64(r!(lhs)), imm as i64))
            }
            Op::I64RotlImm { dst, lhs, imm } => {
                r!(dst) = i64s(num::i64_rotl(si64(r!(lhs)), imm as i64))
            }
            Op::I64RotrImm { dst, lhs, imm } => {
                r!(dst) = i64s(num::i64_rotr(si64(r!(lhs)), imm as i64))
            }
            Op::I64EqImm { dst, lhs, imm } => r!(dst) = b2s(num::i64_eq(si64(r!(lhs)), imm as i64)),
            Op::I64NeImm { dst, lhs, imm } => r!(dst) = b2s(num::i64_ne(si64(r!(lhs)), imm as i64)),
            Op::I64LtSImm { dst, lhs, imm } => {
                r!(dst) = b2s(num::i64_lt_s(si64(r!(lhs)), imm as i64))
            }
            Op::I64LtUImm { dst, lhs, imm } => {
                r!(dst) = b2s(num::i64_lt_u(si64(r!(lhs)), imm as i64))
            }
            Op::I64GtSImm { dst, lhs, imm } => {
                r!(dst) = b2s(num::i64_gt_s(si64(r!(lhs)), imm as i64))
            }
            Op::I64GtUImm { dst, lhs, imm } => {
                r!(dst) = b2s(num::i64_gt_u(si64(r!(lhs)), imm as i64))
            }
            Op::I64LeSImm { dst, lhs, imm } => {
                r!(dst) = b2s(num::i64_le_s(si64(r!(lhs)), imm as i64))
            }
            Op::I64LeUImm { dst, lhs, imm } => {
                r!(dst) = b2s(num::i64_le_u(si64(r!(lhs)), imm as i64))
            }
            Op::I64GeSImm { dst, lhs, imm } => {
                r!(dst) = b2s(num::i64_ge_s(si64(r!(lhs)), imm as i64))
            }
            Op::I64GeUImm { dst, lhs, imm } => {
                r!(dst) = b2s(num::i64_ge_u(si64(r!(lhs)), imm as i64))
            }
            Op::BrI64EqImm { lhs, imm, offset } => {
                br_if!(num::i64_eq(si64(r!(lhs)), imm as i64), offset)
            }
            Op::BrI64GeSImm { lhs, imm, offset } => {
                br_if!(num::i64_ge_s(si64(r!(lhs)), imm as i64), offset)
            }
            Op::BrI64GeUImm { lhs, imm, offset } => {
                br_if!(num::i64_ge_u(si64(r!(lhs)), imm as i64), offset)
            }
            Op::BrI64GtSImm { lhs, imm, offset } => {
                br_if!(num::i64_gt_s(si64(r!(lhs)), imm as i64), offset)
            }
            Op::BrI64GtUImm { lhs, imm, offset } => {
                br_if!(num::i64_gt_u(si64(r!(lhs)), imm as i64), offset)
            }
            Op::BrI64LeSImm { lhs, imm, offset } => {
                br_if!(num::i64_le_s(si64(r!(lhs)), imm as i64), offset)
            }
            Op::BrI64LeUImm { lhs, imm, offset } => {
                br_if!(num::i64_le_u(si64(r!(lhs)), imm as i64), offset)
            }
            Op::BrI64LtSImm { lhs, imm, offset } => {
                br_if!(num::i64_lt_s(si64(r!(lhs)), imm as i64), offset)
            }
            Op::BrI64LtUImm { lhs, imm, offset } => {
                br_if!(num::i64_lt_u(si64(r!(lhs)), imm as i64), offset)
            }
            Op::BrI64NeImm { lhs, imm, offset } => {
                br_if!(num::i64_ne(si64(r!(lhs)), imm as i64), offset)
            }
            Op::BrIfEqz { cond, offset } => {
                if si32(r!(cond)) == 0 {
                    pc = pc.wrapping_add_signed(offset as isize);
                    continue;
                }
            }
            Op::BrTable { index, len } => {
                let i = (r!(index) as u32).min(len);
                pc += 1 + i as usize;
                continue;
            }
            Op::Return | Op::ReturnSlot { .. } | Op::ReturnSpan { .. } => {
                match op {
                    Op::ReturnSlot { src } => r!(0) = r!(src),
                    Op::ReturnSpan { src, len } => {
                        let s = src as usize;
                        regs.copy_span(0, s, len as usize);
                    }
                    _ => {}
                }
                frames.pop();
                *depth -= 1;
                match frames.last() {
                    Some(caller) if caller.instance == instance => {
                        cur = &module.code[caller.func as usize];
                        code = &cur.code;
                        base = caller.base;
                        regs = Regs::new(stack, base);
                        pc = caller.pc as usize;
                        continue;
                    }
                    _ => return Exit::Return,
                }
            }
            Op::Call { func, base: b } => call!(inst.funcs[func as usize], b),
            Op::CallInternal { index, base: b } => {
                frames.last_mut().expect("running frame").pc = pc as u32 + 1;
                enter_local!(index, base + b)
            }
            Op::CallIndirect { base: b, ty, table } => {
                let np = module.types[ty as usize].params().len() as u32;
                let idx = r!(b + np) as u32;
                let t = &tables[inst.tables[table as usize] as usize];
                let Some(&elem) = t.elems.get(idx as usize) else {
                    trap!(TrapCode::UndefinedElement)
                };
                if elem == 0 {
                    trap!(TrapCode::UninitializedElement);
                }
                let callee = (elem - 1) as u32;
                if funcs[callee as usize].ty() != inst.types[ty as usize] {
                    trap!(TrapCode::IndirectCallTypeMismatch);
                }
                call!(callee, b)
            }
            Op::GlobalGet { dst, global } => {
                r!(dst) = globals[inst.globals[global as usize] as usize].value
            }
            Op::GlobalSet { src, global } => {
                globals[inst.globals[global as usize] as usize].value = r!(src)
            }
            Op::MemorySize { dst } => r!(dst) = mem!().pages() as u64,
            Op::MemoryGrow { dst, delta } => {
                let d = r!(delta) as u32;
                dynamic!(MemoryPages, d);
                r!(dst) = i32s(mem!().grow(d).map_or(-1, |old| old as i32));
                heap = Heap::new(mem.as_deref_mut());
            }
            Op::MemoryFill { base: b } => {
                let (d, val, n) = (r!(b) as u32, r!(b + 1) as u8, r!(b + 2) as u32);
                dynamic!(MemoryBytes, n);
                let m = mem!();
                let Some(rg) = range(d as u64, n as u64, m.data.len()) else {
                    trap!(TrapCode::MemoryOutOfBounds)
                };
                m.data[rg].fill(val);
            }
            Op::MemoryCopy { base: b } => {
                let (d, s, n) = (r!(b) as u32, r!(b + 1) as u32, r!(b + 2) as u32);
                dynamic!(MemoryBytes, n);
                let m = mem!();
                let len = m.data.len();
                let (Some(_), Some(src)) = (
                    range(d as u64, n as u64, len),
                    range(s as u64, n as u64, len),
                ) else {
                    trap!(TrapCode::MemoryOutOfBounds)
                };
                m.data.copy_within(src, d as usize);
            }
            Op::MemoryInit { base: b, data } => {
                let (d, s, n) = (r!(b) as u32, r!(b + 1) as u32, r!(b + 2) as u32);
                dynamic!(MemoryBytes, n);
                let seg: &[u8] = if inst.data_dropped[data as usize] {
                    &[]
                } else {
                    &module.datas[data as usize].bytes
                };
                let m = mem!();
                let (Some(dst), Some(src)) = (
                    range(d as u64, n as u64, m.data.len()),
                    range(s as u64, n as u64, seg.len()),
                ) else {
                    trap!(TrapCode::MemoryOutOfBounds)
                };
                m.data[dst].copy_from_slice(&seg[src]);
            }
            Op::DataDrop { data } => inst.data_dropped[data as usize] = true,
            Op::TableGet { dst, index, table } => {
                let t = &tables[inst.tables[table as usize] as usize];
                match t.elems.get(r!(index) as u32 as usize) {
                    Some(&v) => r!(dst) = v,
                    None => trap!(TrapCode::TableOutOfBounds),
                }
            }
            Op::TableSet { index, src, table } => {
                let v = r!(src);
                let t = &mut tables[inst.tables[table as usize] as usize];
                match t.elems.get_mut(r!(index) as u32 as usize) {
                    Some(e) => *e = v,
                    None => trap!(TrapCode::TableOutOfBounds),
                }
            }
            Op::TableSize { dst, table } => {
                r!(dst) = tables[inst.tables[table as usize] as usize].elems.len() as u64
            }
            Op::TableGrow { base: b, table } => {
                let (init, n) = (r!(b), r!(b + 1) as u32);
                dynamic!(TableGrowElements, n);
                let t = &mut tables[inst.tables[table as usize] as usize];
                r!(b) = i32s(t.grow(n, init).map_or(-1, |old| old as i32));
            }
            Op::TableFill { base: b, table } => {
                let (i, val, n) = (r!(b) as u32, r!(b + 1), r!(b + 2) as u32);
                dynamic!(TableElements, n);
                let t = &mut tables[inst.tables[table as usize] as usize];
                let Some(rg) = range(i as u64, n as u64, t.elems.len()) else {
                    trap!(TrapCode::TableOutOfBounds)
                };
                t.elems[rg].fill(val);
            }
            Op::TableCopy {
                base: b,
                dst_table,
                src_table,
            } => {
                let (d, s, n) = (r!(b) as u32, r!(b + 1) as u32, r!(b + 2) as u32);
                dynamic!(TableElements, n);
                let (dt, st) = (
                    inst.tables[dst_table as usize],
                    inst.tables[src_table as usize],
                );
                let (dlen, slen) = (
                    tables[dt as usize].elems.len(),
                    tables[st as usize].elems.len(),
                );
                let (Some(_), Some(src)) = (
                    range(d as u64, n as u64, dlen),
                    range(s as u64, n as u64, slen),
                ) else {
                    trap!(TrapCode::TableOutOfBounds)
                };
                if dt == st {
                    tables[dt as usize].elems.copy_within(src, d as usize);
                } else {
                    let tmp: Vec<u64> = tables[st as usize].elems[src].to_vec();
                    tables[dt as usize].elems[d as usize..d as usize + n as usize]
                        .copy_from_slice(&tmp);
                }
            }
            Op::TableInit {
                base: b,
                table,
                elem,
            } => {
                let (d, s, n) = (r!(b) as u32, r!(b + 1) as u32, r!(b + 2) as u32);
                dynamic!(TableElements, n);
                let seg = &inst.elems[elem as usize];
                let t = &mut tables[inst.tables[table as usize] as usize];
                let (Some(dst), Some(src)) = (
                    range(d as u64, n as u64, t.elems.len()),
                    range(s as u64, n as u64, seg.len()),
                ) else {
                    trap!(TrapCode::TableOutOfBounds)
                };
                t.elems[dst].copy_from_slice(&seg[src]);
            }
            Op::ElemDrop { elem } => inst.elems[elem as usize] = Box::new([]),
            Op::RefFunc { dst, func } => r!(dst) = inst.funcs[func as usize] as u64 + 1,

            Op::I32Load { dst, ptr, offset } => {
                ld!(dst, ptr, offset, 4, |b| u32::from_le_bytes(b) as u64)
            }
            Op::I64Load { dst, ptr, offset } => ld!(dst, ptr, offset, 8, |b| u64::from_le_bytes(b)),
            Op::I32Load8S { dst, ptr, offset } => {
                ld!(dst, ptr, offset, 1, |b| i32s(b[0] as i8 as i32))
            }
            Op::I32Load8U { dst, ptr, offset } => ld!(dst, ptr, offset, 1, |b| b[0] as u64),
            Op::I32Load16S { dst, ptr, offset } => {
                ld!(dst, ptr, offset, 2, |b| i32s(i16::from_le_bytes(b) as i32))
            }
            Op::I32Load16U { dst, ptr, offset } => {
                ld!(dst, ptr, offset, 2, |b| u16::from_le_bytes(b) as u64)
            }
            Op::I64Load8S { dst, ptr, offset } => {
                ld!(dst, ptr, offset, 1, |b| b[0] as i8 as i64 as u64)
            }
            Op::I64Load8U { dst, ptr, offset } => ld!(dst, ptr, offset, 1, |b| b[0] as u64),
            Op::I64Load16S { dst, ptr, offset } => {
                ld!(dst, ptr, offset, 2, |b| i16::from_le_bytes(b) as i64 as u64)
            }
            Op::I64Load16U { dst, ptr, offset } => {
                ld!(dst, ptr, offset, 2, |b| u16::from_le_bytes(b) as u64)
            }
            Op::I64Load32S { dst, ptr, offset } => {
                ld!(dst, ptr, offset, 4, |b| i32::from_le_bytes(b) as i64 as u64)
            }
            Op::I64Load32U { dst, ptr, offset } => {
                ld!(dst, ptr, offset, 4, |b| u32::from_le_bytes(b) as u64)
            }
            Op::I32Store { ptr, src, offset } => {
                st!(ptr, src, offset, |v| (v as u32).to_le_bytes())
            }
            Op::I64Store { ptr, src, offset } => st!(ptr, src, offset, |v| v.to_le_bytes()),
            Op::I32Store8 { ptr, src, offset } | Op::I64Store8 { ptr, src, offset } => {
                st!(ptr, src, offset, |v| [v as u8])
            }
            Op::I32Store16 { ptr, src, offset } | Op::I64Store16 { ptr, src, offset } => {
                st!(ptr, src, offset, |v| (v as u16).to_le_bytes())
            }
            Op::I64Store32 { ptr, src, offset } => {
                st!(ptr, src, offset, |v| (v as u32).to_le_bytes())
            }

            Op::I32Eqz { dst, src } => un!(dst, src, si32, num::i32_eqz, b2s),
            Op::I64Eqz { dst, src } => un!(dst, src, si64, num::i64_eqz, b2s),
            Op::I32Clz { dst, src } => un!(dst, src, si32, num::i32_clz, i32s),
            Op::I32Ctz { dst, src } => un!(dst, src, si32, num::i32_ctz, i32s),
            Op::I32Popcnt { dst, src } => un!(dst, src, si32, num::i32_popcnt, i32s),
            Op::I64Clz { dst, src } => un!(dst, src, si64, num::i64_clz, i64s),
            Op::I64Ctz { dst, src } => un!(dst, src, si64, num::i64_ctz, i64s),
            Op::I64Popcnt { dst, src } => un!(dst, src, si64, num::i64_popcnt, i64s),
            Op::F32Abs { dst, src } => r!(dst) = r!(src) & 0x7fff_ffff,
            Op::F32Neg { dst, src } => r!(dst) = (r!(src) ^ 0x8000_0000) & 0xffff_ffff,
            Op::F32Ceil { dst, src } => un!(dst, src, sf32, num::f32_ceil, f32s),
            Op::F32Floor { dst, src } => un!(dst, src, sf32, num::f32_floor, f32s),
            Op::F32Trunc { dst, src } => un!(dst, src, sf32, num::f32_trunc, f32s),
            Op::F32Nearest { dst, src } => un!(dst, src, sf32, num::f32_nearest, f32s),
            Op::F32Sqrt { dst, src } => un!(dst, src, sf32, num::f32_sqrt, f32s),
            Op::F64Abs { dst, src } => r!(dst) = r!(src) & 0x7fff_ffff_ffff_ffff,
            Op::F64Neg { dst, src } => r!(dst) = r!(src) ^ 0x8000_0000_0000_0000,
            Op::F64Ceil { dst, src } => un!(dst, src, sf64, num::f64_ceil, f64s),
            Op::F64Floor { dst, src } => un!(dst, src, sf64, num::f64_floor, f64s),
            Op::F64Trunc { dst, src } => un!(dst, src, sf64, num::f64_trunc, f64s),
            Op::F64Nearest { dst, src } => un!(dst, src, sf64, num::f64_nearest, f64s),
            Op::F64Sqrt { dst, src } => un!(dst, src, sf64, num::f64_sqrt, f64s),
            Op::I32WrapI64 { dst, src } => r!(dst) = r!(src) & 0xffff_ffff,
            Op::I32TruncF32S { dst, src } => un_t!(dst, src, sf32, num::i32_trunc_f32_s, i32s),
            Op::I32TruncF32U { dst, src } => un_t!(dst, src, sf32, num::i32_trunc_f32_u, i32s),
            Op::I32TruncF64S { dst, src } => un_t!(dst, src, sf64, num::i32_trunc_f64_s, i32s),
            Op::I32TruncF64U { dst, src } => un_t!(dst, src, sf64, num::i32_trunc_f64_u, i32s),
            Op::I64ExtendI32S { dst, src } => un!(dst, src, si32, num::i64_extend_i32_s, i64s),
            Op::I64ExtendI32U { dst, src } => un!(dst, src, si32, num::i64_extend_i32_u, i64s),
            Op::I64TruncF32S { dst, src } => un_t!(dst, src, sf32, num::i64_trunc_f32_s, i64s),
            Op::I64TruncF32U { dst, src } => un_t!(dst, src, sf32, num::i64_trunc_f32_u, i64s),
            Op::I64TruncF64S { dst, src } => un_t!(dst, src, sf64, num::i64_trunc_f64_s, i64s),
            Op::I64TruncF64U { dst, src } => un_t!(dst, src, sf64, num::i64_trunc_f64_u, i64s),
            Op::F32ConvertI32S { dst, src } => un!(dst, src, si32, num::f32_convert_i32_s, f32s),
            Op::F32ConvertI32U { dst, src } => un!(dst, src, si32, num::f32_convert_i32_u, f32s),
            Op::F32ConvertI64S { dst, src } => un!(dst, src, si64, num::f32_convert_i64_s, f32s),
            Op::F32ConvertI64U { dst, src } => un!(dst, src, si64, num::f32_convert_i64_u, f32s),
            Op::F32DemoteF64 { dst, src } => un!(dst, src, sf64, num::f32_demote_f64, f32s),
            Op::F64ConvertI32S { dst, src } => un!(dst, src, si32, num::f64_convert_i32_s, f64s),
            Op::F64ConvertI32U { dst, src } => un!(dst, src, si32, num::f64_convert_i32_u, f64s),
            Op::F64ConvertI64S { dst, src } => un!(dst, src, si64, num::f64_convert_i64_s, f64s),
            Op::F64ConvertI64U { dst, src } => un!(dst, src, si64, num::f64_convert_i64_u, f64s),
            Op::F64PromoteF32 { dst, src } => un!(dst, src, sf32, num::f64_promote_f32, f64s),
            Op::I32Extend8S { dst, src } => un!(dst, src, si32, num::i32_extend8_s, i32s),
            Op::I32Extend16S { dst, src } => un!(dst, src, si32, num::i32_extend16_s, i32s),
            Op::I64Extend8S { dst, src } => un!(dst, src, si64, num::i64_extend8_s, i64s),
            Op::I64Extend16S { dst, src } => un!(dst, src, si64, num::i64_extend16_s, i64s),
            Op::I64Extend32S { dst, src } => un!(dst, src, si64, num::i64_extend32_s, i64s),
            Op::I32TruncSatF32S { dst, src } => un!(dst, src, sf32, num::i32_trunc_sat_f32_s, i32s),
            Op::I32TruncSatF32U { dst, src } => un!(dst, src, sf32, num::i32_trunc_sat_f32_u, i32s),
            Op::I32TruncSatF64S { dst, src } => un!(dst, src, sf64, num::i32_trunc_sat_f64_s, i32s),
            Op::I32TruncSatF64U { dst, src } => un!(dst, src, sf64, num::i32_trunc_sat_f64_u, i32s),
            Op::I64TruncSatF32S { dst, src } => un!(dst, src, sf32, num::i64_trunc_sat_f32_s, i64s),
            Op::I64TruncSatF32U { dst, src } => un!(dst, src, sf32, num::i64_trunc_sat_f32_u, i64s),
            Op::I64TruncSatF64S { dst, src } => un!(dst, src, sf64, num::i64_trunc_sat_f64_s, i64s),
            Op::I64TruncSatF64U { dst, src } => un!(dst, src, sf64, num::i64_trunc_sat_f64_u, i64s),

            Op::I32Eq { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_eq, b2s),
            Op::I32Ne { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_ne, b2s),
            Op::I32LtS { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_lt_s, b2s),
            Op::I32LtU { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_lt_u, b2s),
            Op::I32GtS { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_gt_s, b2s),
            Op::I32GtU { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_gt_u, b2s),
            Op::I32LeS { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_le_s, b2s),
            Op::I32LeU { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_le_u, b2s),
            Op::I32GeS { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_ge_s, b2s),
            Op::I32GeU { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_ge_u, b2s),
            Op::I64Eq { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_eq, b2s),
            Op::I64Ne { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_ne, b2s),
            Op::I64LtS { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_lt_s, b2s),
            Op::I64LtU { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_lt_u, b2s),
            Op::I64GtS { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_gt_s, b2s),
            Op::I64GtU { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_gt_u, b2s),
            Op::I64LeS { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_le_s, b2s),
            Op::I64LeU { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_le_u, b2s),
            Op::I64GeS { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_ge_s, b2s),
            Op::I64GeU { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_ge_u, b2s),
            Op::F32Eq { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf32, num::f32_eq, b2s),
            Op::F32Ne { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf32, num::f32_ne, b2s),
            Op::F32Lt { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf32, num::f32_lt, b2s),
            Op::F32Gt { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf32, num::f32_gt, b2s),
            Op::F32Le { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf32, num::f32_le, b2s),
            Op::F32Ge { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf32, num::f32_ge, b2s),
            Op::F64Eq { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf64, num::f64_eq, b2s),
            Op::F64Ne { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf64, num::f64_ne, b2s),
            Op::F64Lt { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf64, num::f64_lt, b2s),
            Op::F64Gt { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf64, num::f64_gt, b2s),
            Op::F64Le { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf64, num::f64_le, b2s),
            Op::F64Ge { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf64, num::f64_ge, b2s),
            Op::I32Add { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_add, i32s),
            Op::I32Sub { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_sub, i32s),
            Op::I32Mul { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_mul, i32s),
            Op::I32DivS { dst, lhs, rhs } => bin_t!(dst, lhs, rhs, si32, num::i32_div_s, i32s),
            Op::I32DivU { dst, lhs, rhs } => bin_t!(dst, lhs, rhs, si32, num::i32_div_u, i32s),
            Op::I32RemS { dst, lhs, rhs } => bin_t!(dst, lhs, rhs, si32, num::i32_rem_s, i32s),
            Op::I32RemU { dst, lhs, rhs } => bin_t!(dst, lhs, rhs, si32, num::i32_rem_u, i32s),
            Op::I32And { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_and, i32s),
            Op::I32Or { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_or, i32s),
            Op::I32Xor { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_xor, i32s),
            Op::I32Shl { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_shl, i32s),
            Op::I32ShrS { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_shr_s, i32s),
            Op::I32ShrU { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_shr_u, i32s),
            Op::I32Rotl { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_rotl, i32s),
            Op::I32Rotr { dst, lhs, rhs } => bin!(dst, lhs, rhs, si32, num::i32_rotr, i32s),
            Op::I64Add { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_add, i64s),
            Op::I64Sub { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_sub, i64s),
            Op::I64Mul { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_mul, i64s),
            Op::I64DivS { dst, lhs, rhs } => bin_t!(dst, lhs, rhs, si64, num::i64_div_s, i64s),
            Op::I64DivU { dst, lhs, rhs } => bin_t!(dst, lhs, rhs, si64, num::i64_div_u, i64s),
            Op::I64RemS { dst, lhs, rhs } => bin_t!(dst, lhs, rhs, si64, num::i64_rem_s, i64s),
            Op::I64RemU { dst, lhs, rhs } => bin_t!(dst, lhs, rhs, si64, num::i64_rem_u, i64s),
            Op::I64And { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_and, i64s),
            Op::I64Or { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_or, i64s),
            Op::I64Xor { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_xor, i64s),
            Op::I64Shl { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_shl, i64s),
            Op::I64ShrS { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_shr_s, i64s),
            Op::I64ShrU { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_shr_u, i64s),
            Op::I64Rotl { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_rotl, i64s),
            Op::I64Rotr { dst, lhs, rhs } => bin!(dst, lhs, rhs, si64, num::i64_rotr, i64s),
            Op::F32Add { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf32, num::f32_add, f32s),
            Op::F32Sub { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf32, num::f32_sub, f32s),
            Op::F32Mul { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf32, num::f32_mul, f32s),
            Op::F32Div { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf32, num::f32_div, f32s),
            Op::F32Min { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf32, num::f32_min, f32s),
            Op::F32Max { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf32, num::f32_max, f32s),
            Op::F32Copysign { dst, lhs, rhs } => {
                r!(dst) = (r!(lhs) & 0x7fff_ffff) | (r!(rhs) & 0x8000_0000)
            }
            Op::F64Add { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf64, num::f64_add, f64s),
            Op::F64Sub { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf64, num::f64_sub, f64s),
            Op::F64Mul { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf64, num::f64_mul, f64s),
            Op::F64Div { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf64, num::f64_div, f64s),
            Op::F64Min { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf64, num::f64_min, f64s),
            Op::F64Max { dst, lhs, rhs } => bin!(dst, lhs, rhs, sf64, num::f64_max, f64s),
            Op::F64Copysign { dst, lhs, rhs } => {
                r!(dst) = (r!(lhs) & 0x7fff_ffff_ffff_ffff) | (r!(rhs) & 0x8000_0000_0000_0000)
            }
        }
        pc += 1;
    }
}
