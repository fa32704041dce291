//! File-descriptor functions: stdio, storage files and directories, call handles.

use super::{
    Cx, WasiResult, call, capacity, charge, costs, gather, pend, read_iovecs, scatter, write_mem,
    write_u32, write_u64,
};
use crate::Address;
use crate::abi::{Errno, fdflags, filetype, fstflags, rights, size, whence};
use crate::runtime::{Fd, FdKind, Frame, Host};
use crate::state::StateKey;
use crate::vfs::{self, Kind};

/// Largest storage value a file may grow to (bytes): beyond it writes fail with `EFBIG`.
pub const MAX_VALUE: u64 = 1 << 26;
/// Most file descriptors a call may hold open at once (`EMFILE` beyond).
pub const MAX_FDS: usize = 1024;

pub(crate) fn get_fd(frame: &Frame, fd: u32) -> WasiResult<&Fd> {
    Ok(frame.fds.get(&fd).ok_or(Errno::BADF)?)
}

fn get_fd_mut(frame: &mut Frame, fd: u32) -> WasiResult<&mut Fd> {
    Ok(frame.fds.get_mut(&fd).ok_or(Errno::BADF)?)
}

/// Check that descriptor `fd` exists (`EBADF`) and holds `right` (`ENOTCAPABLE`).
pub(crate) fn require(frame: &Frame, fd: u32, right: u64) -> WasiResult<&Fd> {
    let f = get_fd(frame, fd)?;
    if f.rights_base & right != right {
        return Err(Errno::NOTCAPABLE.into());
    }
    Ok(f)
}

/// Add a descriptor at the lowest free number.
pub(crate) fn insert_fd(frame: &mut Frame, fd: Fd) -> WasiResult<u32> {
    if frame.fds.len() >= MAX_FDS {
        return Err(Errno::MFILE.into());
    }
    let mut n = 0u32;
    for k in frame.fds.keys() {
        if *k != n {
            break;
        }
        n += 1;
    }
    frame.fds.insert(n, fd);
    Ok(n)
}

/// The storage key of a file descriptor's file, with its access modes and position.
struct FileRef {
    key: String,
    pos: u64,
    read: bool,
    write: bool,
    append: bool,
}

/// What a descriptor refers to, detached from the frame.
enum Target {
    File(FileRef),
    Dir(String),
    Stdin,
    Stdout,
    Stderr,
    Call,
}

fn target(frame: &Frame, fd: u32) -> WasiResult<Target> {
    let f = get_fd(frame, fd)?;
    Ok(match &f.kind {
        FdKind::File {
            key,
            pos,
            read,
            write,
        } => Target::File(FileRef {
            key: key.clone(),
            pos: *pos,
            read: *read,
            write: *write,
            append: f.flags & fdflags::APPEND != 0,
        }),
        FdKind::Dir { path, .. } => Target::Dir(path.clone()),
        FdKind::Stdin => Target::Stdin,
        FdKind::Stdout => Target::Stdout,
        FdKind::Stderr => Target::Stderr,
        FdKind::Call(_) => Target::Call,
    })
}

fn storage_key(host: &Host, key: &str) -> StateKey {
    StateKey::Storage(host.frame.address, key.as_bytes().to_vec())
}

/// Current length of a file (charged as a storage access).
fn file_len(host: &mut Host, key: &str) -> WasiResult<u64> {
    let sk = storage_key(host, key);
    let access = host.world().costs.storage_access;
    pend(host, access);
    Ok(host.world().journal.get(&sk)?.map_or(0, |v| v.len() as u64))
}

/// Read up to `max` bytes of file `key` at `pos` (charged per byte read).
fn read_file(host: &mut Host, key: &str, pos: u64, max: u64) -> WasiResult<Vec<u8>> {
    let sk = storage_key(host, key);
    let costs = host.world().costs;
    let bytes = {
        let value = host.world().journal.get(&sk)?;
        let v: &[u8] = value.map_or(&[], |v| v.as_slice());
        let start = usize::try_from(pos).unwrap_or(usize::MAX).min(v.len());
        let end = start
            + usize::try_from(max)
                .unwrap_or(usize::MAX)
                .min(v.len() - start);
        v[start..end].to_vec()
    };
    pend(
        host,
        costs
            .storage_access
            .saturating_add(costs.read_per_byte.saturating_mul(bytes.len() as u64)),
    );
    Ok(bytes)
}

