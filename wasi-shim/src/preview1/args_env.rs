//! Arguments, environment, clocks, randomness, process exit, scheduling, polling and sockets.

use gauge_interpreter::Error;
use sha2::{Digest, Sha256};

use super::{Cx, Fail, WasiResult, read_mem, write_mem, write_u32, write_u64};
use crate::abi::{Errno, clock, eventtype, size};
use crate::runtime::{FdKind, PROC_EXIT};

fn strings_get(c: Cx<'_, '_>, list: Vec<Vec<u8>>, ptrs: u32, buf: u32) -> WasiResult<()> {
    let mut table = Vec::with_capacity(list.len() * 4);
    let mut bytes = Vec::new();
    for s in &list {
        let at = buf
            .checked_add(u32::try_from(bytes.len()).map_err(|_| Errno::OVERFLOW)?)
            .ok_or(Errno::FAULT)?;
        table.extend_from_slice(&at.to_le_bytes());
        bytes.extend_from_slice(s);
        bytes.push(0);
    }
    write_mem(c, ptrs, &table)?;
    write_mem(c, buf, &bytes)
}

fn sizes_get(c: Cx<'_, '_>, list: &[Vec<u8>], count: u32, size: u32) -> WasiResult<()> {
    let total: usize = list.iter().map(|s| s.len() + 1).sum();
    write_u32(c, count, list.len() as u32)?;
    write_u32(c, size, u32::try_from(total).map_err(|_| Errno::OVERFLOW)?)
}

/// `args_get`: `argv[0]` is the contract's address, then the call's arguments.
pub(crate) fn args_get(c: Cx<'_, '_>, argv: u32, buf: u32) -> WasiResult<()> {
    let list = c.data().frame.args.clone();
    strings_get(c, list, argv, buf)
}

/// `args_sizes_get`.
pub(crate) fn args_sizes_get(c: Cx<'_, '_>, argc: u32, size: u32) -> WasiResult<()> {
    let list = c.data().frame.args.clone();
    sizes_get(c, &list, argc, size)
}

/// `environ_get`: the chain variables (`CALLER`, `VALUE`, …).
pub(crate) fn environ_get(c: Cx<'_, '_>, environ: u32, buf: u32) -> WasiResult<()> {
    let list = c.data().frame.env.clone();
    strings_get(c, list, environ, buf)
}

/// `environ_sizes_get`.
pub(crate) fn environ_sizes_get(c: Cx<'_, '_>, count: u32, size: u32) -> WasiResult<()> {
    let list = c.data().frame.env.clone();
    sizes_get(c, &list, count, size)
}

/// `clock_res_get`: 1 ns for every clock.
pub(crate) fn clock_res_get(c: Cx<'_, '_>, id: u32, out: u32) -> WasiResult<()> {
    if id > clock::MAX_ID {
        return Err(Errno::INVAL.into());
    }
    write_u64(c, out, 1)
}

/// `clock_time_get`: the block time, for every clock.
pub(crate) fn clock_time_get(c: Cx<'_, '_>, id: u32, _precision: u64, out: u32) -> WasiResult<()> {
    if id > clock::MAX_ID {
        return Err(Errno::INVAL.into());
    }
    let now = c.data_mut().world().block.time_ns;
    write_u64(c, out, now)
}

/// `random_get`: SHA-256 blocks of the call's public seed and a counter. Deterministic and
/// public: never a secret.
pub(crate) fn random_get(c: Cx<'_, '_>, buf: u32, len: u32) -> WasiResult<()> {
    const CHUNK: u32 = 1 << 16;
    let mut done = 0u32;
    while done < len {
        let n = (len - done).min(CHUNK);
        let mut bytes = Vec::with_capacity(n as usize + 32);
        {
            let frame = &mut c.data_mut().frame;
            while bytes.len() < n as usize {
                let mut h = Sha256::new();
                h.update(frame.random_seed);
                h.update(frame.random_counter.to_le_bytes());
                frame.random_counter += 1;
                bytes.extend_from_slice(&h.finalize());
            }
        }
        bytes.truncate(n as usize);
        write_mem(c, buf.checked_add(done).ok_or(Errno::FAULT)?, &bytes)?;
        done += n;
    }
    Ok(())
}

/// `proc_exit`: end the call; 0 is success, anything else a revert with that code.
pub(crate) fn proc_exit(c: Cx<'_, '_>, code: u32) -> WasiResult<()> {
    c.data_mut().frame.exit = Some(code);
    Err(Fail::Abort(Error::Host(PROC_EXIT.into())))
}

/// `proc_raise`: signals do not exist on the chain.
pub(crate) fn proc_raise(_c: Cx<'_, '_>, _sig: u32) -> WasiResult<()> {
    Err(Errno::NOSYS.into())
}

/// `sched_yield`: a no-op (there is one thread).
pub(crate) fn sched_yield(_c: Cx<'_, '_>) -> WasiResult<()> {
    Ok(())
}

