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
    /// The operator's class.
    pub class: Class,
    /// Whether the operator ends its metered block (the next operator that costs anything
    /// opens a new charge).
    pub ends: bool,
}

/// The operator is not supported by the schedule (a proposal Gauge does not implement).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

/// Streaming analysis of one function body, driven operator by operator by a consumer (the
/// interpreter's translator, or the instrumenter), so both place identical charges.
#[derive(Debug)]
pub struct FuncMeter<'s> {
    schedule: &'s Schedule,
    /// The schedule's cost of each class, indexed by `Class as usize` (one load per operator
    /// instead of a `match`).
    costs: [u64; Class::ALL.len()],
    open: bool,
    /// The function's entry charge is still to be opened and must open even if the first
    /// operators cost nothing, because it also pays for the frame (`call_per_slot > 0`).
    entry_pending: bool,
    num_locals: u64,
    max_height: u64,
}

impl<'s> FuncMeter<'s> {
    /// Start a function with `num_locals` parameters and locals.
    pub fn new(schedule: &'s Schedule, num_locals: u32) -> Self {
        let mut costs = [0; Class::ALL.len()];
        for class in Class::ALL {
            costs[class as usize] = schedule.class_cost(class);
        }
        Self {
            schedule,
            costs,
            open: false,
            entry_pending: schedule.dynamic.call_per_slot > 0,
            num_locals: num_locals as u64,
            max_height: 0,
        }
    }

    /// The step for the next operator.
    pub fn step(&mut self, op: &Operator<'_>) -> Result<Step, Unsupported> {
        self.try_step(op)
            .ok_or_else(|| Unsupported(format!("{op:?}")))
    }

