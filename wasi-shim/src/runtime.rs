//! Running calls: the world of one top-level execution, per-call frames, nested calls, and the
//! mapping of the interpreter's results onto [`CallOutcome`]s.

use std::collections::BTreeMap;

use gauge_interpreter::{Engine, Error, Linker, Module, Store, TrapCode};
use sha2::{Digest, Sha256};

use crate::preview1;
use crate::state::{Journal, State};
use crate::{Address, BlockContext, CallContext, CallOutcome, ShimError, Status};

/// Host error message that marks a `proc_exit` (the code is in the frame).
pub(crate) const PROC_EXIT: &str = "wasi: proc_exit";
/// Host error message that marks a backend failure (the error is in the world).
pub(crate) const FATAL: &str = "wasi: state backend failure";
/// Deepest nesting of cross-contract calls (the top-level call is depth 0).
pub const MAX_NESTED_CALLS: u32 = 32;

/// Gas costs the host charges, from the engine's schedule (all 0 without metering).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Costs {
    pub host_call: u64,
    pub per_byte: u64,
    pub storage_access: u64,
    pub read_per_byte: u64,
    pub write_per_byte: u64,
    pub new_byte: u64,
}

impl Costs {
    fn of(engine: &Engine) -> Self {
        engine
            .config()
            .gas_schedule()
            .map_or_else(Costs::default, |s| Costs {
                host_call: s.dynamic.host_call,
                per_byte: s.dynamic.host_call_per_byte,
                storage_access: s.dynamic.storage_access,
                read_per_byte: s.dynamic.storage_read_per_byte,
                write_per_byte: s.dynamic.storage_write_per_byte,
                new_byte: s.dynamic.storage_new_byte,
            })
    }
}

/// Everything shared by the calls of one top-level execution.
pub(crate) struct World {
    pub journal: Journal,
    pub engine: Engine,
    pub costs: Costs,
    pub block: BlockContext,
    /// Compiled callee modules by code hash.
    pub modules: BTreeMap<[u8; 32], Module>,
    /// A backend failure: the execution is abandoned.
    pub fatal: Option<ShimError>,
    /// Number of call frames started so far (the top-level call is 0).
    pub calls_started: u64,
    /// Per storage entry, the largest size (key + value bytes, 0 when absent) already paid
    /// for or committed: growth beyond it is charged `storage_new_byte`.
    pub paid_size: BTreeMap<crate::state::StateKey, u64>,
}

impl World {
    /// The bytes of new storage that changing entry `key` from `current` to `new` bytes
    /// (key + value; 0 = absent) adds, and remember them as paid.
    pub fn growth(&mut self, key: &crate::state::StateKey, current: u64, new: u64) -> u64 {
        let paid = self.paid_size.entry(key.clone()).or_insert(current);
        let g = new.saturating_sub(*paid);
        *paid = (*paid).max(new);
        g
    }
}

/// An open file descriptor.
#[derive(Debug, Clone)]
pub(crate) struct Fd {
    pub kind: FdKind,
    pub flags: u16,
    pub rights_base: u64,
    pub rights_inheriting: u64,
}

/// What a file descriptor refers to.
#[derive(Debug, Clone)]
pub(crate) enum FdKind {
    /// The call input.
    Stdin,
    /// The return data.
    Stdout,
    /// Log events.
    Stderr,
    /// A directory of the storage tree (`path` has no trailing slash; "" is the root).
    Dir {
        path: String,
        preopen: bool,
        /// Entries captured by the first `fd_readdir` (cookie 0).
        listing: Option<Vec<(Vec<u8>, crate::vfs::Kind)>>,
    },
    /// A storage entry opened as a file.
    File {
        key: String,
        pos: u64,
        read: bool,
        write: bool,
    },
    /// A handle on `/contracts/<address>`: a synchronous call.
    Call(Box<CallHandle>),
}

