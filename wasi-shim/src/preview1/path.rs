//! Path functions over the storage tree.

use super::{Cx, WasiResult, call, charge, costs, pend, read_mem, write_mem, write_u32};
use crate::abi::{Errno, fdflags, oflags, rights};
use crate::runtime::{Fd, FdKind, Host};
use crate::state::StateKey;
use crate::vfs::{self, Kind, Resolved};

/// The directory path of descriptor `fd` (`EBADF` if closed, `ENOTDIR` if not a directory,
/// `ENOTCAPABLE` without `right`).
fn dir_of(host: &Host, fd: u32, right: u64) -> WasiResult<String> {
    let f = host.frame.fds.get(&fd).ok_or(Errno::BADF)?;
    match &f.kind {
        FdKind::Dir { .. } if f.rights_base & right != right => Err(Errno::NOTCAPABLE.into()),
        FdKind::Dir { path, .. } => Ok(path.clone()),
        _ => Err(Errno::NOTDIR.into()),
    }
}

/// Read and resolve a path argument relative to directory descriptor `fd` (which must hold
/// `right`), charging a storage access per path component.
fn resolve_arg(
    c: Cx<'_, '_>,
    fd: u32,
    right: u64,
    ptr: u32,
    len: u32,
) -> WasiResult<(String, Resolved)> {
    let base = dir_of(c.data(), fd, right)?;
    let raw = read_mem(c, ptr, len)?;
    let host = c.data_mut();
    let access = host.world().costs.storage_access;
    pend(host, access.saturating_mul(vfs::lookups(&raw)));
    let address = host.frame.address;
    let r = vfs::resolve(&mut host.world().journal, &address, &base, &raw)?;
    Ok((base, r))
}

fn kind_of(c: Cx<'_, '_>, path: &str) -> WasiResult<Option<Kind>> {
    let host = c.data_mut();
    let address = host.frame.address;
    vfs::kind(&mut host.world().journal, &address, path)
}

fn skey(c: &Cx<'_, '_>, key: &[u8]) -> StateKey {
    StateKey::Storage(c.data().frame.address, key.to_vec())
}

/// Create (or replace) a storage entry, charging access, bytes written and growth first.
fn put_entry(c: Cx<'_, '_>, key: &[u8], value: Vec<u8>) -> WasiResult<()> {
    let sk = skey(&c, key);
    let klen = key.len() as u64;
    let old = c
        .data_mut()
        .world()
        .journal
        .get(&sk)?
        .map(|v| klen + v.len() as u64);
    let new_size = klen + value.len() as u64;
    let growth = c.data_mut().world().growth(&sk, old.unwrap_or(0), new_size);
    let k = costs(c);
    charge(
        c,
        k.storage_access
            .saturating_add(k.write_per_byte.saturating_mul(new_size))
            .saturating_add(k.new_byte.saturating_mul(growth)),
    )?;
    c.data_mut().world().journal.set(sk, Some(value))?;
    charge_index_writes(c)
}

fn delete_entry(c: Cx<'_, '_>, key: &[u8]) -> WasiResult<()> {
    let sk = skey(&c, key);
    let access = costs(c).storage_access;
    charge(c, access)?;
    let klen = key.len() as u64;
    let world = c.data_mut().world();
    let old = world.journal.get(&sk)?.map(|v| klen + v.len() as u64);
    world.growth(&sk, old.unwrap_or(0), 0);
    world.journal.set(sk, None)?;
    charge_index_writes(c)
}

/// Charge the directory index writes the last storage change made (see
/// `state::dirs`): each index value written costs as a storage write of its prefix and value
/// (access, per byte, growth), each index deleted costs an access.
pub(crate) fn charge_index_writes(c: Cx<'_, '_>) -> WasiResult<()> {
    let writes = c.data_mut().world().journal.take_index_writes();
    if writes.is_empty() {
        return Ok(());
    }
    let k = costs(c);
    let mut total = 0u64;
    for w in writes {
        let before = w.before.unwrap_or(0);
        total = total.saturating_add(k.storage_access);
        if let Some(after) = w.after {
            let growth = c.data_mut().world().growth(&w.key, before, after);
            total = total
                .saturating_add(k.write_per_byte.saturating_mul(after))
                .saturating_add(k.new_byte.saturating_mul(growth));
        }
    }
    charge(c, total)
}

