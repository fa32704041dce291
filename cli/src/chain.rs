//! `gauge deploy`, `gauge receipts` and `gauge verify`: code by hash, the receipt chain of a
//! state store, and stateless re-execution from a witness (docs/receipts.md).
//!
//! * `deploy FILE --state PATH [--salt S]` stores the code under its SHA-256 and creates the
//!   contract's account at an address derived from the code hash and the salt; prints the
//!   address, the code hash and the new state root.
//! * `receipts --state PATH [--verify]` prints one line per receipt of the store's chain;
//!   `--verify` checks every link first and exits 1 naming the first broken index.
//! * `verify CONTRACT WITNESS [--receipt R]` re-executes the recorded call from the code, the
//!   call context and the values in the witness alone, recomputes the post-state root from
//!   the witness's proofs, and compares everything with the witness's receipt (or `R`). Exit
//!   0 when all of it holds, 1 with the first mismatch.

use std::io::Write;
use std::path::Path;

use gauge_interpreter::Engine;
use gauge_wasi_shim::{Receipt, Witness, chain_config, hex, wasm_binary};

use crate::contract::open_state;
use crate::exit::{CHECK_FAILED, Exit};
use crate::load::read;
use crate::output::JsonObject;

/// Write `text` to `out` and end with `exit`.
fn finish(out: &mut dyn Write, text: &str, exit: Exit) -> Exit {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => exit,
        Err(e) => Exit::usage(format!("cannot write output: {e}")),
    }
}

/// A failed check: status 1 and `error: <what>`.
fn check_failed(what: impl AsRef<str>) -> Exit {
    Exit {
        status: CHECK_FAILED,
        message: Some(format!("error: {}", what.as_ref())),
    }
}

/// `gauge deploy FILE --state PATH [--salt S]`.
pub fn deploy(file: &Path, store: &Path, salt: &str, json: bool, out: &mut dyn Write) -> Exit {
    let code = match read(file) {
        Ok(code) => code,
        Err(exit) => return exit,
    };
    let mut state = match open_state(store) {
        Ok(state) => state,
        Err(exit) => return exit,
    };
    let engine = Engine::new(&chain_config());
    let deployed = match state.deploy_contract(&engine, &code, salt.as_bytes()) {
        Ok(d) => d,
        Err(e) => return Exit::usage(format!("{}: {e}", file.display())),
    };
    let text = if json {
        JsonObject::new()
            .string("address", &deployed.address.to_hex())
            .string("code_hash", &hex(&deployed.code_hash))
            .string("state_root", &hex(&deployed.state_root))
            .finish()
            + "\n"
    } else {
        format!(
            "address {}\ncode_hash {}\nstate_root {}\n",
            deployed.address,
            hex(&deployed.code_hash),
            hex(&deployed.state_root)
        )
    };
    finish(out, &text, Exit::success())
}

/// `gauge receipts --state PATH [--verify]`.
pub fn receipts(store: &Path, verify: bool, json: bool, out: &mut dyn Write) -> Exit {
    if !store.exists() {
        return Exit::usage(format!("no state store at {}", store.display()));
    }
    let state = match open_state(store) {
        Ok(state) => state,
        Err(exit) => return exit,
    };
    if verify && let Err(e) = state.verify_receipts() {
        return check_failed(e.to_string());
    }
    let receipts = match state.receipts() {
        Ok(r) => r,
        Err(e) => return check_failed(format!("state: {e}")),
    };
    let text = if json {
        let items = receipts
            .iter()
            .enumerate()
            .map(|(i, r)| {
                format!(
                    "{{\"index\":{i},\"hash\":\"{}\",\"receipt\":{}}}",
                    hex(&r.hash()),
                    r.to_json()
                )
            })
            .collect();
        let mut obj = JsonObject::new().raw_array("receipts", items);
        if verify {
            obj = obj.number("verified", receipts.len() as u64);
        }
        obj.finish() + "\n"
    } else {
        let mut text: String = receipts.iter().enumerate().map(receipt_line).collect();
        if verify {
            text.push_str(&format!(
                "verified: {} receipt{}, every link holds\n",
                receipts.len(),
                if receipts.len() == 1 { "" } else { "s" }
            ));
        }
        text
    };
    finish(out, &text, Exit::success())
}

/// One receipt as a line: index, hash, status, exit code, gas, code hash and post-state root.
fn receipt_line((index, r): (usize, &Receipt)) -> String {
    let exit = r.exit_code.map_or("-".to_string(), |c| c.to_string());
    format!(
        "{index}\t{}\t{}\texit {exit}\tgas {}\tcode {}\troot {}\n",
        hex(&r.hash()),
        r.status,
        r.gas_used,
        &hex(&r.code_hash)[..16],
        &hex(&r.post_state_root)[..16],
    )
}

/// `gauge verify CONTRACT WITNESS [--receipt R]`.
pub fn verify(
    contract: &Path,
    witness: &Path,
    receipt: Option<&Path>,
    json: bool,
    out: &mut dyn Write,
) -> Exit {
    let inputs = (|| {
        let code = read(contract)?;
        let code = wasm_binary(&code)
            .map_err(|e| Exit::usage(format!("{}: {e}", contract.display())))?
            .into_owned();
        let witness_bytes = read(witness)?;
        let receipt_bytes = receipt.map(read).transpose()?;
        Ok::<_, Exit>((code, witness_bytes, receipt_bytes))
    })();
    let (code, witness_bytes, receipt_bytes) = match inputs {
        Ok(inputs) => inputs,
        Err(exit) => return exit,
    };
    let witness = match Witness::from_bytes(&witness_bytes) {
        Ok(w) => w,
        Err(e) => return check_failed(format!("{}: {e}", witness.display())),
    };
    let expected = match receipt_bytes.as_deref().map(Receipt::from_file_bytes) {
        None => None,
        Some(Ok(r)) => Some(r),
        Some(Err(e)) => {
            let path = receipt.map(Path::display);
            return check_failed(format!("{}: {e}", path.expect("read above")));
        }
    };
    let engine = Engine::new(&chain_config());
    let verified =
        match gauge_wasi_shim::verify(&engine, Some(&code), None, &witness, expected.as_ref()) {
            Ok(v) => v,
            Err(e) => return check_failed(format!("verification failed: {e}")),
        };
    let o = &verified.outcome;
    let text = if json {
        JsonObject::new()
            .string("verified", "ok")
            .string("status", o.status.as_str())
            .number_or_null("exit_code", o.exit_code.map(u64::from))
            .number("gas_used", o.gas_used)
            .string("pre_state_root", &hex(&verified.receipt.pre_state_root))
            .string("post_state_root", &hex(&o.state_root))
            .string("receipt_hash", &hex(&verified.receipt.hash()))
            .finish()
            + "\n"
    } else {
        format!(
            "verified: status {}, exit code {}, gas used {}, output {} bytes\n\
             pre-state root  {}\npost-state root {}\nreceipt {}\n",
            o.status,
            o.exit_code.map_or("-".to_string(), |c| c.to_string()),
            o.gas_used,
            o.output.len(),
            hex(&verified.receipt.pre_state_root),
            hex(&o.state_root),
            hex(&verified.receipt.hash()),
        )
    };
    finish(out, &text, Exit::success())
}
