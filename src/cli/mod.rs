//! The commands of `lvzhi`, one file each. `main.rs` parses the command line and calls the
//! command's `run`; every command acts as `Actor::System` and answers `Err(message)` to fail.

pub mod account;
pub mod activities;
pub mod assess;
pub mod export;
pub mod import;
pub mod migrate;
pub mod progress;
pub mod rules;
pub mod schema;
pub mod seed;
pub mod serve;

/// A row id given on the command line as a number or as a global ID of `kind`; `flag` names
/// the flag in the error.
pub fn row_id(given: &str, kind: lvzhi::relay::Kind, flag: &str) -> Result<i64, String> {
    match given.parse::<i64>() {
        Ok(id) => Ok(id),
        Err(_) => lvzhi::relay::decode_id(kind, &given.to_owned().into(), flag).map_err(|e| e.message()),
    }
}

/// Writes `text` to standard output.
pub fn print(text: &str) -> Result<(), String> {
    use std::io::Write;
    std::io::stdout().lock().write_all(text.as_bytes()).map_err(|e| e.to_string())
}
