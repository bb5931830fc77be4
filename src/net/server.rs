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

/// Work for the thread that owns the competition file's connection.
type Job = Box<dyn FnOnce(&mut Store) + Send>;

/// Runs `work` on the store thread and waits for its answer (503-worthy `None` if the server
/// is stopping or busy for too long).
fn on_store<T: Send + 'static>(
    jobs: &mpsc::Sender<Job>,
    work: impl FnOnce(&mut Store) -> T + Send + 'static,
) -> Option<T> {
    let (reply, answer) = mpsc::channel();
    let job: Job = Box::new(move |store| {
        let _ = reply.send(work(store));
    });
    jobs.send(job).ok()?;
    answer.recv_timeout(MERGE_WAIT).ok()
}

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
    let merger = std::thread::spawn(move || store_loop(store, inbox));
    let accept = {
        let http = http.clone();
        let stopping = stopping.clone();
        let shared = Shared {
            jobs,
            merged: merged.clone(),
            failures: Arc::default(),
        };
        std::thread::spawn(move || accept_loop(&http, &stopping, &shared))
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

/// The one thread that holds the file's connection: merges and phone requests, one at a time.
fn store_loop(mut store: Store, inbox: mpsc::Receiver<Job>) {
    for job in inbox {
        job(&mut store);
    }
}

/// What the request threads share.
#[derive(Clone)]
struct Shared {
    jobs: mpsc::Sender<Job>,
    merged: Arc<AtomicU64>,
    /// Wrong PINs per join token (each one slows the next answer down).
    failures: Arc<std::sync::Mutex<std::collections::HashMap<String, u32>>>,
}

fn accept_loop(http: &tiny_http::Server, stopping: &AtomicBool, shared: &Shared) {
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
        let shared = shared.clone();
        let in_flight = in_flight.clone();
        std::thread::spawn(move || {
            handle(request, &shared);
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

/// The judge page for phones and tablets (HTML, CSS and JS in one file, embedded).
pub const PAGE: &str = include_str!("../../assets/web/judge.html");

fn handle(mut request: tiny_http::Request, shared: &Shared) {
    let method = request.method().clone();
    let url = request.url().to_string();
    let path = url.split('?').next().unwrap_or("").to_string();
    let jobs = &shared.jobs;
    let response = match (method, path.as_str()) {
        (tiny_http::Method::Get, "/") => {
            let mut r = tiny_http::Response::from_data(PAGE.as_bytes().to_vec());
            if let Ok(h) = tiny_http::Header::from_bytes(
                &b"Content-Type"[..],
                &b"text/html; charset=utf-8"[..],
            ) {
                r.add_header(h);
            }
            // Kept by the phone's browser for the day: reopened with the Wi-Fi down, the page
            // still comes up (from the cache) with its waiting sheets.
            if let Ok(h) =
                tiny_http::Header::from_bytes(&b"Cache-Control"[..], &b"private, max-age=86400"[..])
            {
                r.add_header(h);
            }
            r
        }
        (tiny_http::Method::Post, "/packets") => post_packet(&mut request, shared),
        (tiny_http::Method::Post, "/api/login") => api_login(&mut request, shared),
        (tiny_http::Method::Get, "/api/queue") => api_queue(&request, jobs),
        (tiny_http::Method::Post, "/api/sheets") => api_sheet(&mut request, shared),
        _ => json(
            404,
            &Refusal {
                error: "没有这个地址 (not found)".into(),
            },
        ),
    };
    let _ = request.respond(response);
}

/// Reads a request body of at most `MAX_BYTES`, or the response refusing it.
fn read_body(request: &mut tiny_http::Request) -> Result<Vec<u8>, Response> {
    if request.body_length().is_some_and(|n| n > MAX_BYTES) {
        return Err(json(
            413,
            &Refusal {
                error: "请求太大（上限 4 MB） (the body is too large)".into(),
            },
        ));
    }
    let mut body = Vec::new();
    let limit = u64::try_from(MAX_BYTES).unwrap_or(u64::MAX) + 1;
    if let Err(e) = request.as_reader().take(limit).read_to_end(&mut body) {
        return Err(json(
            400,
            &Refusal {
                error: format!("读取请求失败 (cannot read the body): {e}"),
            },
        ));
    }
    if body.len() > MAX_BYTES {
        return Err(json(
            413,
            &Refusal {
                error: "请求太大（上限 4 MB） (the body is too large)".into(),
            },
        ));
    }
    Ok(body)
}

type Response = tiny_http::Response<std::io::Cursor<Vec<u8>>>;

/// The receipt of a merge (the same for the same packet), with how it went in a header.
fn receipt(r: crate::commands::packets::MergeReport, merged: &AtomicU64) -> Response {
    let status = match r.status {
        MergeStatus::Merged => {
            merged.fetch_add(1, Ordering::Relaxed);
            "merged"
        }
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
    if let Ok(h) = tiny_http::Header::from_bytes(&b"X-ScoreDesk-Merge"[..], status.as_bytes()) {
        resp.add_header(h);
    }
    resp
}

/// A command's failure as an HTTP answer: refusals 4xx, the rest 500.
fn failure(e: CommandError) -> Response {
    match e {
        CommandError::Rejected(reason) | CommandError::Invalid(reason) => {
            json(422, &Refusal { error: reason })
        }
        CommandError::Forbidden(reason) => json(401, &Refusal { error: reason }),
        e => json(
            500,
            &Refusal {
                error: e.to_string(),
            },
        ),
    }
}

fn busy() -> Response {
    json(
        503,
        &Refusal {
            error: "服务器繁忙，请稍后重试 (busy; retry)".into(),
        },
    )
}

/// The `X-Session` header of a page request.
fn session_of(request: &tiny_http::Request) -> String {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv("X-Session"))
        .map(|h| h.value.as_str().to_string())
        .unwrap_or_default()
}

#[derive(serde::Deserialize)]
struct Login {
    token: String,
    pin: String,
}

/// `POST /api/login {token, pin}`: a session for the judge of the token, if the PIN is right.
/// Each wrong PIN for a token makes the next answer wait one more second (up to 5).
fn api_login(request: &mut tiny_http::Request, shared: &Shared) -> Response {
    let body = match read_body(request) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Ok(login) = serde_json::from_slice::<Login>(&body) else {
        return json(
            400,
            &Refusal {
                error: "请求格式不对 (malformed)".into(),
            },
        );
    };
    let waits = shared
        .failures
        .lock()
        .map(|f| f.get(&login.token).copied().unwrap_or(0))
        .unwrap_or(0);
    if waits > 0 {
        std::thread::sleep(Duration::from_secs(u64::from(waits.min(5))));
    }
    let token = login.token.clone();
    let Some(found) = on_store(&shared.jobs, move |store| {
        crate::commands::phone::token_judge(store, &token)
    }) else {
        return busy();
    };
    let (judge, name, hash) = match found {
        Ok(Some(f)) => f,
        Ok(None) => {
            return json(
                401,
                &Refusal {
                    error: "二维码已失效，请向管理员重新领取 (unknown or revoked token)".into(),
                },
            );
        }
        Err(e) => return failure(e),
    };
    if !crate::pin::verify(login.pin.trim(), &hash) {
        if let Ok(mut f) = shared.failures.lock() {
            *f.entry(login.token).or_default() += 1;
        }
        return json(
            401,
            &Refusal {
                error: "PIN 不正确 (wrong PIN)".into(),
            },
        );
    }
    if let Ok(mut f) = shared.failures.lock() {
        f.remove(&login.token);
    }
    let j = judge.clone();
    match on_store(&shared.jobs, move |store| {
        crate::commands::phone::open_session(store, &j)
    }) {
        Some(Ok(session)) => json(
            200,
            &serde_json::json!({
                "session": session,
                "judge": judge,
                "name": name,
            }),
        ),
        Some(Err(e)) => failure(e),
        None => busy(),
    }
}

/// `GET /api/queue` (header `X-Session`): the judge's events and queue.
fn api_queue(request: &tiny_http::Request, jobs: &mpsc::Sender<Job>) -> Response {
    let session = session_of(request);
    match on_store(jobs, move |store| {
        crate::commands::phone::queue(store, &session)
    }) {
        Some(Ok(q)) => json(200, &q),
        Some(Err(e)) => failure(e),
        None => busy(),
    }
}

/// `POST /api/sheets` (header `X-Session`): one sheet from the page, signed by the master with
/// the judge's key and merged like any packet; answers the same receipt for the same sheet.
fn api_sheet(request: &mut tiny_http::Request, shared: &Shared) -> Response {
    let session = session_of(request);
    let body = match read_body(request) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Ok(sheet) = serde_json::from_slice::<crate::commands::phone::PageSheet>(&body) else {
        return json(
            400,
            &Refusal {
                error: "请求格式不对 (malformed)".into(),
            },
        );
    };
    match on_store(&shared.jobs, move |store| {
        crate::commands::phone::submit(store, &session, &sheet)
    }) {
        Some(Ok(r)) => receipt(r, &shared.merged),
        Some(Err(e)) => failure(e),
        None => busy(),
    }
}

fn post_packet(request: &mut tiny_http::Request, shared: &Shared) -> Response {
    let body = match read_body(request) {
        Ok(b) => b,
        Err(r) => return r,
    };
    match on_store(&shared.jobs, move |store| {
        commands::execute(store, &Session::organiser(), Command::MergePacket(body))
    }) {
        Some(Ok(Outcome::Merged(r))) => receipt(r, &shared.merged),
        Some(Ok(_)) => json(
            500,
            &Refusal {
                error: "unexpected outcome".into(),
            },
        ),
        Some(Err(e)) => failure(e),
        None => busy(),
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
