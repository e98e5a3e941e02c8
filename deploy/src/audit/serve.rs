//! `carechain audit serve`: the audit queries as a small read-only JSON HTTP API, for the web
//! dApp's history views (docs/audit-api.md).
//!
//! What it guards against, since the answers link patients to the people who saw their data:
//! it binds to loopback unless told otherwise; on loopback it answers only requests whose `Host`
//! is a loopback name with its port, so a web page the auditor visits cannot read it through a
//! DNS-rebound host name; it sends no CORS header unless an origin is allowed by name; it opens
//! the database read-only, per request; it reads at most 8 KiB of request head within 5 s, answers
//! within 30 s and serves at most 32 connections at once. It has no authentication: anything that
//! can reach the port can ask, so expose it beyond the machine only behind a proxy that authenticates.
//!
//! HTTP is hyper's (HTTP/1.1, keep-alive), routing axum's, CORS and timeouts tower-http's: this
//! module holds only the routes and the rules above.

use super::query::{self, Answer, Query};
use super::report::EmergencyFilter;
use super::store::{AuditStore, Sqlite};
use crate::chain::{hex, ss58};
use crate::error::{DeployError, Result};
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use ink::primitives::AccountId;
use serde_json::{json, Value};
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

/// The longest request head read (request line and headers): longer is a 431.
pub const MAX_HEAD: usize = 8 * 1024;
/// Connections served at once; more are answered 503.
pub const MAX_CONNECTIONS: usize = 32;
/// Rows (or FHIR entries) of an answer without a `limit`; `X-Total-Count` and a `Link` to the
/// next page say what remains.
pub const DEFAULT_LIMIT: usize = 1_000;
/// A request head must arrive within this, or the connection is closed.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// An answer not ready within this is a 503.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

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

/// `%XX` decoded (a path segment: `+` is itself, as GS1 serials may contain it); `None` for a
/// broken escape or bytes that are not UTF-8.
pub fn percent_decode_segment(s: &str) -> Option<String> {
    percent_decode(&s.replace('+', "%2B"))
}

/// `%XX` and `+` decoded (a query string value); `None` for a broken escape or bytes that are
/// not UTF-8. Stricter than form decoding, which passes a broken escape through as text.
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

/// A decoded query string, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// `Err` is the 400 to answer instead.
    pub fn parse(raw: Option<&str>) -> std::result::Result<Self, Response> {
        let mut pairs = Vec::new();
        for pair in raw.unwrap_or_default().split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match (percent_decode(k), percent_decode(v)) {
                (Some(k), Some(v)) => pairs.push((k, v)),
                _ => return Err(error(StatusCode::BAD_REQUEST, "malformed query string")),
            }
        }
        Ok(Self(pairs))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
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

/// `{"error": message}` with `status`.
fn error(status: StatusCode, message: impl Into<String>) -> Response {
    json_response(status, "application/json", &json!({ "error": message.into() }))
}

fn json_response(status: StatusCode, content_type: &'static str, v: &Value) -> Response {
    let body = serde_json::to_vec(v).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))], body).into_response()
}

fn status_of(store: &dyn AuditStore) -> Result<Value> {
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

/// What every route shares: where the database is and what time it is.
#[derive(Clone)]
struct Ctx {
    db: Arc<PathBuf>,
    now: fn() -> u64,
}

impl Ctx {
    /// Runs `f` on a read-only connection of its own, off the async threads.
    async fn with_store(&self, f: impl FnOnce(&Sqlite) -> Response + Send + 'static) -> Response {
        let db = Arc::clone(&self.db);
        let answer = tokio::task::spawn_blocking(move || match Sqlite::open_read_only(&db) {
            Ok(store) => f(&store),
            Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        });
        answer.await.unwrap_or_else(|e| error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
    }
}

/// The routes, with the rules of the module's head as layers: a router a test can call without
/// a socket (`tower::ServiceExt::oneshot`), and that [`serve`] puts on one.
pub fn router(options: &Options, local: SocketAddr, now: fn() -> u64) -> Router {
    let ctx = Ctx { db: Arc::new(options.db.clone()), now };
    let mut app = Router::new()
        .route("/", get(index))
        .route("/v1", get(index))
        .route("/v1/status", get(status))
        .route("/v1/disclosures", get(disclosures))
        .route("/v1/consents", get(consents))
        .route("/v1/emergency", get(emergency))
        .route("/v1/packs/{gtin}/{serial}", get(pack))
        .route("/v1/records/{hash}", get(record))
        .fallback(no_such_endpoint)
        .method_not_allowed_fallback(read_only)
        .with_state(ctx);
    if !options.allow_origins.is_empty() {
        let origins: Vec<HeaderValue> =
            options.allow_origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
        app = app.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([Method::GET])
                .allow_headers([header::ACCEPT])
                // Without these a page could not read how many rows there are and where the next are.
                .expose_headers([header::HeaderName::from_static("x-total-count"), header::LINK])
                .max_age(Duration::from_secs(600)),
        );
    }
    app.layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, ANSWER_TIMEOUT))
        .layer(middleware::from_fn_with_state(local, only_our_host))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
}

