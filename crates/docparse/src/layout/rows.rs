//! Tables a web copy flattened to one cell per line between lone "|" lines, rebuilt as rows.

use super::Ln;

/// Tables flattened to one cell per line between lone "|" lines rebuilt as rows
/// ("| STT | Nội dung | … |"): a row's cells sit between bars, a bar right after a bar
/// starts the next row, and the first row (the column heads) gives the width. Layouts of
/// two cells (the header's issuer beside the motto, the signature beside "Nơi nhận") stay
/// lines, each bar a break.
pub(super) fn tables(lines: Vec<Ln>) -> Vec<Ln> {
    let mut out: Vec<Ln> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].pipe {
            out.push(lines[i].clone());
            i += 1;
            continue;
        }
        let (head, end) = row_at(&lines, i, usize::MAX);
        // Column heads are short: a "row" of a header block and a whole body is no table.
        let heads_short = head.iter().all(|c| {
            c.len() <= 6
                && c.iter()
                    .map(|k| lines[*k].text.trim().chars().count())
                    .sum::<usize>()
                    <= 100
        });
        if head.len() < 3 || !heads_short {
            out.push(Ln {
                pipe: true,
                ..Ln::default()
            });
            i += 1;
            continue;
        }
        let width = head.len();
        let mut rows = vec![head];
        let mut at = end;
        // The next row starts where a bar follows the bar that closed this one.
        while at + 1 < lines.len() && lines[at].pipe && lines[at + 1].pipe {
            let (row, e) = row_at(&lines, at + 1, width);
            if row.is_empty() {
                break;
            }
            rows.push(row);
            at = e;
        }
        for r in &rows {
            let cells: Vec<String> = r
                .iter()
                .map(|c| {
                    let parts: Vec<&str> = c
                        .iter()
                        .map(|k| lines[*k].text.trim())
                        .filter(|s| !s.is_empty())
                        .collect();
                    crate::normalize::squash(&parts.join(" ")).replace('|', "/")
                })
                .collect();
            out.push(Ln {
                text: format!("| {} |", cells.join(" | ")),
                starts: true,
                ends: true,
                ..Ln::default()
            });
        }
        i = at + 1;
    }
    out
}

/// The cells of the row whose opening bar is at `start` (line indices of each cell's
/// lines), and the index of its closing bar: the row closes at a bar followed by a bar, at
/// its `width`-th cell, at two blank lines or after 400 lines.
fn row_at(lines: &[Ln], start: usize, width: usize) -> (Vec<Vec<usize>>, usize) {
    let mut cells: Vec<Vec<usize>> = Vec::new();
    let mut cell: Vec<usize> = Vec::new();
    let mut j = start + 1;
    let limit = lines.len().min(start + 400);
    while j < limit {
        let l = &lines[j];
        if l.pipe {
            if cell.is_empty() {
                // "|" right after "|": an empty cell at the start, or the row's end.
                return (cells, j - 1);
            }
            cells.push(std::mem::take(&mut cell));
            if cells.len() >= width {
                return (cells, j);
            }
            // Bars after the bar that closes a cell: the last one opens the next row and
            // each one between is an empty cell at the row's end ("Thường xuyên" / "|" / "|"
            // / "|" / "2": the product cell is empty).
            let run = lines[j + 1..limit].iter().take_while(|n| n.pipe).count();
            if run > 0 {
                for _ in 1..run {
                    if cells.len() < width {
                        cells.push(Vec::new());
                    }
                }
                return (cells, j + run - 1);
            }
        } else if l.text.trim().is_empty() && !l.gone {
            if lines
                .get(j + 1)
                .is_none_or(|n| n.text.trim().is_empty() && !n.pipe)
            {
                break;
            }
        } else {
            cell.push(j);
        }
        j += 1;
    }
    (Vec::new(), start)
}
