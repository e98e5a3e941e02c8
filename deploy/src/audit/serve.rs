//! `carechain audit serve`: the audit queries as a small read-only JSON HTTP API, for the web
//! dApp's history views (docs/audit-api.md).
//!
//! What it guards against, since the answers link patients to the people who saw their data:
//! it binds to loopback unless told otherwise; on loopback it answers only requests whose `Host`
//! is a loopback name with its port, so a web page the auditor visits cannot read it through a
//! DNS-rebound host name; it sends no CORS header unless an origin is allowed by name; it opens
//! the database read-only, per connection; it reads at most 8 KiB of request head within 5 s and
//! serves at most 32 connections at once. It has no authentication: anything that can reach the
//! port can ask, so expose it beyond the machine only behind a proxy that authenticates.

use super::query::{self, Answer, Query};
use super::report::EmergencyFilter;
use super::store::{AuditStore, Sqlite};
use crate::chain::{hex, ss58};
use crate::error::{DeployError, Result};
use ink::primitives::AccountId;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The longest request head read (request line and headers).
pub const MAX_HEAD: usize = 8 * 1024;
/// Connections served at once; more are answered 503.
pub const MAX_CONNECTIONS: usize = 32;
/// Rows (or FHIR entries) of an answer without a `limit`; `X-Total-Count` and a `Link` to the
/// next page say what remains.
pub const DEFAULT_LIMIT: usize = 1_000;
const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Where to listen: loopback, unless `allow_remote`.
pub fn listen(addr: SocketAddr, allow_remote: bool) -> Result<TcpListener> {
    if !addr.ip().is_loopback() && !allow_remote {
        return Err(DeployError::BadArgument {
            what: "listen address (loopback only; --allow-remote to serve beyond this machine)".into(),
            value: addr.to_string(),
        });
    }
    TcpListener::bind(addr).map_err(|e| DeployError::Io { path: addr.to_string(), reason: e.to_string() })
}

/// What the server needs besides its socket.
#[derive(Debug, Clone)]
pub struct Options {
    pub db: PathBuf,
    /// Origins (`http://localhost:5173`) whose pages may read the answers (CORS).
    pub allow_origins: Vec<String>,
}

/// A parsed request head.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// The path's segments, each decoded on its own: an escaped `/` (`%2F`, a GS1 serial may
    /// hold one) stays inside its segment.
    pub segments: Vec<String>,
    pub query: Vec<(String, String)>,
    pub host: Option<String>,
    pub origin: Option<String>,
    pub accept: Option<String>,
}

impl Request {
    fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// A response: status, media type, body, and extra headers.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub headers: Vec<(&'static str, String)>,
}

impl Response {
    fn json(status: u16, v: &Value) -> Self {
        Self::typed(status, "application/json", v)
    }

    fn typed(status: u16, content_type: &'static str, v: &Value) -> Self {
        let body = serde_json::to_vec(v).unwrap_or_default();
        Self { status, content_type, body, headers: Vec::new() }
    }

    fn error(status: u16, message: impl Into<String>) -> Self {
        Self::json(status, &json!({ "error": message.into() }))
    }

    /// The body as JSON (tests and clients of this module).
    pub fn json_body(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    fn reason(&self) -> &'static str {
        match self.status {
            200 => "OK",
            400 => "Bad Request",
            404 => "Not Found",
            405 => "Method Not Allowed",
            421 => "Misdirected Request",
            431 => "Request Header Fields Too Large",
            500 => "Internal Server Error",
            503 => "Service Unavailable",
            _ => "",
        }
    }

    /// The bytes on the wire (HTTP/1.1, one response per connection).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
             X-Content-Type-Options: nosniff\r\nConnection: close\r\n",
            self.status,
            self.reason(),
            self.content_type,
            self.body.len()
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        [head.into_bytes(), self.body.clone()].concat()
    }
}

/// `%XX` decoded (a path segment: `+` is itself, as GS1 serials may contain it); `None` for a
/// broken escape or bytes that are not UTF-8.
pub fn percent_decode_segment(s: &str) -> Option<String> {
    percent_decode(&s.replace('+', "%2B"))
}

