//! WASI programs (`shared/contracts` `bench_sha256`, `bench_sieve`) on both engines.
//!
//! Gauge runs them as contracts through `gauge-wasi-shim` ([`gauge_wasi_shim::execute`] on
//! an in-memory state, the call input as stdin). wasmi gets the small `wasi_snapshot_preview1`
//! subset those programs import, implemented here: `fd_read` (fd 0 = the input), `fd_write`
//! (fd 1 captured, fd 2 dropped), `proc_exit`, `environ_sizes_get`/`environ_get` (empty),
//! `args_sizes_get`/`args_get` (`argv[0]` only) and `clock_time_get` (a fixed time). Each timed
//! call instantiates the module afresh and runs `_start` once: the programs are not meant to
//! be started twice in one instance. Compilation happens once, outside the timed region.

use gauge_interpreter as gauge;

/// `errno` values used by the wasmi subset.
const ESUCCESS: i32 = 0;
const EBADF: i32 = 8;
const EFAULT: i32 = 21;

/// What one run of a WASI program produced.
#[derive(Debug, Clone, Default)]
pub struct WasiOutcome {
    /// Bytes written to fd 1.
    pub stdout: Vec<u8>,
    /// The exit code: `proc_exit`'s argument, or 0 when `_start` returned.
    pub exit_code: i32,
    /// Gas (Gauge) or fuel (wasmi) used, when metered.
    pub gas: Option<u64>,
}

/// A compiled WASI program in one configuration, with the input it reads.
pub enum WasiInstance {
    /// Gauge through the WASI shim.
    Gauge {
        /// The engine (metered or not).
        engine: gauge::Engine,
        /// The compiled program.
        module: gauge::Module,
        /// Whether gas is metered.
        metered: bool,
        /// The call input (stdin).
        stdin: Vec<u8>,
        /// The outcome of the last run.
        last: WasiOutcome,
    },
    /// wasmi with the preview1 subset of this module.
    Wasmi {
        /// The engine (fuel or not).
        engine: wasmi::Engine,
        /// The compiled program.
        module: wasmi::Module,
        /// Whether fuel is metered.
        fuel: bool,
        /// The call input (stdin).
        stdin: Vec<u8>,
        /// The outcome of the last run.
        last: WasiOutcome,
    },
}

/// Host state of one wasmi run.
#[derive(Default)]
struct WasiState {
    stdin: Vec<u8>,
    read: usize,
    stdout: Vec<u8>,
}

impl WasiInstance {
    /// Compile `wasm` with `engine` (Gauge).
    pub fn gauge(engine: gauge::Engine, wasm: &[u8], metered: bool) -> Result<Self, String> {
        let module = gauge::Module::new(&engine, wasm).map_err(|e| format!("compile: {e}"))?;
        Ok(WasiInstance::Gauge {
            engine,
            module,
            metered,
            stdin: Vec::new(),
            last: WasiOutcome::default(),
        })
    }

    /// Compile `wasm` with `engine` (wasmi).
    pub fn wasmi(engine: wasmi::Engine, wasm: &[u8], fuel: bool) -> Result<Self, String> {
        let module = wasmi::Module::new(&engine, wasm).map_err(|e| format!("compile: {e}"))?;
        Ok(WasiInstance::Wasmi {
            engine,
            module,
            fuel,
            stdin: Vec::new(),
            last: WasiOutcome::default(),
        })
    }

    /// Set what the program reads from stdin.
    pub fn set_stdin(&mut self, input: &[u8]) {
        match self {
            WasiInstance::Gauge { stdin, .. } | WasiInstance::Wasmi { stdin, .. } => {
                *stdin = input.to_vec()
            }
        }
    }

    /// The outcome of the last run.
    pub fn last(&self) -> &WasiOutcome {
        match self {
            WasiInstance::Gauge { last, .. } | WasiInstance::Wasmi { last, .. } => last,
        }
    }

