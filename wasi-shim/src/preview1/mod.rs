//! `wasi_snapshot_preview1` host functions over the chain model.
//!
//! Each function charges `host_call` on entry and `host_call_per_byte` for every byte it moves
//! between linear memory and the host (arguments, paths, buffers, result structs), then any
//! storage costs (accumulated while it works and charged before it returns). Bad pointers give
//! `EFAULT`; nothing ever touches host files, sockets, clocks or randomness.

mod args_env;
mod call;
mod fd;
mod path;

use gauge_interpreter::{Caller, Error, Extern, FuncType, Linker, Memory, ValType, Value};

use crate::ShimError;
use crate::abi::Errno;
use crate::runtime::{Costs, FATAL, Host};

/// The import module name.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// Why a host function did not succeed.
#[derive(Debug)]
pub(crate) enum Fail {
    /// Return this errno to the program.
    Errno(Errno),
    /// Abort the call with this error (out of gas, `proc_exit`, missing memory).
    Abort(Error),
    /// The backend failed: abandon the whole execution.
    Fatal(ShimError),
}

impl From<Errno> for Fail {
    fn from(e: Errno) -> Self {
        Fail::Errno(e)
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::Abort(e)
    }
}

impl From<ShimError> for Fail {
    fn from(e: ShimError) -> Self {
        Fail::Fatal(e)
    }
}

/// What host functions return.
pub(crate) type WasiResult<T> = Result<T, Fail>;

/// The caller type of every host function.
pub(crate) type Cx<'a, 'b> = &'a mut Caller<'b, Host>;

/// Charge `host_call`, run `body`, charge the pending storage gas, and map the result to an
/// errno (or an abort).
fn run(c: Cx<'_, '_>, body: impl FnOnce(Cx<'_, '_>) -> WasiResult<()>) -> Result<i32, Error> {
    let base = costs(c).host_call;
    c.consume_gas(base)?;
    let r = body(c);
    let pending = std::mem::take(&mut c.data_mut().frame_pending);
    match r {
        Ok(()) => {
            c.consume_gas(pending)?;
            Ok(0)
        }
        Err(Fail::Errno(e)) => {
            c.consume_gas(pending)?;
            Ok(i32::from(e.0))
        }
        Err(Fail::Abort(e)) => Err(e),
        Err(Fail::Fatal(e)) => {
            c.data_mut().world().fatal.get_or_insert(e);
            Err(Error::Host(FATAL.into()))
        }
    }
}

/// The gas costs of this execution.
pub(crate) fn costs(c: &Caller<'_, Host>) -> Costs {
    c.data().world.as_ref().map(|w| w.costs).unwrap_or_default()
}

/// Add `amount` to the storage gas charged when the current host function returns.
pub(crate) fn pend(host: &mut Host, amount: u64) {
    host.frame_pending = host.frame_pending.saturating_add(amount);
}

/// Charge gas now.
pub(crate) fn charge(c: Cx<'_, '_>, amount: u64) -> WasiResult<()> {
    c.consume_gas(amount).map_err(Fail::Abort)
}

fn memory(c: &Caller<'_, Host>) -> WasiResult<Memory> {
    c.get_export("memory")
        .and_then(Extern::into_memory)
        .ok_or_else(|| Fail::Abort(Error::host("wasi: the module exports no memory")))
}

/// Copy `len` bytes at `ptr` out of linear memory (charged per byte).
pub(crate) fn read_mem(c: Cx<'_, '_>, ptr: u32, len: u32) -> WasiResult<Vec<u8>> {
    let per_byte = costs(c).per_byte;
    charge(c, per_byte.saturating_mul(u64::from(len)))?;
    let mem = memory(c)?;
    let data = mem.data(c.store());
    let start = ptr as usize;
    let end = start.checked_add(len as usize).ok_or(Errno::FAULT)?;
    Ok(data.get(start..end).ok_or(Errno::FAULT)?.to_vec())
}

/// Copy `bytes` into linear memory at `ptr` (charged per byte).
pub(crate) fn write_mem(c: Cx<'_, '_>, ptr: u32, bytes: &[u8]) -> WasiResult<()> {
    let per_byte = costs(c).per_byte;
    charge(c, per_byte.saturating_mul(bytes.len() as u64))?;
    let mem = memory(c)?;
    let data = mem.data_mut(c.store());
    let start = ptr as usize;
    let end = start.checked_add(bytes.len()).ok_or(Errno::FAULT)?;
    data.get_mut(start..end)
        .ok_or(Errno::FAULT)?
        .copy_from_slice(bytes);
    Ok(())
}

/// Write a little-endian `u32`.
pub(crate) fn write_u32(c: Cx<'_, '_>, ptr: u32, v: u32) -> WasiResult<()> {
    write_mem(c, ptr, &v.to_le_bytes())
}

/// Write a little-endian `u64`.
pub(crate) fn write_u64(c: Cx<'_, '_>, ptr: u32, v: u64) -> WasiResult<()> {
    write_mem(c, ptr, &v.to_le_bytes())
}