/// `%XX` and `+` decoded (a query string value); `None` for a broken escape or bytes that are
/// not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Parses a request head (up to the blank line). `Err` is the response to send instead.
pub fn parse_request(head: &str) -> std::result::Result<Request, Response> {
    let mut lines = head.split("\r\n");
    let line = lines.next().unwrap_or_default();
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Response::error(400, "malformed request line"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(Response::error(400, "HTTP/1.x only"));
    }
    let (raw_path, raw_query) = target.split_once('?').unwrap_or((target, ""));
    let segments: Vec<String> = raw_path
        .split('/')
        .skip(1)
        .filter(|seg| !seg.is_empty())
        .map(percent_decode_segment)
        .collect::<Option<_>>()
        .ok_or_else(|| Response::error(400, "malformed path"))?;
    let path = format!("/{}", segments.join("/"));
    let mut query = Vec::new();
    for pair in raw_query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match (percent_decode(k), percent_decode(v)) {
            (Some(k), Some(v)) => query.push((k, v)),
            _ => return Err(Response::error(400, "malformed query string")),
        }
    }
    let mut req = Request { method: method.into(), path, segments, query, ..Request::default() };
    for header in lines.filter(|l| !l.is_empty()) {
        let Some((name, value)) = header.split_once(':') else {
            return Err(Response::error(400, "malformed header"));
        };
        let value = value.trim().to_string();
        match name.trim().to_ascii_lowercase().as_str() {
            "host" => req.host = Some(value),
            "origin" => req.origin = Some(value),
            "accept" => req.accept = Some(value),
            _ => {}
        }
    }
    Ok(req)
}

/// Whether a request's `Host` may be served by a server at `local`: on loopback, only
/// loopback names with this port (a DNS-rebound name is refused); elsewhere, any.
pub fn host_allowed(host: Option<&str>, local: SocketAddr) -> bool {
    let Some(host) = host else { return false };
    if !local.ip().is_loopback() {
        return true;
    }
    let port = local.port();
    [format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("[::1]:{port}")]
        .iter()
        .any(|h| h.eq_ignore_ascii_case(host))
}

const ENDPOINTS: [&str; 7] = [
    "GET /v1/status",
    "GET /v1/disclosures?patient=ACCOUNT[&since=TIME][&until=TIME][&format=fhir]",
    "GET /v1/consents?patient=ACCOUNT[&format=fhir]",
    "GET /v1/emergency[?state=all|pending|overdue]",
    "GET /v1/packs/GTIN/SERIAL",
    "GET /v1/records/CONTENT_HASH",
    "GET /v1",
];
fn paging() -> String {
    format!(
        "every history takes offset=N and limit=1..{} (default {DEFAULT_LIMIT}); X-Total-Count says how many \
         rows it has, Link rel=next where the next page starts",
        query::MAX_LIMIT
    )
}

