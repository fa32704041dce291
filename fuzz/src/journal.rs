//! The `journal` target: contracts whose `_start` performs sequences of real WASI storage
//! operations (generated with wasm-encoder, so every descriptor and path is valid or fails
//! for a reason the model knows), nested calls through `/contracts/<address>`, and commit or
//! revert at the end; a simple model of the journal predicts every errno, every byte read,
//! the final storage of every account, balances and how each call ends.
//!
//! * A [`Scenario`] (from arbitrary bytes): 2–3 contracts, each with 1–2 programs (the first
//!   input byte, modulo their count, selects one), the initial storage of each contract over a
//!   small key universe with shared prefixes ([`PATHS`], directory markers `a/` and `b/`), and
//!   1–4 top-level calls from a funded caller (contract, input, value).
//! * Each program is a list of [`Op`]s and an [`End`]. Every op writes one record to stdout
//!   (its errnos, and what it read), so the harness sees each result.
//! * The contracts are deployed with [`State::deploy_contract`]. Their addresses depend on
//!   their code, so a program cannot embed them: each contract's storage holds the key
//!   [`PEERS_KEY`], the paths `contracts/0x…` of every contract and of the caller (which has
//!   no code), and `_start` reads it first.
//! * The model ([`expect`]) is a map of accounts to `BTreeMap` storage; a frame snapshots the
//!   whole world and restores it when it fails (revert, trap), so a failed nested call drops
//!   its changes and those of everything it called, and a failed top-level call leaves
//!   everything as before.
//! * [`journal`] runs the calls with [`gauge_wasi_shim::run_account`] on two identically built
//!   states (the second recording witnesses) and compares, after each call: status, exit code,
//!   stdout record by record, storage of every account and balances with the model; outcome
//!   and receipt between the two states; the root unchanged after a failure and equal to the
//!   outcome's after a success; gas within the limit; and the receipt chain at the end.

use std::collections::BTreeMap;

use arbitrary::Unstructured;
use gauge_interpreter as gauge;
use gauge_wasi_shim::abi::{Errno, oflags, rights};
use gauge_wasi_shim::{Address, CallContext, Changes, RunOptions, State, StateKey, Status};
use wasm_encoder::{
    BlockType, CodeSection, ConstExpr, DataSection, EntityType, ExportKind, ExportSection,
    Function, FunctionSection, ImportSection, InstructionSink, MemArg, MemArgTarget, MemorySection,
    MemoryType, Module, TypeSection, ValType,
};

/// The storage paths programs use: shared prefixes, files that can shadow directories.
pub const PATHS: [&str; 6] = ["a", "b", "a/b", "a/c", "b/x", "a/b/c"];
/// Directories programs list (`""` is the root, listed through fd 3 itself).
pub const DIRS: [&str; 4] = ["", "a", "b", "a/b"];
/// Directory markers the initial storage may hold.
const MARKERS: [&str; 2] = ["a/", "b/"];
/// The key holding the call paths of the peers (every contract, then the caller).
pub const PEERS_KEY: &str = "peers";
/// Bytes a read (of a file or of a callee's output) asks for.
pub const READ_MAX: u32 = 256;
/// Size of the `fd_readdir` buffer.
pub const DIR_BUF: u32 = 512;
/// Frames (top-level and nested) the model runs per top-level call before the scenario is
/// skipped as too expensive (programs calling each other twice grow exponentially).
pub const MAX_FRAMES: usize = 48;
/// Gas limit of every top-level call: far more than [`MAX_FRAMES`] frames of these programs
/// use, so the model does not need gas.
pub const GAS_LIMIT: u64 = 1_000_000_000;
/// The caller's balance at genesis.
pub const CALLER_BALANCE: u128 = 1_000;
/// The caller of every top-level call (it has no code: a call to it is `ENOENT`).
pub const CALLER: Address = Address([0xca; 20]);
/// Length of a peer's call path: `contracts/` and `0x` with 40 hex digits.
const PEER_PATH: u32 = 52;
/// Depth limit of nested calls (the top-level frame is depth 0).
const MAX_DEPTH: u32 = gauge_wasi_shim::MAX_NESTED_CALLS;
/// "Not attempted" in a record's errno slot.
const SKIPPED: u16 = 0xffff;

/// How a write opens its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// `O_CREAT | O_TRUNC`: the value replaces the contents.
    Trunc,
    /// `O_CREAT` with `FDFLAGS_APPEND`: the value is appended.
    Append,
    /// `O_CREAT` alone: the value overwrites the start of the contents.
    Overwrite,
}

/// One storage operation (or nested call) of a program. Indices are into [`PATHS`],
/// [`DIRS`] and the peers (contracts in order, then the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// `path_open` (create), `fd_write`, `fd_close`. Record `W e_open e_write e_close`.
    Write {
        /// Index into [`PATHS`].
        path: usize,
        /// Bytes written.
        value: Vec<u8>,
        /// Open flags.
        mode: WriteMode,
    },
    /// `path_open`, `fd_read` (up to [`READ_MAX`]), `fd_close`. Record `R e_open e_read
    /// e_close n data`.
    Read {
        /// Index into [`PATHS`].
        path: usize,
    },
    /// `path_unlink_file`. Record `U e`.
    Unlink {
        /// Index into [`PATHS`].
        path: usize,
    },
    /// `path_create_directory`. Record `M e`.
    Mkdir {
        /// Index into [`PATHS`].
        path: usize,
    },
    /// `path_open` with `O_DIRECTORY` (not for the root), `fd_readdir` from cookie 0,
    /// `fd_close`. Record `D e_open e_readdir e_close n dirents`.
    Readdir {
        /// Index into [`DIRS`].
        dir: usize,
    },
    /// Open `contracts/<peer>`, write one input byte, then read the output (record `C e_open
    /// e_write e_read e_close n output`) or only close, which runs the callee (record `F
    /// e_open e_write e_close`).
    Call {
        /// Index of the peer.
        peer: usize,
        /// The callee's input (selects its program).
        input: u8,
        /// Read the output (else fire and forget).
        read: bool,
    },
}

/// How a program ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// `proc_exit(0)`: success.
    Exit0,
    /// `_start` returns: success.
    Return,
    /// `proc_exit(n)`, `n != 0`: revert.
    Exit(u8),
    /// `unreachable`: trap.
    Trap,
}

/// A program: operations, then an ending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// The operations, in order.
    pub ops: Vec<Op>,
    /// How it ends.
    pub end: End,
}

/// A contract: its programs (input byte 0 modulo their count selects one; no input selects
/// the first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    /// At least one program.
    pub programs: Vec<Program>,
}

/// A top-level call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopCall {
    /// Index of the called contract.
    pub contract: usize,
    /// The input (empty or one byte).
    pub input: Vec<u8>,
    /// Value moved from the caller.
    pub value: u128,
}

