//! What every handler shares: the store, the server's settings, the schedule cache.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use regie_store::{LoadedProject, ProjectId, Store};

/// Server settings.
#[derive(Clone, Debug)]
pub struct Config {
    /// Always mark the session cookie `Secure` (set when served over HTTPS directly or behind a
    /// proxy that does not send `X-Forwarded-Proto`).
    pub secure_cookies: bool,
    /// Failed logins for one login or from one address within the window before 429.
    pub max_failed_logins: i64,
    pub throttle_window_seconds: i64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            secure_cookies: false,
            max_failed_logins: 10,
            throttle_window_seconds: 15 * 60,
        }
    }
}

/// A computed schedule as sent: the JSON, and the same gzipped for clients that accept it (a
/// 1,000-task schedule is about 300 KB of JSON, a tenth of it gzipped).
#[derive(Clone)]
pub struct CachedSchedule {
    pub json: axum::body::Bytes,
    pub gzip: axum::body::Bytes,
}

impl CachedSchedule {
    /// Compressed once per version, sent many times.
    pub fn new(json: Vec<u8>) -> std::io::Result<CachedSchedule> {
        Ok(CachedSchedule {
            gzip: crate::gzip::compress(&json)?.into(),
            json: json.into(),
        })
    }
}

/// Things computed from one version of a project, keyed by (project, version): a version is
/// immutable, so an entry is never stale, and any instance sharing the database computes the
/// same one. Used for the API's schedule as sent (bytes, not a `Value`: a hit then costs a
/// version lookup and a reference count) and for the pages' computed [`regie_core::Schedule`].
pub struct VersionCache<T> {
    entries: Mutex<HashMap<(ProjectId, i64), T>>,
}

impl<T> Default for VersionCache<T> {
    fn default() -> Self {
        VersionCache {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

/// The API's schedule answers.
pub type ScheduleCache = VersionCache<CachedSchedule>;

impl<T: Clone> VersionCache<T> {
    /// At most this many entries are kept; beyond it the cache starts over (simple, and a
    /// recompute costs milliseconds).
    const CAPACITY: usize = 64;

    pub fn get(&self, key: (ProjectId, i64)) -> Option<T> {
        self.entries.lock().ok()?.get(&key).cloned()
    }

    /// Forgets a deleted project: SQLite may give its id to the next project created, whose
    /// versions start again at 1.
    pub fn forget(&self, project: ProjectId) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|(id, _), _| *id != project);
        }
    }

    pub fn put(&self, key: (ProjectId, i64), value: T) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= Self::CAPACITY {
                entries.clear();
            }
            entries.insert(key, value);
        }
    }
}

/// The latest loaded model of each project, keyed by its version like [`ScheduleCache`]: a
/// request made at the version the guard saw is answered without reading the plan again (a
/// task update reads the plan once, not twice).
#[derive(Default)]
pub struct ModelCache {
    entries: Mutex<HashMap<ProjectId, Arc<LoadedProject>>>,
}

impl ModelCache {
    const CAPACITY: usize = 256;

    pub fn get(&self, project: ProjectId, version: i64) -> Option<Arc<LoadedProject>> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(&project)
            .filter(|loaded| loaded.summary.version == version)
            .cloned()
    }

    pub fn put(&self, loaded: Arc<LoadedProject>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= Self::CAPACITY {
                entries.clear();
            }
            let id = loaded.summary.id;
            // Never replace a newer version by an older one read concurrently.
            if entries
                .get(&id)
                .is_none_or(|cached| cached.summary.version <= loaded.summary.version)
            {
                entries.insert(id, loaded);
            }
        }
    }

    pub fn forget(&self, project: ProjectId) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(&project);
        }
    }
}

pub struct Inner {
    pub store: Store,
    pub config: Config,
    pub schedules: ScheduleCache,
    pub models: ModelCache,
    /// The pages' computed schedules.
    pub plans: VersionCache<Arc<regie_core::Schedule>>,
}

/// Cheap to clone: one `Arc`.
#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

impl AppState {
    pub fn new(store: Store, config: Config) -> AppState {
        AppState(Arc::new(Inner {
            store,
            config,
            schedules: ScheduleCache::default(),
            models: ModelCache::default(),
            plans: VersionCache::default(),
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