fn status(store: &dyn AuditStore) -> Result<Value> {
    let binding = store.binding()?;
    let contracts: Vec<Value> = binding
        .as_ref()
        .map(|b| {
            b.contracts
                .iter()
                .map(|(name, address, from)| {
                    json!({ "name": name, "address": ss58(&AccountId::from(*address)), "from_block": from })
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(json!({
        "schema_version": super::store::SCHEMA_VERSION,
        "genesis_hash": binding.as_ref().map(|b| hex(&b.genesis_hash)),
        "contracts": contracts,
        "events": store.event_count()?,
        "next_block": store.next_block()?,
    }))
}

fn parse_query(req: &Request) -> Result<Option<Query>> {
    let segments: Vec<&str> = req.segments.iter().map(String::as_str).collect();
    let patient = || query::patient(req.param("patient").unwrap_or_default());
    Ok(Some(match segments.as_slice() {
        ["v1", "disclosures"] => Query::Disclosures {
            patient: patient()?,
            since: query::time(req.param("since"))?,
            until: query::time(req.param("until"))?,
        },
        ["v1", "consents"] => Query::Consents { patient: patient()? },
        ["v1", "emergency"] => Query::Emergency(match req.param("state").unwrap_or("all") {
            "all" => EmergencyFilter::All,
            "pending" => EmergencyFilter::Pending,
            "overdue" => EmergencyFilter::Overdue,
            other => {
                return Err(DeployError::BadArgument {
                    what: "state (all, pending or overdue)".into(),
                    value: other.into(),
                })
            }
        }),
        ["v1", "packs", gtin, serial] => {
            let (gtin, serial) = query::pack(gtin, serial)?;
            Query::Pack { gtin, serial }
        }
        ["v1", "records", hash] => Query::Record { content_hash: query::content_hash(hash)? },
        _ => return Ok(None),
    }))
}

/// Answers one request from `store` (the route table; no I/O besides the store).
pub fn route(store: &dyn AuditStore, req: &Request, local: SocketAddr, options: &Options, now_ms: u64) -> Response {
    let mut response = respond(store, req, local, now_ms);
    if let Some(origin) = req.origin.as_deref().filter(|o| options.allow_origins.iter().any(|a| a == o)) {
        response.headers.push(("Access-Control-Allow-Origin", origin.to_string()));
        // Without this a page could not read how many rows there are and where the next are.
        response.headers.push(("Access-Control-Expose-Headers", "X-Total-Count, Link".into()));
    }
    if !options.allow_origins.is_empty() {
        response.headers.push(("Vary", "Origin".into()));
    }
    response
}

fn respond(store: &dyn AuditStore, req: &Request, local: SocketAddr, now_ms: u64) -> Response {
    if !host_allowed(req.host.as_deref(), local) {
        return Response::error(421, format!("this server answers to {local} only"));
    }
    if req.method != "GET" {
        let mut r = Response::error(405, "read-only: GET only");
        r.headers.push(("Allow", "GET".into()));
        return r;
    }
    let fhir = match req.param("format") {
        None => req.accept.as_deref().is_some_and(|a| a.contains("application/fhir+json")),
        Some("fhir") => true,
        Some("json") => false,
        Some(other) => return Response::error(400, format!("`{other}` is not a valid format (json or fhir)")),
    };
    let path = req.path.as_str();
    if path == "/" || path == "/v1" {
        return Response::json(
            200,
            &json!({ "service": "carechain audit", "api": 1, "endpoints": ENDPOINTS, "paging": paging() }),
        );
    }
    if path == "/v1/status" {
        return status(store).map_or_else(|e| Response::error(500, e.to_string()), |s| Response::json(200, &s));
    }
    let q = match parse_query(req) {
        Ok(Some(q)) => q,
        Ok(None) => return Response::error(404, format!("no such endpoint: {}; see GET /v1", req.path)),
        Err(e) => return Response::error(400, e.to_string()),
    };
    let page = match query::Page::parse(req.param("offset"), req.param("limit"), Some(DEFAULT_LIMIT)) {
        Ok(page) => page,
        Err(e) => return Response::error(400, e.to_string()),
    };
    let paged = match query::answer_page(store, &q, fhir, now_ms, page) {
        Ok(paged) => paged,
        Err(e @ DeployError::BadArgument { .. }) => return Response::error(400, e.to_string()),
        Err(e) => return Response::error(500, e.to_string()),
    };
    let next = paged.next_offset().map(|offset| next_page(req, offset, paged.returned, fhir));
    let mut response = match paged.answer {
        Answer::Table(t) => Response::json(200, &t.to_json()),
        Answer::Fhir(mut bundle) => {
            if let (Some(url), Some(obj)) = (&next, bundle.as_object_mut()) {
                obj.insert("link".into(), json!([{ "relation": "next", "url": url }]));
            }
            Response::typed(200, "application/fhir+json", &bundle)
        }
    };
    response.headers.push(("X-Total-Count", paged.total.to_string()));
    if let Some(url) = next {
        response.headers.push(("Link", format!("<{url}>; rel=\"next\"")));
    }
    response
}

/// The request's own target with `offset` moved on and `limit` kept (relative to the server);
/// a FHIR answer chosen by `Accept` names `format=fhir`, so following the link without that
/// header pages the same resource.
fn next_page(req: &Request, offset: usize, limit: usize, fhir: bool) -> String {
    let mut pairs: Vec<(String, String)> =
        req.query.iter().filter(|(k, _)| k != "offset" && k != "limit" && k != "format").cloned().collect();
    if fhir {
        pairs.push(("format".into(), "fhir".into()));
    }
    pairs.push(("offset".into(), offset.to_string()));
    pairs.push(("limit".into(), limit.to_string()));
    let path: Vec<String> = req.segments.iter().map(|s| percent_encode(s)).collect();
    let query: Vec<String> =
        pairs.iter().map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v))).collect();
    format!("/{}?{}", path.join("/"), query.join("&"))
}

/// Every byte but RFC 3986's unreserved characters as `%XX`: safe in a path segment and in a
/// query string value alike.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn read_head(stream: &mut TcpStream) -> std::result::Result<String, Response> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            if end > MAX_HEAD {
                return Err(Response::error(431, format!("request head over {MAX_HEAD} bytes")));
            }
            head.truncate(end);
            return String::from_utf8(head).map_err(|_| Response::error(400, "request head is not UTF-8"));
        }
        if head.len() > MAX_HEAD {
            return Err(Response::error(431, format!("request head over {MAX_HEAD} bytes")));
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return Err(Response::error(400, "incomplete request")),
            Ok(n) => head.extend_from_slice(buf.get(..n).unwrap_or_default()),
        }
    }
}