/// DNS rebinding: on loopback, a `Host` that is not ours is a page that renamed itself to us.
async fn only_our_host(State(local): State<SocketAddr>, req: Request<Body>, next: Next) -> Response {
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok());
    if !host_allowed(host, local) {
        return error(StatusCode::MISDIRECTED_REQUEST, format!("this server answers to {local} only"));
    }
    next.run(req).await
}

async fn no_such_endpoint(req: Request<Body>) -> Response {
    error(StatusCode::NOT_FOUND, format!("no such endpoint: {}; see GET /v1", req.uri().path()))
}

async fn read_only() -> Response {
    let mut r = error(StatusCode::METHOD_NOT_ALLOWED, "read-only: GET only");
    r.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET"));
    r
}

async fn index() -> Response {
    json_response(
        StatusCode::OK,
        "application/json",
        &json!({ "service": "carechain audit", "api": 1, "endpoints": ENDPOINTS, "paging": paging() }),
    )
}

async fn status(State(ctx): State<Ctx>) -> Response {
    ctx.with_store(|store| {
        status_of(store).map_or_else(
            |e| error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
            |s| json_response(StatusCode::OK, "application/json", &s),
        )
    })
    .await
}

/// A history request: its query string, whether FHIR was asked for, the path it came on.
struct Asked {
    params: Params,
    fhir: bool,
    segments: Vec<String>,
}

impl Asked {
    fn new(raw: Option<String>, headers: &HeaderMap, segments: &[&str]) -> std::result::Result<Self, Response> {
        let params = Params::parse(raw.as_deref())?;
        let fhir = match params.get("format") {
            None => headers
                .get(header::ACCEPT)
                .and_then(|a| a.to_str().ok())
                .is_some_and(|a| a.contains("application/fhir+json")),
            Some("fhir") => true,
            Some("json") => false,
            Some(other) => {
                return Err(error(StatusCode::BAD_REQUEST, format!("`{other}` is not a valid format (json or fhir)")))
            }
        };
        Ok(Self { params, fhir, segments: segments.iter().map(|s| s.to_string()).collect() })
    }

    fn patient(&self) -> Result<AccountId> {
        query::patient(self.params.get("patient").unwrap_or_default())
    }

    /// Answers `query` a page at a time, with `X-Total-Count` and the `Link` to the next page.
    async fn answer(self, ctx: &Ctx, query: Result<Query>) -> Response {
        let query = match query {
            Ok(q) => q,
            Err(e) => return error(StatusCode::BAD_REQUEST, e.to_string()),
        };
        let page = match query::Page::parse(self.params.get("offset"), self.params.get("limit"), Some(DEFAULT_LIMIT)) {
            Ok(page) => page,
            Err(e) => return error(StatusCode::BAD_REQUEST, e.to_string()),
        };
        let now = (ctx.now)();
        ctx.with_store(move |store| {
            let paged = match query::answer_page(store, &query, self.fhir, now, page) {
                Ok(paged) => paged,
                Err(e @ DeployError::BadArgument { .. }) => return error(StatusCode::BAD_REQUEST, e.to_string()),
                Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
            };
            let next = paged
                .next_offset()
                .map(|offset| next_page(&self.segments, &self.params, offset, paged.returned, self.fhir));
            let mut response = match paged.answer {
                Answer::Table(t) => json_response(StatusCode::OK, "application/json", &t.to_json()),
                Answer::Fhir(mut bundle) => {
                    if let (Some(url), Some(obj)) = (&next, bundle.as_object_mut()) {
                        obj.insert("link".into(), json!([{ "relation": "next", "url": url }]));
                    }
                    json_response(StatusCode::OK, "application/fhir+json", &bundle)
                }
            };
            let headers = response.headers_mut();
            headers.insert("x-total-count", HeaderValue::from(paged.total));
            if let Some(link) = next.and_then(|url| HeaderValue::from_str(&format!("<{url}>; rel=\"next\"")).ok()) {
                headers.insert(header::LINK, link);
            }
            response
        })
        .await
    }
}

