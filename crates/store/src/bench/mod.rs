//! Province-scale generated data for benchmarks, written in large batches: directives,
//! tasks spread over the agencies, progress reports and completions (`cchc bench tasks`,
//! in `tasks`), and dossiers with their control sheets, outbox rows and pauses (`cchc bench
//! dossiers` and the demo loader: the bulk writer in `batch`, the generator in `dossiers`).

mod batch;
mod dossiers;
mod tasks;

pub(crate) use batch::placeholders;
pub use batch::{
    GenBatch, GenDossier, GenEvent, GenPause, dossier_seqs, finish_dossiers, next_dossier_ids,
    write_batch,
};
pub use dossiers::{BenchDesk, GenCount, GenProcedure, gen_procedures, generate_dossiers};
pub use tasks::{TaskVolume, generate_tasks};

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}
