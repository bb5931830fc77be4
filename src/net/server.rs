//! The master's HTTP server: `POST /packets` merges a packet's exact bytes and answers a JSON
//! [`Receipt`]; `GET /` answers the judge page. One thread accepts, each request is handled on
//! its own thread (a slow client holds only its own), and one merger thread owns the
//! competition file's connection, so merges are one at a time, each one transaction.

use std::io::Read;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{Receipt, Refusal};
use crate::commands::packets::MergeStatus;
use crate::commands::{self, Command, CommandError, Outcome, Session};
use crate::store::Store;
use crate::sync::packet::MAX_BYTES;

/// At most this many requests are handled at once; more are answered 503 at once.
const MAX_IN_FLIGHT: usize = 256;
/// How long a request waits for the merger before it gives up (503; the client retries).
const MERGE_WAIT: Duration = Duration::from_secs(30);

type Job = (Vec<u8>, mpsc::Sender<Result<Outcome, CommandError>>);

/// A running server; stopped on [`Server::stop`] or drop.
pub struct Server {
    addr: SocketAddr,
    http: Arc<tiny_http::Server>,
    stopping: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
    merger: Option<JoinHandle<()>>,
    /// Counts packets that changed the master (the window refreshes when it moves).
    merged: Arc<AtomicU64>,
}

impl Server {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many packets have changed the master so far.
    pub fn merged(&self) -> u64 {
        self.merged.load(Ordering::Relaxed)
    }

    /// Stops accepting and waits for the threads.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stopping.store(true, Ordering::Relaxed);
        self.http.unblock();
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
        if let Some(h) = self.merger.take() {
            let _ = h.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "无法在 {addr} 上开启现场网络：{reason}（端口可能被占用，请换一个端口）(cannot listen)"
    )]
    Listen { addr: String, reason: String },
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// Serves `store` (the master, opened for writing) on `bind:port` (port 0: any free port).
pub fn start(store: Store, bind: &str, port: u16) -> Result<Server, StartError> {
    let addr = format!("{bind}:{port}");
    let http = tiny_http::Server::http(&addr).map_err(|e| StartError::Listen {
        addr: addr.clone(),
        reason: e.to_string(),
    })?;
    let local = http
        .server_addr()
        .to_ip()
        .ok_or_else(|| StartError::Listen {
            addr: addr.clone(),
            reason: "not an IP address".into(),
        })?;
    let http = Arc::new(http);
    let stopping = Arc::new(AtomicBool::new(false));
    let merged = Arc::new(AtomicU64::new(0));
    let (jobs, inbox) = mpsc::channel::<Job>();
    let merger = {
        let merged = merged.clone();
        std::thread::spawn(move || merge_loop(store, inbox, &merged))
    };
    let accept = {
        let http = http.clone();
        let stopping = stopping.clone();
        std::thread::spawn(move || accept_loop(&http, &stopping, &jobs))
    };
    Ok(Server {
        addr: local,
        http,
        stopping,
        accept: Some(accept),
        merger: Some(merger),
        merged,
    })
}

/// The one thread that writes: merges packets one at a time.
fn merge_loop(mut store: Store, inbox: mpsc::Receiver<Job>, merged: &AtomicU64) {
    let who = Session::organiser();
    for (bytes, reply) in inbox {
        let result = commands::execute(&mut store, &who, Command::MergePacket(bytes));
        if let Ok(Outcome::Merged(r)) = &result
            && r.status == MergeStatus::Merged
        {
            merged.fetch_add(1, Ordering::Relaxed);
        }
        let _ = reply.send(result);
    }
}

fn accept_loop(http: &tiny_http::Server, stopping: &AtomicBool, jobs: &mpsc::Sender<Job>) {
    let in_flight = Arc::new(AtomicUsize::new(0));
    while !stopping.load(Ordering::Relaxed) {
        let request = match http.recv_timeout(Duration::from_millis(200)) {
            Ok(Some(r)) => r,
            Ok(None) => continue,
            Err(_) => break,
        };
        if in_flight.load(Ordering::Relaxed) >= MAX_IN_FLIGHT {
            let _ = request.respond(json(
                503,
                &Refusal {
                    error: "服务器繁忙，请稍后重试 (busy; retry)".into(),
                },
            ));
            continue;
        }
        in_flight.fetch_add(1, Ordering::Relaxed);
        let jobs = jobs.clone();
        let in_flight = in_flight.clone();
        std::thread::spawn(move || {
            handle(request, &jobs);
            in_flight.fetch_sub(1, Ordering::Relaxed);
        });
    }
}

fn json<T: serde::Serialize>(
    status: u16,
    body: &T,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let text = serde_json::to_vec(body).unwrap_or_default();
    let mut r = tiny_http::Response::from_data(text).with_status_code(status);
    if let Ok(h) = tiny_http::Header::from_bytes(
        &b"Content-Type"[..],
        &b"application/json; charset=utf-8"[..],
    ) {
        r.add_header(h);
    }
    r
}

