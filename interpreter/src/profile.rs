//! Dynamic instruction counts, for choosing superinstructions (feature `op-profile`).
//!
//! With the feature on, `build.rs` turns the threaded handlers off, so every executed
//! instruction passes the top of the executor's loop, where it is counted, and so is the pair
//! it forms with the instruction before it when it follows that one in the code (the pair's
//! second instruction was reached by falling through, so a fused instruction could replace the
//! two). Counts are per thread and accumulate until [`take`]. Never on in production builds:
//! counting costs a table update per instruction.

use crate::ir::{NUM_OPS, Op, OpCode};
use std::cell::RefCell;

/// Executed-instruction counts, by [`crate::ir::OpCode`] (`Op::NAMES` gives the names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpProfile {
    /// How often each opcode ran.
    pub ops: Vec<u64>,
    /// `pairs[a * NUM_OPS + b]`: how often opcode `b` ran right after opcode `a` by falling
    /// through from it.
    pub pairs: Vec<u64>,
    /// `arrivals[3 * op + k]`: how often opcode `op` was reached by falling through (`k = 0`),
    /// by a jump forward (`1`, calls and returns included) or by a jump backward (`2`).
    pub arrivals: Vec<u64>,
    /// `gas_jumps[op]`: how often opcode `op` jumped (forward or backward, calls and returns
    /// included) to a gas charge (`ConsumeGas` or `ConsumeGasGroup`).
    pub gas_jumps: Vec<u64>,
    /// `deps[a * NUM_OPS + b]`: the fall-through pairs of `pairs` whose second instruction
    /// reads the slot the first one wrote as its single result (candidates for handing the
    /// value on in a register rather than through the slot).
    pub deps: Vec<u64>,
}

impl Default for OpProfile {
    fn default() -> Self {
        OpProfile {
            ops: vec![0; NUM_OPS],
            pairs: vec![0; NUM_OPS * NUM_OPS],
            arrivals: vec![0; 3 * NUM_OPS],
            gas_jumps: vec![0; NUM_OPS],
            deps: vec![0; NUM_OPS * NUM_OPS],
        }
    }
}

impl OpProfile {
    /// Instructions executed in all.
    pub fn total(&self) -> u64 {
        self.ops.iter().sum()
    }

    /// The `n` most frequent opcodes, most frequent first, with their counts.
    pub fn top_ops(&self, n: usize) -> Vec<(&'static str, u64)> {
        let mut v: Vec<_> = (0..NUM_OPS)
            .filter(|&i| self.ops[i] > 0)
            .map(|i| (Op::NAMES[i], self.ops[i]))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v.truncate(n);
        v
    }

    /// The `n` most frequent fall-through pairs, most frequent first, with their counts.
    pub fn top_pairs(&self, n: usize) -> Vec<(&'static str, &'static str, u64)> {
        Self::top(&self.pairs, n)
    }

    /// The `n` most frequent dependent fall-through pairs (`deps`), most frequent first.
    pub fn top_deps(&self, n: usize) -> Vec<(&'static str, &'static str, u64)> {
        Self::top(&self.deps, n)
    }

    fn top(counts: &[u64], n: usize) -> Vec<(&'static str, &'static str, u64)> {
        let mut v: Vec<_> = (0..NUM_OPS * NUM_OPS)
            .filter(|&i| counts[i] > 0)
            .map(|i| (Op::NAMES[i / NUM_OPS], Op::NAMES[i % NUM_OPS], counts[i]))
            .collect();
        v.sort_by(|a, b| b.2.cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
        v.truncate(n);
        v
    }
}

struct Recorder {
    profile: OpProfile,
    /// Address and opcode of the instruction counted last.
    prev: (usize, usize),
    /// The single result slot of the instruction counted last, if it has one.
    prev_dst: Option<crate::ir::Slot>,
}

thread_local! {
    static RECORDER: RefCell<Recorder> = RefCell::new(Recorder {
        profile: OpProfile::default(),
        prev: (0, 0),
        prev_dst: None,
    });
}

/// Count the instruction `op` about to run at address `at`.
pub(crate) fn record(at: *const Op, op: &Op) {
    let at = at as usize;
    let code = op.code() as usize;
    let mut op = *op;
    let dst = op.single_dst_mut().map(|d| *d);
    RECORDER.with_borrow_mut(|r| {
        r.profile.ops[code] += 1;
        let (prev_at, prev_code) = r.prev;
        let kind = if at == prev_at.wrapping_add(core::mem::size_of::<Op>()) {
            r.profile.pairs[prev_code * NUM_OPS + code] += 1;
            // A reader of the integer accumulator (`…Ia`) no longer reads the slot.
            if let Some(s) = r.prev_dst
                && !Op::NAMES[code].ends_with("Ia")
            {
                let mut uses = 0usize;
                op.for_each_slot_mut(|x| uses += usize::from(*x == s));
                if uses > usize::from(dst == Some(s)) {
                    r.profile.deps[prev_code * NUM_OPS + code] += 1;
                }
            }
            0
        } else {
            let gas = [
                OpCode::ConsumeGas as usize,
                OpCode::ConsumeGasGroup as usize,
            ];
            if gas.contains(&code) {
                r.profile.gas_jumps[prev_code] += 1;
            }
            if at > prev_at { 1 } else { 2 }
        };
        r.profile.arrivals[3 * code + kind] += 1;
        r.prev = (at, code);
        r.prev_dst = dst;
    });
}

/// This thread's counts since the last call, which starts them again from zero.
pub fn take() -> OpProfile {
    RECORDER.with_borrow_mut(|r| {
        r.prev = (0, 0);
        r.prev_dst = None;
        core::mem::take(&mut r.profile)
    })
}
