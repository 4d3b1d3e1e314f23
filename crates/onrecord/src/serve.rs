//! `onrecord serve`: a corpus on the web, for one machine. A JSON API (described by the
//! OpenAPI document at /openapi.json) and a page built into the binary (web/), with no
//! request leaving for another host.
//!
//! Safe by default: binds to loopback (another address needs --public), answers only
//! requests addressed to a loopback host name (no DNS rebinding), opens the database
//! read-only, accepts only GET and HEAD with short URLs and no body, runs parameterized SQL
//! only (the store's), and serves the page under a Content-Security-Policy that allows
//! scripts and styles from itself alone; the page puts article text into the document as
//! text, never as markup.

use crate::store_cmd::DbArgs;
use anyhow::{bail, Context, Result};
use axum::body::Body;
use axum::extract::{Path as UrlPath, Query as UrlQuery, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use clap::Args;
use onrecord_store::{Query, Store};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

const INDEX_HTML: &str = include_str!("web/index.html");
const APP_JS: &str = include_str!("web/app.js");
const APP_CSS: &str = include_str!("web/app.css");
const OPENAPI: &str = include_str!("web/openapi.json");

/// The API's paths as the router has them (the OpenAPI document must list each).
pub const API_PATHS: &[&str] = &[
    "/api/stats",
    "/api/search",
    "/api/speakers",
    "/api/speakers/{id}",
    "/api/quotes/{id}",
    "/api/clusters/{id}",
    "/api/articles/{id}",
];

/// Longest request target accepted (path and query).
const MAX_URI: usize = 4096;
/// Database connections kept open for reuse.
const POOL: usize = 8;

const SERVE_EXAMPLES: &str = "\
Examples:
  onrecord serve                          ./onrecord.db on http://127.0.0.1:8787/
  onrecord serve --db news.db --addr 127.0.0.1:9000

The API is described at /openapi.json. The server binds to loopback only, unless --public
is given, and never writes to the database.";

#[derive(Args, Debug)]
#[command(after_help = SERVE_EXAMPLES)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Address and port to listen on (port 0: any free port)
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8787")]
    pub addr: SocketAddr,
    /// Allow an address other than loopback (the corpus becomes readable by the network)
    #[arg(long)]
    pub public: bool,
}

/// Read-only connections, reused across requests.
struct Pool {
    path: PathBuf,
    idle: Mutex<Vec<Store>>,
}

impl Pool {
    fn with<T>(&self, f: impl FnOnce(&Store) -> Result<T, ApiError>) -> Result<T, ApiError> {
        let taken = self.idle.lock().ok().and_then(|mut v| v.pop());
        let store = match taken {
            Some(s) => s,
            None => Store::open_read_only(&self.path).map_err(ApiError::internal)?,
        };
        let out = f(&store);
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < POOL {
                idle.push(store);
            }
        }
        out
    }
}

#[derive(Clone)]
struct App {
    pool: Arc<Pool>,
    /// Check the Host header (loopback binds).
    local_only: bool,
}

pub fn run(args: &ServeArgs) -> Result<()> {
    if !args.addr.ip().is_loopback() && !args.public {
        bail!(
            "{} is not a loopback address: the corpus would be open to the network; add --public \
             if that is meant",
            args.addr.ip()
        );
    }
    let db = &args.db.db;
    if !db.exists() {
        bail!(
            "{}: no such corpus database (create one with `onrecord ingest PATH --db {}`)",
            db.display(),
            db.display()
        );
    }
    let first = Store::open_read_only(db).with_context(|| format!("{}", db.display()))?;
    let stats = first.stats()?;
    let app = App {
        pool: Arc::new(Pool {
            path: db.clone(),
            idle: Mutex::new(vec![first]),
        }),
        local_only: args.addr.ip().is_loopback(),
    };
    let listener = std::net::TcpListener::bind(args.addr)
        .with_context(|| format!("listening on {}", args.addr))?;
    listener.set_nonblocking(true)?;
    let local = listener.local_addr()?;
    eprintln!(
        "onrecord: serving {} ({} articles, {} quotes) at http://{local}/",
        db.display(),
        stats.articles,
        stats.quotes
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .max_blocking_threads(POOL)
        .build()
        .context("starting the server runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(listener, router(app)).await
    })?;
    Ok(())
}