/// Write `data` into file `key` at `pos` (or at its end when `pos` is `None`), charging the
/// access, the bytes written and the growth of the value before changing anything. Returns the
/// position after the write.
pub(crate) fn write_file(
    c: Cx<'_, '_>,
    key: &str,
    pos: Option<u64>,
    data: &[u8],
) -> WasiResult<u64> {
    let sk = storage_key(c.data(), key);
    let old = c
        .data_mut()
        .world()
        .journal
        .get(&sk)?
        .map(|v| v.len() as u64);
    let old_len = old.unwrap_or(0);
    let at = pos.unwrap_or(old_len);
    let end = at.checked_add(data.len() as u64).ok_or(Errno::FBIG)?;
    if end > MAX_VALUE {
        return Err(Errno::FBIG.into());
    }
    let new_len = old_len.max(end);
    let klen = key.len() as u64;
    let growth = c
        .data_mut()
        .world()
        .growth(&sk, old.map_or(0, |l| klen + l), klen + new_len);
    let k = costs(c);
    charge(
        c,
        k.storage_access
            .saturating_add(k.write_per_byte.saturating_mul(data.len() as u64))
            .saturating_add(k.new_byte.saturating_mul(growth)),
    )?;
    let v = c.data_mut().world().journal.value_mut(&sk)?;
    let (at, end) = (at as usize, end as usize);
    if v.len() < end {
        v.resize(end, 0);
    }
    v[at..end].copy_from_slice(data);
    // Writing an unlinked key creates it again.
    super::path::charge_index_writes(c)?;
    Ok(end as u64)
}

/// Set the length of file `key` (charging access and growth first).
pub(crate) fn truncate_file(c: Cx<'_, '_>, key: &str, len: u64) -> WasiResult<()> {
    if len > MAX_VALUE {
        return Err(Errno::FBIG.into());
    }
    let sk = storage_key(c.data(), key);
    let old = c
        .data_mut()
        .world()
        .journal
        .get(&sk)?
        .map(|v| v.len() as u64);
    let klen = key.len() as u64;
    let growth = c
        .data_mut()
        .world()
        .growth(&sk, old.map_or(0, |l| klen + l), klen + len);
    let k = costs(c);
    charge(
        c,
        k.storage_access
            .saturating_add(k.new_byte.saturating_mul(growth)),
    )?;
    if old == Some(len) {
        return Ok(());
    }
    c.data_mut()
        .world()
        .journal
        .value_mut(&sk)?
        .resize(len as usize, 0);
    super::path::charge_index_writes(c)
}

/// `fd_write`: stdout appends to the return data, stderr emits one log event per call, files
/// write to storage, call handles collect the callee's input.
pub(crate) fn fd_write(c: Cx<'_, '_>, fd: u32, iovs: u32, n: u32, out: u32) -> WasiResult<()> {
    get_fd(&c.data().frame, fd)?;
    let data = gather(c, iovs, n)?;
    let len = data.len() as u32;
    match target(&c.data().frame, fd)? {
        Target::File(f) => {
            if !f.write {
                return Err(Errno::BADF.into());
            }
            require(&c.data().frame, fd, rights::FD_WRITE)?;
            let pos = if f.append { None } else { Some(f.pos) };
            let end = write_file(c, &f.key, pos, &data)?;
            if let FdKind::File { pos, .. } = &mut get_fd_mut(&mut c.data_mut().frame, fd)?.kind {
                *pos = end;
            }
        }
        Target::Stdout => {
            require(&c.data().frame, fd, rights::FD_WRITE)?;
            c.data_mut().frame.output.extend_from_slice(&data);
        }
        Target::Stderr => {
            require(&c.data().frame, fd, rights::FD_WRITE)?;
            c.data_mut().frame.logs.push(data);
        }
        Target::Call => call::write(c, fd, data)?,
        _ => return Err(Errno::BADF.into()),
    }
    write_u32(c, out, len)
}

