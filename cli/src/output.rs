//! Formatting values and writing JSON by hand.
//!
//! A value is shown as `<type>:<payload>`: integers in signed decimal (`i32:-7`,
//! `i64:42`), floats as their exact IEEE bit pattern in fixed-width hex (`f32:0x7fc00000`,
//! `f64:0x3ff8000000000000`), references as `funcref:null` / `funcref:N` (N the function's
//! index in the store, which for `gauge run` is the function's index in the module) and
//! `externref:null` / `externref:N` (N the number given on the command line). The same
//! strings appear in `--json` results and, one per line, in the human-readable output, where
//! floats are followed by their decimal value in parentheses.

use gauge_interpreter::{Func, Store, Value};

/// The canonical text of `value`; `store` resolves references.
pub fn format_value<T>(value: &Value, store: &Store<T>) -> String {
    match value {
        Value::I32(v) => format!("i32:{v}"),
        Value::I64(v) => format!("i64:{v}"),
        Value::F32(v) => format!("f32:0x{:08x}", v.to_bits()),
        Value::F64(v) => format!("f64:0x{:016x}", v.to_bits()),
        Value::FuncRef(None) => "funcref:null".into(),
        Value::FuncRef(Some(f)) => match func_index(f) {
            Some(n) => format!("funcref:{n}"),
            None => "funcref:?".into(),
        },
        Value::ExternRef(None) => "externref:null".into(),
        Value::ExternRef(Some(r)) => match r.data(store).downcast_ref::<u32>() {
            Some(n) => format!("externref:{n}"),
            None => "externref:?".into(),
        },
    }
}

/// The store index of `func`.
fn func_index(func: &Func) -> Option<u32> {
    Some(func.index())
}

/// The decimal value of a float result, for human-readable output; `None` for other types.
pub fn float_decimal(value: &Value) -> Option<String> {
    match value {
        Value::F32(v) => {
            let x = v.to_float();
            Some(decimal(x as f64, x.to_string(), format!("{x:e}")))
        }
        Value::F64(v) => {
            let x = v.to_float();
            Some(decimal(x, x.to_string(), format!("{x:e}")))
        }
        _ => None,
    }
}

/// Choose between a float's `plain` and `scientific` shortest round-trip forms: plain for
/// ordinary magnitudes, scientific for very large or small ones, `nan` for any NaN.
fn decimal(x: f64, plain: String, scientific: String) -> String {
    if x.is_nan() {
        "nan".into()
    } else if x.is_infinite() || x == 0.0 || (1e-5..1e16).contains(&x.abs()) {
        plain
    } else {
        scientific
    }
}

/// `text` as a JSON string literal, quotes included.
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON object written field by field, in insertion order, on one line.
#[derive(Debug, Default)]
pub struct JsonObject {
    fields: Vec<(String, String)>,
}

impl JsonObject {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a string field.
    pub fn string(mut self, key: &str, value: &str) -> Self {
        self.fields.push((key.into(), json_string(value)));
        self
    }

    /// Add an unsigned integer field.
    pub fn number(self, key: &str, value: u64) -> Self {
        self.raw(key, value.to_string())
    }