/// Everything a `journal` input describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// The contracts (2 or 3).
    pub contracts: Vec<Contract>,
    /// Initial storage of each contract (besides [`PEERS_KEY`]).
    pub storage: Vec<Vec<(Vec<u8>, Vec<u8>)>>,
    /// The top-level calls, in order.
    pub calls: Vec<TopCall>,
}

fn small_value(u: &mut Unstructured<'_>, max: usize) -> arbitrary::Result<Vec<u8>> {
    let len = u.int_in_range(0..=max)?;
    let mut v = Vec::with_capacity(len);
    for _ in 0..len {
        // Readable bytes: reports are easier to follow, and contents do not matter.
        v.push(b"abcdefghijklmnopqrstuvwxyz0123456789"[u.choose_index(36)?]);
    }
    Ok(v)
}

fn arbitrary_op(u: &mut Unstructured<'_>, peers: usize) -> arbitrary::Result<Op> {
    Ok(match u.int_in_range(0..=9)? {
        0..=2 => Op::Write {
            path: u.choose_index(PATHS.len())?,
            value: small_value(u, 6)?,
            mode: *u.choose(&[WriteMode::Trunc, WriteMode::Append, WriteMode::Overwrite])?,
        },
        3 | 4 => Op::Read {
            path: u.choose_index(PATHS.len())?,
        },
        5 => Op::Unlink {
            path: u.choose_index(PATHS.len())?,
        },
        6 => Op::Mkdir {
            path: u.choose_index(PATHS.len())?,
        },
        7 => Op::Readdir {
            dir: u.choose_index(DIRS.len())?,
        },
        _ => Op::Call {
            peer: u.choose_index(peers)?,
            input: u.arbitrary()?,
            read: u.ratio(3, 4)?,
        },
    })
}

fn arbitrary_end(u: &mut Unstructured<'_>) -> arbitrary::Result<End> {
    Ok(match u.int_in_range(0..=7)? {
        0..=2 => End::Exit0,
        3 | 4 => End::Return,
        5 | 6 => End::Exit(u.int_in_range(1..=255)?),
        _ => End::Trap,
    })
}

impl Scenario {
    /// A scenario drawn from `u`.
    pub fn arbitrary(u: &mut Unstructured<'_>) -> arbitrary::Result<Self> {
        let n = u.int_in_range(2..=3)?;
        let peers = n + 1;
        let mut contracts = Vec::with_capacity(n);
        let mut storage = Vec::with_capacity(n);
        for _ in 0..n {
            let k = u.int_in_range(1..=2)?;
            let mut programs = Vec::with_capacity(k);
            for _ in 0..k {
                let len = u.int_in_range(0..=8)?;
                let mut ops = Vec::with_capacity(len);
                for _ in 0..len {
                    ops.push(arbitrary_op(u, peers)?);
                }
                programs.push(Program {
                    ops,
                    end: arbitrary_end(u)?,
                });
            }
            contracts.push(Contract { programs });
            let mut entries = Vec::new();
            for key in PATHS.iter().chain(&MARKERS) {
                if u.ratio(1, 3)? {
                    let value = if key.ends_with('/') {
                        Vec::new()
                    } else {
                        small_value(u, 6)?
                    };
                    entries.push((key.as_bytes().to_vec(), value));
                }
            }
            storage.push(entries);
        }
        let len = u.int_in_range(1..=4)?;
        let mut calls = Vec::with_capacity(len);
        for _ in 0..len {
            let contract = u.choose_index(n)?;
            let input = if u.ratio(1, 8)? {
                Vec::new()
            } else {
                vec![u.arbitrary()?]
            };
            let value = match u.int_in_range(0..=7)? {
                0..=5 => 0,
                6 => u.int_in_range(1..=100)?,
                _ => CALLER_BALANCE + 1,
            };
            calls.push(TopCall {
                contract,
                input,
                value,
            });
        }
        Ok(Self {
            contracts,
            storage,
            calls,
        })
    }
}

// Linear memory layout of the generated programs.
const IOV: u32 = 0;
const NOUT: u32 = 8;
const FDOUT: u32 = 12;
const IOV2: u32 = 16;
const NOUT2: u32 = 24;
const INBUF: u32 = 64;
const PEERS: u32 = 256;
const DATA: u32 = 1024;
const REC: u32 = 8192;

// Function indices: the imports in this order, then `_start`.
const FD_READ: u32 = 0;
const FD_WRITE: u32 = 1;
const PATH_OPEN: u32 = 2;
const FD_CLOSE: u32 = 3;
const PATH_UNLINK_FILE: u32 = 4;
const PATH_CREATE_DIRECTORY: u32 = 5;
const FD_READDIR: u32 = 6;
const PROC_EXIT: u32 = 7;

// Locals of `_start`.
const E: u32 = 0;
const FD: u32 = 1;

fn mem(align: u32) -> MemArg {
    MemArg {
        offset: 0,
        align,
        target: MemArgTarget::Memory(0),
        ordering: None,
    }
}

/// Emits a program's code; static bytes go to a data segment at [`DATA`].
struct Gen {
    data: Vec<u8>,
}

impl Gen {
    fn stat(&mut self, bytes: &[u8]) -> (i32, i32) {
        let at = DATA as usize + self.data.len();
        self.data.extend_from_slice(bytes);
        (at as i32, bytes.len() as i32)
    }
}

fn store8(f: &mut InstructionSink<'_>, addr: u32, v: u8) {
    f.i32_const(addr as i32)
        .i32_const(v as i32)
        .i32_store8(mem(0));
}

fn store16(f: &mut InstructionSink<'_>, addr: u32, v: u16) {
    f.i32_const(addr as i32)
        .i32_const(v as i32)
        .i32_store16(mem(0));
}

fn store32(f: &mut InstructionSink<'_>, addr: u32, v: u32) {
    f.i32_const(addr as i32)
        .i32_const(v as i32)
        .i32_store(mem(0));
}

/// Store the errno in local `E` as a `u16` at `addr`.
fn store_e(f: &mut InstructionSink<'_>, addr: u32) {
    f.i32_const(addr as i32).local_get(E).i32_store16(mem(0));
}

fn iovec(f: &mut InstructionSink<'_>, at: u32, ptr: u32, len: u32) {
    store32(f, at, ptr);
    store32(f, at + 4, len);
}

/// Write the record at [`REC`] to stdout: `len` bytes, plus the `u32` at `dynamic`.
fn emit(f: &mut InstructionSink<'_>, len: u32, dynamic: Option<u32>) {
    store32(f, IOV2, REC);
    f.i32_const((IOV2 + 4) as i32).i32_const(len as i32);
    if let Some(at) = dynamic {
        f.i32_const(at as i32).i32_load(mem(0)).i32_add();
    }
    f.i32_store(mem(0));
    f.i32_const(1)
        .i32_const(IOV2 as i32)
        .i32_const(1)
        .i32_const(NOUT2 as i32)
        .call(FD_WRITE)
        .drop();
}