/// `fd_read`: stdin reads the call input, files read storage, call handles run the callee
/// (once) and read its output.
pub(crate) fn fd_read(c: Cx<'_, '_>, fd: u32, iovs: u32, n: u32, out: u32) -> WasiResult<()> {
    get_fd(&c.data().frame, fd)?;
    let vecs = read_iovecs(c, iovs, n)?;
    let cap = capacity(&vecs);
    let bytes = match target(&c.data().frame, fd)? {
        Target::File(f) => {
            if !f.read {
                return Err(Errno::BADF.into());
            }
            require(&c.data().frame, fd, rights::FD_READ)?;
            let bytes = read_file(c.data_mut(), &f.key, f.pos, cap)?;
            if let FdKind::File { pos, .. } = &mut get_fd_mut(&mut c.data_mut().frame, fd)?.kind {
                *pos += bytes.len() as u64;
            }
            bytes
        }
        Target::Call => call::read(c, fd, cap)?,
        Target::Stdin => {
            require(&c.data().frame, fd, rights::FD_READ)?;
            let frame = &mut c.data_mut().frame;
            let start = frame.input_pos;
            let end =
                start + (frame.input.len() - start).min(usize::try_from(cap).unwrap_or(usize::MAX));
            frame.input_pos = end;
            frame.input[start..end].to_vec()
        }
        _ => return Err(Errno::BADF.into()),
    };
    scatter(c, &vecs, &bytes)?;
    write_u32(c, out, bytes.len() as u32)
}

/// `fd_pread`: read a file at an offset without moving its position.
pub(crate) fn fd_pread(
    c: Cx<'_, '_>,
    fd: u32,
    iovs: u32,
    n: u32,
    offset: u64,
    out: u32,
) -> WasiResult<()> {
    let f = match target(&c.data().frame, fd)? {
        Target::File(f) => f,
        Target::Dir(_) => return Err(Errno::BADF.into()),
        _ => return Err(Errno::SPIPE.into()),
    };
    if !f.read {
        return Err(Errno::BADF.into());
    }
    require(&c.data().frame, fd, rights::FD_READ)?;
    let vecs = read_iovecs(c, iovs, n)?;
    let bytes = read_file(c.data_mut(), &f.key, offset, capacity(&vecs))?;
    scatter(c, &vecs, &bytes)?;
    write_u32(c, out, bytes.len() as u32)
}

/// `fd_pwrite`: write a file at an offset without moving its position.
pub(crate) fn fd_pwrite(
    c: Cx<'_, '_>,
    fd: u32,
    iovs: u32,
    n: u32,
    offset: u64,
    out: u32,
) -> WasiResult<()> {
    let f = match target(&c.data().frame, fd)? {
        Target::File(f) => f,
        Target::Dir(_) => return Err(Errno::BADF.into()),
        _ => return Err(Errno::SPIPE.into()),
    };
    if !f.write {
        return Err(Errno::BADF.into());
    }
    require(&c.data().frame, fd, rights::FD_WRITE)?;
    let data = gather(c, iovs, n)?;
    let pos = if f.append { None } else { Some(offset) };
    write_file(c, &f.key, pos, &data)?;
    write_u32(c, out, data.len() as u32)
}

/// `fd_seek`: files only (`ESPIPE` for stdio and call handles).
pub(crate) fn fd_seek(c: Cx<'_, '_>, fd: u32, offset: u64, how: u32, out: u32) -> WasiResult<()> {
    let f = match target(&c.data().frame, fd)? {
        Target::File(f) => f,
        Target::Dir(_) => return Err(Errno::BADF.into()),
        _ => return Err(Errno::SPIPE.into()),
    };
    let offset = offset as i64;
    let needed = if offset == 0 && how == u32::from(whence::CUR) {
        rights::FD_TELL
    } else {
        rights::FD_SEEK
    };
    require(&c.data().frame, fd, needed)?;
    let base = match u8::try_from(how).map_err(|_| Errno::INVAL)? {
        whence::SET => 0,
        whence::CUR => f.pos,
        whence::END => file_len(c.data_mut(), &f.key)?,
        _ => return Err(Errno::INVAL.into()),
    };
    let new = i128::from(base) + i128::from(offset);
    if new < 0 {
        return Err(Errno::INVAL.into());
    }
    let new = u64::try_from(new).map_err(|_| Errno::OVERFLOW)?;
    if let FdKind::File { pos, .. } = &mut get_fd_mut(&mut c.data_mut().frame, fd)?.kind {
        *pos = new;
    }
    write_u64(c, out, new)
}

/// `fd_tell`.
pub(crate) fn fd_tell(c: Cx<'_, '_>, fd: u32, out: u32) -> WasiResult<()> {
    match target(&c.data().frame, fd)? {
        Target::File(f) => {
            require(&c.data().frame, fd, rights::FD_TELL)?;
            write_u64(c, out, f.pos)
        }
        Target::Dir(_) => Err(Errno::BADF.into()),
        _ => Err(Errno::SPIPE.into()),
    }
}

