//! Execution: the portable `loop { match op }` backend over the slot IR.
//!
//! Wasm calls never recurse on the host stack: a call leaves the inner loop
//! ([`run_frame`]) with [`Exit::Call`], the driver ([`call`]) pushes a [`Frame`] on an explicit
//! frame stack and re-enters the loop for the callee. Limits are counted in Wasm terms: frames
//! (`max_call_depth`) and value-stack slots (`max_stack_slots`), so exhaustion happens at the
//! same point on every platform.

mod fast;

use crate::ir::Op;
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
#[cold]
#[inline(never)]
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
#[inline(always)]
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
    init_frame(&mut stack[base as usize..], f);
    frames.push(Frame {
        instance,
        func: index,
        pc: 0,
        base,
    });
    Ok(())
}

/// Set a new frame's declared locals to zero and its constant pool to its values
/// ([`CompiledFunc::pool`](crate::translate::CompiledFunc::pool)); `frame` starts at its base.
#[inline(always)]
fn init_frame(frame: &mut [u64], f: &crate::translate::CompiledFunc) {
    let (params, locals) = (f.num_params as usize, f.num_locals as usize);
    let declared = &mut frame[params..locals];
    if declared.len() <= 8 {
        // A few stores beat a call to `memset`.
        for slot in declared {
            *slot = 0;
        }
    } else {
        declared.fill(0);
    }
    frame[locals..locals + f.pool.len()].copy_from_slice(&f.pool);
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
        stack[..slots.len()].copy_from_slice(slots);
        init_frame(stack, f);
    }
    // Room for some frames up front: the threaded path calls only while no push reallocates.
    let mut frames = Vec::with_capacity(64);
    frames.push(Frame {
        instance,
        func: index,
        pc: 0,
        base: 0,
    });
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
        debug_assert!(base as usize <= stack.len(), "frame base outside the stack");
        Regs {
            // Computing the pointer accesses nothing; `at` dereferences it, which is sound
            // because a frame's slots are reserved before it runs (`base + frame_size` fits).
            ptr: stack.as_mut_ptr().wrapping_add(base as usize),
            #[cfg(debug_assertions)]
            len: stack.len() - base as usize,
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
    // What the fast path's handlers share beyond their arguments.
    let mut side = fast::Side {
        trap: TrapCode::OutOfGas,
        code: code.as_ptr(),
        funcs: module.code.as_ptr(),
        instance,
        frames: core::ptr::null_mut(),
        depth: 0,
        max_depth,
        stack_len: 0,
        // Only the chain reads and writes globals while this loop runs (the store's globals
        // are not otherwise used here), so the pointers stay valid and unaliased.
        globals: globals.as_mut_ptr(),
        inst_globals: inst.globals.as_ptr(),
        store_funcs: core::ptr::null(),
        tables: core::ptr::null(),
        inst_tables: inst.tables.as_ptr(),
        inst_types: inst.types.as_ptr(),
        types: module.types.as_ptr(),
        hp: core::ptr::null_mut(),
        hl: 0,
        fa: 0.0,
        ia: core::mem::MaybeUninit::uninit(),
    };
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

    loop {
        debug_assert!(pc < code.len(), "pc {pc} outside code of {}", code.len());
        // SAFETY: `pc` always indexes `code`. It starts at 0 (every function has at least its
        // final return) or at a saved resume point `call_pc + 1`, and a call is never the last
        // instruction (a function ends with a return). Straight-line code advances by one from
        // an instruction that is not the last (the last is a return/branch/trap, which never
        // falls through), branch offsets are patched by the translator to land on an
        // instruction of the same function, and `BrTable` jumps into its `len + 1` entries,
        // which follow it. The same holds in a function's precise copy (`Precise::code`): it
        // starts with the function's code, and each copied group ends in a `Br` back into it.
        let mut op = unsafe { *code.get_unchecked(pc) };
        #[cfg(feature = "op-profile")]
        crate::profile::record(code.as_ptr().wrapping_add(pc), &op);
        if fast::FAST[op.code() as usize] {
            side.code = code.as_ptr();
            side.frames = &mut *frames;
            side.depth = *depth;
            side.stack_len = stack.len();
            side.store_funcs = funcs.as_ptr();
            side.tables = tables.as_ptr();
            // SAFETY: `pc` indexes `code` (above); the handlers' contract is this loop's
            // invariants: `regs` is the running frame, `heap` memory 0's live bytes, `side`
            // describes the running function and the frame stack (just set).
            let out = unsafe {
                let ip = code.as_ptr().add(pc);
                fast::enter(ip, regs.ptr, heap.ptr, heap.len, gas.left, &mut side)
            };
            gas.left = out.gas;
            *depth = side.depth;
            // The chain may have called or returned within the instance: the running
            // function and its slots are those of the frame on top (a function and a base
            // determine them; recursion keeps the code and changes the base).
            let top = *frames.last().expect("running frame");
            if side.code != code.as_ptr() || top.base != base {
                cur = &module.code[top.func as usize];
                code = &cur.code;
                base = top.base;
                regs = Regs::new(stack, base);
            }
            let at = out.ip & !(fast::TRAP | fast::SLOW);
            pc = (at - code.as_ptr() as usize) / core::mem::size_of::<Op>();
            if out.ip & fast::TRAP != 0 {
                trap!(side.trap);
            }
            if out.ip & fast::SLOW == 0 {
                continue;
            }
            // SAFETY: the chain stopped at an instruction of this function (`pc` as above).
            op = unsafe { *code.get_unchecked(pc) };
        }
        match op {
            Op::Trap { code } => trap!(code),
            Op::ConsumeGasGroup { total, .. } => match gas.left.checked_sub(total) {
                Some(rest) => gas.left = rest,
                None => {
                    // Go on in the precise copy, which charges block by block, from its
                    // first. Its code starts with this function's own, so `pc` and the
                    // frames' resume points mean the same there; the next call or return
                    // leaves it (rarely: these blocks cannot all run, so they end in a trap).
                    let precise = cur.precise();
                    pc = precise.copy_of(pc);
                    code = &precise.code;
                    continue;
                }
            },
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
            // Every other instruction has a handler in `fast`, which the loop ran above.
            _ => unreachable!("instruction {op:?} has a fast-path handler"),
        }
        pc += 1;
    }
}