/// `path_open`: open or create a storage file or directory, or a call handle under
/// `/contracts`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn path_open(
    c: Cx<'_, '_>,
    fd: u32,
    _dirflags: u32,
    ptr: u32,
    len: u32,
    oflags: u32,
    base: u64,
    inheriting: u64,
    flags: u32,
    out: u32,
) -> WasiResult<()> {
    let oflags = u16::try_from(oflags).map_err(|_| Errno::INVAL)?;
    let flags = u16::try_from(flags).map_err(|_| Errno::INVAL)?;
    if flags & !fdflags::ALL != 0 || oflags & !0xf != 0 {
        return Err(Errno::INVAL.into());
    }
    let mut needed = rights::PATH_OPEN;
    if oflags & oflags::CREAT != 0 {
        needed |= rights::PATH_CREATE_FILE;
    }
    if oflags & oflags::TRUNC != 0 {
        needed |= rights::PATH_FILESTAT_SET_SIZE;
    }
    let (_, r) = resolve_arg(c, fd, needed, ptr, len)?;
    let dir_inheriting = c
        .data()
        .frame
        .fds
        .get(&fd)
        .map_or(0, |f| f.rights_inheriting);
    let (base, inheriting) = (base & dir_inheriting, inheriting & dir_inheriting);
    if r.reserved() {
        let new_fd = match r.path.split_once('/') {
            Some((_, name)) if !name.contains('/') => {
                if oflags & oflags::DIRECTORY != 0 {
                    return Err(Errno::NOTDIR.into());
                }
                if oflags & oflags::EXCL != 0 {
                    return Err(Errno::EXIST.into());
                }
                call::open(c, name, flags, base)?
            }
            Some(_) => return Err(Errno::NOENT.into()),
            None => return Err(Errno::NOTSUP.into()),
        };
        return write_u32(c, out, new_fd);
    }
    let kind = kind_of(c, &r.path)?;
    let wants_write = base & rights::WRITE_LIKE != 0;
    let fd_entry = match kind {
        Some(_) if oflags & oflags::CREAT != 0 && oflags & oflags::EXCL != 0 => {
            return Err(Errno::EXIST.into());
        }
        Some(Kind::Dir) => {
            if oflags & oflags::TRUNC != 0 || wants_write {
                return Err(Errno::ISDIR.into());
            }
            Fd {
                kind: FdKind::Dir {
                    path: r.path.clone(),
                    preopen: false,
                    listing: None,
                },
                flags,
                rights_base: base & rights::DIRECTORY,
                rights_inheriting: inheriting & (rights::DIRECTORY | rights::FILE),
            }
        }
        Some(Kind::File) => {
            if oflags & oflags::DIRECTORY != 0 || r.trailing_slash {
                return Err(Errno::NOTDIR.into());
            }
            if oflags & oflags::TRUNC != 0 {
                super::fd::truncate_file(c, &r.path, 0)?;
            }
            file_fd(&r.path, flags, base, inheriting)
        }
        None => {
            if oflags & oflags::CREAT == 0 {
                return Err(Errno::NOENT.into());
            }
            if oflags & oflags::DIRECTORY != 0 {
                return Err(Errno::INVAL.into());
            }
            if r.trailing_slash {
                return Err(Errno::ISDIR.into());
            }
            put_entry(c, r.path.as_bytes(), Vec::new())?;
            file_fd(&r.path, flags, base, inheriting)
        }
    };
    let new_fd = super::fd::insert_fd(&mut c.data_mut().frame, fd_entry)?;
    write_u32(c, out, new_fd)
}

fn file_fd(path: &str, flags: u16, base: u64, inheriting: u64) -> Fd {
    Fd {
        kind: FdKind::File {
            key: path.to_string(),
            pos: 0,
            read: base & rights::FD_READ != 0,
            write: base & rights::WRITE_LIKE != 0,
        },
        flags,
        rights_base: base & rights::FILE,
        rights_inheriting: inheriting & rights::FILE,
    }
}

/// `path_create_directory`: writes the marker key `path/`.
pub(crate) fn path_create_directory(c: Cx<'_, '_>, fd: u32, ptr: u32, len: u32) -> WasiResult<()> {
    let (_, r) = resolve_arg(c, fd, rights::PATH_CREATE_DIRECTORY, ptr, len)?;
    if r.reserved() {
        return Err(Errno::ACCES.into());
    }
    if kind_of(c, &r.path)?.is_some() {
        return Err(Errno::EXIST.into());
    }
    put_entry(c, vfs::dir_prefix(&r.path).as_bytes(), Vec::new())
}

