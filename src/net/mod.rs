//! The venue network (SPEC §6 B, off until the organiser starts it): the master serves HTTP on
//! the local network, stations post their signed packets, phones get the judge page. A
//! transport only — every packet goes through the same merge as `scoredesk merge` (the command
//! layer); this module has no rules of its own. HTTP is `tiny_http` (server) and `ureq`
//! (client); nothing here parses HTTP by hand.

pub mod client;
pub mod server;

/// The JSON receipt the master answers a packet with: the same for the same packet, however
/// often it is sent (clients resend after a lost answer).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Receipt {
    /// SHA-256 of the packet's bytes, lowercase hex: a station shows 已送达 only when this
    /// equals its own packet's hash.
    pub hash: String,
    pub judge: String,
    pub seq: u64,
    pub sheets: usize,
    pub added: usize,
    pub confirmed: usize,
    pub conflicts: usize,
}

/// The error body of a refused request.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Refusal {
    pub error: String,
}