/// `fd_close`. Closing a call handle that was written to but never read runs the call;
/// its failure is `EIO` (the descriptor is closed either way).
pub(crate) fn fd_close(c: Cx<'_, '_>, fd: u32) -> WasiResult<()> {
    let pending_call = match &get_fd(&c.data().frame, fd)?.kind {
        FdKind::Call(h) => h.written && h.result.is_none(),
        _ => false,
    };
    let outcome = if pending_call {
        call::run_handle(c, fd)
    } else {
        Ok(())
    };
    c.data_mut().frame.fds.remove(&fd);
    outcome
}

/// `fd_datasync`: commits are durable; nothing to do for files and directories.
pub(crate) fn fd_datasync(c: Cx<'_, '_>, fd: u32) -> WasiResult<()> {
    match get_fd(&c.data().frame, fd)?.kind {
        FdKind::File { .. } | FdKind::Dir { .. } => Ok(()),
        _ => Err(Errno::INVAL.into()),
    }
}

/// `fd_sync`: as `fd_datasync`.
pub(crate) fn fd_sync(c: Cx<'_, '_>, fd: u32) -> WasiResult<()> {
    fd_datasync(c, fd)
}

/// `fd_advise`: accepted and ignored for files.
pub(crate) fn fd_advise(
    c: Cx<'_, '_>,
    fd: u32,
    _offset: u64,
    _len: u64,
    advice: u32,
) -> WasiResult<()> {
    let kind = &get_fd(&c.data().frame, fd)?.kind;
    if advice > 5 {
        return Err(Errno::INVAL.into());
    }
    match kind {
        FdKind::File { .. } => Ok(()),
        FdKind::Dir { .. } => Err(Errno::BADF.into()),
        _ => Err(Errno::SPIPE.into()),
    }
}

/// `fd_allocate`: not supported (`ENOTSUP`), as in current runtimes.
pub(crate) fn fd_allocate(c: Cx<'_, '_>, fd: u32, _offset: u64, _len: u64) -> WasiResult<()> {
    match get_fd(&c.data().frame, fd)?.kind {
        FdKind::File { .. } => Err(Errno::NOTSUP.into()),
        _ => Err(Errno::BADF.into()),
    }
}

fn filetype_of(kind: &FdKind) -> u8 {
    match kind {
        FdKind::Dir { .. } => filetype::DIRECTORY,
        FdKind::File { .. } => filetype::REGULAR_FILE,
        _ => filetype::CHARACTER_DEVICE,
    }
}

/// `fd_fdstat_get`.
pub(crate) fn fd_fdstat_get(c: Cx<'_, '_>, fd: u32, out: u32) -> WasiResult<()> {
    let f = get_fd(&c.data().frame, fd)?;
    let mut s = [0u8; size::FDSTAT as usize];
    s[0] = filetype_of(&f.kind);
    s[2..4].copy_from_slice(&f.flags.to_le_bytes());
    s[8..16].copy_from_slice(&f.rights_base.to_le_bytes());
    s[16..24].copy_from_slice(&f.rights_inheriting.to_le_bytes());
    write_mem(c, out, &s)
}

/// `fd_fdstat_set_flags`: the flags are kept; only `APPEND` changes behaviour (the sync flags
/// need nothing: commits are durable).
pub(crate) fn fd_fdstat_set_flags(c: Cx<'_, '_>, fd: u32, flags: u32) -> WasiResult<()> {
    require(&c.data().frame, fd, rights::FD_FDSTAT_SET_FLAGS)?;
    let f = get_fd_mut(&mut c.data_mut().frame, fd)?;
    let flags = u16::try_from(flags).map_err(|_| Errno::INVAL)?;
    if flags & !fdflags::ALL != 0 {
        return Err(Errno::INVAL.into());
    }
    f.flags = flags;
    Ok(())
}

/// `fd_fdstat_set_rights`: rights can only be dropped (`ENOTCAPABLE` otherwise).
pub(crate) fn fd_fdstat_set_rights(
    c: Cx<'_, '_>,
    fd: u32,
    base: u64,
    inheriting: u64,
) -> WasiResult<()> {
    let f = get_fd_mut(&mut c.data_mut().frame, fd)?;
    if base & !f.rights_base != 0 || inheriting & !f.rights_inheriting != 0 {
        return Err(Errno::NOTCAPABLE.into());
    }
    f.rights_base = base;
    f.rights_inheriting = inheriting;
    Ok(())
}

