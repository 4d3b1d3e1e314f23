//! The errors of this crate.

use std::path::PathBuf;

/// What can go wrong loading a corpus split or reading predictions. Malformed .ann lines
/// are not errors: they are skipped, as score.py skips them.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("data directory {0} does not exist")]
    MissingDataDir(PathBuf),
    #[error("split {split:?} not found: {path} is not a directory")]
    MissingSplit { split: String, path: PathBuf },
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{origin}:{line}: bad prediction record: {message}")]
    BadPrediction {
        origin: String,
        line: usize,
        message: String,
    },
    #[error("cannot write {what}: {source}")]
    Write {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

impl EvalError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        EvalError::Io {
            path: path.into(),
            source,
        }
    }
}