macro_rules! asked {
    ($raw:expr, $headers:expr, $segments:expr) => {
        match Asked::new($raw, $headers, $segments) {
            Ok(asked) => asked,
            Err(response) => return response,
        }
    };
}

async fn disclosures(State(ctx): State<Ctx>, RawQuery(raw): RawQuery, headers: HeaderMap) -> Response {
    let asked = asked!(raw, &headers, &["v1", "disclosures"]);
    let query = (|| {
        Ok(Query::Disclosures {
            patient: asked.patient()?,
            since: query::time(asked.params.get("since"))?,
            until: query::time(asked.params.get("until"))?,
        })
    })();
    asked.answer(&ctx, query).await
}

async fn consents(State(ctx): State<Ctx>, RawQuery(raw): RawQuery, headers: HeaderMap) -> Response {
    let asked = asked!(raw, &headers, &["v1", "consents"]);
    let query = asked.patient().map(|patient| Query::Consents { patient });
    asked.answer(&ctx, query).await
}

async fn emergency(State(ctx): State<Ctx>, RawQuery(raw): RawQuery, headers: HeaderMap) -> Response {
    let asked = asked!(raw, &headers, &["v1", "emergency"]);
    let query = match asked.params.get("state").unwrap_or("all") {
        "all" => Ok(EmergencyFilter::All),
        "pending" => Ok(EmergencyFilter::Pending),
        "overdue" => Ok(EmergencyFilter::Overdue),
        other => Err(DeployError::BadArgument { what: "state (all, pending or overdue)".into(), value: other.into() }),
    }
    .map(Query::Emergency);
    asked.answer(&ctx, query).await
}

/// The path's segments, each decoded on its own: an escaped `/` (`%2F`, a GS1 serial may hold
/// one) stays inside its segment and `+` is itself.
fn segments(req: &Request<Body>) -> std::result::Result<Vec<String>, Response> {
    let decoded: Option<Vec<String>> =
        req.uri().path().split('/').filter(|s| !s.is_empty()).map(percent_decode_segment).collect();
    decoded.ok_or_else(|| error(StatusCode::BAD_REQUEST, "malformed path"))
}

async fn pack(State(ctx): State<Ctx>, req: Request<Body>) -> Response {
    let segments = match segments(&req) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let [_, _, gtin, serial] = segments.as_slice() else { return no_such_endpoint(req).await };
    let asked = asked!(req.uri().query().map(str::to_string), req.headers(), &["v1", "packs", gtin, serial]);
    let query = query::pack(gtin, serial).map(|(gtin, serial)| Query::Pack { gtin, serial });
    asked.answer(&ctx, query).await
}

async fn record(State(ctx): State<Ctx>, req: Request<Body>) -> Response {
    let segments = match segments(&req) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let [_, _, hash] = segments.as_slice() else { return no_such_endpoint(req).await };
    let asked = asked!(req.uri().query().map(str::to_string), req.headers(), &["v1", "records", hash]);
    let query = query::content_hash(hash).map(|content_hash| Query::Record { content_hash });
    asked.answer(&ctx, query).await
}