/// `poll_oneoff`: nothing ever waits. File descriptor subscriptions are all ready at once;
/// when there are none, the clock subscriptions with the earliest deadline fire (time does not
/// advance within a block).
pub(crate) fn poll_oneoff(
    c: Cx<'_, '_>,
    subs: u32,
    events: u32,
    n: u32,
    out: u32,
) -> WasiResult<()> {
    if n == 0 {
        return Err(Errno::INVAL.into());
    }
    let raw = read_mem(
        c,
        subs,
        n.checked_mul(size::SUBSCRIPTION).ok_or(Errno::FAULT)?,
    )?;
    let now = c.data_mut().world().block.time_ns;
    let mut fd_events = Vec::new();
    let mut clocks = Vec::new();
    for sub in raw.chunks_exact(size::SUBSCRIPTION as usize) {
        let userdata = u64::from_le_bytes(sub[0..8].try_into().expect("8 bytes"));
        let tag = sub[8];
        let u32_at = |o: usize| u32::from_le_bytes(sub[o..o + 4].try_into().expect("4 bytes"));
        let u64_at = |o: usize| u64::from_le_bytes(sub[o..o + 8].try_into().expect("8 bytes"));
        match tag {
            eventtype::CLOCK => {
                let id = u32_at(16);
                let timeout = u64_at(24);
                let abstime = u16::from_le_bytes([sub[40], sub[41]]) & 1 == 1;
                if id > clock::MAX_ID {
                    fd_events.push(event(userdata, Errno::INVAL, tag, 0, 0));
                    continue;
                }
                let wait = if abstime {
                    timeout.saturating_sub(now)
                } else {
                    timeout
                };
                clocks.push((wait, userdata));
            }
            eventtype::FD_READ | eventtype::FD_WRITE => {
                let fd = u32_at(16);
                let frame = &c.data().frame;
                let ready = match (frame.fds.get(&fd).map(|f| &f.kind), tag) {
                    (None, _) => Err(Errno::BADF),
                    (Some(FdKind::Stdin), eventtype::FD_READ) => {
                        let left = (frame.input.len() - frame.input_pos) as u64;
                        Ok((left, u16::from(left == 0)))
                    }
                    (Some(FdKind::File { .. } | FdKind::Call(_)), _) => Ok((0, 0)),
                    (Some(FdKind::Stdout | FdKind::Stderr), eventtype::FD_WRITE) => Ok((0, 0)),
                    _ => Err(Errno::BADF),
                };
                fd_events.push(match ready {
                    Ok((nbytes, flags)) => event(userdata, Errno::SUCCESS, tag, nbytes, flags),
                    Err(e) => event(userdata, e, tag, 0, 0),
                });
            }
            _ => fd_events.push(event(userdata, Errno::INVAL, tag, 0, 0)),
        }
    }
    let mut fired = fd_events;
    if fired.is_empty()
        && let Some(min) = clocks.iter().map(|(w, _)| *w).min()
    {
        for (w, userdata) in &clocks {
            if *w == min {
                fired.push(event(*userdata, Errno::SUCCESS, eventtype::CLOCK, 0, 0));
            }
        }
    }
    let bytes: Vec<u8> = fired.concat();
    write_mem(c, events, &bytes)?;
    write_u32(c, out, fired.len() as u32)
}

fn event(userdata: u64, error: Errno, tag: u8, nbytes: u64, flags: u16) -> Vec<u8> {
    let mut e = vec![0u8; size::EVENT as usize];
    e[0..8].copy_from_slice(&userdata.to_le_bytes());
    e[8..10].copy_from_slice(&error.0.to_le_bytes());
    e[10] = tag;
    e[16..24].copy_from_slice(&nbytes.to_le_bytes());
    e[24..26].copy_from_slice(&flags.to_le_bytes());
    e
}

fn not_a_socket(c: Cx<'_, '_>, fd: u32) -> WasiResult<()> {
    if c.data().frame.fds.contains_key(&fd) {
        Err(Errno::NOTSOCK.into())
    } else {
        Err(Errno::BADF.into())
    }
}

/// `sock_accept`: there are no sockets.
pub(crate) fn sock_accept(c: Cx<'_, '_>, fd: u32, _flags: u32, _out: u32) -> WasiResult<()> {
    not_a_socket(c, fd)
}

/// `sock_recv`: there are no sockets.
pub(crate) fn sock_recv(
    c: Cx<'_, '_>,
    fd: u32,
    _iovs: u32,
    _n: u32,
    _flags: u32,
    _out_len: u32,
    _out_flags: u32,
) -> WasiResult<()> {
    not_a_socket(c, fd)
}

/// `sock_send`: there are no sockets.
pub(crate) fn sock_send(
    c: Cx<'_, '_>,
    fd: u32,
    _iovs: u32,
    _n: u32,
    _flags: u32,
    _out: u32,
) -> WasiResult<()> {
    not_a_socket(c, fd)
}

/// `sock_shutdown`: there are no sockets.
pub(crate) fn sock_shutdown(c: Cx<'_, '_>, fd: u32, _how: u32) -> WasiResult<()> {
    not_a_socket(c, fd)
}