/// `path_filestat_get`.
pub(crate) fn path_filestat_get(
    c: Cx<'_, '_>,
    fd: u32,
    _flags: u32,
    ptr: u32,
    len: u32,
    out: u32,
) -> WasiResult<()> {
    let (_, r) = resolve_arg(c, fd, rights::PATH_FILESTAT_GET, ptr, len)?;
    if r.reserved() {
        return Err(Errno::NOENT.into());
    }
    let kind = kind_of(c, &r.path)?.ok_or(Errno::NOENT)?;
    if kind == Kind::File && r.trailing_slash {
        return Err(Errno::NOTDIR.into());
    }
    let address = c.data().frame.address;
    let stat = super::fd::path_stat(c.data_mut(), &address, &r.path, kind)?;
    write_mem(c, out, &stat)
}

/// `path_filestat_set_times`: storage keeps no times (`ENOTSUP` after checking the arguments).
#[allow(clippy::too_many_arguments)]
pub(crate) fn path_filestat_set_times(
    c: Cx<'_, '_>,
    fd: u32,
    _flags: u32,
    ptr: u32,
    len: u32,
    _atim: u64,
    _mtim: u64,
    fst: u32,
) -> WasiResult<()> {
    super::fd::check_fstflags(fst)?;
    let (_, r) = resolve_arg(c, fd, rights::PATH_FILESTAT_SET_TIMES, ptr, len)?;
    kind_of(c, &r.path)?.ok_or(Errno::NOENT)?;
    Err(Errno::NOTSUP.into())
}

/// `path_link`: hard links cannot exist in a key-value store (`ENOTSUP`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn path_link(
    c: Cx<'_, '_>,
    fd: u32,
    _flags: u32,
    ptr: u32,
    len: u32,
    fd2: u32,
    ptr2: u32,
    len2: u32,
) -> WasiResult<()> {
    let (_, r) = resolve_arg(c, fd, rights::PATH_LINK_SOURCE, ptr, len)?;
    kind_of(c, &r.path)?.ok_or(Errno::NOENT)?;
    let (_, r2) = resolve_arg(c, fd2, rights::PATH_LINK_TARGET, ptr2, len2)?;
    if kind_of(c, &r2.path)?.is_some() {
        return Err(Errno::EXIST.into());
    }
    Err(Errno::NOTSUP.into())
}

/// `path_readlink`: there are no symbolic links (`EINVAL` for an existing path).
pub(crate) fn path_readlink(
    c: Cx<'_, '_>,
    fd: u32,
    ptr: u32,
    len: u32,
    _buf: u32,
    _buf_len: u32,
    _out: u32,
) -> WasiResult<()> {
    let (_, r) = resolve_arg(c, fd, rights::PATH_READLINK, ptr, len)?;
    kind_of(c, &r.path)?.ok_or(Errno::NOENT)?;
    Err(Errno::INVAL.into())
}

/// `path_symlink`: symbolic links cannot be stored (`ENOTSUP`).
pub(crate) fn path_symlink(
    c: Cx<'_, '_>,
    _old: u32,
    _old_len: u32,
    fd: u32,
    ptr: u32,
    len: u32,
) -> WasiResult<()> {
    let (_, r) = resolve_arg(c, fd, rights::PATH_SYMLINK, ptr, len)?;
    if kind_of(c, &r.path)?.is_some() {
        return Err(Errno::EXIST.into());
    }
    Err(Errno::NOTSUP.into())
}

/// Whether directory `path` has entries (other than its marker).
fn dir_has_entries(c: Cx<'_, '_>, path: &str) -> WasiResult<bool> {
    let prefix = vfs::dir_prefix(path).into_bytes();
    let host = c.data_mut();
    let address = host.frame.address;
    Ok(host
        .world()
        .journal
        .dir_entries(&address, &prefix)?
        .is_some_and(|e| !e.is_empty()))
}

