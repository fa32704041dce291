//! Export of an instrumented module: the same charges as Gauge's built-in metering, as calls to
//! an imported `gauge.gas(i64)`, so that any engine runs Gauge-metered code.

use wasm_encoder::reencode::{self, Reencode};
use wasm_encoder::{
    CodeSection, EntityType, Function, ImportSection, Instruction, Module, SectionId, TypeSection,
    ValType,
};
use wasmparser::{FunctionBody, Parser, Payload, TypeRef, ValidPayload, Validator, WasmFeatures};

use crate::analysis::{Dynamic, FuncMeter};
use crate::schedule::Schedule;

/// Module name of the gas import.
pub const GAS_MODULE: &str = "gauge";
/// Field name of the gas import, of type `(func (param i64))`.
pub const GAS_FUNC: &str = "gas";

/// Why a module could not be instrumented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstrumentError(pub String);

impl core::fmt::Display for InstrumentError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "cannot instrument module: {}", self.0)
    }
}

impl std::error::Error for InstrumentError {}

impl From<wasmparser::BinaryReaderError> for InstrumentError {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        InstrumentError(format!("{} (at offset 0x{:x})", e.message(), e.offset()))
    }
}

/// The features instrumentation accepts: Wasm 2.0 without SIMD, as Gauge.
pub fn features() -> WasmFeatures {
    WasmFeatures::WASM2.difference(WasmFeatures::SIMD)
}

/// Charges of one function: (operator index, amount) in order, and its parameter count.
#[derive(Debug, Default)]
struct Plan {
    charges: Vec<(usize, u64)>,
    params: u32,
}

/// Validate `wasm` and plan every function's charges.
fn plan(schedule: &Schedule, wasm: &[u8]) -> Result<(Vec<Plan>, u32, u32), InstrumentError> {
    let mut validator = Validator::new_with_features(features());
    let mut plans = Vec::new();
    let mut num_types = 0u32;
    let mut imported_funcs = 0u32;
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload?;
        match &payload {
            Payload::TypeSection(r) => num_types = r.count(),
            Payload::ImportSection(r) => {
                for import in r.clone().into_imports() {
                    if let TypeRef::Func(_) = import?.ty {
                        imported_funcs += 1;
                    }
                }
            }
            _ => {}
        }
        if let ValidPayload::Func(to_validate, body) = validator.payload(&payload)? {
            let mut fv = to_validate.into_validator(Default::default());
            let params = fv.len_locals();
            let mut reader = body.get_binary_reader();
            for _ in 0..reader.read_var_u32()? {
                let offset = reader.original_position();
                let count = reader.read_var_u32()?;
                let ty = reader.read()?;
                fv.define_locals(offset, count, ty)?;
            }
            let mut meter = FuncMeter::new(schedule, fv.len_locals());
            let mut ops = wasmparser::OperatorsReader::new(reader);
            let mut p = Plan {
                charges: Vec::new(),
                params,
            };
            let mut index = 0usize;
            while !ops.eof() {
                let (op, offset) = ops.read_with_offset()?;
                fv.op(offset, &op)?;
                let step = meter
                    .step(&op)
                    .map_err(|u| InstrumentError(format!("unsupported {}", u.0)))?;
                meter.observe_height(fv.operand_stack_height());
                if step.open {
                    p.charges.push((index, 0));
                }
                if let Some(last) = p.charges.last_mut() {
                    last.1 += step.cost;
                }
                index += 1;
            }
            ops.finish()?;
            let frame = meter.finish();
            if let Some(first) = p.charges.first_mut() {
                first.1 += frame;
            }
            plans.push(p);
        }
    }
    Ok((plans, num_types, imported_funcs))
}

struct Instrumenter<'s> {
    schedule: &'s Schedule,
    plans: Vec<Plan>,
    next_plan: usize,
    gas_type: u32,
    gas_func: u32,
    type_done: bool,
    import_done: bool,
    /// Scratch local of the function being written (for dynamic charges).
    scratch: u32,
}

impl Instrumenter<'_> {
    fn gas_type_section(&mut self, section: &mut TypeSection) {
        section.ty().function([ValType::I64], []);
        self.type_done = true;
    }

    fn gas_import(&mut self, section: &mut ImportSection) {
        section.import(GAS_MODULE, GAS_FUNC, EntityType::Function(self.gas_type));
        self.import_done = true;
    }

    fn dynamic_charge(&self, f: &mut Function, d: Dynamic) {
        f.instruction(&Instruction::LocalTee(self.scratch));
        f.instruction(&Instruction::LocalGet(self.scratch));
        f.instruction(&Instruction::I64ExtendI32U);
        f.instruction(&Instruction::I64Const(d.rate(self.schedule) as i64));
        f.instruction(&Instruction::I64Mul);
        f.instruction(&Instruction::Call(self.gas_func));
    }
}

