//! Generators of pathological module shapes that a naive translator handles in super-linear
//! time. Each takes a size parameter `n`; the module's byte size grows linearly with `n`.
//! Shared by `tests/linearity.rs` (deterministic instruction counts) and
//! `examples/linearity.rs` (timings).

use std::fmt::Write;

/// A named generator.
pub struct Shape {
    /// Short name.
    pub name: &'static str,
    /// Build the WebAssembly text of size `n`.
    pub wat: fn(usize) -> String,
}

impl Shape {
    /// The module's binary encoding at size `n`.
    pub fn binary(&self, n: usize) -> Vec<u8> {
        if self.name == "many-locals" {
            return many_locals_binary(n);
        }
        wat::parse_str((self.wat)(n)).expect("generator writes valid text")
    }
}

fn leb(mut v: u32, out: &mut Vec<u8>) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn section(id: u8, body: &[u8], out: &mut Vec<u8>) {
    out.push(id);
    leb(body.len() as u32, out);
    out.extend_from_slice(body);
}

/// Binary of [`many_locals`], written directly: the text form would be megabytes.
pub fn many_locals_binary(n: usize) -> Vec<u8> {
    let mut m = b"\0asm\x01\0\0\0".to_vec();
    section(1, &[1, 0x60, 0, 1, 0x7e], &mut m); // type 0: [] -> [i64]
    let mut funcs = Vec::new();
    leb(n as u32, &mut funcs);
    funcs.extend(std::iter::repeat_n(0u8, n));
    section(3, &funcs, &mut m);
    let mut body = vec![1]; // one run of locals
    leb(50_000, &mut body);
    body.push(0x7e); // i64
    body.push(0x20); // local.get 49999
    leb(49_999, &mut body);
    body.push(0x0b);
    let mut code = Vec::new();
    leb(n as u32, &mut code);
    for _ in 0..n {
        leb(body.len() as u32, &mut code);
        code.extend_from_slice(&body);
    }
    section(10, &code, &mut m);
    m
}

/// All shapes.
pub const SHAPES: &[Shape] = &[
    Shape {
        name: "nested-blocks-br_table",
        wat: nested_blocks_br_table,
    },
    Shape {
        name: "many-locals",
        wat: many_locals,
    },
    Shape {
        name: "set-local-on-stack",
        wat: set_local_on_stack,
    },
    Shape {
        name: "blocks-with-live-locals",
        wat: blocks_with_live_locals,
    },
    Shape {
        name: "many-small-functions",
        wat: many_small_functions,
    },
    Shape {
        name: "huge-sections",
        wat: huge_sections,
    },
];

/// `n` nested blocks, the innermost doing a `br_table` over all of them.
pub fn nested_blocks_br_table(n: usize) -> String {
    let mut s = String::from("(module (func (param i32) (result i32)\n");
    for _ in 0..n {
        s.push_str("(block\n");
    }
    s.push_str("(br_table");
    for i in 0..n {
        write!(s, " {i}").unwrap();
    }
    s.push_str(" 0 (local.get 0))\n");
    for _ in 0..n {
        s.push_str(")\n");
    }
    s.push_str("(i32.const 0)))");
    s
}

/// `n` functions, each declaring 50,000 locals in one bulk declaration (text form; see
/// [`many_locals_binary`] for the binary actually used).
pub fn many_locals(n: usize) -> String {
    let mut s = String::from("(module\n");
    for _ in 0..n {
        s.push_str("(func (result i64) (local");
        s.push_str(&" i64".repeat(50_000));
        s.push_str(") (local.get 49999))\n");
    }
    s.push(')');
    s
}

/// `n` temporaries on the stack, then `n` times: read local 0, then overwrite it while that
/// read is still on the stack.
pub fn set_local_on_stack(n: usize) -> String {
    let mut s = String::from("(module (func (param i32)\n");
    for _ in 0..n {
        s.push_str("(i32.const 7)\n");
    }
    for _ in 0..n {
        s.push_str("(local.get 0) (local.set 0 (i32.const 1))\n");
    }
    for _ in 0..2 * n {
        s.push_str("(drop)\n");
    }
    s.push_str("))");
    s
}

/// `n` lazy local reads on the stack interleaved with `n` `if` and `loop` blocks.
pub fn blocks_with_live_locals(n: usize) -> String {
    let mut s = String::from("(module (func (param i32 i32 i32 i32)\n");
    for i in 0..n {
        write!(
            s,
            "(local.get {}) (if (local.get 0) (then (local.set {} (i32.const 1))))",
            i % 4,
            i % 4
        )
        .unwrap();
        s.push_str("(loop (br_if 0 (i32.eqz (local.get 1))))\n");
    }
    for _ in 0..n {
        s.push_str("(drop)\n");
    }
    s.push_str("))");
    s
}

/// `n` tiny functions calling each other.
pub fn many_small_functions(n: usize) -> String {
    let mut s = String::from("(module\n");
    for i in 0..n {
        if i == 0 {
            s.push_str("(func (result i32) (i32.const 1))\n");
        } else {
            writeln!(
                s,
                "(func (result i32) (i32.add (call {}) (i32.const 1)))",
                i - 1
            )
            .unwrap();
        }
    }
    s.push(')');
    s
}

/// `n` types, `n` data segments and an element segment of `n` entries.
pub fn huge_sections(n: usize) -> String {
    let mut s = String::from("(module (memory 1) (table 1 funcref) (func $f)\n");
    for i in 0..n {
        writeln!(s, "(type (func (param i32 f32 i64 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 {}) (result i64 f64 i32)))",
            if i % 2 == 0 { "i32" } else { "i64" }).unwrap();
        writeln!(s, "(data (i32.const {}) \"abcdefgh\")", (i * 8) % 65_000).unwrap();
    }
    s.push_str("(elem (table 0) (i32.const 0) func");
    for _ in 0..n {
        s.push_str(" $f");
    }
    s.push_str(" ) (elem declare func $f)");
    s.push(')');
    s
}