    /// Add a string field, or `null`.
    pub fn string_or_null(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.string(key, v),
            None => self.raw(key, "null".into()),
        }
    }

    /// Add an array of strings.
    pub fn strings<'a>(self, key: &str, values: impl IntoIterator<Item = &'a str>) -> Self {
        let items: Vec<String> = values.into_iter().map(json_string).collect();
        self.raw(key, format!("[{}]", items.join(",")))
    }

    /// Add an unsigned integer field, or `null`.
    pub fn number_or_null(self, key: &str, value: Option<u64>) -> Self {
        match value {
            Some(v) => self.number(key, v),
            None => self.raw(key, "null".into()),
        }
    }

    /// Add an array whose items are already JSON.
    pub fn raw_array(self, key: &str, items: Vec<String>) -> Self {
        self.raw(key, format!("[{}]", items.join(",")))
    }

    /// Add a field whose value is already JSON.
    fn raw(mut self, key: &str, json: String) -> Self {
        self.fields.push((key.into(), json));
        self
    }

    /// The object's text, without a trailing newline.
    pub fn finish(&self) -> String {
        let fields: Vec<String> = self
            .fields
            .iter()
            .map(|(k, v)| format!("{}:{v}", json_string(k)))
            .collect();
        format!("{{{}}}", fields.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gauge_interpreter::{Engine, ExternRef, F32, F64, Linker, Module};

    #[test]
    fn numbers() {
        let store = Store::new(&Engine::default(), ());
        let show = |v: Value| format_value(&v, &store);
        assert_eq!(show(Value::I32(-7)), "i32:-7");
        assert_eq!(show(Value::I32(i32::MIN)), "i32:-2147483648");
        assert_eq!(show(Value::I64(42)), "i64:42");
        assert_eq!(show(Value::I64(-1)), "i64:-1");
        assert_eq!(
            show(Value::F32(F32::from_bits(0x7fc0_0000))),
            "f32:0x7fc00000"
        );
        assert_eq!(show(Value::F32(F32::from_bits(1))), "f32:0x00000001");
        assert_eq!(show(Value::F64(1.5f64.into())), "f64:0x3ff8000000000000");
        assert_eq!(
            show(Value::F64(F64::from_bits(0))),
            "f64:0x0000000000000000"
        );
    }

    #[test]
    fn references() {
        let engine = Engine::default();
        let mut store = Store::new(&engine, ());
        let r = ExternRef::new(&mut store, 7u32);
        assert_eq!(
            format_value(&Value::ExternRef(Some(r)), &store),
            "externref:7"
        );
        assert_eq!(
            format_value(&Value::ExternRef(None), &store),
            "externref:null"
        );
        assert_eq!(format_value(&Value::FuncRef(None), &store), "funcref:null");
        let other = ExternRef::new(&mut store, "not a number");
        assert_eq!(
            format_value(&Value::ExternRef(Some(other)), &store),
            "externref:?"
        );

        // A module's functions get store indices in module order in a fresh store.
        let module = Module::new(&engine, r#"(module (func) (func (export "g")))"#).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Linker::new(&engine)
            .instantiate(&mut store, &module)
            .unwrap();
        let g = instance.get_func(&store, "g").unwrap();
        assert_eq!(func_index(&g), Some(1));
        assert_eq!(format_value(&Value::FuncRef(Some(g)), &store), "funcref:1");
    }

    #[test]
    fn float_decimals() {
        let f32v = |x: f32| float_decimal(&Value::F32(x.into())).unwrap();
        let f64v = |x: f64| float_decimal(&Value::F64(x.into())).unwrap();
        assert_eq!(f32v(1.5), "1.5");
        assert_eq!(f32v(-0.0), "-0");
        assert_eq!(f32v(f32::NAN), "nan");
        assert_eq!(f32v(f32::NEG_INFINITY), "-inf");
        assert_eq!(f32v(0.1), "0.1");
        assert_eq!(f32v(f32::MAX), "3.4028235e38");
        assert_eq!(f64v(1e-300), "1e-300");
        assert_eq!(f64v(832040.0), "832040");
        assert_eq!(float_decimal(&Value::I32(1)), None);
    }

    #[test]
    fn json_escaping() {
        assert_eq!(json_string("plain"), r#""plain""#);
        assert_eq!(json_string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(json_string("l1\nl2\r\t"), r#""l1\nl2\r\t""#);
        assert_eq!(json_string("\u{1}\u{1f}\u{7f}"), r#""\u0001\u001f\u007f""#);
        assert_eq!(json_string("é ∞"), "\"é ∞\"");
        assert_eq!(json_string(""), r#""""#);
    }

    #[test]
    fn json_objects() {
        let obj = JsonObject::new()
            .string("status", "trap")
            .string_or_null("trap", Some("integer divide by zero"))
            .strings("results", []);
        assert_eq!(
            obj.finish(),
            r#"{"status":"trap","trap":"integer divide by zero","results":[]}"#
        );
        let obj = JsonObject::new()
            .string_or_null("trap", None)
            .strings("results", ["i32:1", "f32:0x7fc00000"]);
        assert_eq!(
            obj.finish(),
            r#"{"trap":null,"results":["i32:1","f32:0x7fc00000"]}"#
        );
    }
}