    /// [`FuncMeter::step`] without the description of an unsupported operator: `None` for
    /// one. For a consumer's hot loop, where the step then stays in registers (a `Result`
    /// with a `String` inside made LLVM build it in memory and read it back with wider loads
    /// than it was written with, a store-forwarding stall per operator).
    #[inline]
    pub fn try_step(&mut self, op: &Operator<'_>) -> Option<Step> {
        let Facts {
            class,
            ends,
            dynamic,
        } = crate::schedule::facts(op)?;
        let cost = self.costs[class as usize];
        // Bitwise, not short-circuit, operators: no branches on every operator.
        let open = !self.open & ((cost > 0) | self.entry_pending);
        self.entry_pending = false;
        // Open now, or still open from before, and not ended by this operator.
        self.open = (self.open | open) & !ends;
        Some(Step {
            open,
            cost,
            dynamic,
            class,
            ends,
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

/// What the analysis needs of one operator: its class, whether its metered block ends after
/// it, and its dynamic charge. All three depend only on which operator it is, so
/// `schedule::facts` computes them at compile time for every operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Facts {
    pub(crate) class: Class,
    pub(crate) ends: bool,
    pub(crate) dynamic: Option<Dynamic>,
}

impl Facts {
    /// The facts of the operator named `name` (wasmparser's variant name) of class `class`.
    pub(crate) const fn of(class: Option<Class>, name: &str) -> Option<Facts> {
        let Some(class) = class else {
            return None;
        };
        Some(Facts {
            class,
            ends: ends_block(class, name),
            dynamic: dynamic_named(name),
        })
    }
}

/// Operators of class `Structure` after which a block ends: branch targets follow `loop` and
/// `end` (`block` and `nop` are plain).
const STRUCTURE_ENDS: [&str; 2] = ["Loop", "End"];
/// Operators of class `Global` after which a block ends.
const GLOBAL_ENDS: [&str; 1] = ["GlobalSet"];
/// Conversions that can trap: a block ends after them.
const TRAPPING_CONVERSIONS: [&str; 8] = [
    "I32TruncF32S",
    "I32TruncF32U",
    "I32TruncF64S",
    "I32TruncF64U",
    "I64TruncF32S",
    "I64TruncF32U",
    "I64TruncF64S",
    "I64TruncF64U",
];
/// Operators with a dynamic charge, and which.
const DYNAMIC: [(&str, Dynamic); 8] = [
    ("MemoryFill", Dynamic::MemoryBytes),
    ("MemoryCopy", Dynamic::MemoryBytes),
    ("MemoryInit", Dynamic::MemoryBytes),
    ("TableFill", Dynamic::TableElements),
    ("TableCopy", Dynamic::TableElements),
    ("TableInit", Dynamic::TableElements),
    ("MemoryGrow", Dynamic::MemoryPages),
    ("TableGrow", Dynamic::TableGrowElements),
];

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn one_of(name: &str, names: &[&str]) -> bool {
    let mut i = 0;
    while i < names.len() {
        if same(name, names[i]) {
            return true;
        }
        i += 1;
    }
    false
}

/// Whether the metered block ends after the operator named `name`, of class `class`.
const fn ends_block(class: Class, name: &str) -> bool {
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
        Class::Structure => one_of(name, &STRUCTURE_ENDS),
        Class::Global => one_of(name, &GLOBAL_ENDS),
        Class::Conversion => one_of(name, &TRAPPING_CONVERSIONS),
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

/// The dynamic charge of the operator named `name`, if any.
const fn dynamic_named(name: &str) -> Option<Dynamic> {
    let mut i = 0;
    while i < DYNAMIC.len() {
        if same(name, DYNAMIC[i].0) {
            return Some(DYNAMIC[i].1);
        }
        i += 1;
    }
    None
}

/// The dynamic charge `op` takes, if any.
pub fn dynamic_of(op: &Operator<'_>) -> Option<Dynamic> {
    crate::schedule::facts(op).and_then(|f| f.dynamic)
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

    #[test]
    fn the_operators_named_in_the_facts_tables_exist_with_the_expected_class() {
        use crate::schedule::OPERATORS;
        let class = |name: &str| {
            OPERATORS
                .iter()
                .find(|(n, _)| *n == name)
                .unwrap_or_else(|| panic!("{name} is not a wasmparser operator"))
                .1
        };
        for name in STRUCTURE_ENDS {
            assert_eq!(class(name), Some(Class::Structure), "{name}");
        }
        for name in GLOBAL_ENDS {
            assert_eq!(class(name), Some(Class::Global), "{name}");
        }
        for name in TRAPPING_CONVERSIONS {
            assert_eq!(class(name), Some(Class::Conversion), "{name}");
        }
        for (name, _) in DYNAMIC {
            assert!(
                matches!(class(name), Some(Class::Bulk | Class::Grow)),
                "{name}"
            );
        }
        // Every operator with a dynamic charge is listed, and every one that ends a block
        // outside the classes that always do is one of the named ones.
        for &(name, c) in OPERATORS {
            let Some(f) = Facts::of(c, name) else {
                assert!(c.is_none());
                continue;
            };
            if matches!(f.class, Class::Bulk | Class::Grow) {
                assert!(f.dynamic.is_some(), "{name} has no dynamic charge");
            } else {
                assert!(f.dynamic.is_none(), "{name}");
            }
            if f.ends
                && matches!(
                    f.class,
                    Class::Structure | Class::Global | Class::Conversion
                )
            {
                assert!(
                    STRUCTURE_ENDS.contains(&name)
                        || GLOBAL_ENDS.contains(&name)
                        || TRAPPING_CONVERSIONS.contains(&name),
                    "{name}"
                );
            }
        }
        // A few operators by value.
        let of = |name| Facts::of(class(name), name).unwrap();
        assert!(of("End").ends && !of("Block").ends && !of("GlobalGet").ends);
        assert!(of("I64TruncF64U").ends && !of("I64TruncSatF64U").ends);
        assert!(of("I32Load").ends && !of("I32Add").ends);
        assert_eq!(of("MemoryGrow").dynamic, Some(Dynamic::MemoryPages));
        assert_eq!(of("TableCopy").dynamic, Some(Dynamic::TableElements));
    }
}
