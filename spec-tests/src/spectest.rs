//! The `spectest` host module that spec scripts import from.

use gauge_interpreter::{
    Error, F32, F64, Global, GlobalType, Linker, Memory, MemoryType, Mutability, Store, Table,
    TableType, ValType, Value,
};

/// Define the `spectest` module in `linker`, creating its table, memory and globals in
/// `store`: functions `print*` that do nothing, immutable globals `global_i32` = 666,
/// `global_i64` = 666, `global_f32` = 666.6, `global_f64` = 666.6, `table` (10..20 funcref)
/// and `memory` (1..2 pages).
pub(crate) fn define(linker: &mut Linker<()>, store: &mut Store<()>) -> Result<(), Error> {
    const M: &str = "spectest";
    linker.func_wrap(M, "print", || {})?;
    linker.func_wrap(M, "print_i32", |_: i32| {})?;
    linker.func_wrap(M, "print_i64", |_: i64| {})?;
    linker.func_wrap(M, "print_f32", |_: f32| {})?;
    linker.func_wrap(M, "print_f64", |_: f64| {})?;
    linker.func_wrap(M, "print_i32_f32", |_: i32, _: f32| {})?;
    linker.func_wrap(M, "print_f64_f64", |_: f64, _: f64| {})?;

    let globals = [
        ("global_i32", ValType::I32, Value::I32(666)),
        ("global_i64", ValType::I64, Value::I64(666)),
        ("global_f32", ValType::F32, Value::F32(F32::from(666.6f32))),
        ("global_f64", ValType::F64, Value::F64(F64::from(666.6f64))),
    ];
    for (name, ty, value) in globals {
        let global = Global::new(store, GlobalType::new(ty, Mutability::Const), value)?;
        linker.define(M, name, global)?;
    }

    let table = Table::new(
        store,
        TableType::new(ValType::FuncRef, 10, Some(20)),
        Value::FuncRef(None),
    )?;
    linker.define(M, "table", table)?;
    let memory = Memory::new(store, MemoryType::new(1, Some(2)))?;
    linker.define(M, "memory", memory)?;
    Ok(())
}