fn connection(mut stream: TcpStream, options: &Options, local: SocketAddr, now: fn() -> u64) {
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_write_timeout(Some(READ_TIMEOUT));
    let response = match read_head(&mut stream).and_then(|h| parse_request(&h)) {
        Err(r) => r,
        Ok(req) => match Sqlite::open_read_only(&options.db) {
            Ok(store) => route(&store, &req, local, options, now()),
            Err(e) => Response::error(500, e.to_string()),
        },
    };
    let _ = stream.write_all(&response.to_bytes());
    let _ = stream.flush();
}

/// Serves until the process ends: one thread per connection, each with its own read-only
/// connection to the database. The database is opened once first, so a wrong path fails here.
pub fn serve(listener: TcpListener, options: Options, now: fn() -> u64) -> Result<()> {
    Sqlite::open_read_only(&options.db)?;
    let local =
        listener.local_addr().map_err(|e| DeployError::Io { path: "listener".into(), reason: e.to_string() })?;
    let options = Arc::new(options);
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            active.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.write_all(&Response::error(503, "busy; try again").to_bytes());
            continue;
        }
        let (options, active) = (Arc::clone(&options), Arc::clone(&active));
        std::thread::spawn(move || {
            connection(stream, &options, local, now);
            active.fetch_sub(1, Ordering::SeqCst);
        });
    }
    Ok(())
}

/// A request head for `GET target` as a client on this machine sends it.
pub fn get_request(port: u16, target: &str) -> String {
    format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n")
}