    /// Instantiate and run `_start` once (the timed part).
    pub fn run(&mut self) -> Result<(), String> {
        match self {
            WasiInstance::Gauge {
                engine,
                module,
                metered,
                stdin,
                last,
            } => {
                let mut state = gauge_wasi_shim::State::in_memory();
                let ctx = gauge_wasi_shim::CallContext {
                    input: stdin.clone(),
                    gas_limit: crate::engines::GAS_BUDGET,
                    ..gauge_wasi_shim::CallContext::default()
                };
                let out = gauge_wasi_shim::execute(engine, module, &mut state, &ctx)
                    .map_err(|e| format!("shim: {e}"))?;
                match out.status {
                    gauge_wasi_shim::Status::Success | gauge_wasi_shim::Status::Revert => {}
                    other => {
                        return Err(format!(
                            "{other:?}: {}",
                            out.trap.as_deref().unwrap_or("no message")
                        ));
                    }
                }
                *last = WasiOutcome {
                    stdout: out.output,
                    exit_code: out.exit_code.unwrap_or(0) as i32,
                    gas: metered.then_some(out.gas_used),
                };
                Ok(())
            }
            WasiInstance::Wasmi {
                engine,
                module,
                fuel,
                stdin,
                last,
            } => {
                let mut store = wasmi::Store::new(
                    engine,
                    WasiState {
                        stdin: stdin.clone(),
                        ..WasiState::default()
                    },
                );
                if *fuel {
                    store
                        .set_fuel(crate::engines::GAS_BUDGET)
                        .map_err(|e| e.to_string())?;
                }
                let mut linker = wasmi::Linker::new(engine);
                add_preview1(&mut linker).map_err(|e| format!("link: {e}"))?;
                let instance = linker
                    .instantiate_and_start(&mut store, module)
                    .map_err(|e| format!("instantiate: {e}"))?;
                let start = instance
                    .get_typed_func::<(), ()>(&store, "_start")
                    .map_err(|e| format!("`_start`: {e}"))?;
                let exit_code = match start.call(&mut store, ()) {
                    Ok(()) => 0,
                    Err(e) => match e.i32_exit_status() {
                        Some(code) => code,
                        None => return Err(format!("`_start`: {e}")),
                    },
                };
                let gas = if *fuel {
                    store
                        .get_fuel()
                        .ok()
                        .map(|left| crate::engines::GAS_BUDGET - left)
                } else {
                    None
                };
                *last = WasiOutcome {
                    stdout: std::mem::take(&mut store.data_mut().stdout),
                    exit_code,
                    gas,
                };
                Ok(())
            }
        }
    }
}

/// The memory export of the calling instance.
fn memory(caller: &wasmi::Caller<'_, WasiState>) -> Result<wasmi::Memory, wasmi::Error> {
    caller
        .get_export("memory")
        .and_then(wasmi::Extern::into_memory)
        .ok_or_else(|| wasmi::Error::new("no exported memory"))
}

fn read_u32(mem: &[u8], at: u32) -> Option<u32> {
    let at = at as usize;
    Some(u32::from_le_bytes(mem.get(at..at + 4)?.try_into().ok()?))
}

fn write_u32(mem: &mut [u8], at: u32, v: u32) -> bool {
    let at = at as usize;
    match mem.get_mut(at..at + 4) {
        Some(b) => {
            b.copy_from_slice(&v.to_le_bytes());
            true
        }
        None => false,
    }
}

/// The `(buf, len)` pairs of an iovec array, or `None` when it is out of bounds.
fn iovecs(mem: &[u8], iovs: u32, n: u32) -> Option<Vec<(usize, usize)>> {
    (0..n)
        .map(|i| {
            let at = iovs.checked_add(i.checked_mul(8)?)?;
            let (buf, len) = (read_u32(mem, at)?, read_u32(mem, at.checked_add(4)?)?);
            let end = (buf as usize).checked_add(len as usize)?;
            (end <= mem.len()).then_some((buf as usize, len as usize))
        })
        .collect()
}

