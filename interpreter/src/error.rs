//! Errors and trap codes.

use core::fmt;

/// Why a WebAssembly execution trapped.
///
/// Each code renders with the wording of the WebAssembly specification's test suite, so that
/// spec scripts can compare messages directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TrapCode {
    /// `unreachable` was executed.
    Unreachable,
    /// A load, store or bulk memory operation accessed memory out of bounds.
    MemoryOutOfBounds,
    /// A table access or bulk table operation was out of bounds.
    TableOutOfBounds,
    /// `call_indirect` with an index past the end of the table.
    UndefinedElement,
    /// `call_indirect` through a null table entry.
    UninitializedElement,
    /// `call_indirect` to a function of another type.
    IndirectCallTypeMismatch,
    /// Signed integer division overflow (`MIN / -1`).
    IntegerOverflow,
    /// Integer division or remainder by zero.
    IntegerDivisionByZero,
    /// A float-to-int truncation of NaN or of a value out of the target's range.
    BadConversionToInteger,
    /// The call depth or value-stack limit was reached (counted in Wasm terms).
    StackExhausted,
    /// A host function reported an error.
    HostError,
    /// The gas limit was reached; nothing after the failing charge ran.
    OutOfGas,
}

impl TrapCode {
    /// The message the WebAssembly spec test suite uses for this trap.
    pub fn message(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable",
            TrapCode::MemoryOutOfBounds => "out of bounds memory access",
            TrapCode::TableOutOfBounds => "out of bounds table access",
            TrapCode::UndefinedElement => "undefined element",
            TrapCode::UninitializedElement => "uninitialized element",
            TrapCode::IndirectCallTypeMismatch => "indirect call type mismatch",
            TrapCode::IntegerOverflow => "integer overflow",
            TrapCode::IntegerDivisionByZero => "integer divide by zero",
            TrapCode::BadConversionToInteger => "invalid conversion to integer",
            TrapCode::StackExhausted => "call stack exhausted",
            TrapCode::HostError => "host error",
            TrapCode::OutOfGas => "out of gas",
        }
    }
}

impl fmt::Display for TrapCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for TrapCode {}

/// Everything that can go wrong in Gauge: a bad module, a failed link, a trap, a host error.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The bytes are not a well-formed module, or the module does not validate.
    Invalid {
        /// What is wrong.
        message: String,
        /// Byte offset in the module where it was detected.
        offset: usize,
    },
    /// The module's text (`.wat`) could not be parsed.
    Wat(String),
    /// An import could not be satisfied, or a definition clashed.
    Link(String),
    /// A configured resource limit was exceeded while creating an object.
    Limit(String),
    /// Execution trapped.
    Trap(TrapCode),
    /// A host function failed with this message.
    Host(String),
    /// A call was made with arguments or result slots of the wrong number or type.
    Type(String),
}

impl Error {
    /// The trap code, if this error is a trap.
    pub fn as_trap(&self) -> Option<TrapCode> {
        match self {
            Error::Trap(code) => Some(*code),
            _ => None,
        }
    }

    /// Create a host error with a message (for host functions).
    pub fn host(message: impl Into<String>) -> Self {
        Error::Host(message.into())
    }

    pub(crate) fn invalid(message: impl Into<String>, offset: usize) -> Self {
        Error::Invalid {
            message: message.into(),
            offset,
        }
    }
}

impl From<TrapCode> for Error {
    fn from(code: TrapCode) -> Self {
        Error::Trap(code)
    }
}

impl From<wasmparser::BinaryReaderError> for Error {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        Error::Invalid {
            message: e.message().to_string(),
            offset: e.offset() as usize,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid { message, offset } => {
                write!(f, "invalid module: {message} (at offset 0x{offset:x})")
            }
            Error::Wat(m) => write!(f, "invalid text module: {m}"),
            Error::Link(m) => write!(f, "link error: {m}"),
            Error::Limit(m) => write!(f, "limit exceeded: {m}"),
            Error::Trap(code) => write!(f, "trap: {code}"),
            Error::Host(m) => write!(f, "host error: {m}"),
            Error::Type(m) => write!(f, "type error: {m}"),
        }
    }
}

impl std::error::Error for Error {}