/// The judge page (the phone issue fills it in); for now a page that says what this is.
const PAGE: &str = "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>ScoreDesk 现场网络</title></head><body><h1>ScoreDesk 现场网络</h1><p>评分电脑的成绩包发送到本机的 /packets。</p></body></html>";

fn handle(mut request: tiny_http::Request, jobs: &mpsc::Sender<Job>) {
    let method = request.method().clone();
    let url = request.url().to_string();
    let response = match (method, url.as_str()) {
        (tiny_http::Method::Get, "/") => {
            let mut r = tiny_http::Response::from_data(PAGE.as_bytes().to_vec());
            if let Ok(h) = tiny_http::Header::from_bytes(
                &b"Content-Type"[..],
                &b"text/html; charset=utf-8"[..],
            ) {
                r.add_header(h);
            }
            r
        }
        (tiny_http::Method::Post, "/packets") => post_packet(&mut request, jobs),
        _ => json(
            404,
            &Refusal {
                error: "没有这个地址 (not found)".into(),
            },
        ),
    };
    let _ = request.respond(response);
}

fn post_packet(
    request: &mut tiny_http::Request,
    jobs: &mpsc::Sender<Job>,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    if request.body_length().is_some_and(|n| n > MAX_BYTES) {
        return json(
            413,
            &Refusal {
                error: "成绩包太大（上限 4 MB） (the body is too large)".into(),
            },
        );
    }
    let mut body = Vec::new();
    let limit = u64::try_from(MAX_BYTES).unwrap_or(u64::MAX) + 1;
    if let Err(e) = request.as_reader().take(limit).read_to_end(&mut body) {
        return json(
            400,
            &Refusal {
                error: format!("读取请求失败 (cannot read the body): {e}"),
            },
        );
    }
    if body.len() > MAX_BYTES {
        return json(
            413,
            &Refusal {
                error: "成绩包太大（上限 4 MB） (the body is too large)".into(),
            },
        );
    }
    let (reply, answer) = mpsc::channel();
    if jobs.send((body, reply)).is_err() {
        return json(
            503,
            &Refusal {
                error: "服务器正在关闭 (the server is stopping)".into(),
            },
        );
    }
    match answer.recv_timeout(MERGE_WAIT) {
        Ok(Ok(Outcome::Merged(r))) => {
            let status = match r.status {
                MergeStatus::Merged => "merged",
                MergeStatus::AlreadyMerged => "already-merged",
                MergeStatus::Superseded => "superseded",
            };
            let mut resp = json(
                200,
                &Receipt {
                    hash: r.hash,
                    judge: r.judge,
                    seq: r.seq,
                    sheets: r.sheets,
                    added: r.added,
                    confirmed: r.confirmed,
                    conflicts: r.conflicts,
                },
            );
            if let Ok(h) =
                tiny_http::Header::from_bytes(&b"X-ScoreDesk-Merge"[..], status.as_bytes())
            {
                resp.add_header(h);
            }
            resp
        }
        Ok(Ok(_)) => json(
            500,
            &Refusal {
                error: "unexpected outcome".into(),
            },
        ),
        Ok(Err(CommandError::Rejected(reason))) => json(422, &Refusal { error: reason }),
        Ok(Err(e)) => json(
            500,
            &Refusal {
                error: e.to_string(),
            },
        ),
        Err(_) => json(
            503,
            &Refusal {
                error: "服务器繁忙，请稍后重试 (busy; retry)".into(),
            },
        ),
    }
}

/// The addresses a station or phone can reach this machine by: each IPv4 address of its
/// network interfaces (read from the system; nothing is sent), then loopback.
pub fn lan_addresses(port: u16) -> Vec<String> {
    let mut out: Vec<String> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| !i.is_loopback())
        .filter_map(|i| match i.ip() {
            std::net::IpAddr::V4(ip) => Some(format!("http://{ip}:{port}/")),
            std::net::IpAddr::V6(_) => None,
        })
        .collect();
    out.push(format!("http://127.0.0.1:{port}/"));
    out
}

/// Serves until `stop` turns true (the command line's `serve`); prints the address first.
pub fn serve_until(
    file: &Path,
    bind: &str,
    port: u16,
    stop: &AtomicBool,
    out: &mut dyn std::io::Write,
) -> Result<(), String> {
    let store = Store::open(file).map_err(|e| e.to_string())?;
    let server = start(store, bind, port).map_err(|e| e.to_string())?;
    let _ = writeln!(out, "listening on {}", server.addr());
    for a in lan_addresses(server.addr().port()) {
        let _ = writeln!(out, "现场网络地址 (address): {a}");
    }
    let _ = out.flush();
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(200));
    }
    server.stop();
    Ok(())
}