fn router(app: App) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { page(INDEX_HTML, "text/html; charset=utf-8") }),
        )
        .route(
            "/app.js",
            get(|| async { page(APP_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/app.css",
            get(|| async { page(APP_CSS, "text/css; charset=utf-8") }),
        )
        .route(
            "/openapi.json",
            get(|| async { page(OPENAPI, "application/json") }),
        )
        .route(API_PATHS[0], get(stats))
        .route(API_PATHS[1], get(search))
        .route(API_PATHS[2], get(speakers))
        .route(API_PATHS[3], get(speaker))
        .route(API_PATHS[4], get(quote))
        .route(API_PATHS[5], get(cluster))
        .route(API_PATHS[6], get(article))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "no such page") })
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .layer(axum::extract::DefaultBodyLimit::max(1024))
        .with_state(app)
}

/// Every request passes here: method, size and host checks, then security headers.
async fn guard(State(app): State<App>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r =
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "only GET is served").into_response();
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return secure(r);
    }
    if req.uri().to_string().len() > MAX_URI {
        return secure(ApiError::new(StatusCode::URI_TOO_LONG, "request too long").into_response());
    }
    let has_body = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v != "0")
        || req.headers().contains_key(header::TRANSFER_ENCODING);
    if has_body {
        return secure(
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "requests take no body").into_response(),
        );
    }
    if app.local_only {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        if !is_local_host(host) {
            return secure(
                ApiError::new(
                    StatusCode::MISDIRECTED_REQUEST,
                    "this server answers to localhost only",
                )
                .into_response(),
            );
        }
    }
    secure(next.run(req).await)
}

/// A Host header naming this machine: localhost, 127.x.y.z or [::1], with any port.
fn is_local_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn secure(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
             img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn page(body: &'static str, kind: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

/// An API failure: a status and a JSON body `{"error": "..."}`.
struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }
    fn internal(e: impl std::fmt::Display) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    }
    fn from_store(e: onrecord_store::Error) -> ApiError {
        match e {
            onrecord_store::Error::InvalidQuery(m) => ApiError::new(StatusCode::BAD_REQUEST, m),
            e => ApiError::internal(e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message }).to_string();
        (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    }
}

/// Run a store call on the blocking pool and answer with its JSON; `None` is a 404.
async fn answer<T, F>(app: App, f: F) -> Response
where
    T: serde::Serialize,
    F: FnOnce(&Store) -> Result<Option<T>, onrecord_store::Error> + Send + 'static,
{
    let pool = app.pool.clone();
    let work = tokio::task::spawn_blocking(move || {
        pool.with(|store| match f(store).map_err(ApiError::from_store)? {
            Some(v) => serde_json::to_vec(&v).map_err(ApiError::internal),
            None => Err(ApiError::new(StatusCode::NOT_FOUND, "not found")),
        })
    });
    match work.await {
        Ok(Ok(bytes)) => (
            [(header::CONTENT_TYPE, "application/json")],
            Body::from(bytes),
        )
            .into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

fn bad_request(e: impl std::fmt::Display) -> Response {
    ApiError::new(StatusCode::BAD_REQUEST, e.to_string()).into_response()
}

fn id_of(raw: &str) -> Result<i64, ApiError> {
    raw.trim_start_matches(['q', 'c', '#'])
        .parse::<i64>()
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, format!("{raw:?} is not an id")))
}

async fn stats(State(app): State<App>) -> Response {
    answer(app, |s| s.stats().map(Some)).await
}

#[derive(Deserialize)]
struct SearchParams {
    #[serde(default)]
    q: String,
    speaker: Option<String>,
    since: Option<String>,
    until: Option<String>,
    outlet: Option<String>,
    kind: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

/// Empty form fields mean "no filter".
fn given(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.trim().is_empty())
}

