//! CSV output for every command that prints rows (`list`, `entities`, `mentions`, and any later
//! table): RFC 4180 (comma, `"` quoting with doubled quotes, CRLF line ends), UTF-8 without a
//! BOM, exactly one header row. One writer so every table quotes the same way.

use std::io::{self, Write};

/// Writes rows under a header. Fields are written as they are: text is never cut or escaped
/// for a terminal (a spreadsheet or `csv` reader gets exactly the article's text).
pub struct CsvWriter<W: Write> {
    inner: csv::Writer<W>,
    columns: usize,
}

impl<W: Write> CsvWriter<W> {
    /// A writer that has written the header row.
    pub fn new(out: W, header: &[&str]) -> io::Result<CsvWriter<W>> {
        let mut inner = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
        inner.write_record(header).map_err(into_io)?;
        Ok(CsvWriter { inner, columns: header.len() })
    }

    /// One row; it must have as many fields as the header.
    pub fn row<I, T>(&mut self, fields: I) -> io::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let record: csv::ByteRecord = fields.into_iter().collect();
        if record.len() != self.columns {
            return Err(io::Error::other(format!(
                "a CSV row of {} fields under {} columns",
                record.len(),
                self.columns
            )));
        }
        self.inner.write_byte_record(&record).map_err(into_io)
    }

    /// Flushes and hands back the output.
    pub fn finish(self) -> io::Result<W> {
        self.inner.into_inner().map_err(|e| e.into_error())
    }
}

fn into_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// A list of values in one field: `a; b; c` (a spreadsheet cell, split on `; `).
pub fn join_list<S: AsRef<str>>(items: &[S]) -> String {
    items.iter().map(AsRef::as_ref).collect::<Vec<_>>().join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(header: &[&str], rows: &[Vec<&str>]) -> String {
        let mut w = CsvWriter::new(Vec::new(), header).unwrap();
        for r in rows {
            w.row(r).unwrap();
        }
        String::from_utf8(w.finish().unwrap()).unwrap()
    }

    #[test]
    fn quotes_only_what_needs_it_and_ends_lines_with_crlf() {
        let out = write(&["a", "b"], &[vec!["plain", "with, comma"], vec!["say \"hi\"", "two\nlines"]]);
        assert_eq!(out, "a,b\r\nplain,\"with, comma\"\r\n\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
    }

    #[test]
    fn round_trips_awkward_text() {
        let fields = ["Łódź, «quoted» \"x\"", "\r\n", "", " lead", "tab\there", "=1+1"];
        let out = write(&["1", "2", "3", "4", "5", "6"], &[fields.to_vec()]);
        let mut r = csv::ReaderBuilder::new().from_reader(out.as_bytes());
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].iter().collect::<Vec<_>>(), fields.to_vec());
    }

    #[test]
    fn a_row_of_the_wrong_length_is_an_error_not_a_shifted_table() {
        let mut w = CsvWriter::new(Vec::new(), &["a", "b"]).unwrap();
        assert!(w.row(["only one"]).is_err());
    }
}
