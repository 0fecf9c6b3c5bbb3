//! Aligned text columns: the header bold, cells padded before they are colored so that escape
//! codes never break the alignment.

use colored::{ColoredString, Colorize};

/// How a cell is colored.
pub type Style = fn(&str) -> ColoredString;

/// A cell: its text and how to color it.
pub struct Cell {
    pub text: String,
    pub style: Style,
}

impl Cell {
    pub fn plain(text: impl Into<String>) -> Cell {
        Cell::styled(text, |s| s.normal())
    }

    pub fn styled(text: impl Into<String>, style: Style) -> Cell {
        Cell {
            text: text.into(),
            style,
        }
    }
}

/// The rows under the headers, columns separated by two spaces; the last column is not padded.
pub fn render(headers: &[&str], rows: &[Vec<Cell>]) -> String {
    let head: Vec<Cell> = headers
        .iter()
        .map(|h| Cell::styled(*h, |s| s.bold()))
        .collect();
    let all: Vec<&Vec<Cell>> = std::iter::once(&head).chain(rows).collect();
    let widths: Vec<usize> = (0..headers.len())
        .map(|i| {
            all.iter()
                .map(|r| r[i].text.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in all {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let padded = if i + 1 == row.len() {
                cell.text.clone()
            } else {
                format!("{:<width$}  ", cell.text, width = widths[i])
            };
            line.push_str(&(cell.style)(&padded).to_string());
        }
        out.push_str(line.trim_end_matches(' '));
        out.push('\n');
    }
    out
}