/// `path_open(3, 0, path, oflags, base, 0, fdflags, FDOUT)`, errno into `E`.
fn open(f: &mut InstructionSink<'_>, path: (i32, i32), oflags: u16, base: u64, fdflags: u16) {
    f.i32_const(3)
        .i32_const(0)
        .i32_const(path.0)
        .i32_const(path.1)
        .i32_const(oflags as i32)
        .i64_const(base as i64)
        .i64_const(0)
        .i32_const(fdflags as i32)
        .i32_const(FDOUT as i32)
        .call(PATH_OPEN)
        .local_set(E);
}

/// `if E == 0 { FD = *FDOUT; … }`
fn if_opened(f: &mut InstructionSink<'_>, body: impl FnOnce(&mut InstructionSink<'_>)) {
    f.local_get(E).i32_eqz().if_(BlockType::Empty);
    f.i32_const(FDOUT as i32).i32_load(mem(0)).local_set(FD);
    body(f);
    f.end();
}

/// `fd_read` or `fd_write` of `FD` with the iovec at [`IOV`], count into `out`, errno into `E`.
fn rw(f: &mut InstructionSink<'_>, func: u32, out: u32) {
    f.local_get(FD)
        .i32_const(IOV as i32)
        .i32_const(1)
        .i32_const(out as i32)
        .call(func)
        .local_set(E);
}

fn close(f: &mut InstructionSink<'_>) {
    f.local_get(FD).call(FD_CLOSE).local_set(E);
}

fn gen_op(g: &mut Gen, f: &mut InstructionSink<'_>, op: &Op) {
    match op {
        Op::Write { path, value, mode } => {
            let p = g.stat(PATHS[*path].as_bytes());
            let v = g.stat(value);
            store8(f, REC, b'W');
            for at in [1, 3, 5] {
                store16(f, REC + at, SKIPPED);
            }
            let (of, ff) = match mode {
                WriteMode::Trunc => (oflags::CREAT | oflags::TRUNC, 0),
                WriteMode::Append => (oflags::CREAT, gauge_wasi_shim::abi::fdflags::APPEND),
                WriteMode::Overwrite => (oflags::CREAT, 0),
            };
            open(f, p, of, rights::FD_READ | rights::FD_WRITE, ff);
            store_e(f, REC + 1);
            if_opened(f, |f| {
                iovec(f, IOV, v.0 as u32, v.1 as u32);
                rw(f, FD_WRITE, NOUT);
                store_e(f, REC + 3);
                close(f);
                store_e(f, REC + 5);
            });
            emit(f, 7, None);
        }
        Op::Read { path } => {
            let p = g.stat(PATHS[*path].as_bytes());
            store8(f, REC, b'R');
            for at in [1, 3, 5] {
                store16(f, REC + at, SKIPPED);
            }
            store32(f, REC + 7, 0);
            open(f, p, 0, rights::FD_READ, 0);
            store_e(f, REC + 1);
            if_opened(f, |f| {
                iovec(f, IOV, REC + 11, READ_MAX);
                rw(f, FD_READ, REC + 7);
                store_e(f, REC + 3);
                close(f);
                store_e(f, REC + 5);
            });
            emit(f, 11, Some(REC + 7));
        }
        Op::Unlink { path } | Op::Mkdir { path } => {
            let p = g.stat(PATHS[*path].as_bytes());
            let (tag, func) = match op {
                Op::Unlink { .. } => (b'U', PATH_UNLINK_FILE),
                _ => (b'M', PATH_CREATE_DIRECTORY),
            };
            store8(f, REC, tag);
            f.i32_const(3)
                .i32_const(p.0)
                .i32_const(p.1)
                .call(func)
                .local_set(E);
            store_e(f, REC + 1);
            emit(f, 3, None);
        }
        Op::Readdir { dir } => {
            store8(f, REC, b'D');
            store16(f, REC + 3, SKIPPED);
            store32(f, REC + 7, 0);
            let readdir = |f: &mut InstructionSink<'_>| {
                f.local_get(FD)
                    .i32_const((REC + 11) as i32)
                    .i32_const(DIR_BUF as i32)
                    .i64_const(0)
                    .i32_const((REC + 7) as i32)
                    .call(FD_READDIR)
                    .local_set(E);
                store_e(f, REC + 3);
            };
            if DIRS[*dir].is_empty() {
                store16(f, REC + 1, 0);
                store16(f, REC + 5, 0);
                f.i32_const(3).local_set(FD);
                readdir(f);
            } else {
                let p = g.stat(DIRS[*dir].as_bytes());
                store16(f, REC + 1, SKIPPED);
                store16(f, REC + 5, SKIPPED);
                open(f, p, oflags::DIRECTORY, rights::FD_READDIR, 0);
                store_e(f, REC + 1);
                if_opened(f, |f| {
                    readdir(f);
                    close(f);
                    store_e(f, REC + 5);
                });
            }
            emit(f, 11, Some(REC + 7));
        }
        Op::Call { peer, input, read } => {
            let i = g.stat(&[*input]);
            let path = ((PEERS + PEER_PATH * *peer as u32) as i32, PEER_PATH as i32);
            store8(f, REC, if *read { b'C' } else { b'F' });
            let slots: &[u32] = if *read { &[1, 3, 5, 7] } else { &[1, 3, 5] };
            for at in slots {
                store16(f, REC + at, SKIPPED);
            }
            if *read {
                store32(f, REC + 9, 0);
            }
            open(f, path, 0, rights::FD_READ | rights::FD_WRITE, 0);
            store_e(f, REC + 1);
            if_opened(f, |f| {
                iovec(f, IOV, i.0 as u32, 1);
                rw(f, FD_WRITE, NOUT);
                store_e(f, REC + 3);
                if *read {
                    iovec(f, IOV, REC + 13, READ_MAX);
                    rw(f, FD_READ, REC + 9);
                    store_e(f, REC + 5);
                    close(f);
                    store_e(f, REC + 7);
                } else {
                    close(f);
                    store_e(f, REC + 5);
                }
            });
            if *read {
                emit(f, 13, Some(REC + 9));
            } else {
                emit(f, 7, None);
            }
        }
    }
}