/// The 64-byte `filestat` record.
pub(crate) fn filestat(
    dev: u64,
    ino: u64,
    ftype: u8,
    size: u64,
    time: u64,
) -> [u8; size::FILESTAT as usize] {
    let mut s = [0u8; size::FILESTAT as usize];
    s[0..8].copy_from_slice(&dev.to_le_bytes());
    s[8..16].copy_from_slice(&ino.to_le_bytes());
    s[16] = ftype;
    s[24..32].copy_from_slice(&1u64.to_le_bytes());
    s[32..40].copy_from_slice(&size.to_le_bytes());
    // atim, mtim, ctim: storage keeps no times; every entry shows the block time.
    for at in [40, 48, 56] {
        s[at..at + 8].copy_from_slice(&time.to_le_bytes());
    }
    s
}

/// Filestat of a storage path of `address`.
pub(crate) fn path_stat(
    host: &mut Host,
    address: &Address,
    path: &str,
    kind: Kind,
) -> WasiResult<[u8; 64]> {
    let dev = vfs::device(address);
    let now = host.world().block.time_ns;
    Ok(match kind {
        Kind::File => {
            let len = file_len(host, path)?;
            filestat(
                dev,
                vfs::inode(address, path.as_bytes()),
                filetype::REGULAR_FILE,
                len,
                now,
            )
        }
        Kind::Dir => filestat(
            dev,
            vfs::inode(address, vfs::dir_prefix(path).as_bytes()),
            filetype::DIRECTORY,
            0,
            now,
        ),
    })
}

/// `fd_filestat_get`.
pub(crate) fn fd_filestat_get(c: Cx<'_, '_>, fd: u32, out: u32) -> WasiResult<()> {
    require(&c.data().frame, fd, rights::FD_FILESTAT_GET)?;
    let address = c.data().frame.address;
    let stat = match target(&c.data().frame, fd)? {
        Target::File(f) => path_stat(c.data_mut(), &address, &f.key, Kind::File)?,
        Target::Dir(path) => path_stat(c.data_mut(), &address, &path, Kind::Dir)?,
        _ => {
            let now = c.data_mut().world().block.time_ns;
            filestat(
                0,
                vfs::other_inode(format!("fd {fd}").as_bytes()),
                filetype::CHARACTER_DEVICE,
                0,
                now,
            )
        }
    };
    write_mem(c, out, &stat)
}

/// `fd_filestat_set_size`: truncate or extend (with zeros) a file opened for writing.
pub(crate) fn fd_filestat_set_size(c: Cx<'_, '_>, fd: u32, len: u64) -> WasiResult<()> {
    match target(&c.data().frame, fd)? {
        Target::File(f) if f.write => {
            require(&c.data().frame, fd, rights::FD_FILESTAT_SET_SIZE)?;
            truncate_file(c, &f.key, len)
        }
        Target::File(_) => Err(Errno::BADF.into()),
        Target::Dir(_) => Err(Errno::BADF.into()),
        _ => Err(Errno::INVAL.into()),
    }
}

/// Check `fstflags` (both "set" and "now" for one time is `EINVAL`).
pub(crate) fn check_fstflags(flags: u32) -> WasiResult<()> {
    let f = u16::try_from(flags).map_err(|_| Errno::INVAL)?;
    let bad = (f & fstflags::ATIM != 0 && f & fstflags::ATIM_NOW != 0)
        || (f & fstflags::MTIM != 0 && f & fstflags::MTIM_NOW != 0)
        || f & !0xf != 0;
    if bad {
        Err(Errno::INVAL.into())
    } else {
        Ok(())
    }
}

/// `fd_filestat_set_times`: storage keeps no times (`ENOTSUP` after checking the arguments).
pub(crate) fn fd_filestat_set_times(
    c: Cx<'_, '_>,
    fd: u32,
    _atim: u64,
    _mtim: u64,
    flags: u32,
) -> WasiResult<()> {
    get_fd(&c.data().frame, fd)?;
    check_fstflags(flags)?;
    Err(Errno::NOTSUP.into())
}

/// The name of the preopened directory.
const PREOPEN_NAME: &[u8] = b"/";

fn is_preopen(frame: &Frame, fd: u32) -> bool {
    matches!(
        frame.fds.get(&fd).map(|f| &f.kind),
        Some(FdKind::Dir { preopen: true, .. })
    )
}

