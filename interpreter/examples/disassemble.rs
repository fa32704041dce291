//! Prints Gauge's internal code for the functions of a module (`Module::disassemble`).
//!
//! `cargo run --release -p gauge-interpreter --example disassemble -- FILE [--gas] [INDEX]`
//!
//! FILE is a `.wasm` or `.wat` module; `--gas` translates with the v1 gas schedule (the
//! metering instructions appear in the code); INDEX picks one defined function (counting
//! only the module's own functions), else all of them are printed.

use gauge_interpreter::{Config, Engine, Module};
use gauge_metering::Schedule;

fn main() {
    let mut path = None;
    let mut gas = false;
    let mut index = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--gas" => gas = true,
            _ if path.is_none() => path = Some(arg),
            _ => match arg.parse::<usize>() {
                Ok(i) => index = Some(i),
                Err(_) => exit(&format!("not a function index: {arg}")),
            },
        }
    }
    let Some(path) = path else {
        exit("usage: disassemble FILE [--gas] [INDEX]");
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| exit(&format!("{path}: {e}")));
    let mut config = Config::default();
    if gas {
        config.gas(Schedule::v1());
    }
    let module =
        Module::new(&Engine::new(&config), bytes).unwrap_or_else(|e| exit(&format!("{path}: {e}")));
    let indices: Vec<usize> = match index {
        Some(i) => vec![i],
        None => (0..)
            .take_while(|&i| module.disassemble(i).is_some())
            .collect(),
    };
    for i in indices {
        match module.disassemble(i) {
            Some(text) => println!("function {i}: {text}"),
            None => exit(&format!("no defined function {i}")),
        }
    }
}

fn exit(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(2)
}
