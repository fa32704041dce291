//! `wasi_snapshot_preview1` ABI constants: errno values, flags, rights and struct layouts.
//!
//! Numbers follow the preview1 witx definitions. Only what the shim uses is listed.

/// A WASI error number (`errno`), as returned by every preview1 function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Errno(pub u16);

macro_rules! errnos {
    ($($name:ident = $v:expr, $doc:expr;)*) => {
        impl Errno {
            $(
                #[doc = $doc]
                pub const $name: Errno = Errno($v);
            )*

            /// The symbolic name (`"BADF"`, …) of a known errno.
            pub fn name(self) -> &'static str {
                match self.0 {
                    $($v => stringify!($name),)*
                    _ => "UNKNOWN",
                }
            }
        }
    };
}

errnos! {
    SUCCESS = 0, "No error.";
    TOOBIG = 1, "Argument list too long (`E2BIG`).";
    ACCES = 2, "Permission denied.";
    AGAIN = 6, "Resource unavailable, try again.";
    BADF = 8, "Bad file descriptor.";
    BUSY = 10, "Device or resource busy.";
    EXIST = 20, "File exists.";
    FAULT = 21, "Bad address.";
    FBIG = 22, "File too large.";
    ILSEQ = 25, "Illegal byte sequence.";
    INVAL = 28, "Invalid argument.";
    IO = 29, "I/O error.";
    ISDIR = 31, "Is a directory.";
    LOOP = 32, "Too many levels of symbolic links.";
    MFILE = 33, "File descriptor value too large.";
    NAMETOOLONG = 37, "Filename too long.";
    NOENT = 44, "No such file or directory.";
    NOSYS = 52, "Function not supported.";
    NOTDIR = 54, "Not a directory.";
    NOTEMPTY = 55, "Directory not empty.";
    NOTSOCK = 57, "Not a socket.";
    NOTSUP = 58, "Not supported.";
    OVERFLOW = 61, "Value too large to be stored in data type.";
    PERM = 63, "Operation not permitted.";
    PIPE = 64, "Broken pipe.";
    SPIPE = 70, "Invalid seek.";
    XDEV = 75, "Cross-device link.";
    NOTCAPABLE = 76, "Capabilities insufficient.";
}

/// File types (`filetype`).
pub mod filetype {
    /// Unknown type.
    pub const UNKNOWN: u8 = 0;
    /// A character device (used for stdin, stdout, stderr and call handles).
    pub const CHARACTER_DEVICE: u8 = 2;
    /// A directory.
    pub const DIRECTORY: u8 = 3;
    /// A regular file.
    pub const REGULAR_FILE: u8 = 4;
}

/// File descriptor flags (`fdflags`).
pub mod fdflags {
    /// Append mode.
    pub const APPEND: u16 = 1;
    /// Synchronized data writes.
    pub const DSYNC: u16 = 2;
    /// Non-blocking mode.
    pub const NONBLOCK: u16 = 4;
    /// Synchronized reads.
    pub const RSYNC: u16 = 8;
    /// Synchronized writes.
    pub const SYNC: u16 = 16;
    /// Every defined flag.
    pub const ALL: u16 = APPEND | DSYNC | NONBLOCK | RSYNC | SYNC;
}

/// Open flags (`oflags`).
pub mod oflags {
    /// Create the file if it does not exist.
    pub const CREAT: u16 = 1;
    /// Fail if not a directory.
    pub const DIRECTORY: u16 = 2;
    /// Fail if it already exists.
    pub const EXCL: u16 = 4;
    /// Truncate to size 0.
    pub const TRUNC: u16 = 8;
}

/// Time-setting flags (`fstflags`).
pub mod fstflags {
    /// Set the access time to the given value.
    pub const ATIM: u16 = 1;
    /// Set the access time to "now".
    pub const ATIM_NOW: u16 = 2;
    /// Set the modification time to the given value.
    pub const MTIM: u16 = 4;
    /// Set the modification time to "now".
    pub const MTIM_NOW: u16 = 8;
}

/// Rights (`rights`): one bit per operation a descriptor may perform.
pub mod rights {
    macro_rules! rights {
        ($($name:ident = $bit:expr, $doc:expr;)*) => {
            $(
                #[doc = $doc]
                pub const $name: u64 = 1 << $bit;
            )*
        };
    }