/// The Wasm binary of `contract`: `_start` reads [`PEERS_KEY`] into memory and one input
/// byte, then runs the selected program.
pub fn contract_wasm(contract: &Contract) -> Vec<u8> {
    let mut types = TypeSection::new();
    let i = ValType::I32;
    let l = ValType::I64;
    types.ty().function([i, i, i, i], [i]); // 0: fd_read, fd_write
    types.ty().function([i, i, i, i, i, l, l, i, i], [i]); // 1: path_open
    types.ty().function([i], [i]); // 2: fd_close
    types.ty().function([i, i, i], [i]); // 3: path_unlink_file, path_create_directory
    types.ty().function([i, i, i, l, i], [i]); // 4: fd_readdir
    types.ty().function([i], []); // 5: proc_exit
    types.ty().function([], []); // 6: _start
    let mut imports = ImportSection::new();
    for (name, ty) in [
        ("fd_read", 0),
        ("fd_write", 0),
        ("path_open", 1),
        ("fd_close", 2),
        ("path_unlink_file", 3),
        ("path_create_directory", 3),
        ("fd_readdir", 4),
        ("proc_exit", 5),
    ] {
        imports.import(gauge_wasi_shim::MODULE, name, EntityType::Function(ty));
    }
    let mut functions = FunctionSection::new();
    functions.function(6);
    let mut memories = MemorySection::new();
    memories.memory(MemoryType {
        minimum: 1,
        maximum: None,
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    let mut exports = ExportSection::new();
    exports.export("memory", ExportKind::Memory, 0);
    exports.export("_start", ExportKind::Func, PROC_EXIT + 1);

    let mut g = Gen { data: Vec::new() };
    let mut func = Function::new([(2, ValType::I32)]);
    {
        let f = &mut func.instructions();
        // The peers' call paths.
        let peers = g.stat(PEERS_KEY.as_bytes());
        open(f, peers, 0, rights::FD_READ, 0);
        f.i32_const(FDOUT as i32).i32_load(mem(0)).local_set(FD);
        iovec(f, IOV, PEERS, PEER_PATH * 4);
        rw(f, FD_READ, NOUT);
        close(f);
        // The selector byte (0 without input).
        iovec(f, IOV, INBUF, 1);
        f.i32_const(0)
            .i32_const(IOV as i32)
            .i32_const(1)
            .i32_const(NOUT as i32)
            .call(FD_READ)
            .drop();
        let k = contract.programs.len() as i32;
        for (n, p) in contract.programs.iter().enumerate() {
            f.i32_const(INBUF as i32)
                .i32_load8_u(mem(0))
                .i32_const(k)
                .i32_rem_u()
                .i32_const(n as i32)
                .i32_eq()
                .if_(BlockType::Empty);
            for op in &p.ops {
                gen_op(&mut g, f, op);
            }
            match p.end {
                End::Exit0 => {
                    f.i32_const(0).call(PROC_EXIT).unreachable();
                }
                End::Return => {
                    f.return_();
                }
                End::Exit(code) => {
                    f.i32_const(code as i32).call(PROC_EXIT).unreachable();
                }
                End::Trap => {
                    f.unreachable();
                }
            }
            f.end();
        }
        f.end();
    }
    let mut code = CodeSection::new();
    code.function(&func);
    let mut data = DataSection::new();
    data.active(
        0,
        &ConstExpr::i32_const(DATA as i32),
        g.data.iter().copied(),
    );

    let mut module = Module::new();
    module
        .section(&types)
        .section(&imports)
        .section(&functions)
        .section(&memories)
        .section(&exports)
        .section(&code)
        .section(&data);
    module.finish()
}

/// A contract's storage in the model.
pub type Storage = BTreeMap<Vec<u8>, Vec<u8>>;

/// The model's world: storage and balance of every account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct World {
    /// Storage by account (accounts without storage may be absent).
    pub storage: BTreeMap<Address, Storage>,
    /// Balances by account (absent = 0).
    pub balances: BTreeMap<Address, u128>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Dir,
}

/// What the shim's `vfs::kind` says: a key is a file; a path with keys under `path/` is a
/// directory; the root and `contracts` are directories.
fn kind(st: &Storage, path: &str) -> Option<Kind> {
    if path.is_empty() || path == "contracts" {
        return Some(Kind::Dir);
    }
    if st.contains_key(path.as_bytes()) {
        return Some(Kind::File);
    }
    let prefix = format!("{path}/");
    st.range(prefix.as_bytes().to_vec()..)
        .next()
        .filter(|(k, _)| k.starts_with(prefix.as_bytes()))
        .map(|_| Kind::Dir)
}

/// Resolution of a relative path without `.`/`..`: every proper prefix must be a directory.
fn resolve(st: &Storage, path: &str) -> Result<(), u16> {
    let parts: Vec<&str> = path.split('/').collect();
    for i in 1..parts.len() {
        match kind(st, &parts[..i].join("/")) {
            Some(Kind::Dir) => {}
            Some(Kind::File) => return Err(Errno::NOTDIR.0),
            None => return Err(Errno::NOENT.0),
        }
    }
    Ok(())
}

/// Resolution, then the kind of what the path names.
fn lookup(st: &Storage, path: &str) -> Result<Option<Kind>, u16> {
    resolve(st, path).map(|()| kind(st, path))
}

fn dir_prefix(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{path}/")
    }
}

fn inode(a: &Address, key: &[u8]) -> u64 {
    let h = StateKey::Storage(*a, key.to_vec()).key_hash();
    u64::from_le_bytes(h[..8].try_into().expect("8 bytes"))
}

/// The `fd_readdir` buffer of directory `path` from cookie 0: `.`, `..`, then the entries
/// by name (a key `x` makes `x` a file even when keys under `x/` exist), `contracts` hidden
/// at the root; at most [`DIR_BUF`] bytes.
fn listing(st: &Storage, a: &Address, path: &str) -> Vec<u8> {
    let prefix = dir_prefix(path);
    let mut entries: BTreeMap<Vec<u8>, Kind> = BTreeMap::new();
    for key in st.keys().filter(|k| k.starts_with(prefix.as_bytes())) {
        let rest = &key[prefix.len()..];
        if rest.is_empty() {
            continue;
        }
        match rest.iter().position(|&b| b == b'/') {
            None => entries.entry(rest.to_vec()).or_insert(Kind::File),
            Some(i) => entries.entry(rest[..i].to_vec()).or_insert(Kind::Dir),
        };
    }
    if path.is_empty() {
        entries.remove(&b"contracts"[..]);
    }
    let parent = path.rsplit_once('/').map_or("", |(p, _)| p);
    let mut all: Vec<(Vec<u8>, u64, u8)> = vec![
        (b".".to_vec(), inode(a, prefix.as_bytes()), 3),
        (b"..".to_vec(), inode(a, dir_prefix(parent).as_bytes()), 3),
    ];
    for (name, k) in entries {
        let mut key = prefix.clone().into_bytes();
        key.extend_from_slice(&name);
        let ft = match k {
            Kind::Dir => {
                key.push(b'/');
                3
            }
            Kind::File => 4,
        };
        all.push((name, inode(a, &key), ft));
    }
    let mut bytes = Vec::new();
    for (i, (name, ino, ft)) in all.into_iter().enumerate() {
        if bytes.len() >= DIR_BUF as usize {
            break;
        }
        bytes.extend_from_slice(&(i as u64 + 1).to_le_bytes());
        bytes.extend_from_slice(&ino.to_le_bytes());
        bytes.extend_from_slice(&(name.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&[ft, 0, 0, 0]);
        bytes.extend_from_slice(&name);
    }
    bytes.truncate(DIR_BUF as usize);
    bytes
}

/// One record the model predicts: its bytes and a description for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// What the op was (`"0x… write a/b"`).
    pub what: String,
    /// The bytes it writes to stdout.
    pub bytes: Vec<u8>,
}