/// `fd_prestat_get`: the storage root is preopened as `/`; every other descriptor is `EBADF`
/// (which ends wasi-libc's preopen scan).
pub(crate) fn fd_prestat_get(c: Cx<'_, '_>, fd: u32, out: u32) -> WasiResult<()> {
    if !is_preopen(&c.data().frame, fd) {
        return Err(Errno::BADF.into());
    }
    let mut s = [0u8; 8];
    s[4..8].copy_from_slice(&(PREOPEN_NAME.len() as u32).to_le_bytes());
    write_mem(c, out, &s)
}

/// `fd_prestat_dir_name`.
pub(crate) fn fd_prestat_dir_name(c: Cx<'_, '_>, fd: u32, buf: u32, len: u32) -> WasiResult<()> {
    if !is_preopen(&c.data().frame, fd) {
        return Err(Errno::BADF.into());
    }
    if (len as usize) < PREOPEN_NAME.len() {
        return Err(Errno::NAMETOOLONG.into());
    }
    write_mem(c, buf, PREOPEN_NAME)
}

/// `fd_readdir`: `.`, `..`, then the directory's entries in byte order; cookie `i` resumes at
/// entry `i`. The listing is taken when cookie 0 is read and kept until the next cookie 0.
pub(crate) fn fd_readdir(
    c: Cx<'_, '_>,
    fd: u32,
    buf: u32,
    len: u32,
    cookie: u64,
    out: u32,
) -> WasiResult<()> {
    let address = c.data().frame.address;
    let (path, has_listing) = match &get_fd(&c.data().frame, fd)?.kind {
        FdKind::Dir { path, listing, .. } => (path.clone(), listing.is_some()),
        FdKind::File { .. } => return Err(Errno::NOTDIR.into()),
        _ => return Err(Errno::BADF.into()),
    };
    require(&c.data().frame, fd, rights::FD_READDIR)?;
    if cookie == 0 || !has_listing {
        let host = c.data_mut();
        let entries = vfs::list_dir(&mut host.world().journal, &address, &path)?;
        let k = host.world().costs;
        let bytes: u64 = entries.iter().map(|(n, _)| n.len() as u64).sum();
        pend(
            host,
            k.storage_access
                .saturating_add(k.read_per_byte.saturating_mul(bytes)),
        );
        if let FdKind::Dir { listing, .. } = &mut get_fd_mut(&mut host.frame, fd)?.kind {
            *listing = Some(entries);
        }
    }
    let FdKind::Dir {
        listing: Some(entries),
        ..
    } = &get_fd(&c.data().frame, fd)?.kind
    else {
        unreachable!("listing taken above")
    };
    let parent = path.rsplit_once('/').map_or("", |(p, _)| p);
    let here = vfs::inode(&address, vfs::dir_prefix(&path).as_bytes());
    let up = vfs::inode(&address, vfs::dir_prefix(parent).as_bytes());
    let mut bytes = Vec::new();
    let total = entries.len() as u64 + 2;
    let mut i = cookie;
    while i < total && bytes.len() < len as usize {
        let (name, ino, ftype): (&[u8], u64, u8) = match i {
            0 => (b".", here, filetype::DIRECTORY),
            1 => (b"..", up, filetype::DIRECTORY),
            _ => {
                let (name, kind) = &entries[(i - 2) as usize];
                let ft = match kind {
                    Kind::Dir => filetype::DIRECTORY,
                    Kind::File => filetype::REGULAR_FILE,
                };
                (
                    name.as_slice(),
                    vfs::entry_inode(&address, &path, name, *kind),
                    ft,
                )
            }
        };
        let mut d = [0u8; size::DIRENT as usize];
        d[0..8].copy_from_slice(&(i + 1).to_le_bytes());
        d[8..16].copy_from_slice(&ino.to_le_bytes());
        d[16..20].copy_from_slice(&(name.len() as u32).to_le_bytes());
        d[20] = ftype;
        bytes.extend_from_slice(&d);
        bytes.extend_from_slice(name);
        i += 1;
    }
    bytes.truncate(len as usize);
    write_mem(c, buf, &bytes)?;
    write_u32(c, out, bytes.len() as u32)
}

/// `fd_renumber`: move descriptor `from` to number `to`, closing what was there.
pub(crate) fn fd_renumber(c: Cx<'_, '_>, from: u32, to: u32) -> WasiResult<()> {
    let frame = &mut c.data_mut().frame;
    get_fd(frame, from)?;
    get_fd(frame, to)?;
    if from != to {
        let f = frame.fds.remove(&from).expect("checked");
        frame.fds.insert(to, f);
    }
    Ok(())
}
