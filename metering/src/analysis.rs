//! Streaming per-function gas analysis: where the charges go and how much each one is.
//!
//! A function body is cut into *metered blocks*. One charge, taken on entry to a block, pays
//! for every operator in it. A block ends:
//! - after every branch (`br`, `br_if`, `br_table`, `if`, `else`, `return`) and call;
//! - after every operator that can trap or has an effect visible after a trap (loads, stores,
//!   integer division, trapping conversions, `global.set`, `memory.grow`, bulk memory and
//!   table operations, `unreachable`);
//! - before every branch target (after `loop`, `else` and `end`).
//!
//! So when an operator traps, the charges taken pay exactly for the operators that began to
//! execute, the trapping one included; and no operator with an effect runs before its block
//! was paid for. The charge of a block is placed right before its first operator that costs
//! anything, which every path into the block passes through.
//!
//! The function's entry charge also pays for its frame: `call_per_slot` times the number of
//! slots (parameters and locals plus the maximum operand-stack height), known when the body
//! ends; consumers add [`FuncMeter::finish`] to the entry charge then.

use wasmparser::Operator;

use crate::schedule::{Class, Schedule};

/// A dynamic charge an operator takes at run time, just before it acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dynamic {
    /// `memory.fill/copy/init`: `memory_per_byte` times the length operand (on top).
    MemoryBytes,
    /// `table.fill/copy/init`: `table_per_element` times the length operand (on top).
    TableElements,
    /// `memory.grow`: `memory_grow_per_page` times the delta operand (on top).
    MemoryPages,
    /// `table.grow`: `table_grow_per_element` times the delta operand (on top).
    TableGrowElements,
}

impl Dynamic {
    /// The cost per unit under `schedule`.
    pub fn rate(self, schedule: &Schedule) -> u64 {
        let d = &schedule.dynamic;
        match self {
            Dynamic::MemoryBytes => d.memory_per_byte,
            Dynamic::TableElements => d.table_per_element,
            Dynamic::MemoryPages => d.memory_grow_per_page,
            Dynamic::TableGrowElements => d.table_grow_per_element,
        }
    }
}

/// What a consumer does for one operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// Open a new charge right before this operator (its amount starts at 0).
    pub open: bool,
    /// Add this to the open charge.
    pub cost: u64,
    /// Take this dynamic charge just before the operator acts.
    pub dynamic: Option<Dynamic>,
}

/// The operator is not supported by the schedule (a proposal Gauge does not implement).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

/// Streaming analysis of one function body, driven operator by operator by a consumer (the
/// interpreter's translator, or the instrumenter), so both place identical charges.
#[derive(Debug)]
pub struct FuncMeter<'s> {
    schedule: &'s Schedule,
    open: bool,
    first: bool,
    num_locals: u64,
    max_height: u64,
}

impl<'s> FuncMeter<'s> {
    /// Start a function with `num_locals` parameters and locals.
    pub fn new(schedule: &'s Schedule, num_locals: u32) -> Self {
        Self {
            schedule,
            open: false,
            first: true,
            num_locals: num_locals as u64,
            max_height: 0,
        }
    }

    /// The step for the next operator.
    pub fn step(&mut self, op: &Operator<'_>) -> Result<Step, Unsupported> {
        let class = crate::schedule::classify(op).ok_or_else(|| Unsupported(format!("{op:?}")))?;
        let cost = self.schedule.class_cost(class);
        let entry = self.first && self.schedule.dynamic.call_per_slot > 0;
        self.first = false;
        let open = !self.open && (cost > 0 || entry);
        if open {
            self.open = true;
        }
        if ends_block(op, class) {
            self.open = false;
        }
        Ok(Step {
            open,
            cost,
            dynamic: dynamic_of(op),
        })
    }

    /// Record the operand-stack height after an operator (from the validator).
    pub fn observe_height(&mut self, height: u32) {
        self.max_height = self.max_height.max(height as u64);
    }

