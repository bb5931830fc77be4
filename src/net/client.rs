//! A station's side of the venue network: post the judge's newest packet to the master and
//! accept only a receipt naming the packet's own hash. Packets are cumulative, so only the
//! newest unsent one matters; [`Sender`] keeps it and retries in the background until a receipt
//! comes back, while the judge keeps scoring (the USB packets keep working beside it).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{Receipt, Refusal};

/// Why a packet was not delivered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The master could not be reached (Wi-Fi down, master closed): retry later.
    #[error("连不上主机 (cannot reach the master): {0}")]
    Unreachable(String),
    /// The master refused the packet (it will refuse it again): the reason.
    #[error("主机拒收 (the master refused it): {0}")]
    Refused(String),
    /// A receipt came back for another packet.
    #[error("回执与本成绩包不符 (the receipt names another packet)")]
    WrongReceipt,
}

impl SendError {
    /// Whether sending again later may succeed.
    pub fn retry(&self) -> bool {
        !matches!(self, SendError::Refused(_))
    }
}

/// `http://host:port/` + `packets`.
pub fn packets_url(master: &str) -> String {
    let base = master.trim().trim_end_matches('/');
    let base = if base.starts_with("http://") || base.starts_with("https://") {
        base.to_string()
    } else {
        format!("http://{base}")
    };
    format!("{base}/packets")
}

/// Posts one packet; `Ok` only with a receipt for exactly these bytes.
pub fn send(master: &str, bytes: &[u8], hash: &str) -> Result<Receipt, SendError> {
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(3))
        .timeout(Duration::from_secs(30))
        .build();
    match agent
        .post(&packets_url(master))
        .set("Content-Type", "application/json")
        .send_bytes(bytes)
    {
        Ok(resp) => {
            let text = resp
                .into_string()
                .map_err(|e| SendError::Unreachable(e.to_string()))?;
            let receipt: Receipt =
                serde_json::from_str(&text).map_err(|e| SendError::Unreachable(e.to_string()))?;
            if receipt.hash == hash {
                Ok(receipt)
            } else {
                Err(SendError::WrongReceipt)
            }
        }
        Err(ureq::Error::Status(code, resp)) => {
            let reason = resp
                .into_string()
                .ok()
                .and_then(|t| serde_json::from_str::<Refusal>(&t).ok())
                .map(|r| r.error)
                .unwrap_or_else(|| format!("HTTP {code}"));
            if (400..500).contains(&code) {
                Err(SendError::Refused(reason))
            } else {
                Err(SendError::Unreachable(reason))
            }
        }
        Err(e) => Err(SendError::Unreachable(e.to_string())),
    }
}

/// The sender's state, shown on the station.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Delivery {
    /// The newest packet receipted: (sequence number, submitted sheets in it).
    pub delivered: Option<(u64, usize)>,
    /// The newest packet waiting to be sent: (sequence number, submitted sheets in it).
    pub waiting: Option<(u64, usize)>,
    /// The last failure, if the newest is still waiting.
    pub error: Option<String>,
}

struct Pending {
    seq: u64,
    submitted: usize,
    bytes: Vec<u8>,
    hash: String,
}

/// Sends a station's packets to the master in the background, newest first, retrying until
/// receipted. Stops when dropped.
pub struct Sender {
    state: Arc<Mutex<(Option<Pending>, Delivery)>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Sender {
    /// Starts the sending thread for the master at `master` (e.g. `192.168.1.10:8808`).
    pub fn start(master: String) -> Self {
        let state: Arc<Mutex<(Option<Pending>, Delivery)>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let state = state.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut wait = Duration::from_millis(200);
                while !stop.load(Ordering::Relaxed) {
                    let next = state.lock().ok().and_then(|s| {
                        s.0.as_ref()
                            .map(|p| (p.seq, p.submitted, p.bytes.clone(), p.hash.clone()))
                    });
                    let Some((seq, submitted, bytes, hash)) = next else {
                        std::thread::sleep(Duration::from_millis(100));
                        continue;
                    };
                    let result = send(&master, &bytes, &hash);
                    if let Ok(mut s) = state.lock() {
                        let newest = s.0.as_ref().is_some_and(|p| p.seq == seq);
                        match &result {
                            Ok(_) => {
                                if newest {
                                    s.0 = None;
                                    s.1.waiting = None;
                                    s.1.error = None;
                                }
                                if s.1.delivered.is_none_or(|(d, _)| d < seq) {
                                    s.1.delivered = Some((seq, submitted));
                                }
                                wait = Duration::from_millis(200);
                            }
                            Err(e) if !e.retry() => {
                                if newest {
                                    s.0 = None;
                                }
                                s.1.error = Some(e.to_string());
                            }
                            Err(e) => {
                                s.1.error = Some(e.to_string());
                            }
                        }
                    }
                    if result.is_err() {
                        // Back off up to 10 s; a newer packet is picked up at the next try.
                        let until = std::time::Instant::now() + wait;
                        while std::time::Instant::now() < until && !stop.load(Ordering::Relaxed) {
                            std::thread::sleep(Duration::from_millis(50));
                        }
                        wait = (wait * 2).min(Duration::from_secs(10));
                    }
                }
            })
        };
        Sender {
            state,
            stop,
            thread: Some(thread),
        }
    }

    /// Queues the station's newest packet (replacing an older unsent one).
    pub fn queue(&self, seq: u64, submitted: usize, bytes: Vec<u8>, hash: String) {
        if let Ok(mut s) = self.state.lock() {
            if s.0.as_ref().is_some_and(|p| p.seq > seq) {
                return;
            }
            s.0 = Some(Pending {
                seq,
                submitted,
                bytes,
                hash,
            });
            s.1.waiting = Some((seq, submitted));
        }
    }

    /// What has been delivered and what waits.
    pub fn delivery(&self) -> Delivery {
        self.state.lock().map(|s| s.1.clone()).unwrap_or_default()
    }
}

impl Drop for Sender {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