fn errno_name(e: u16) -> String {
    if e == SKIPPED {
        "-".into()
    } else {
        Errno(e).name().to_string()
    }
}

impl Record {
    fn new(what: String, tag: u8, errnos: &[u16], data: Option<&[u8]>) -> Self {
        let mut bytes = vec![tag];
        for e in errnos {
            bytes.extend_from_slice(&e.to_le_bytes());
        }
        let mut what = format!(
            "{what} [{}]",
            errnos
                .iter()
                .map(|e| errno_name(*e))
                .collect::<Vec<_>>()
                .join(" ")
        );
        if let Some(d) = data {
            bytes.extend_from_slice(&(d.len() as u32).to_le_bytes());
            bytes.extend_from_slice(d);
            what.push_str(&format!(" {} bytes", d.len()));
        }
        Self { what, bytes }
    }
}

/// What the model predicts for one top-level call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// Status.
    pub status: Status,
    /// Exit code.
    pub exit_code: Option<u32>,
    /// The top-level frame's stdout, record by record.
    pub records: Vec<Record>,
    /// The world after the call.
    pub world: World,
}

impl Expected {
    /// The predicted stdout.
    pub fn output(&self) -> Vec<u8> {
        self.records.iter().flat_map(|r| r.bytes.clone()).collect()
    }
}

/// How a frame ended in the model.
struct FrameEnd {
    end: End,
    records: Vec<Record>,
}

impl FrameEnd {
    fn success(&self) -> bool {
        matches!(self.end, End::Exit0 | End::Return)
    }
    fn output(&self) -> Vec<u8> {
        self.records.iter().flat_map(|r| r.bytes.clone()).collect()
    }
}

/// The model: the world, the contracts by address and a frame budget.
struct Model<'a> {
    scenario: &'a Scenario,
    /// Peer addresses: every contract, then the caller.
    peers: &'a [Address],
    world: World,
    frames: usize,
}

/// The model exceeded [`MAX_FRAMES`].
struct TooExpensive;

impl Model<'_> {
    fn frame(&mut self, idx: usize, input: &[u8], depth: u32) -> Result<FrameEnd, TooExpensive> {
        self.frames += 1;
        if self.frames > MAX_FRAMES {
            return Err(TooExpensive);
        }
        let snapshot = self.world.clone();
        let scenario = self.scenario;
        let contract = &scenario.contracts[idx];
        let sel = input.first().copied().unwrap_or(0) as usize % contract.programs.len();
        let program = &contract.programs[sel];
        let me = self.peers[idx];
        let mut records = Vec::new();
        for op in &program.ops {
            records.push(self.op(me, op, depth)?);
        }
        if !matches!(program.end, End::Exit0 | End::Return) {
            self.world = snapshot;
        }
        Ok(FrameEnd {
            end: program.end,
            records,
        })
    }

    fn op(&mut self, me: Address, op: &Op, depth: u32) -> Result<Record, TooExpensive> {
        let who = format!("{me}");
        Ok(match op {
            Op::Write { path, value, mode } => {
                let p = PATHS[*path];
                let what = format!(
                    "{who} write {p:?} {mode:?} {:?}",
                    String::from_utf8_lossy(value)
                );
                let st = self.world.storage.entry(me).or_default();
                let e = resolve(st, p).and_then(|()| match kind(st, p) {
                    Some(Kind::Dir) => Err(Errno::ISDIR.0),
                    Some(Kind::File) => {
                        if *mode == WriteMode::Trunc {
                            st.insert(p.as_bytes().to_vec(), Vec::new());
                        }
                        Ok(())
                    }
                    None => {
                        st.insert(p.as_bytes().to_vec(), Vec::new());
                        Ok(())
                    }
                });
                match e {
                    Err(e) => Record::new(what, b'W', &[e, SKIPPED, SKIPPED], None),
                    Ok(()) => {
                        let v = st.get_mut(p.as_bytes()).expect("opened");
                        if *mode == WriteMode::Append {
                            v.extend_from_slice(value);
                        } else {
                            for (i, b) in value.iter().enumerate() {
                                if i < v.len() {
                                    v[i] = *b;
                                } else {
                                    v.push(*b);
                                }
                            }
                        }
                        Record::new(what, b'W', &[0, 0, 0], None)
                    }
                }
            }
            Op::Read { path } => {
                let p = PATHS[*path];
                let what = format!("{who} read {p:?}");
                let st = self.world.storage.entry(me).or_default();
                match lookup(st, p) {
                    Err(e) => Record::new(what, b'R', &[e, SKIPPED, SKIPPED], Some(&[])),
                    Ok(None) => {
                        Record::new(what, b'R', &[Errno::NOENT.0, SKIPPED, SKIPPED], Some(&[]))
                    }
                    Ok(Some(Kind::Dir)) => {
                        Record::new(what, b'R', &[0, Errno::BADF.0, 0], Some(&[]))
                    }
                    Ok(Some(Kind::File)) => {
                        let v = &st[p.as_bytes()];
                        let d = &v[..v.len().min(READ_MAX as usize)];
                        Record::new(what, b'R', &[0, 0, 0], Some(d))
                    }
                }
            }
            Op::Unlink { path } | Op::Mkdir { path } => {
                let p = PATHS[*path];
                let unlink = matches!(op, Op::Unlink { .. });
                let (tag, name) = if unlink {
                    (b'U', "unlink")
                } else {
                    (b'M', "mkdir")
                };
                let what = format!("{who} {name} {p:?}");
                let st = self.world.storage.entry(me).or_default();
                let e = match (lookup(st, p), unlink) {
                    (Err(e), _) => e,
                    (Ok(None), true) => Errno::NOENT.0,
                    (Ok(Some(Kind::Dir)), true) => Errno::ISDIR.0,
                    (Ok(Some(Kind::File)), true) => {
                        st.remove(p.as_bytes());
                        0
                    }
                    (Ok(Some(_)), false) => Errno::EXIST.0,
                    (Ok(None), false) => {
                        st.insert(dir_prefix(p).into_bytes(), Vec::new());
                        0
                    }
                };
                Record::new(what, tag, &[e], None)
            }
            Op::Readdir { dir } => {
                let p = DIRS[*dir];
                let what = format!("{who} readdir {p:?}");
                let st = self.world.storage.entry(me).or_default();
                if p.is_empty() {
                    return Ok(Record::new(
                        what,
                        b'D',
                        &[0, 0, 0],
                        Some(&listing(st, &me, p)),
                    ));
                }
                match lookup(st, p) {
                    Err(e) => Record::new(what, b'D', &[e, SKIPPED, SKIPPED], Some(&[])),
                    Ok(None) => {
                        Record::new(what, b'D', &[Errno::NOENT.0, SKIPPED, SKIPPED], Some(&[]))
                    }
                    Ok(Some(Kind::File)) => {
                        Record::new(what, b'D', &[Errno::NOTDIR.0, SKIPPED, SKIPPED], Some(&[]))
                    }
                    Ok(Some(Kind::Dir)) => {
                        Record::new(what, b'D', &[0, 0, 0], Some(&listing(st, &me, p)))
                    }
                }
            }
            Op::Call { peer, input, read } => {
                let callee = self.peers[*peer];
                let what = format!(
                    "{who} {} {callee} input {input}",
                    if *read { "call" } else { "call (no read)" }
                );
                let tag = if *read { b'C' } else { b'F' };
                let idx = *peer;
                if idx >= self.scenario.contracts.len() {
                    return Ok(if *read {
                        Record::new(
                            what,
                            tag,
                            &[Errno::NOENT.0, SKIPPED, SKIPPED, SKIPPED],
                            Some(&[]),
                        )
                    } else {
                        Record::new(what, tag, &[Errno::NOENT.0, SKIPPED, SKIPPED], None)
                    });
                }
                let ran = if depth + 1 > MAX_DEPTH {
                    None
                } else {
                    Some(self.frame(idx, &[*input], depth + 1)?)
                };
                let ok = ran.as_ref().is_some_and(FrameEnd::success);
                let e = if ok { 0 } else { Errno::IO.0 };
                let what = format!(
                    "{what} ({})",
                    match &ran {
                        None => "too deep".to_string(),
                        Some(r) => format!("{:?}", r.end),
                    }
                );
                if *read {
                    let out = ran.filter(|_| ok).map(|r| r.output()).unwrap_or_default();
                    let d = &out[..out.len().min(READ_MAX as usize)];
                    Record::new(what, tag, &[0, 0, e, 0], Some(d))
                } else {
                    Record::new(what, tag, &[0, 0, e], None)
                }
            }
        })
    }
}