fn section_rank(id: SectionId) -> u8 {
    match id {
        SectionId::Custom => 0,
        SectionId::Type => 1,
        SectionId::Import => 2,
        _ => 3,
    }
}

impl Reencode for Instrumenter<'_> {
    type Error = InstrumentError;

    fn function_index(&mut self, func: u32) -> Result<u32, reencode::Error<Self::Error>> {
        Ok(if func >= self.gas_func {
            func + 1
        } else {
            func
        })
    }

    fn parse_type_section(
        &mut self,
        types: &mut TypeSection,
        section: wasmparser::TypeSectionReader<'_>,
    ) -> Result<(), reencode::Error<Self::Error>> {
        reencode::utils::parse_type_section(self, types, section)?;
        self.gas_type_section(types);
        Ok(())
    }

    fn parse_import_section(
        &mut self,
        imports: &mut ImportSection,
        section: wasmparser::ImportSectionReader<'_>,
    ) -> Result<(), reencode::Error<Self::Error>> {
        reencode::utils::parse_import_section(self, imports, section)?;
        self.gas_import(imports);
        Ok(())
    }

    fn intersperse_section_hook(
        &mut self,
        module: &mut Module,
        _after: Option<SectionId>,
        before: Option<SectionId>,
    ) -> Result<(), reencode::Error<Self::Error>> {
        let before_rank = before.map_or(u8::MAX, section_rank);
        if !self.type_done && before_rank > 1 {
            let mut t = TypeSection::new();
            self.gas_type_section(&mut t);
            module.section(&t);
        }
        if !self.import_done && before_rank > 2 {
            let mut i = ImportSection::new();
            self.gas_import(&mut i);
            module.section(&i);
        }
        Ok(())
    }

    fn parse_function_body(
        &mut self,
        code: &mut CodeSection,
        func: FunctionBody<'_>,
    ) -> Result<(), reencode::Error<Self::Error>> {
        let plan = std::mem::take(&mut self.plans[self.next_plan]);
        self.next_plan += 1;
        let mut locals = Vec::new();
        let mut declared = 0u32;
        for pair in func.get_locals_reader()? {
            let (count, ty) = pair?;
            declared += count;
            locals.push((count, self.val_type(ty)?));
        }
        locals.push((1, ValType::I32));
        // The scratch local comes after the parameters and the declared locals.
        self.scratch = plan.params + declared;
        let mut f = Function::new(locals);
        let mut reader = func.get_operators_reader()?;
        let mut charges = plan.charges.iter().peekable();
        let mut index = 0usize;
        while !reader.eof() {
            let op = reader.read()?;
            if charges.peek().is_some_and(|(at, _)| *at == index) {
                let (_, amount) = charges.next().expect("peeked");
                f.instruction(&Instruction::I64Const(*amount as i64));
                f.instruction(&Instruction::Call(self.gas_func));
            }
            if let Some(d) = crate::analysis::dynamic_of(&op) {
                self.dynamic_charge(&mut f, d);
            }
            f.instruction(&self.instruction(op)?);
            index += 1;
        }
        code.function(&f);
        Ok(())
    }
}

/// Write `wasm` with Gauge's charges injected as calls to the imported `gauge.gas(i64)`.
///
/// Run on any engine, the instrumented module calls `gauge.gas` with amounts summing exactly to
/// Gauge's built-in `gas_used` for the same calls (see `docs/gas.md`).
pub fn instrument(schedule: &Schedule, wasm: &[u8]) -> Result<Vec<u8>, InstrumentError> {
    let (plans, num_types, imported_funcs) = plan(schedule, wasm)?;
    let mut ins = Instrumenter {
        schedule,
        plans,
        next_plan: 0,
        gas_type: num_types,
        gas_func: imported_funcs,
        type_done: false,
        import_done: false,
        scratch: 0,
    };
    let mut module = Module::new();
    ins.parse_core_module(&mut module, Parser::new(0), wasm)
        .map_err(|e| match e {
            reencode::Error::UserError(u) => u,
            other => InstrumentError(other.to_string()),
        })?;
    Ok(module.finish())
}