/// `path_remove_directory`: only empty directories (`ENOTEMPTY`).
pub(crate) fn path_remove_directory(c: Cx<'_, '_>, fd: u32, ptr: u32, len: u32) -> WasiResult<()> {
    let (_, r) = resolve_arg(c, fd, rights::PATH_REMOVE_DIRECTORY, ptr, len)?;
    if r.reserved() {
        return Err(Errno::ACCES.into());
    }
    if r.path.is_empty() {
        return Err(Errno::BUSY.into());
    }
    match kind_of(c, &r.path)?.ok_or(Errno::NOENT)? {
        Kind::File => Err(Errno::NOTDIR.into()),
        Kind::Dir => {
            if dir_has_entries(c, &r.path)? {
                return Err(Errno::NOTEMPTY.into());
            }
            delete_entry(c, vfs::dir_prefix(&r.path).as_bytes())
        }
    }
}

/// `path_unlink_file`: delete a storage entry.
pub(crate) fn path_unlink_file(c: Cx<'_, '_>, fd: u32, ptr: u32, len: u32) -> WasiResult<()> {
    let (_, r) = resolve_arg(c, fd, rights::PATH_UNLINK_FILE, ptr, len)?;
    if r.reserved() {
        return Err(Errno::ACCES.into());
    }
    match kind_of(c, &r.path)?.ok_or(Errno::NOENT)? {
        Kind::Dir => Err(Errno::ISDIR.into()),
        Kind::File if r.trailing_slash => Err(Errno::NOTDIR.into()),
        Kind::File => delete_entry(c, r.path.as_bytes()),
    }
}

/// `path_rename`: move a file, or a directory with every key under it.
pub(crate) fn path_rename(
    c: Cx<'_, '_>,
    fd: u32,
    ptr: u32,
    len: u32,
    fd2: u32,
    ptr2: u32,
    len2: u32,
) -> WasiResult<()> {
    let (_, src) = resolve_arg(c, fd, rights::PATH_RENAME_SOURCE, ptr, len)?;
    let (_, dst) = resolve_arg(c, fd2, rights::PATH_RENAME_TARGET, ptr2, len2)?;
    if src.reserved() || dst.reserved() {
        return Err(Errno::ACCES.into());
    }
    let src_kind = kind_of(c, &src.path)?.ok_or(Errno::NOENT)?;
    if src.path.is_empty() || dst.path.is_empty() {
        return Err(Errno::BUSY.into());
    }
    let dst_kind = kind_of(c, &dst.path)?;
    match src_kind {
        Kind::File => {
            if src.trailing_slash || dst.trailing_slash {
                return Err(Errno::NOTDIR.into());
            }
            if dst_kind == Some(Kind::Dir) {
                return Err(Errno::ISDIR.into());
            }
            if src.path == dst.path {
                return Ok(());
            }
            let address = c.data().frame.address;
            let value = c
                .data_mut()
                .world()
                .journal
                .storage(&address, src.path.as_bytes())?
                .cloned()
                .unwrap_or_default();
            put_entry(c, dst.path.as_bytes(), value)?;
            delete_entry(c, src.path.as_bytes())
        }
        Kind::Dir => {
            if dst_kind == Some(Kind::File) {
                return Err(Errno::NOTDIR.into());
            }
            if src.path == dst.path {
                return Ok(());
            }
            if dst.path.starts_with(&vfs::dir_prefix(&src.path)) {
                return Err(Errno::INVAL.into());
            }
            if dst_kind == Some(Kind::Dir) && dir_has_entries(c, &dst.path)? {
                return Err(Errno::NOTEMPTY.into());
            }
            let from = vfs::dir_prefix(&src.path).into_bytes();
            let to = vfs::dir_prefix(&dst.path).into_bytes();
            let address = c.data().frame.address;
            let keys = c
                .data_mut()
                .world()
                .journal
                .keys_with_prefix(&address, &from)?;
            let mut moved = false;
            for key in keys {
                let value = c
                    .data_mut()
                    .world()
                    .journal
                    .storage(&address, &key)?
                    .cloned()
                    .unwrap_or_default();
                let mut new_key = to.clone();
                new_key.extend_from_slice(&key[from.len()..]);
                put_entry(c, &new_key, value)?;
                delete_entry(c, &key)?;
                moved = true;
            }
            if !moved {
                // The source existed only as a prefix of nothing: impossible, but keep the
                // destination a directory.
                put_entry(c, &to, Vec::new())?;
            }
            Ok(())
        }
    }
}