/// The model's predictions for every top-level call of `s` in order, starting from `world`
/// (`peers`: the contracts' addresses, then the caller's). `None`: some call needs more than
/// [`MAX_FRAMES`] frames.
pub fn expect(s: &Scenario, peers: &[Address], world: World) -> Option<Vec<Expected>> {
    let mut model = Model {
        scenario: s,
        peers,
        world,
        frames: 0,
    };
    let mut out = Vec::with_capacity(s.calls.len());
    for call in &s.calls {
        model.frames = 0;
        let address = peers[call.contract];
        let balance = model.world.balances.get(&CALLER).copied().unwrap_or(0);
        if call.value > balance {
            out.push(Expected {
                status: Status::Revert,
                exit_code: None,
                records: Vec::new(),
                world: model.world.clone(),
            });
            continue;
        }
        let before = model.world.clone();
        *model.world.balances.entry(CALLER).or_default() -= call.value;
        *model.world.balances.entry(address).or_default() += call.value;
        let end = model.frame(call.contract, &call.input, 0).ok()?;
        let (status, exit_code) = match end.end {
            End::Exit0 | End::Return => (Status::Success, Some(0)),
            End::Exit(n) => (Status::Revert, Some(n as u32)),
            End::Trap => (Status::Trap, None),
        };
        if status != Status::Success {
            model.world = before;
        }
        out.push(Expected {
            status,
            exit_code,
            records: end.records,
            world: model.world.clone(),
        });
    }
    Some(out)
}

/// The deployed scenario: the contracts' code, their addresses, and the initial world.
pub struct Deployment {
    /// Each contract's Wasm binary.
    pub wasm: Vec<Vec<u8>>,
    /// Peers: every contract's address, then the caller.
    pub peers: Vec<Address>,
    /// The initial world (storage including [`PEERS_KEY`], the caller's balance).
    pub world: World,
}

/// Compile `s`'s contracts and work out their addresses and the initial world.
pub fn deployment(s: &Scenario) -> Deployment {
    let wasm: Vec<Vec<u8>> = s.contracts.iter().map(contract_wasm).collect();
    let mut peers: Vec<Address> = wasm
        .iter()
        .enumerate()
        .map(|(i, w)| gauge_wasi_shim::contract_address(&gauge_wasi_shim::sha256(w), &[i as u8]))
        .collect();
    peers.push(CALLER);
    let mut peer_paths = Vec::new();
    for p in peers.iter().chain(std::iter::repeat(&CALLER)).take(4) {
        peer_paths.extend_from_slice(format!("contracts/{p}").as_bytes());
    }
    let mut world = World::default();
    for (i, entries) in s.storage.iter().enumerate() {
        let st = world.storage.entry(peers[i]).or_default();
        for (k, v) in entries {
            st.insert(k.clone(), v.clone());
        }
        st.insert(PEERS_KEY.as_bytes().to_vec(), peer_paths.clone());
    }
    world.balances.insert(CALLER, CALLER_BALANCE);
    Deployment { wasm, peers, world }
}

/// A fresh state with `d` deployed (with [`State::deploy_contract`], salt = the contract's
/// index) and its initial storage and balances.
pub fn genesis(engine: &gauge::Engine, d: &Deployment) -> Result<State, String> {
    let mut state = State::in_memory();
    for (i, w) in d.wasm.iter().enumerate() {
        let deployed = state
            .deploy_contract(engine, w, &[i as u8])
            .map_err(|e| format!("deploy_contract of contract {i}: {e}"))?;
        if deployed.address != d.peers[i] {
            return Err(format!(
                "contract {i} deployed at {}, not at contract_address {}",
                deployed.address, d.peers[i]
            ));
        }
    }
    let mut changes = Changes::new();
    for (a, st) in &d.world.storage {
        for (k, v) in st {
            changes.set_storage(*a, k.clone(), Some(v.clone()));
        }
    }
    state.apply(&changes).map_err(|e| format!("genesis: {e}"))?;
    for (a, b) in &d.world.balances {
        state
            .set_balance(*a, *b)
            .map_err(|e| format!("genesis balance: {e}"))?;
    }
    Ok(state)
}

/// The first difference between `actual` stdout and the predicted records.
fn output_diff(actual: &[u8], records: &[Record]) -> Option<String> {
    let mut at = 0;
    for (i, r) in records.iter().enumerate() {
        let end = at + r.bytes.len();
        let got = actual.get(at..end.min(actual.len())).unwrap_or(&[]);
        if got != r.bytes.as_slice() {
            return Some(format!(
                "record {i} ({}): expected {:02x?}, got {:02x?}",
                r.what, r.bytes, got
            ));
        }
        at = end;
    }
    (actual.len() != at).then(|| {
        format!(
            "{} bytes of output after the {} predicted records: {:02x?}",
            actual.len() - at,
            records.len(),
            &actual[at..]
        )
    })
}