/// The state of a cross-contract call handle.
#[derive(Debug, Clone)]
pub(crate) struct CallHandle {
    pub callee: Address,
    pub input: Vec<u8>,
    pub written: bool,
    /// `None` until the callee ran; then its output, or `Err` if it failed.
    pub result: Option<Result<Vec<u8>, ()>>,
    pub pos: usize,
}

/// One running call: its context and its WASI process state.
pub(crate) struct Frame {
    pub address: Address,
    pub input: Vec<u8>,
    pub input_pos: usize,
    pub args: Vec<Vec<u8>>,
    pub env: Vec<Vec<u8>>,
    pub fds: BTreeMap<u32, Fd>,
    pub output: Vec<u8>,
    pub logs: Vec<Vec<u8>>,
    pub exit: Option<u32>,
    pub random_seed: [u8; 32],
    pub random_counter: u64,
    /// Nesting depth (0 for the top-level call).
    pub depth: u32,
}

/// The host data of a call's store.
pub(crate) struct Host {
    /// The world; lent to a nested call while it runs.
    pub world: Option<World>,
    pub frame: Frame,
    /// Storage gas accumulated by the running host function, charged when it returns.
    pub frame_pending: u64,
}

impl Host {
    pub fn world(&mut self) -> &mut World {
        self.world
            .as_mut()
            .expect("world present outside nested calls")
    }
}

/// A call's context as the frame sees it.
pub(crate) struct FrameSpec {
    pub address: Address,
    pub caller: Address,
    pub value: u128,
    pub input: Vec<u8>,
    pub args: Vec<String>,
    pub gas_limit: u64,
    pub balance: u128,
    pub depth: u32,
}