/// One exchange with a server on loopback: sends `request` as is and reads the answer until
/// the server closes (it answers one request per connection). Status, head and body. For the
/// tests and the benchmark, which also send what a browser never would.
pub fn exchange(port: u16, request: &str) -> std::io::Result<(u16, String, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    stream.write_all(request.as_bytes())?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let bad = || std::io::Error::new(std::io::ErrorKind::InvalidData, "not an HTTP/1.1 answer");
    let (head, body) = answer.split_once("\r\n\r\n").ok_or_else(bad)?;
    let code = head.strip_prefix("HTTP/1.1 ").and_then(|r| r.get(..3)).and_then(|c| c.parse().ok()).ok_or_else(bad)?;
    Ok((code, head.to_string(), body.to_string()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn local() -> SocketAddr {
        "127.0.0.1:8477".parse().unwrap()
    }

    fn get(target: &str, host: &str) -> Request {
        parse_request(&format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nAccept: */*")).unwrap()
    }

    fn options() -> Options {
        Options { db: PathBuf::from(":memory:"), allow_origins: vec!["http://localhost:5173".into()] }
    }

    fn answer(req: &Request) -> Response {
        route(&Sqlite::in_memory().unwrap(), req, local(), &options(), 0)
    }

    #[test]
    fn request_heads_parse_and_malformed_ones_are_refused() {
        let r = get("/v1/disclosures?patient=5Grw%2Bx&since=2026-01-01T00%3A00%3A00Z&flag", "127.0.0.1:8477");
        assert_eq!((r.method.as_str(), r.path.as_str()), ("GET", "/v1/disclosures"));
        assert_eq!(r.param("patient"), Some("5Grw+x"));
        assert_eq!(r.param("since"), Some("2026-01-01T00:00:00Z"));
        assert_eq!(r.param("flag"), Some(""));
        assert_eq!(r.host.as_deref(), Some("127.0.0.1:8477"));
        assert_eq!(percent_decode("a+b%20c"), Some("a b c".into()));
        // In the path, `+` is itself and an escaped `/` stays in its segment (GS1 serials hold both).
        let p = get("/v1/packs/09506000134352/A%2FB+1", "127.0.0.1:8477");
        assert_eq!(p.segments, ["v1", "packs", "09506000134352", "A/B+1"]);
        for bad in ["%", "%4", "%zz", "%ff"] {
            assert_eq!(percent_decode(bad), None, "{bad}");
        }
        for head in
            ["GET /", "GET / HTTP/2", "GET / HTTP/1.1 extra", "GET /?a=%zz HTTP/1.1", "GET / HTTP/1.1\r\nnocolon"]
        {
            assert_eq!(parse_request(head).unwrap_err().status, 400, "{head:?}");
        }
    }

    #[test]
    fn only_loopback_host_names_with_the_port_are_served_on_loopback() {
        for ok in ["127.0.0.1:8477", "localhost:8477", "LOCALHOST:8477", "[::1]:8477"] {
            assert!(host_allowed(Some(ok), local()), "{ok}");
        }
        for refused in
            [None, Some("evil.example:8477"), Some("127.0.0.1:80"), Some("localhost"), Some("127.0.0.1.nip.io:8477")]
        {
            assert!(!host_allowed(refused, local()), "{refused:?}");
            assert_eq!(answer(&get("/v1/status", refused.unwrap_or("x"))).status, 421);
        }
        let public: SocketAddr = "10.0.0.5:8477".parse().unwrap();
        assert!(host_allowed(Some("audit.hospital.example"), public), "behind a proxy, any name");
        assert!(listen("0.0.0.0:0".parse().unwrap(), false).unwrap_err().to_string().contains("loopback only"));
    }

    #[test]
    fn routes_answer_or_refuse_with_typed_errors() {
        let ok = |t: &str| answer(&get(t, "localhost:8477"));
        let status = ok("/v1/status");
        assert_eq!(status.status, 200);
        assert_eq!(status.json_body().unwrap()["schema_version"], 1);
        assert_eq!(ok("/v1").json_body().unwrap()["endpoints"].as_array().unwrap().len(), ENDPOINTS.len());
        assert_eq!(ok("/v1/emergency?state=pending").json_body(), Some(json!([])));
        assert_eq!(ok("/v1/packs/09506000134352/A%2FB+1").status, 200, "GS1 set 82 holds `/` and `+`");
        let patient = ss58(&AccountId::from([1; 32]));
        let fhir = ok(&format!("/v1/consents?patient={patient}&format=fhir"));
        assert_eq!((fhir.status, fhir.content_type), (200, "application/fhir+json"));
        assert_eq!(fhir.json_body().unwrap()["resourceType"], "Bundle");
        let mut accept = get(&format!("/v1/disclosures?patient={patient}"), "localhost:8477");
        accept.accept = Some("application/fhir+json".into());
        assert_eq!(answer(&accept).content_type, "application/fhir+json");

        for (target, status, says) in [
            ("/v1/disclosures", 400, "is not a valid patient"),
            ("/v1/disclosures?patient=bob", 400, "`bob` is not a valid patient"),
            (&format!("/v1/disclosures?patient={patient}&since=soon"), 400, "`soon` is not a valid time"),
            ("/v1/emergency?state=late", 400, "`late` is not a valid state"),
            ("/v1/emergency?format=fhir", 400, "FHIR is offered for disclosures and consents"),
            (&format!("/v1/consents?patient={patient}&format=xml"), 400, "`xml` is not a valid format"),
            ("/v1/packs/09506000134353/SN1", 400, "not a valid GTIN"),
            ("/v1/packs/09506000134352/SN%201", 400, "not a valid serial"),
            ("/v1/records/0x12", 400, "not a valid content hash"),
            ("/v1/emergency?limit=0", 400, "`0` is not a valid limit"),
            ("/v1/emergency?limit=10001", 400, "`10001` is not a valid limit"),
            ("/v1/emergency?offset=-2", 400, "`-2` is not a valid offset"),
            ("/v2/status", 404, "no such endpoint"),
            ("/v1/packs/09506000134352", 404, "no such endpoint"),
        ] {
            let r = ok(target);
            assert_eq!(r.status, status, "{target}");
            let error = r.json_body().unwrap()["error"].as_str().unwrap().to_string();
            assert!(error.contains(says), "{target}: {error}");
        }
        let mut post = get("/v1/status", "localhost:8477");
        post.method = "POST".into();
        let r = answer(&post);
        assert_eq!((r.status, r.headers.contains(&("Allow", "GET".into()))), (405, true));
    }

    #[test]
    fn cors_is_granted_to_named_origins_only() {
        let mut req = get("/v1/status", "localhost:8477");
        req.origin = Some("http://localhost:5173".into());
        let allowed = answer(&req);
        assert!(allowed.headers.contains(&("Access-Control-Allow-Origin", "http://localhost:5173".into())));
        assert!(allowed.headers.contains(&("Access-Control-Expose-Headers", "X-Total-Count, Link".into())));
        req.origin = Some("https://evil.example".into());
        let refused = answer(&req);
        assert!(!refused.headers.iter().any(|(n, _)| n.starts_with("Access-Control-")), "{:?}", refused.headers);
        let wire = String::from_utf8(allowed.to_bytes()).unwrap();
        assert!(wire.starts_with("HTTP/1.1 200 OK\r\n") && wire.contains("Cache-Control: no-store\r\n"), "{wire}");
        assert!(wire.contains(&format!("Content-Length: {}\r\n", allowed.body.len())));
    }

    #[test]
    fn the_next_page_is_the_same_request_moved_on() {
        let req =
            get("/v1/disclosures?patient=5Grw%2Bx&since=2026-01-01T00%3A00%3A00Z&limit=2&offset=0", "localhost:8477");
        assert_eq!(
            next_page(&req, 2, 2, false),
            "/v1/disclosures?patient=5Grw%2Bx&since=2026-01-01T00%3A00%3A00Z&offset=2&limit=2"
        );
        let pack = get("/v1/packs/09506000134352/A%2FB+1", "localhost:8477");
        assert_eq!(next_page(&pack, 1000, 1000, false), "/v1/packs/09506000134352/A%2FB%2B1?offset=1000&limit=1000");
        let back = parse_request(&format!("GET {} HTTP/1.1", next_page(&pack, 1000, 1000, false))).unwrap();
        let mut by_accept = get("/v1/consents?patient=5Grw&limit=5", "localhost:8477");
        by_accept.accept = Some("application/fhir+json".into());
        assert_eq!(next_page(&by_accept, 5, 5, true), "/v1/consents?patient=5Grw&format=fhir&offset=5&limit=5");
        assert_eq!((&back.segments, back.param("offset")), (&pack.segments, Some("1000")));
        // An empty history: its count and no next page.
        let empty = answer(&get("/v1/emergency", "localhost:8477"));
        assert!(empty.headers.contains(&("X-Total-Count", "0".into())));
        assert!(!empty.headers.iter().any(|(n, _)| *n == "Link"));
    }
}