fn observed(state: &State, peers: &[Address]) -> Result<World, String> {
    let mut w = World::default();
    for a in peers {
        let st = state.storage(a).map_err(|e| format!("storage: {e}"))?;
        if !st.is_empty() {
            w.storage.insert(*a, st);
        }
        let b = state
            .account(a)
            .map_err(|e| format!("account: {e}"))?
            .balance;
        if b != 0 {
            w.balances.insert(*a, b);
        }
    }
    Ok(w)
}

fn normalized(w: &World) -> World {
    World {
        storage: w
            .storage
            .iter()
            .filter(|(_, s)| !s.is_empty())
            .map(|(a, s)| (*a, s.clone()))
            .collect(),
        balances: w
            .balances
            .iter()
            .filter(|(_, b)| **b != 0)
            .map(|(a, b)| (*a, *b))
            .collect(),
    }
}

fn world_diff(expected: &World, actual: &World) -> String {
    let mut lines = Vec::new();
    let accounts: std::collections::BTreeSet<&Address> = expected
        .storage
        .keys()
        .chain(actual.storage.keys())
        .chain(expected.balances.keys())
        .chain(actual.balances.keys())
        .collect();
    let show = |s: Option<&Storage>| -> Vec<(String, String)> {
        s.into_iter()
            .flatten()
            .map(|(k, v)| {
                (
                    String::from_utf8_lossy(k).into_owned(),
                    String::from_utf8_lossy(v).into_owned(),
                )
            })
            .collect()
    };
    for a in accounts {
        let (es, as_) = (expected.storage.get(a), actual.storage.get(a));
        if es != as_ {
            lines.push(format!(
                "{a} storage: model {:?}, shim {:?}",
                show(es),
                show(as_)
            ));
        }
        let (eb, ab) = (expected.balances.get(a), actual.balances.get(a));
        if eb != ab {
            lines.push(format!("{a} balance: model {eb:?}, shim {ab:?}"));
        }
    }
    lines.join("; ")
}

