//! Cross-contract calls through `/contracts/<address>`.
//!
//! Opening the path gives a call handle. Bytes written to it are the callee's input; the first
//! read runs the callee (closing a handle that was written to but never read runs it too) and
//! later reads return its output. The callee runs in a nested journal layer with all the gas
//! the caller has left; the gas it used is then charged to the caller. Its failure (revert,
//! trap, out of gas, exhaustion, too deep nesting) reaches the caller as `EIO`, with its state
//! changes and logs dropped.

use gauge_interpreter::Error;

use super::{Cx, Fail, WasiResult, charge};
use crate::Address;
use crate::abi::{Errno, rights};
use crate::runtime::{CallHandle, FATAL, Fd, FdKind, nested_call};

/// Open a handle on `contracts/<name>`.
pub(crate) fn open(c: Cx<'_, '_>, name: &str, flags: u16, base: u64) -> WasiResult<u32> {
    let callee = Address::parse(name).ok_or(Errno::NOENT)?;
    let has_code = c.data_mut().world().journal.account(&callee)?.code_hash != [0; 32];
    if !has_code {
        return Err(Errno::NOENT.into());
    }
    let fd = Fd {
        kind: FdKind::Call(Box::new(CallHandle {
            callee,
            input: Vec::new(),
            written: false,
            result: None,
            pos: 0,
        })),
        flags,
        rights_base: base
            & (rights::FD_READ
                | rights::FD_WRITE
                | rights::POLL_FD_READWRITE
                | rights::FD_FILESTAT_GET),
        rights_inheriting: 0,
    };
    super::fd::insert_fd(&mut c.data_mut().frame, fd)
}

fn handle<'a>(c: &'a mut Cx<'_, '_>, fd: u32) -> WasiResult<(&'a mut CallHandle, u64)> {
    let f = c.data_mut().frame.fds.get_mut(&fd).ok_or(Errno::BADF)?;
    let rights = f.rights_base;
    match &mut f.kind {
        FdKind::Call(h) => Ok((h, rights)),
        _ => Err(Errno::BADF.into()),
    }
}

/// Append to the callee's input (`EPIPE` once the callee ran).
pub(crate) fn write(mut c: Cx<'_, '_>, fd: u32, data: Vec<u8>) -> WasiResult<()> {
    let (h, rights) = handle(&mut c, fd)?;
    if rights & rights::FD_WRITE == 0 {
        return Err(Errno::BADF.into());
    }
    if h.result.is_some() {
        return Err(Errno::PIPE.into());
    }
    h.input.extend_from_slice(&data);
    h.written = true;
    Ok(())
}

/// Read up to `max` bytes of the callee's output, running it first if needed.
pub(crate) fn read(mut c: Cx<'_, '_>, fd: u32, max: u64) -> WasiResult<Vec<u8>> {
    let (_, rights) = handle(&mut c, fd)?;
    if rights & rights::FD_READ == 0 {
        return Err(Errno::BADF.into());
    }
    run_handle(c, fd)?;
    let (h, _) = handle(&mut c, fd)?;
    let Some(Ok(output)) = &h.result else {
        return Err(Errno::IO.into());
    };
    let start = h.pos.min(output.len());
    let end = start + (output.len() - start).min(usize::try_from(max).unwrap_or(usize::MAX));
    let bytes = output[start..end].to_vec();
    h.pos = end;
    Ok(bytes)
}

/// Run the callee of handle `fd` unless it already ran; `EIO` if it failed.
pub(crate) fn run_handle(mut c: Cx<'_, '_>, fd: u32) -> WasiResult<()> {
    let (h, _) = handle(&mut c, fd)?;
    if let Some(r) = &h.result {
        return if r.is_ok() {
            Ok(())
        } else {
            Err(Errno::IO.into())
        };
    }
    let callee = h.callee;
    let input = std::mem::take(&mut h.input);
    // Storage gas pending in this host function is charged before the gas is forwarded.
    let pending = std::mem::take(&mut c.data_mut().frame_pending);
    charge(c, pending)?;
    let gas = c.store().gas_left();
    let world = c.data_mut().world.take().expect("world present");
    let (nested, world) = nested_call(world, &c.data().frame, callee, input, gas);
    let fatal = world.fatal.is_some();
    c.data_mut().world = Some(world);
    if fatal {
        return Err(Fail::Abort(Error::Host(FATAL.into())));
    }
    charge(c, nested.gas_used)?;
    let ok = nested.output.is_some();
    c.data_mut().frame.logs.extend(nested.logs);
    let (h, _) = handle(&mut c, fd)?;
    h.result = Some(nested.output.ok_or(()));
    if ok { Ok(()) } else { Err(Errno::IO.into()) }
}