/// Read an array of `n` (c)iovecs: `(buf, len)` pairs.
pub(crate) fn read_iovecs(c: Cx<'_, '_>, ptr: u32, n: u32) -> WasiResult<Vec<(u32, u32)>> {
    let bytes = read_mem(
        c,
        ptr,
        n.checked_mul(crate::abi::size::IOVEC).ok_or(Errno::FAULT)?,
    )?;
    Ok(bytes
        .chunks_exact(8)
        .map(|p| {
            (
                u32::from_le_bytes(p[0..4].try_into().expect("4 bytes")),
                u32::from_le_bytes(p[4..8].try_into().expect("4 bytes")),
            )
        })
        .collect())
}

/// Gather the bytes of a ciovec array.
pub(crate) fn gather(c: Cx<'_, '_>, iovs: u32, n: u32) -> WasiResult<Vec<u8>> {
    let vecs = read_iovecs(c, iovs, n)?;
    let mut out = Vec::new();
    for (buf, len) in vecs {
        out.extend(read_mem(c, buf, len)?);
    }
    Ok(out)
}

/// Total capacity of an iovec array.
pub(crate) fn capacity(vecs: &[(u32, u32)]) -> u64 {
    vecs.iter().map(|(_, l)| u64::from(*l)).sum()
}

/// Scatter `bytes` over an iovec array (it must fit).
pub(crate) fn scatter(c: Cx<'_, '_>, vecs: &[(u32, u32)], bytes: &[u8]) -> WasiResult<()> {
    let mut rest = bytes;
    for &(buf, len) in vecs {
        if rest.is_empty() {
            break;
        }
        let n = rest.len().min(len as usize);
        write_mem(c, buf, &rest[..n])?;
        rest = &rest[n..];
    }
    Ok(())
}