impl Frame {
    fn new(spec: &FrameSpec, block: &BlockContext, call_index: u64) -> Frame {
        let mut args = vec![spec.address.to_hex().into_bytes()];
        args.extend(spec.args.iter().map(|a| a.clone().into_bytes()));
        let env = [
            ("CALLER", spec.caller.to_hex()),
            ("VALUE", spec.value.to_string()),
            ("BLOCK_HEIGHT", block.height.to_string()),
            ("BLOCK_TIME", block.time_ns.to_string()),
            ("CHAIN_ID", block.chain_id.to_string()),
            ("GAS_LIMIT", spec.gas_limit.to_string()),
            ("BALANCE", spec.balance.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| format!("{k}={v}").into_bytes())
        .collect();
        let mut h = Sha256::new();
        h.update(b"gauge-wasi random_get v1");
        h.update(block.chain_id.to_le_bytes());
        h.update(block.height.to_le_bytes());
        h.update(block.time_ns.to_le_bytes());
        h.update(spec.address.0);
        h.update(spec.caller.0);
        h.update(spec.value.to_le_bytes());
        h.update(Sha256::digest(&spec.input));
        h.update(call_index.to_le_bytes());
        let random_seed = h.finalize().into();
        let mut fds = BTreeMap::new();
        let stdio = |kind, rights| Fd {
            kind,
            flags: 0,
            rights_base: rights,
            rights_inheriting: 0,
        };
        use crate::abi::rights as r;
        let common = r::POLL_FD_READWRITE | r::FD_FILESTAT_GET | r::FD_FDSTAT_SET_FLAGS;
        fds.insert(0, stdio(FdKind::Stdin, r::FD_READ | common));
        fds.insert(1, stdio(FdKind::Stdout, r::FD_WRITE | common));
        fds.insert(2, stdio(FdKind::Stderr, r::FD_WRITE | common));
        fds.insert(
            3,
            Fd {
                kind: FdKind::Dir {
                    path: String::new(),
                    preopen: true,
                    listing: None,
                },
                flags: 0,
                rights_base: r::DIRECTORY,
                rights_inheriting: r::DIRECTORY | r::FILE,
            },
        );
        Frame {
            address: spec.address,
            input: spec.input.clone(),
            input_pos: 0,
            args,
            env,
            fds,
            output: Vec::new(),
            logs: Vec::new(),
            exit: None,
            random_seed,
            random_counter: 0,
            depth: spec.depth,
        }
    }
}

/// How a frame ended, before state handling.
pub(crate) struct FrameResult {
    pub status: Status,
    pub exit_code: Option<u32>,
    pub output: Vec<u8>,
    pub logs: Vec<Vec<u8>>,
    pub gas_used: u64,
    pub trap: Option<String>,
}

/// Run `module`'s `_start` as a call in a fresh store. The world is lent to the store and
/// given back with the result. State changes stay in the journal's current layer: the caller
/// of this function commits or reverts it.
pub(crate) fn run_frame(world: World, module: &Module, spec: &FrameSpec) -> (FrameResult, World) {
    let engine = world.engine.clone();
    let mut world = world;
    let frame = Frame::new(spec, &world.block, world.calls_started);
    world.calls_started += 1;
    let mut store = Store::new(
        &engine,
        Host {
            world: Some(world),
            frame,
            frame_pending: 0,
        },
    );
    store.set_gas(spec.gas_limit);
    let mut linker = Linker::new(&engine);
    preview1::add_to_linker(&mut linker);
    let result = store
        .consume_gas(module.translation_gas())
        .and_then(|()| linker.instantiate(&mut store, module))
        .and_then(|instance| {
            instance
                .get_typed_func::<(), (), _>(&store, "_start")
                .and_then(|start| start.call(&mut store, ()))
        });
    let gas_used = store.gas_used();
    let host = store.into_data();
    let world = host.world.expect("world returned by nested calls");
    let frame = host.frame;
    let (status, exit_code, trap) = match result {
        Ok(()) => (Status::Success, Some(0), None),
        Err(e) => classify(e, frame.exit),
    };
    (
        FrameResult {
            status,
            exit_code,
            output: frame.output,
            logs: frame.logs,
            gas_used,
            trap,
        },
        world,
    )
}

fn classify(e: Error, exit: Option<u32>) -> (Status, Option<u32>, Option<String>) {
    match e {
        Error::Host(m) if m == PROC_EXIT => match exit {
            Some(0) => (Status::Success, Some(0), None),
            Some(n) => (Status::Revert, Some(n), None),
            None => (Status::Trap, None, Some(m)),
        },
        Error::Trap(TrapCode::OutOfGas) => (Status::OutOfGas, None, Some("out of gas".into())),
        Error::Trap(TrapCode::StackExhausted) => (
            Status::Exhausted,
            None,
            Some(TrapCode::StackExhausted.message().into()),
        ),
        Error::Trap(code) => (Status::Trap, None, Some(code.message().into())),
        Error::Limit(m) => (Status::Exhausted, None, Some(m)),
        other => (Status::Trap, None, Some(other.to_string())),
    }
}

/// What a nested call gives back to its caller.
pub(crate) struct Nested {
    /// The callee's output, or `None` if it failed.
    pub output: Option<Vec<u8>>,
    /// Gas the callee used (to charge to the caller).
    pub gas_used: u64,
    /// The callee's logs (empty if it failed).
    pub logs: Vec<Vec<u8>>,
}

impl Nested {
    fn failed(gas_used: u64) -> Self {
        Nested {
            output: None,
            gas_used,
            logs: Vec::new(),
        }
    }
}

/// Run a nested call from a host function: `world` belongs to the calling frame.
pub(crate) fn nested_call(
    world: World,
    caller_frame: &Frame,
    callee: Address,
    input: Vec<u8>,
    gas_limit: u64,
) -> (Nested, World) {
    let mut world = world;
    if caller_frame.depth + 1 > MAX_NESTED_CALLS {
        return (Nested::failed(0), world);
    }
    let module = match load_module(&mut world, &callee) {
        Ok(Some(m)) => m,
        Ok(None) => return (Nested::failed(0), world),
        Err(e) => {
            world.fatal.get_or_insert(e);
            return (Nested::failed(0), world);
        }
    };
    let balance = match world.journal.account(&callee) {
        Ok(a) => a.balance,
        Err(e) => {
            world.fatal.get_or_insert(e);
            return (Nested::failed(0), world);
        }
    };
    let spec = FrameSpec {
        address: callee,
        caller: caller_frame.address,
        value: 0,
        input,
        args: Vec::new(),
        gas_limit,
        balance,
        depth: caller_frame.depth + 1,
    };
    world.journal.push();
    let (r, mut world) = run_frame(world, &module, &spec);
    if r.status == Status::Success && world.fatal.is_none() {
        world.journal.commit();
        let nested = Nested {
            output: Some(r.output),
            gas_used: r.gas_used,
            logs: r.logs,
        };
        (nested, world)
    } else {
        world.journal.revert();
        (Nested::failed(r.gas_used), world)
    }
}

/// The compiled code of `address`, if it has code that compiles.
fn load_module(world: &mut World, address: &Address) -> Result<Option<Module>, ShimError> {
    let hash = world.journal.account(address)?.code_hash;
    if hash == [0; 32] {
        return Ok(None);
    }
    if let Some(m) = world.modules.get(&hash) {
        return Ok(Some(m.clone()));
    }
    let Some(code) = world.journal.code(&hash)? else {
        return Ok(None);
    };
    match Module::new(&world.engine, &code) {
        Ok(m) => {
            world.modules.insert(hash, m.clone());
            Ok(Some(m))
        }
        Err(_) => Ok(None),
    }
}

/// Execute a top-level call of `module` as the contract `ctx.address` over `state`.
///
/// The call first moves `ctx.value` from `ctx.caller` to `ctx.address` (a caller without enough
/// balance gives [`Status::Revert`] before anything runs), then runs `_start` with the chain's
/// WASI mapping. On [`Status::Success`] every change (the transfer included) is committed to
/// `state` in one atomic write; otherwise nothing changes. `Err` only reports backend failures.
/// No receipt is recorded: see [`crate::run`] for receipts and witnesses.
pub fn execute(
    engine: &Engine,
    module: &Module,
    state: &mut State,
    ctx: &CallContext,
) -> Result<CallOutcome, ShimError> {
    let backend = state.take_backend();
    let (result, journal) = run_on(engine, module, Journal::new(backend), ctx);
    let mut backend = journal.into_backend();
    let result = result.and_then(|e| {
        if let Some(changes) = e.changes {
            crate::state::commit(&mut *backend, changes, &BTreeMap::new())?;
        }
        Ok(e.outcome)
    });
    state.restore_backend(backend);
    let result = result?;
    Ok(CallOutcome {
        state_root: state.root()?,
        ..result
    })
}

/// Execute the code stored for `ctx.address` (see [`execute`]). The account must have code,
/// and the code must hash to the account's code hash (a tampered code blob is an error and
/// never runs); code that does not compile gives a [`Status::Trap`] outcome.
pub fn execute_account(
    engine: &Engine,
    state: &mut State,
    ctx: &CallContext,
) -> Result<CallOutcome, ShimError> {
    let (_, code) = account_code(state, &ctx.address)?;
    match Module::new(engine, &code) {
        Ok(module) => execute(engine, &module, state, ctx),
        Err(e) => Ok(CallOutcome {
            state_root: state.root()?,
            ..invalid_code(&e.to_string())
        }),
    }
}

/// The code hash and (checked) code of `address`.
pub(crate) fn account_code(
    state: &State,
    address: &Address,
) -> Result<([u8; 32], Vec<u8>), ShimError> {
    let hash = state.account(address)?.code_hash;
    let code = if hash == [0; 32] {
        None
    } else {
        state.code(&hash)?
    };
    match code {
        Some(code) => Ok((hash, code)),
        None => Err(ShimError::Invalid(format!("account {address} has no code"))),
    }
}

/// The outcome of a call whose code does not compile (nothing ran, nothing changed).
pub(crate) fn invalid_code(why: &str) -> CallOutcome {
    CallOutcome {
        status: Status::Trap,
        exit_code: None,
        output: Vec::new(),
        logs: Vec::new(),
        gas_used: 0,
        trap: Some(format!("invalid code: {why}")),
        state_root: [0; 32],
    }
}

/// A top-level call run over a journal, before anything is committed.
pub(crate) struct Executed {
    /// The outcome (its `state_root` is not filled in yet).
    pub outcome: CallOutcome,
    /// On success, the call's change set.
    pub changes: Option<BTreeMap<crate::state::StateKey, Option<Vec<u8>>>>,
}

/// Run a top-level call over `journal` (which must have no layers) without committing: the
/// journal comes back with the entries read in its cache.
pub(crate) fn run_on(
    engine: &Engine,
    module: &Module,
    journal: Journal,
    ctx: &CallContext,
) -> (Result<Executed, ShimError>, Journal) {
    let mut world = World {
        journal,
        engine: engine.clone(),
        costs: Costs::of(engine),
        block: ctx.block,
        modules: BTreeMap::new(),
        fatal: None,
        calls_started: 0,
        paid_size: BTreeMap::new(),
    };
    world.journal.push();
    let balance = match transfer(&mut world.journal, ctx) {
        Ok(Ok(b)) => b,
        Ok(Err(why)) => {
            world.journal.revert();
            let outcome = CallOutcome {
                status: Status::Revert,
                exit_code: None,
                output: Vec::new(),
                logs: Vec::new(),
                gas_used: 0,
                trap: Some(why.into()),
                state_root: [0; 32],
            };
            let executed = Executed {
                outcome,
                changes: None,
            };
            return (Ok(executed), world.journal);
        }
        Err(e) => {
            world.journal.revert();
            return (Err(e), world.journal);
        }
    };
    let spec = FrameSpec {
        address: ctx.address,
        caller: ctx.caller,
        value: ctx.value,
        input: ctx.input.clone(),
        args: ctx.args.clone(),
        gas_limit: ctx.gas_limit,
        balance,
        depth: 0,
    };
    let (r, mut world) = run_frame(world, module, &spec);
    if let Some(e) = world.fatal.take() {
        world.journal.revert();
        return (Err(e), world.journal);
    }
    let changes = if r.status == Status::Success {
        world.journal.commit()
    } else {
        world.journal.revert();
        None
    };
    let executed = Executed {
        outcome: outcome(r),
        changes,
    };
    (Ok(executed), world.journal)
}

fn outcome(r: FrameResult) -> CallOutcome {
    CallOutcome {
        status: r.status,
        exit_code: r.exit_code,
        output: r.output,
        logs: r.logs,
        gas_used: r.gas_used,
        trap: r.trap,
        state_root: [0; 32],
    }
}

/// Move the call's value. The callee's balance afterwards, or why the transfer is impossible.
fn transfer(
    journal: &mut Journal,
    ctx: &CallContext,
) -> Result<Result<u128, &'static str>, ShimError> {
    let mut from = journal.account(&ctx.caller)?;
    if ctx.value == 0 || ctx.caller == ctx.address {
        if from.balance < ctx.value {
            return Ok(Err("insufficient balance for the call's value"));
        }
        return Ok(Ok(journal.account(&ctx.address)?.balance));
    }
    let Some(rest) = from.balance.checked_sub(ctx.value) else {
        return Ok(Err("insufficient balance for the call's value"));
    };
    let mut to = journal.account(&ctx.address)?;
    let Some(sum) = to.balance.checked_add(ctx.value) else {
        return Ok(Err("the callee's balance would overflow"));
    };
    from.balance = rest;
    to.balance = sum;
    journal.set_account(ctx.caller, from);
    journal.set_account(ctx.address, to);
    Ok(Ok(sum))
}