/// Run `s` on Gauge's WASI shim and check it against the model (see the module docs).
/// `Ok(false)`: skipped (the model needs more than [`MAX_FRAMES`] frames for some call).
pub fn journal(s: &Scenario) -> Result<bool, String> {
    let d = deployment(s);
    let Some(expected) = expect(s, &d.peers, d.world.clone()) else {
        return Ok(false);
    };
    let engine = gauge::Engine::new(&gauge_wasi_shim::chain_config());
    let mut a = genesis(&engine, &d)?;
    let mut b = genesis(&engine, &d)?;
    if observed(&a, &d.peers)? != normalized(&d.world) {
        return Err("genesis storage differs from the model's initial world".into());
    }
    for (n, (call, exp)) in s.calls.iter().zip(&expected).enumerate() {
        let ctx = CallContext {
            address: d.peers[call.contract],
            caller: CALLER,
            value: call.value,
            input: call.input.clone(),
            gas_limit: GAS_LIMIT,
            ..CallContext::default()
        };
        let here = format!("call {n} (contract {}, {call:?})", call.contract);
        let root_before = a.root().map_err(|e| format!("root: {e}"))?;
        let plain = RunOptions {
            append_receipt: true,
            ..RunOptions::default()
        };
        let recorded = RunOptions {
            witness: true,
            ..plain
        };
        let ra = gauge_wasi_shim::run_account(&engine, &mut a, &ctx, &plain)
            .map_err(|e| format!("{here}: run_account returned Err: {e}"))?;
        let rb = gauge_wasi_shim::run_account(&engine, &mut b, &ctx, &recorded)
            .map_err(|e| format!("{here}: run_account (witness) returned Err: {e}"))?;
        let o = &ra.outcome;
        if ra.outcome != rb.outcome || ra.receipt != rb.receipt {
            return Err(format!(
                "{here}: not deterministic: {:?} / {:?}, then (recording a witness) {:?} / {:?}",
                ra.outcome, ra.receipt, rb.outcome, rb.receipt
            ));
        }
        let root_a = a.root().map_err(|e| format!("root: {e}"))?;
        let root_b = b.root().map_err(|e| format!("root: {e}"))?;
        if root_a != root_b {
            return Err(format!("{here}: roots differ between the two states"));
        }
        if o.status != exp.status || o.exit_code != exp.exit_code {
            return Err(format!(
                "{here}: ended {} exit {:?} (trap {:?}), the model says {} exit {:?}; records: {:?}",
                o.status,
                o.exit_code,
                o.trap,
                exp.status,
                exp.exit_code,
                exp.records.iter().map(|r| &r.what).collect::<Vec<_>>()
            ));
        }
        if let Some(diff) = output_diff(&o.output, &exp.records) {
            return Err(format!("{here}: stdout differs from the model at {diff}"));
        }
        if o.status == Status::Success {
            if o.state_root != root_a {
                return Err(format!(
                    "{here}: success, but state_root is not the state's root"
                ));
            }
        } else if root_a != root_before || o.state_root != root_before {
            return Err(format!("{here}: {} changed the state root", o.status));
        }
        if o.gas_used > GAS_LIMIT {
            return Err(format!("{here}: gas_used {} > limit", o.gas_used));
        }
        let actual = observed(&a, &d.peers)?;
        let want = normalized(&exp.world);
        if actual != want {
            return Err(format!(
                "{here}: state differs from the model after {}: {}",
                o.status,
                world_diff(&want, &actual)
            ));
        }
    }
    let count = a
        .verify_receipts()
        .map_err(|e| format!("receipt chain broken: {e:?}"))?;
    if count != s.calls.len() as u64 {
        return Err(format!("{count} receipts for {} calls", s.calls.len()));
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program(ops: Vec<Op>, end: End) -> Program {
        Program { ops, end }
    }

    fn scenario(contracts: Vec<Vec<Program>>, calls: Vec<TopCall>) -> Scenario {
        Scenario {
            storage: vec![Vec::new(); contracts.len()],
            contracts: contracts
                .into_iter()
                .map(|programs| Contract { programs })
                .collect(),
            calls,
        }
    }

    fn call(contract: usize, input: u8) -> TopCall {
        TopCall {
            contract,
            input: vec![input],
            value: 0,
        }
    }

    fn write(path: usize, value: &str, mode: WriteMode) -> Op {
        Op::Write {
            path,
            value: value.as_bytes().to_vec(),
            mode,
        }
    }

    #[test]
    fn kind_and_resolve_follow_the_shim() {
        let mut st = Storage::new();
        st.insert(b"a".to_vec(), b"1".to_vec());
        st.insert(b"a/b".to_vec(), b"2".to_vec());
        st.insert(b"b/".to_vec(), Vec::new());
        assert_eq!(kind(&st, "a"), Some(Kind::File));
        assert_eq!(kind(&st, "b"), Some(Kind::Dir));
        assert_eq!(kind(&st, "c"), None);
        assert_eq!(resolve(&st, "a/b"), Err(Errno::NOTDIR.0));
        assert_eq!(resolve(&st, "b/x"), Ok(()));
        assert_eq!(resolve(&st, "c/x"), Err(Errno::NOENT.0));
        // `a` is a file although keys exist under `a/`; `b` is a directory by its marker.
        let l = listing(&st, &CALLER, "");
        let names: Vec<(u8, Vec<u8>)> = {
            let mut v = Vec::new();
            let mut at = 0;
            while at < l.len() {
                let n = u32::from_le_bytes(l[at + 16..at + 20].try_into().unwrap()) as usize;
                v.push((l[at + 20], l[at + 24..at + 24 + n].to_vec()));
                at += 24 + n;
            }
            v
        };
        assert_eq!(
            names,
            [
                (3, b".".to_vec()),
                (3, b"..".to_vec()),
                (4, b"a".to_vec()),
                (3, b"b".to_vec())
            ]
        );
    }

    #[test]
    fn a_failed_nested_call_drops_its_changes_and_a_revert_drops_everything() {
        // Contract 0: write a, mkdir b, write b/x, call 1 (which writes and traps), read a,
        // list the root; then either exit 0 (input 0) or revert (input 1).
        let ops = vec![
            write(0, "hi", WriteMode::Trunc),
            Op::Mkdir { path: 1 },
            write(4, "x", WriteMode::Append),
            Op::Call {
                peer: 1,
                input: 0,
                read: true,
            },
            Op::Read { path: 0 },
            Op::Readdir { dir: 0 },
            Op::Readdir { dir: 2 },
        ];
        let s = scenario(
            vec![
                vec![program(ops.clone(), End::Exit0), program(ops, End::Exit(3))],
                vec![program(
                    vec![write(0, "callee", WriteMode::Trunc)],
                    End::Trap,
                )],
            ],
            vec![call(0, 1), call(0, 0)],
        );
        let d = deployment(&s);
        let exp = expect(&s, &d.peers, d.world.clone()).unwrap();
        assert_eq!(exp[0].status, Status::Revert);
        assert_eq!(exp[0].exit_code, Some(3));
        assert_eq!(exp[0].world, d.world);
        assert_eq!(exp[1].status, Status::Success);
        let mine = &exp[1].world.storage[&d.peers[0]];
        assert_eq!(mine[&b"a"[..]], b"hi");
        assert_eq!(mine[&b"b/"[..]], b"");
        assert_eq!(mine[&b"b/x"[..]], b"x");
        // The trapped callee's write is gone: it holds only its peers key.
        assert_eq!(exp[1].world.storage[&d.peers[1]].len(), 1);
        let call = &exp[1].records[3];
        assert_eq!(call.bytes[..9], [b'C', 0, 0, 0, 0, 29, 0, 0, 0]);
        assert_eq!(journal(&s), Ok(true));
    }

    #[test]
    fn nested_calls_commit_into_the_caller_and_stop_at_the_depth_limit() {
        // Contract 0 (input 0) calls itself, reading, until the depth limit, then every frame
        // appends to `a` and returns. Contract 1 calls contract 0 (input 1: truncate `a` to
        // "f") fire-and-forget, then fails to write `a/b` (no directory `a`) and exits 0.
        let s = scenario(
            vec![
                vec![
                    program(
                        vec![
                            Op::Call {
                                peer: 0,
                                input: 0,
                                read: true,
                            },
                            write(0, "z", WriteMode::Append),
                        ],
                        End::Return,
                    ),
                    program(vec![write(0, "f", WriteMode::Trunc)], End::Exit0),
                ],
                vec![program(
                    vec![
                        Op::Call {
                            peer: 0,
                            input: 1,
                            read: false,
                        },
                        write(2, "no", WriteMode::Trunc),
                    ],
                    End::Exit0,
                )],
            ],
            vec![call(0, 0), call(1, 0)],
        );
        let d = deployment(&s);
        let exp = expect(&s, &d.peers, d.world.clone()).unwrap();
        // 33 frames (depths 0 to 32), each appending one `z`.
        let a = &exp[0].world.storage[&d.peers[0]][&b"a"[..]];
        assert_eq!(a.len(), MAX_DEPTH as usize + 1);
        assert_eq!(exp[1].records[0].bytes, [b'F', 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            exp[1].records[1].bytes,
            [b'W', 44, 0, 0xff, 0xff, 0xff, 0xff]
        );
        assert_eq!(exp[1].world.storage[&d.peers[0]][&b"a"[..]], b"f");
        assert_eq!(journal(&s), Ok(true));
    }

    #[test]
    fn value_beyond_the_balance_reverts_before_running() {
        let mut s = scenario(
            vec![
                vec![program(vec![write(0, "v", WriteMode::Trunc)], End::Exit0)],
                vec![program(vec![], End::Exit0)],
            ],
            vec![call(0, 0), call(0, 0)],
        );
        s.calls[0].value = CALLER_BALANCE + 1;
        s.calls[1].value = 7;
        let d = deployment(&s);
        let exp = expect(&s, &d.peers, d.world.clone()).unwrap();
        assert_eq!((exp[0].status, exp[0].exit_code), (Status::Revert, None));
        assert_eq!(exp[1].world.balances[&d.peers[0]], 7);
        assert_eq!(journal(&s), Ok(true));
    }

    #[test]
    fn output_diff_names_the_first_wrong_record() {
        let r = |what: &str, bytes: &[u8]| Record {
            what: what.into(),
            bytes: bytes.to_vec(),
        };
        let recs = [r("one", &[1, 2]), r("two", &[3])];
        assert_eq!(output_diff(&[1, 2, 3], &recs), None);
        assert!(output_diff(&[1, 2, 4], &recs).unwrap().contains("two"));
        assert!(output_diff(&[1, 2, 3, 9], &recs).unwrap().contains("after"));
        assert!(output_diff(&[1], &recs).unwrap().contains("one"));
    }

    #[test]
    fn generated_scenarios_agree_with_the_model() {
        // Pseudo-random inputs: every scenario compiles, and the shim agrees with the model.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut ran = 0;
        for _ in 0..64 {
            let data: Vec<u8> = (0..600)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            let mut u = Unstructured::new(&data);
            let s = Scenario::arbitrary(&mut u).unwrap();
            if journal(&s).unwrap() {
                ran += 1;
            }
        }
        assert!(ran > 32, "only {ran} scenarios within the frame budget");
    }
}