/// Define the preview1 subset in `linker`.
fn add_preview1(linker: &mut wasmi::Linker<WasiState>) -> Result<(), wasmi::Error> {
    const M: &str = "wasi_snapshot_preview1";
    linker.func_wrap(
        M,
        "fd_write",
        |mut caller: wasmi::Caller<'_, WasiState>,
         fd: i32,
         iovs: i32,
         n: i32,
         nwritten: i32|
         -> Result<i32, wasmi::Error> {
            let mem = memory(&caller)?;
            let (data, state) = mem.data_and_store_mut(&mut caller);
            let Some(list) = iovecs(data, iovs as u32, n as u32) else {
                return Ok(EFAULT);
            };
            let mut total = 0u32;
            for (buf, len) in list {
                match fd {
                    1 => state.stdout.extend_from_slice(&data[buf..buf + len]),
                    2 => {}
                    _ => return Ok(EBADF),
                }
                total = total.wrapping_add(len as u32);
            }
            Ok(if write_u32(data, nwritten as u32, total) {
                ESUCCESS
            } else {
                EFAULT
            })
        },
    )?;
    linker.func_wrap(
        M,
        "fd_read",
        |mut caller: wasmi::Caller<'_, WasiState>,
         fd: i32,
         iovs: i32,
         n: i32,
         nread: i32|
         -> Result<i32, wasmi::Error> {
            if fd != 0 {
                return Ok(EBADF);
            }
            let mem = memory(&caller)?;
            let (data, state) = mem.data_and_store_mut(&mut caller);
            let Some(list) = iovecs(data, iovs as u32, n as u32) else {
                return Ok(EFAULT);
            };
            let mut total = 0usize;
            for (buf, len) in list {
                let rest = &state.stdin[state.read..];
                let k = rest.len().min(len);
                data[buf..buf + k].copy_from_slice(&rest[..k]);
                state.read += k;
                total += k;
                if k < len {
                    break;
                }
            }
            Ok(if write_u32(data, nread as u32, total as u32) {
                ESUCCESS
            } else {
                EFAULT
            })
        },
    )?;
    linker.func_wrap(
        M,
        "proc_exit",
        |_: wasmi::Caller<'_, WasiState>, code: i32| -> Result<(), wasmi::Error> {
            Err(wasmi::Error::i32_exit(code))
        },
    )?;
    // No environment variables; `argv` is just an empty `argv[0]`.
    let sizes = |n: u32, bytes: u32| {
        move |mut caller: wasmi::Caller<'_, WasiState>,
              count: i32,
              size: i32|
              -> Result<i32, wasmi::Error> {
            let mem = memory(&caller)?;
            let data = mem.data_mut(&mut caller);
            let ok = write_u32(data, count as u32, n) && write_u32(data, size as u32, bytes);
            Ok(if ok { ESUCCESS } else { EFAULT })
        }
    };
    linker.func_wrap(M, "environ_sizes_get", sizes(0, 0))?;
    linker.func_wrap(M, "args_sizes_get", sizes(1, 1))?;
    linker.func_wrap(
        M,
        "environ_get",
        |_: wasmi::Caller<'_, WasiState>, _: i32, _: i32| -> Result<i32, wasmi::Error> {
            Ok(ESUCCESS)
        },
    )?;
    linker.func_wrap(
        M,
        "args_get",
        |mut caller: wasmi::Caller<'_, WasiState>,
         argv: i32,
         buf: i32|
         -> Result<i32, wasmi::Error> {
            let mem = memory(&caller)?;
            let data = mem.data_mut(&mut caller);
            let ok = write_u32(data, argv as u32, buf as u32)
                && data.get_mut(buf as u32 as usize).map(|b| *b = 0).is_some();
            Ok(if ok { ESUCCESS } else { EFAULT })
        },
    )?;
    linker.func_wrap(
        M,
        "clock_time_get",
        |mut caller: wasmi::Caller<'_, WasiState>,
         _id: i32,
         _precision: i64,
         out: i32|
         -> Result<i32, wasmi::Error> {
            let mem = memory(&caller)?;
            let data = mem.data_mut(&mut caller);
            let at = out as u32 as usize;
            match data.get_mut(at..at + 8) {
                Some(b) => {
                    b.copy_from_slice(&1_700_000_000_000_000_000u64.to_le_bytes());
                    Ok(ESUCCESS)
                }
                None => Ok(EFAULT),
            }
        },
    )?;
    Ok(())
}
