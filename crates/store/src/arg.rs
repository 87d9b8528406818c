//! One type for the values bound to statements built at run time: the filters' `where`
//! clauses (dossiers, tasks, procedures, the overdue list) and the writes handed to the
//! SQLite writer thread ([`crate::group_commit::Job`]). Placeholders are numbered `$1…`.

use chrono::{DateTime, NaiveDate, Utc};

/// A value bound to a dynamically built statement (`None`: SQL null).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(bool),
    Date(Option<NaiveDate>),
    Time(Option<DateTime<Utc>>),
}

impl Arg {
    pub fn int(v: i64) -> Arg {
        Arg::Int(Some(v))
    }
    pub fn text(v: impl Into<String>) -> Arg {
        Arg::Text(Some(v.into()))
    }
    pub fn date(v: NaiveDate) -> Arg {
        Arg::Date(Some(v))
    }
    pub fn time(v: DateTime<Utc>) -> Arg {
        Arg::Time(Some(v))
    }
}

/// The values of a statement being built; [`Args::push`] returns the placeholder to write.
#[derive(Debug, Clone, Default)]
pub struct Args(pub Vec<Arg>);

impl Args {
    /// Adds a value; returns its placeholder (`$n`).
    pub fn push(&mut self, a: Arg) -> String {
        self.0.push(a);
        format!("${}", self.0.len())
    }
}

/// Binds every [`Arg`] of an iterator onto a sqlx query, on either backend.
#[macro_export]
macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                $crate::arg::Arg::Int(x) => q.bind(*x),
                $crate::arg::Arg::Text(x) => q.bind(x.clone()),
                $crate::arg::Arg::Bool(x) => q.bind(*x),
                $crate::arg::Arg::Date(x) => q.bind(*x),
                $crate::arg::Arg::Time(x) => q.bind(*x),
            };
        }
        q
    }};
}