    rights! {
        FD_DATASYNC = 0, "`fd_datasync`.";
        FD_READ = 1, "`fd_read` and `fd_pread`.";
        FD_SEEK = 2, "`fd_seek` (implies `FD_TELL`).";
        FD_FDSTAT_SET_FLAGS = 3, "`fd_fdstat_set_flags`.";
        FD_SYNC = 4, "`fd_sync`.";
        FD_TELL = 5, "`fd_tell`, and `fd_seek` by 0 from the current position.";
        FD_WRITE = 6, "`fd_write` and `fd_pwrite`.";
        FD_ADVISE = 7, "`fd_advise`.";
        FD_ALLOCATE = 8, "`fd_allocate`.";
        PATH_CREATE_DIRECTORY = 9, "`path_create_directory`.";
        PATH_CREATE_FILE = 10, "`path_open` with `O_CREAT`.";
        PATH_LINK_SOURCE = 11, "`path_link` from this directory.";
        PATH_LINK_TARGET = 12, "`path_link` into this directory.";
        PATH_OPEN = 13, "`path_open`.";
        FD_READDIR = 14, "`fd_readdir`.";
        PATH_READLINK = 15, "`path_readlink`.";
        PATH_RENAME_SOURCE = 16, "`path_rename` from this directory.";
        PATH_RENAME_TARGET = 17, "`path_rename` into this directory.";
        PATH_FILESTAT_GET = 18, "`path_filestat_get`.";
        PATH_FILESTAT_SET_SIZE = 19, "`path_open` with `O_TRUNC`.";
        PATH_FILESTAT_SET_TIMES = 20, "`path_filestat_set_times`.";
        FD_FILESTAT_GET = 21, "`fd_filestat_get`.";
        FD_FILESTAT_SET_SIZE = 22, "`fd_filestat_set_size`.";
        FD_FILESTAT_SET_TIMES = 23, "`fd_filestat_set_times`.";
        PATH_SYMLINK = 24, "`path_symlink`.";
        PATH_REMOVE_DIRECTORY = 25, "`path_remove_directory`.";
        PATH_UNLINK_FILE = 26, "`path_unlink_file`.";
        POLL_FD_READWRITE = 27, "`poll_oneoff` subscriptions on the descriptor.";
        SOCK_SHUTDOWN = 28, "`sock_shutdown`.";
        SOCK_ACCEPT = 29, "`sock_accept`.";
    }

    /// Rights that make sense on a regular file.
    pub const FILE: u64 = FD_DATASYNC
        | FD_READ
        | FD_SEEK
        | FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_TELL
        | FD_WRITE
        | FD_ADVISE
        | FD_ALLOCATE
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_SIZE
        | FD_FILESTAT_SET_TIMES
        | POLL_FD_READWRITE;

    /// Rights that make sense on a directory.
    pub const DIRECTORY: u64 = FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_ADVISE
        | PATH_CREATE_DIRECTORY
        | PATH_CREATE_FILE
        | PATH_LINK_SOURCE
        | PATH_LINK_TARGET
        | PATH_OPEN
        | FD_READDIR
        | PATH_READLINK
        | PATH_RENAME_SOURCE
        | PATH_RENAME_TARGET
        | PATH_FILESTAT_GET
        | PATH_FILESTAT_SET_SIZE
        | PATH_FILESTAT_SET_TIMES
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_TIMES
        | PATH_SYMLINK
        | PATH_REMOVE_DIRECTORY
        | PATH_UNLINK_FILE;

    /// Rights that imply writing to a file.
    pub const WRITE_LIKE: u64 = FD_WRITE | FD_ALLOCATE | FD_FILESTAT_SET_SIZE;
}

/// Clock ids (`clockid`).
pub mod clock {
    /// The highest defined clock id (`THREAD_CPUTIME_ID`).
    pub const MAX_ID: u32 = 3;
}

/// `whence` values for `fd_seek`.
pub mod whence {
    /// From the start.
    pub const SET: u8 = 0;
    /// From the current position.
    pub const CUR: u8 = 1;
    /// From the end.
    pub const END: u8 = 2;
}

/// Event and subscription tags for `poll_oneoff`.
pub mod eventtype {
    /// A clock subscription.
    pub const CLOCK: u8 = 0;
    /// Readiness to read.
    pub const FD_READ: u8 = 1;
    /// Readiness to write.
    pub const FD_WRITE: u8 = 2;
}

/// Sizes of the structs the shim writes.
pub mod size {
    /// `fdstat`.
    pub const FDSTAT: u32 = 24;
    /// `filestat`.
    pub const FILESTAT: u32 = 64;
    /// `dirent` header (the name follows).
    pub const DIRENT: u32 = 24;
    /// `iovec` / `ciovec`.
    pub const IOVEC: u32 = 8;
    /// `subscription`.
    pub const SUBSCRIPTION: u32 = 48;
    /// `event`.
    pub const EVENT: u32 = 32;
}