    /// Frame slots: parameters and locals plus the maximum operand-stack height.
    pub fn frame_slots(&self) -> u64 {
        self.num_locals + self.max_height
    }

    /// The amount to add to the function's entry charge (the first charge opened): the frame.
    pub fn finish(self) -> u64 {
        self.frame_slots()
            .saturating_mul(self.schedule.dynamic.call_per_slot)
    }
}

/// Whether the metered block ends after `op`.
fn ends_block(op: &Operator<'_>, class: Class) -> bool {
    use Operator as O;
    match class {
        Class::Branch
        | Class::BrTable
        | Class::Call
        | Class::CallIndirect
        | Class::Load
        | Class::Store
        | Class::IntDiv
        | Class::Grow
        | Class::Bulk
        | Class::Drop
        | Class::TableAccess
        | Class::Unreachable => true,
        // Branch targets follow `loop`, `end`; `block` and `nop` are plain.
        Class::Structure => matches!(op, O::Loop { .. } | O::End),
        Class::Global => matches!(op, O::GlobalSet { .. }),
        Class::Conversion => matches!(
            op,
            O::I32TruncF32S
                | O::I32TruncF32U
                | O::I32TruncF64S
                | O::I32TruncF64U
                | O::I64TruncF32S
                | O::I64TruncF32U
                | O::I64TruncF64S
                | O::I64TruncF64U
        ),
        Class::Local
        | Class::IntArith
        | Class::IntMul
        | Class::FloatArith
        | Class::FloatDiv
        | Class::Select
        | Class::Size
        | Class::Reference => false,
    }
}

/// The dynamic charge `op` takes, if any.
pub fn dynamic_of(op: &Operator<'_>) -> Option<Dynamic> {
    use Operator as O;
    Some(match op {
        O::MemoryFill { .. } | O::MemoryCopy { .. } | O::MemoryInit { .. } => Dynamic::MemoryBytes,
        O::TableFill { .. } | O::TableCopy { .. } | O::TableInit { .. } => Dynamic::TableElements,
        O::MemoryGrow { .. } => Dynamic::MemoryPages,
        O::TableGrow { .. } => Dynamic::TableGrowElements,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(wat_body: &str) -> Vec<(String, Step)> {
        let wasm = wat::parse_str(format!("(module (memory 1) (func {wat_body}))")).unwrap();
        let schedule = Schedule::v1();
        let mut out = Vec::new();
        for payload in wasmparser::Parser::new(0).parse_all(&wasm) {
            if let wasmparser::Payload::CodeSectionEntry(body) = payload.unwrap() {
                let mut meter = FuncMeter::new(&schedule, 0);
                let mut ops = body.get_operators_reader().unwrap();
                while !ops.eof() {
                    let op = ops.read().unwrap();
                    out.push((format!("{op:?}"), meter.step(&op).unwrap()));
                }
            }
        }
        out
    }

    #[test]
    fn blocks_end_after_traps_branches_and_before_targets() {
        let s = steps(
            "(local i32) (local.set 0 (i32.const 1)) (drop (i32.load (i32.const 0))) \
             (loop (br_if 0 (local.get 0))) (nop)",
        );
        let opens: Vec<&str> = s
            .iter()
            .filter(|(_, st)| st.open)
            .map(|(n, _)| n.split(' ').next().unwrap())
            .collect();
        // Entry block through the load; then after it; the loop body (a target). Nothing after
        // the `br_if` costs anything, so no charge opens there.
        assert_eq!(opens, ["I32Const", "Drop", "LocalGet"]);
    }

    #[test]
    fn dynamic_costs_are_flagged() {
        let s = steps("(memory.fill (i32.const 0) (i32.const 0) (i32.const 8))");
        assert!(
            s.iter()
                .any(|(_, st)| st.dynamic == Some(Dynamic::MemoryBytes))
        );
    }
}