async fn search(
    State(app): State<App>,
    params: Result<UrlQuery<SearchParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let p = match params {
        Ok(UrlQuery(p)) => p,
        Err(e) => return bad_request(e.body_text()),
    };
    let kind = match given(p.kind).as_deref() {
        None => None,
        Some("direct") => Some(onrecord_core::extraction::QuoteKind::Direct),
        Some("mixed") => Some(onrecord_core::extraction::QuoteKind::Mixed),
        Some("indirect") => Some(onrecord_core::extraction::QuoteKind::Indirect),
        Some(other) => {
            return bad_request(format!(
                "kind must be direct, mixed or indirect, not {other:?}"
            ))
        }
    };
    let q = Query {
        text: p.q,
        speaker: given(p.speaker),
        since: given(p.since),
        until: given(p.until),
        outlet: given(p.outlet),
        kind,
        limit: Some(p.limit.unwrap_or(20).min(200)),
        offset: p.offset,
    };
    answer(app, move |s| {
        s.search(&q)
            .map(|hits| Some(serde_json::json!({ "hits": hits })))
    })
    .await
}

#[derive(Deserialize)]
struct SpeakersParams {
    top: Option<usize>,
    name: Option<String>,
}

async fn speakers(
    State(app): State<App>,
    params: Result<UrlQuery<SpeakersParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let p = match params {
        Ok(UrlQuery(p)) => p,
        Err(e) => return bad_request(e.body_text()),
    };
    let top = p.top.unwrap_or(50).min(1000);
    answer(app, move |s| {
        let list = match given(p.name) {
            Some(name) => {
                let mut l = s.find_speakers(&name)?;
                l.truncate(top);
                l
            }
            None => s.speakers(top)?,
        };
        Ok(Some(serde_json::json!({ "speakers": list })))
    })
    .await
}

#[derive(Deserialize)]
struct LimitParams {
    limit: Option<usize>,
}

async fn speaker(
    State(app): State<App>,
    UrlPath(id): UrlPath<String>,
    params: Result<UrlQuery<LimitParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let id = match id_of(&id) {
        Ok(id) => id,
        Err(e) => return e.into_response(),
    };
    let limit = params
        .ok()
        .and_then(|UrlQuery(p)| p.limit)
        .unwrap_or(500)
        .min(5000);
    answer(app, move |s| s.speaker(id, limit)).await
}

async fn quote(State(app): State<App>, UrlPath(id): UrlPath<String>) -> Response {
    match id_of(&id) {
        Ok(id) => answer(app, move |s| s.cluster_of_quote(id)).await,
        Err(e) => e.into_response(),
    }
}

async fn cluster(State(app): State<App>, UrlPath(id): UrlPath<String>) -> Response {
    match id_of(&id) {
        Ok(id) => answer(app, move |s| s.cluster(id)).await,
        Err(e) => e.into_response(),
    }
}

async fn article(State(app): State<App>, UrlPath(id): UrlPath<String>) -> Response {
    match id_of(&id) {
        Ok(id) => answer(app, move |s| s.article(id)).await,
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openapi_lists_every_route() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        let paths = doc["paths"].as_object().unwrap();
        for p in API_PATHS {
            assert!(paths.contains_key(*p), "{p} missing from openapi.json");
        }
        for p in paths.keys() {
            assert!(
                API_PATHS.contains(&p.as_str()),
                "{p} is documented but not served"
            );
        }
    }

    #[test]
    fn only_loopback_host_names_pass() {
        for h in [
            "localhost",
            "localhost:8787",
            "127.0.0.1:80",
            "[::1]:8787",
            "127.9.9.9",
        ] {
            assert!(is_local_host(h), "{h}");
        }
        for h in [
            "",
            "evil.example",
            "evil.example:8787",
            "10.0.0.1:8787",
            "localhost.evil",
        ] {
            assert!(!is_local_host(h), "{h}");
        }
    }
}