/// The request's own target with `offset` moved on and `limit` kept (relative to the server);
/// a FHIR answer chosen by `Accept` names `format=fhir`, so following the link without that
/// header pages the same resource.
fn next_page(segments: &[String], params: &Params, offset: usize, limit: usize, fhir: bool) -> String {
    let mut pairs: Vec<(String, String)> =
        params.0.iter().filter(|(k, _)| k != "offset" && k != "limit" && k != "format").cloned().collect();
    if fhir {
        pairs.push(("format".into(), "fhir".into()));
    }
    pairs.push(("offset".into(), offset.to_string()));
    pairs.push(("limit".into(), limit.to_string()));
    let path: Vec<String> = segments.iter().map(|s| percent_encode(s)).collect();
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

/// Serves until the process ends: HTTP/1.1 with keep-alive, each connection a task, each request
/// its own read-only connection to the database. The database is opened once first, so a wrong
/// path fails here.
pub fn serve(listener: TcpListener, options: Options, now: fn() -> u64) -> Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    Sqlite::open_read_only(&options.db)?;
    let io = |e: std::io::Error| DeployError::Io { path: "listener".into(), reason: e.to_string() };
    let local = listener.local_addr().map_err(io)?;
    listener.set_nonblocking(true).map_err(io)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(io)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(io)?;
        let app = router(&options, local, now);
        let busy = Router::new()
            .fallback(|| async { error(StatusCode::SERVICE_UNAVAILABLE, "busy; try again") })
            .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
        let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
        loop {
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                // Out of file descriptors, say: let connections end rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let slot = Arc::clone(&slots).try_acquire_owned().ok();
            let service = if slot.is_some() { app.clone() } else { busy.clone() };
            tokio::spawn(async move {
                let mut http = hyper::server::conn::http1::Builder::new();
                http.timer(TokioTimer::new())
                    .header_read_timeout(HEAD_TIMEOUT)
                    .max_buf_size(MAX_HEAD)
                    .keep_alive(slot.is_some());
                let _ = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)).await;
                drop(slot);
            });
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    fn local() -> SocketAddr {
        "127.0.0.1:8477".parse().unwrap()
    }

    /// An empty index of this process (the routes open it read-only per request).
    fn db() -> PathBuf {
        static DB: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
        DB.get_or_init(|| {
            let path = std::env::temp_dir().join(format!("carechain-serve-unit-{}.sqlite", std::process::id()));
            let _ = std::fs::remove_file(&path);
            Sqlite::open(&path).unwrap();
            path
        })
        .clone()
    }

    /// The router's answer to `method target` with `headers`, without a socket.
    fn call(method: &str, target: &str, headers: &[(&str, &str)]) -> (StatusCode, HeaderMap, Vec<u8>) {
        let options = Options { db: db(), allow_origins: vec!["http://localhost:5173".into()] };
        let mut req = Request::builder().method(method).uri(target);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let response = router(&options, local(), || 0).oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
            let (parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
            (parts.status, parts.headers, bytes.to_vec())
        })
    }

    fn get(target: &str) -> (StatusCode, HeaderMap, Value) {
        let (status, headers, body) = call("GET", target, &[("host", "localhost:8477")]);
        (status, headers, serde_json::from_slice(&body).unwrap())
    }

    #[test]
    fn query_strings_decode_strictly() {
        let p = Params::parse(Some("patient=5Grw%2Bx&since=2026-01-01T00%3A00%3A00Z&flag")).unwrap();
        assert_eq!(p.get("patient"), Some("5Grw+x"));
        assert_eq!(p.get("since"), Some("2026-01-01T00:00:00Z"));
        assert_eq!(p.get("flag"), Some(""));
        assert_eq!(percent_decode("a+b%20c"), Some("a b c".into()));
        assert_eq!(percent_decode_segment("A%2FB+1"), Some("A/B+1".into()));
        for bad in ["%", "%4", "%zz", "%ff"] {
            assert_eq!(percent_decode(bad), None, "{bad}");
        }
        let (status, _, body) = get("/v1/emergency?a=%zz");
        assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("malformed query string")));
        let (status, _, body) = get("/v1/packs/09506000134352/%ff");
        assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("malformed path")));
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
            let headers: Vec<(&str, &str)> = refused.map(|h| ("host", h)).into_iter().collect();
            assert_eq!(call("GET", "/v1/status", &headers).0, StatusCode::MISDIRECTED_REQUEST);
        }
        let public: SocketAddr = "10.0.0.5:8477".parse().unwrap();
        assert!(host_allowed(Some("audit.hospital.example"), public), "behind a proxy, any name");
        assert!(listen("0.0.0.0:0".parse().unwrap(), false).unwrap_err().to_string().contains("loopback only"));
    }

    #[test]
    fn routes_answer_or_refuse_with_typed_errors() {
        let (status, headers, body) = get("/v1/status");
        assert_eq!((status, body["schema_version"].as_u64()), (StatusCode::OK, Some(1)));
        assert_eq!(headers[header::CACHE_CONTROL], "no-store");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(get("/v1").2["endpoints"].as_array().unwrap().len(), ENDPOINTS.len());
        assert_eq!(get("/v1/emergency?state=pending").2, json!([]));
        assert_eq!(get("/v1/packs/09506000134352/A%2FB+1").0, StatusCode::OK, "GS1 set 82 holds `/` and `+`");
        let patient = ss58(&AccountId::from([1; 32]));
        let (status, headers, bundle) = get(&format!("/v1/consents?patient={patient}&format=fhir"));
        assert_eq!(
            (status, headers[header::CONTENT_TYPE].to_str().unwrap()),
            (StatusCode::OK, "application/fhir+json")
        );
        assert_eq!(bundle["resourceType"], "Bundle");
        let by_accept = call(
            "GET",
            &format!("/v1/disclosures?patient={patient}"),
            &[("host", "localhost:8477"), ("accept", "application/fhir+json")],
        );
        assert_eq!(by_accept.1[header::CONTENT_TYPE], "application/fhir+json");

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
            let (code, headers, body) = get(target);
            assert_eq!(code.as_u16(), status, "{target}");
            assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{target}");
            let error = body["error"].as_str().unwrap().to_string();
            assert!(error.contains(says), "{target}: {error}");
        }
        for method in ["POST", "PUT", "DELETE", "PATCH"] {
            let (status, headers, body) = call(method, "/v1/status", &[("host", "localhost:8477")]);
            assert_eq!(
                (status, headers[header::ALLOW].to_str().unwrap()),
                (StatusCode::METHOD_NOT_ALLOWED, "GET"),
                "{method}"
            );
            assert_eq!(serde_json::from_slice::<Value>(&body).unwrap()["error"], "read-only: GET only");
        }
    }

    #[test]
    fn cors_is_granted_to_named_origins_only() {
        let asked = |origin: &str| call("GET", "/v1/status", &[("host", "localhost:8477"), ("origin", origin)]).1;
        let allowed = asked("http://localhost:5173");
        assert_eq!(allowed[header::ACCESS_CONTROL_ALLOW_ORIGIN], "http://localhost:5173");
        let exposed = allowed[header::ACCESS_CONTROL_EXPOSE_HEADERS].to_str().unwrap().to_ascii_lowercase();
        assert!(exposed.contains("x-total-count") && exposed.contains("link"), "{exposed}");
        assert!(allowed.get_all(header::VARY).iter().any(|v| v
            .to_str()
            .unwrap()
            .to_ascii_lowercase()
            .contains("origin")));
        let refused = asked("https://evil.example");
        // No Allow-Origin: the browser keeps the answer from the page (what else tower-http says is moot).
        assert!(refused.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none(), "{refused:?}");
        // A browser's preflight (a page that sends Accept: application/fhir+json asks first).
        let preflight = |origin: &str| {
            call(
                "OPTIONS",
                "/v1/consents",
                &[
                    ("host", "localhost:8477"),
                    ("origin", origin),
                    ("access-control-request-method", "GET"),
                    ("access-control-request-headers", "accept"),
                ],
            )
        };
        let (status, headers, _) = preflight("http://localhost:5173");
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_METHODS], "GET");
        assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "http://localhost:5173");
        let (_, headers, _) = preflight("https://evil.example");
        assert!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    }

    #[test]
    fn the_next_page_is_the_same_request_moved_on() {
        let params = Params::parse(Some("patient=5Grw%2Bx&since=2026-01-01T00%3A00%3A00Z&limit=2&offset=0")).unwrap();
        let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            next_page(&path(&["v1", "disclosures"]), &params, 2, 2, false),
            "/v1/disclosures?patient=5Grw%2Bx&since=2026-01-01T00%3A00%3A00Z&offset=2&limit=2"
        );
        let pack = path(&["v1", "packs", "09506000134352", "A/B+1"]);
        let link = next_page(&pack, &Params::default(), 1000, 1000, false);
        assert_eq!(link, "/v1/packs/09506000134352/A%2FB%2B1?offset=1000&limit=1000");
        let by_accept = Params::parse(Some("patient=5Grw&limit=5")).unwrap();
        assert_eq!(
            next_page(&path(&["v1", "consents"]), &by_accept, 5, 5, true),
            "/v1/consents?patient=5Grw&format=fhir&offset=5&limit=5"
        );
        // The link leads back to the same pack.
        assert_eq!(get(&link).0, StatusCode::OK);
        // An empty history: its count and no next page.
        let (_, headers, _) = get("/v1/emergency");
        assert_eq!(headers["x-total-count"], "0");
        assert!(headers.get(header::LINK).is_none());
    }
}
