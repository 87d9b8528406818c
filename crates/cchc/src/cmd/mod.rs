//! Sub-commands of the `cchc` binary, one module each.

pub mod calendar;
pub mod deadline;
pub mod directive;
pub mod report;
pub mod user;

/// How a command failed: bad usage or input exits 2, anything else exits 1
/// (product.md, "Exit codes").
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl CliError {
    pub fn usage(msg: impl Into<String>) -> Self {
        CliError::Usage(msg.into())
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Internal(_) => 1,
        }
    }
}