/// Define every `wasi_snapshot_preview1` function in `linker`.
pub(crate) fn add_to_linker(linker: &mut Linker<Host>) {
    macro_rules! wasi {
        ($name:literal, $f:path, ($($a:ident : $t:ty),*)) => {
            linker
                .func_wrap(MODULE, $name, |mut c: Caller<'_, Host>, $($a: $t),*| -> Result<i32, Error> {
                    run(&mut c, |c| $f(c, $($a),*))
                })
                .expect("defining a WASI function");
        };
    }
    // Arguments, environment, clocks, randomness, process, scheduling, polling, sockets.
    wasi!("args_get", args_env::args_get, (argv: u32, buf: u32));
    wasi!("args_sizes_get", args_env::args_sizes_get, (argc: u32, size: u32));
    wasi!("environ_get", args_env::environ_get, (environ: u32, buf: u32));
    wasi!("environ_sizes_get", args_env::environ_sizes_get, (count: u32, size: u32));
    wasi!("clock_res_get", args_env::clock_res_get, (id: u32, out: u32));
    wasi!("clock_time_get", args_env::clock_time_get, (id: u32, precision: u64, out: u32));
    wasi!("random_get", args_env::random_get, (buf: u32, len: u32));
    // proc_exit returns nothing: it always ends the call.
    linker
        .func_wrap(
            MODULE,
            "proc_exit",
            |mut c: Caller<'_, Host>, code: u32| -> Result<(), Error> {
                run(&mut c, |c| args_env::proc_exit(c, code)).map(drop)
            },
        )
        .expect("defining proc_exit");
    wasi!("proc_raise", args_env::proc_raise, (sig: u32));
    wasi!("sched_yield", args_env::sched_yield, ());
    wasi!("poll_oneoff", args_env::poll_oneoff, (subs: u32, events: u32, n: u32, out: u32));
    wasi!("sock_accept", args_env::sock_accept, (fd: u32, flags: u32, out: u32));
    wasi!("sock_recv", args_env::sock_recv, (fd: u32, iovs: u32, n: u32, flags: u32, out_len: u32, out_flags: u32));
    wasi!("sock_send", args_env::sock_send, (fd: u32, iovs: u32, n: u32, flags: u32, out: u32));
    wasi!("sock_shutdown", args_env::sock_shutdown, (fd: u32, how: u32));
    // File descriptors.
    wasi!("fd_advise", fd::fd_advise, (fd: u32, offset: u64, len: u64, advice: u32));
    wasi!("fd_allocate", fd::fd_allocate, (fd: u32, offset: u64, len: u64));
    wasi!("fd_close", fd::fd_close, (fd: u32));
    wasi!("fd_datasync", fd::fd_datasync, (fd: u32));
    wasi!("fd_fdstat_get", fd::fd_fdstat_get, (fd: u32, out: u32));
    wasi!("fd_fdstat_set_flags", fd::fd_fdstat_set_flags, (fd: u32, flags: u32));
    wasi!("fd_fdstat_set_rights", fd::fd_fdstat_set_rights, (fd: u32, base: u64, inheriting: u64));
    wasi!("fd_filestat_get", fd::fd_filestat_get, (fd: u32, out: u32));
    wasi!("fd_filestat_set_size", fd::fd_filestat_set_size, (fd: u32, size: u64));
    wasi!("fd_filestat_set_times", fd::fd_filestat_set_times, (fd: u32, atim: u64, mtim: u64, flags: u32));
    wasi!("fd_pread", fd::fd_pread, (fd: u32, iovs: u32, n: u32, offset: u64, out: u32));
    wasi!("fd_prestat_get", fd::fd_prestat_get, (fd: u32, out: u32));
    wasi!("fd_prestat_dir_name", fd::fd_prestat_dir_name, (fd: u32, buf: u32, len: u32));
    wasi!("fd_pwrite", fd::fd_pwrite, (fd: u32, iovs: u32, n: u32, offset: u64, out: u32));
    wasi!("fd_read", fd::fd_read, (fd: u32, iovs: u32, n: u32, out: u32));
    wasi!("fd_readdir", fd::fd_readdir, (fd: u32, buf: u32, len: u32, cookie: u64, out: u32));
    wasi!("fd_renumber", fd::fd_renumber, (from: u32, to: u32));
    wasi!("fd_seek", fd::fd_seek, (fd: u32, offset: u64, whence: u32, out: u32));
    wasi!("fd_sync", fd::fd_sync, (fd: u32));
    wasi!("fd_tell", fd::fd_tell, (fd: u32, out: u32));
    wasi!("fd_write", fd::fd_write, (fd: u32, iovs: u32, n: u32, out: u32));
    // Paths.
    wasi!("path_create_directory", path::path_create_directory, (fd: u32, p: u32, len: u32));
    wasi!("path_filestat_get", path::path_filestat_get, (fd: u32, flags: u32, p: u32, len: u32, out: u32));
    wasi!("path_filestat_set_times", path::path_filestat_set_times, (fd: u32, flags: u32, p: u32, len: u32, atim: u64, mtim: u64, fst: u32));
    wasi!("path_link", path::path_link, (fd: u32, flags: u32, p: u32, len: u32, fd2: u32, p2: u32, len2: u32));
    wasi!("path_readlink", path::path_readlink, (fd: u32, p: u32, len: u32, buf: u32, buf_len: u32, out: u32));
    wasi!("path_remove_directory", path::path_remove_directory, (fd: u32, p: u32, len: u32));
    wasi!("path_rename", path::path_rename, (fd: u32, p: u32, len: u32, fd2: u32, p2: u32, len2: u32));
    wasi!("path_symlink", path::path_symlink, (p: u32, len: u32, fd: u32, p2: u32, len2: u32));
    wasi!("path_unlink_file", path::path_unlink_file, (fd: u32, p: u32, len: u32));
    // path_open has nine parameters, one more than `func_wrap` takes.
    let ty = FuncType::new(
        vec![
            ValType::I32,
            ValType::I32,
            ValType::I32,
            ValType::I32,
            ValType::I32,
            ValType::I64,
            ValType::I64,
            ValType::I32,
            ValType::I32,
        ],
        vec![ValType::I32],
    );
    linker
        .func_new(MODULE, "path_open", ty, |mut c, params, results| {
            let i = |k: usize| match params[k] {
                Value::I32(v) => v as u32 as u64,
                Value::I64(v) => v as u64,
                _ => 0,
            };
            let errno = run(&mut c, |c| {
                path::path_open(
                    c,
                    i(0) as u32,
                    i(1) as u32,
                    i(2) as u32,
                    i(3) as u32,
                    i(4) as u32,
                    i(5),
                    i(6),
                    i(7) as u32,
                    i(8) as u32,
                )
            })?;
            results[0] = Value::I32(errno);
            Ok(())
        })
        .expect("defining path_open");
}

/// The names of all `wasi_snapshot_preview1` functions the shim defines (46: the original
/// 45 and `sock_accept`).
pub const FUNCTIONS: [&str; 46] = [
    "args_get",
    "args_sizes_get",
    "environ_get",
    "environ_sizes_get",
    "clock_res_get",
    "clock_time_get",
    "fd_advise",
    "fd_allocate",
    "fd_close",
    "fd_datasync",
    "fd_fdstat_get",
    "fd_fdstat_set_flags",
    "fd_fdstat_set_rights",
    "fd_filestat_get",
    "fd_filestat_set_size",
    "fd_filestat_set_times",
    "fd_pread",
    "fd_prestat_get",
    "fd_prestat_dir_name",
    "fd_pwrite",
    "fd_read",
    "fd_readdir",
    "fd_renumber",
    "fd_seek",
    "fd_sync",
    "fd_tell",
    "fd_write",
    "path_create_directory",
    "path_filestat_get",
    "path_filestat_set_times",
    "path_link",
    "path_open",
    "path_readlink",
    "path_remove_directory",
    "path_rename",
    "path_symlink",
    "path_unlink_file",
    "poll_oneoff",
    "proc_exit",
    "proc_raise",
    "sched_yield",
    "random_get",
    "sock_accept",
    "sock_recv",
    "sock_send",
    "sock_shutdown",
];
