//! E-mail: one message (`.eml`, a maildir file) or a whole mailbox (`.mbox`), one document per
//! message.
//!
//! Headers, MIME structure, transfer encodings (quoted-printable, base64) and character sets are
//! read by `mail-parser`; this module picks the body a reader wants (the plain-text part, else
//! the HTML part as a fragment), and drops what is not the message's own text: the signature
//! after a `-- ` line and the quoted reply with its "On … wrote:" line.

use mail_parser::{Address, DateTime, MessageParser, MimeHeaders, PartType};

use crate::core::dates::{days_in_month, iso};
use crate::core::document::{Content, Document, Limits, Parsed, ProblemKind, SourceMeta};
use crate::core::text::stable_hash;

const FORMAT: &str = "mail";

/// One message, from a `.eml` file or a maildir file.
pub fn parse(bytes: &[u8], _limits: &Limits) -> Result<Parsed, ProblemKind> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ProblemKind::Empty);
    }
    // A single message saved from a mailbox may keep its "From " envelope line.
    let body = strip_envelope_line(bytes);
    message(body).map(Parsed::one)
}

/// Every message of an mbox file (mboxo or mboxrd: `From ` separator lines, `>From` unquoted),
/// at most `max_items` of them.
pub fn parse_mbox(bytes: &[u8], limits: &Limits) -> Result<Parsed, ProblemKind> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ProblemKind::Empty);
    }
    let spans = mbox_messages(bytes);
    if spans.is_empty() {
        return Err(ProblemKind::malformed("mbox", "no \"From \" line starts a message"));
    }
    let mut parsed = Parsed::default();
    let total = spans.len();
    for (n, (start, end)) in spans.into_iter().enumerate() {
        if parsed.documents.len() >= limits.max_items {
            let detail = format!("only the first {} of {total} messages read", limits.max_items);
            parsed.problems.push((String::new(), ProblemKind::Partial { detail }));
            break;
        }
        let raw = unquote_from(&bytes[start..end]);
        match message(&raw) {
            Ok(mut doc) => {
                doc.original = Some(String::from_utf8_lossy(&raw).into_owned());
                parsed.documents.push(doc);
            }
            Err(problem) => parsed.problems.push((format!("message {}", n + 1), problem)),
        }
    }
    if parsed.documents.is_empty() {
        return Err(parsed.problems.pop().map_or_else(|| ProblemKind::malformed("mbox", "no messages"), |p| p.1));
    }
    Ok(parsed)
}

/// Whether a file without an extension looks like one mail message (a maildir file): its first
/// lines are header fields, among them at least two that every message has.
pub fn sniff(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(16 * 1024)];
    let head = strip_envelope_line(head);
    if head.contains(&0) {
        return false;
    }
    let mut known = 0;
    let mut fields = 0;
    for (i, line) in head.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            if i == 0 {
                return false;
            }
            continue; // a folded header line
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else { return false };
        let name = &line[..colon];
        if name.is_empty() || !name.iter().all(|&b| b.is_ascii_graphic()) {
            return false;
        }
        fields += 1;
        let name = String::from_utf8_lossy(name).to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "from" | "to" | "date" | "subject" | "message-id" | "received" | "return-path" | "mime-version"
        ) {
            known += 1;
        }
    }
    fields >= 2 && known >= 2
}

/// Drops a leading mbox envelope line ("From sender date").
fn strip_envelope_line(bytes: &[u8]) -> &[u8] {
    if bytes.starts_with(b"From ") {
        match bytes.iter().position(|&b| b == b'\n') {
            Some(nl) => &bytes[nl + 1..],
            None => &[],
        }
    } else {
        bytes
    }
}

/// The byte spans of an mbox's messages, envelope lines excluded. A separator is a line starting
/// with "From " at the start of the file or after a blank line.
fn mbox_messages(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut starts = Vec::new(); // (separator line start, message start)
    let mut pos = 0;
    let mut previous_blank = true;
    while pos < bytes.len() {
        let end = bytes[pos..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| pos + i + 1);
        let line = &bytes[pos..end];
        if previous_blank && line.starts_with(b"From ") {
            starts.push((pos, end));
        }
        previous_blank = line.iter().all(|b| b.is_ascii_whitespace());
        pos = end;
    }
    let mut spans = Vec::with_capacity(starts.len());
    for (i, &(_, body)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(bytes.len(), |next| next.0);
        if bytes[body..end].iter().any(|b| !b.is_ascii_whitespace()) {
            spans.push((body, end));
        }
    }
    spans
}

/// Undoes mbox quoting: a line `>From ` (mboxo) or `>>From ` (mboxrd) loses one `>`.
fn unquote_from(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len());
    for line in message.split_inclusive(|&b| b == b'\n') {
        let quotes = line.iter().take_while(|&&b| b == b'>').count();
        if quotes > 0 && line[quotes..].starts_with(b"From ") {
            out.extend_from_slice(&line[1..]);
        } else {
            out.extend_from_slice(line);
        }
    }
    out
}

/// One message as a document.
fn message(raw: &[u8]) -> Result<Document, ProblemKind> {
    let parsed =
        MessageParser::default().parse(raw).ok_or_else(|| ProblemKind::malformed(FORMAT, "no message headers"))?;
    let has_headers = parsed.from().is_some()
        || parsed.subject().is_some()
        || parsed.date().is_some()
        || parsed.message_id().is_some();
    if !has_headers {
        return Err(ProblemKind::malformed(FORMAT, "no From, Subject, Date or Message-ID header"));
    }
    let title = parsed.subject().map(collapse).filter(|s| !s.is_empty());
    let date = parsed.date().and_then(iso_date);
    let author = parsed.from().and_then(sender);

    let mut plain = Vec::new();
    for part in parsed.text_bodies() {
        if let PartType::Text(text) = &part.body {
            let subtype = part.content_type().and_then(|c| c.subtype()).unwrap_or("plain");
            if subtype.eq_ignore_ascii_case("plain") || subtype.eq_ignore_ascii_case("enriched") {
                plain.push(text.as_ref());
            }
        }
    }
    let content = if !plain.is_empty() {
        Content::Text(body_text(&plain.join("\n\n")))
    } else if let Some(html) = parsed.html_bodies().find_map(|p| match &p.body {
        PartType::Html(html) => Some(html.as_ref()),
        _ => None,
    }) {
        Content::Fragment(html.to_string())
    } else {
        return Err(ProblemKind::malformed(FORMAT, "no text or HTML body"));
    };

    let item = match parsed.message_id().map(str::trim).filter(|id| !id.is_empty()) {
        Some(id) => id.to_string(),
        None => {
            let key = format!(
                "{}\u{0}{}\u{0}{}",
                parsed.header_raw("From").unwrap_or_default().trim(),
                parsed.header_raw("Date").unwrap_or_default().trim(),
                parsed.header_raw("Subject").unwrap_or_default().trim()
            );
            format!("{:016x}", stable_hash(key.as_bytes()))
        }
    };
    Ok(Document { item, meta: SourceMeta { title, date, author, ..SourceMeta::default() }, content, original: None })
}

/// The date as the sender wrote it (their local calendar day), if it is a real one.
fn iso_date(d: &DateTime) -> Option<String> {
    let (y, m, day) = (i32::from(d.year), u32::from(d.month), u32::from(d.day));
    ((1000..=2999).contains(&y) && (1..=12).contains(&m) && day >= 1 && day <= days_in_month(y, m))
        .then(|| iso(y, m, day))
}

/// The sender's display name, else their address. "Hassan, Bilal" reads as "Bilal Hassan".
fn sender(from: &Address) -> Option<String> {
    let first = from.first()?;
    if let Some(name) =
        first.name().map(|n| collapse(n.trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace())))
    {
        if !name.is_empty() && !name.contains('@') {
            return Some(flip_surname_first(&name));
        }
    }
    first.address().map(str::trim).filter(|a| !a.is_empty()).map(str::to_string)
}

fn flip_surname_first(name: &str) -> String {
    if let Some((last, first)) = name.split_once(", ") {
        let wordy = |s: &str| {
            let words = s.split(' ').count();
            (1..=3).contains(&words) && s.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.'))
        };
        if wordy(last) && wordy(first) && !first.contains(',') {
            return format!("{first} {last}");
        }
    }
    name.to_string()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A plain-text body without signature and quoted replies, as paragraphs separated by one blank
/// line, whitespace collapsed within each.
fn body_text(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    // The signature: everything after a "-- " line. Outlook's "Original Message" block likewise.
    let mut end = lines.len();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_end();
        if t == "--" || t.starts_with("-----Original Message-----") {
            end = i;
            break;
        }
    }
    let lines = &lines[..end];
    let mut keep = vec![true; lines.len()];
    for (i, line) in lines.iter().enumerate() {
        if line.trim_start().starts_with('>') {
            keep[i] = false;
            // The attribution line before a quoted block ("On Mon, … wrote:"), perhaps wrapped.
            let mut j = i;
            while j > 0 && lines[j - 1].trim().is_empty() {
                j -= 1;
            }
            if j > 0 && keep[j - 1] && is_attribution(lines[j - 1]) {
                keep[j - 1] = false;
                if j > 1
                    && lines[j - 2].trim_start().starts_with("On ")
                    && !lines[j - 1].trim_start().starts_with("On ")
                {
                    keep[j - 2] = false;
                }
            }
        }
    }
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for (line, keep) in lines.iter().zip(keep) {
        if !keep {
            continue;
        }
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        for word in line.split_whitespace() {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs.join("\n\n")
}

fn is_attribution(line: &str) -> bool {
    let t = line.trim_end();
    t.ends_with("wrote:")
        || t.ends_with("writes:")
        || t.ends_with("schrieb:")
        || t.ends_with("a écrit :")
        || t.ends_with("escribió:")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/mixed/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn text(doc: &Document) -> &str {
        match &doc.content {
            Content::Text(t) | Content::Fragment(t) | Content::Page(t) => t,
        }
    }

    #[test]
    fn letter_reads_headers_decoded() {
        let parsed = parse(&fixture("letter.eml"), &Limits::default()).unwrap();
        assert_eq!(parsed.documents.len(), 1);
        let doc = &parsed.documents[0];
        assert_eq!(doc.meta.title.as_deref(), Some("Port of Karachi reopens after strike – notes"));
        assert_eq!(doc.meta.date.as_deref(), Some("2025-03-04"));
        assert_eq!(doc.meta.author.as_deref(), Some("José María Fernández"));
        assert_eq!(doc.item, "20250304184207.4411@mail.example.org");
        assert_eq!(doc.original, None);
    }

    #[test]
    fn letter_body_is_decoded_quoted_printable_without_signature_or_quotes() {
        let parsed = parse(&fixture("letter.eml"), &Limits::default()).unwrap();
        let doc = &parsed.documents[0];
        assert!(matches!(doc.content, Content::Text(_)));
        let body = text(doc);
        assert!(!body.contains("=20") && !body.contains("=\n") && !body.contains("=C3"), "{body}");
        // Soft line breaks joined mid-word.
        assert!(body.contains("morning after the Karachi Port Trust"), "{body}");
        assert!(body.contains("Café owners"), "{body}");
        assert!(body.starts_with("Amina,\n\nDock workers"), "{body}");
        assert!(!body.contains("wrote:") && !body.contains("desk in London"), "{body}");
        assert!(!body.contains("Correspondent, Karachi bureau"), "{body}");
        assert!(body.ends_with("port trust chairman."), "{body}");
        assert_eq!(body.split("\n\n").count(), 5, "{body}");
    }

    #[test]
    fn mbox_gives_one_document_per_message() {
        let parsed = parse_mbox(&fixture("digest.mbox"), &Limits::default()).unwrap();
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.documents.len(), 2);
        let (first, second) = (&parsed.documents[0], &parsed.documents[1]);
        assert_eq!(first.meta.title.as_deref(), Some("Morning brief: Lahore court adjourns election case"));
        assert_eq!(first.meta.date.as_deref(), Some("2025-03-05"));
        assert_eq!(first.meta.author.as_deref(), Some("Newsroom Desk"));
        assert_eq!(first.item, "brief-2025-03-05@example.com");
        // mbox quoting undone, and the quoted line is not mistaken for a reply.
        assert!(text(first).contains("\n\nFrom the bench, Justice Saima Qureshi"), "{}", text(first));
        assert!(first.original.as_deref().unwrap().starts_with("From: Newsroom Desk"));
        assert!(!first.original.as_deref().unwrap().contains("From desk@example.com Thu"));

        assert_eq!(second.meta.title.as_deref(), Some("Flood relief talks in Geneva"));
        assert_eq!(second.meta.date.as_deref(), Some("2025-03-06"));
        assert_eq!(second.meta.author.as_deref(), Some("Bilal Hassan"));
        let Content::Fragment(html) = &second.content else { panic!("{:?}", second.content) };
        assert!(html.contains("<b>World Health Organization</b>"), "{html}");
        assert!(html.contains("Dr. Farah Naqvi"), "{html}");
    }

    #[test]
    fn mbox_items_are_capped() {
        let limits = Limits { max_items: 1, ..Limits::default() };
        let parsed = parse_mbox(&fixture("digest.mbox"), &limits).unwrap();
        assert_eq!(parsed.documents.len(), 1);
        assert!(matches!(parsed.problems[..], [(_, ProblemKind::Partial { .. })]));
    }

    #[test]
    fn plain_text_is_preferred_to_html() {
        let raw = "From: Amina Yusuf <amina@example.net>\r\nSubject: Budget\r\nDate: 1 Apr 2025 10:00:00 +0000\r\n\
            Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>HTML body</p>\r\n\
            --b\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nPlain body, Z=FCrich\r\n--b--\r\n";
        let doc = &parse(raw.as_bytes(), &Limits::default()).unwrap().documents[0];
        assert_eq!(doc.content, Content::Text("Plain body, Zürich".into()));
        assert_eq!(doc.meta.date.as_deref(), Some("2025-04-01"));
    }

    #[test]
    fn without_message_id_the_item_is_a_stable_hash() {
        let raw = b"From: desk@example.com\nSubject: Quetta\nDate: Fri, 7 Mar 2025 08:00:00 +0500\n\nText.\n";
        let a = parse(raw, &Limits::default()).unwrap();
        let b = parse(raw, &Limits::default()).unwrap();
        assert_eq!(a.documents[0].item.len(), 16);
        assert_eq!(a.documents[0].item, b.documents[0].item);
        assert_eq!(a.documents[0].meta.author.as_deref(), Some("desk@example.com"));
        let other = parse(
            b"From: desk@example.com\nSubject: Gwadar\nDate: Fri, 7 Mar 2025 08:00:00 +0500\n\nText.\n",
            &Limits::default(),
        )
        .unwrap();
        assert_ne!(a.documents[0].item, other.documents[0].item);
    }

    #[test]
    fn wrapped_attribution_lines_go_with_the_quote() {
        let body = "On Tue, 4 Mar 2025 at 09:00, Amina Yusuf\n<amina@example.net> wrote:\n\n> old text\n> more\n\nNew text here.";
        assert_eq!(body_text(body), "New text here.");
        assert_eq!(body_text("Figures:\n--\nnot a signature?\n"), "Figures:");
        assert_eq!(body_text("a  b\n  c\n\n\n\nd"), "a b c\n\nd");
    }

    #[test]
    fn sniffing_tells_mail_from_other_text() {
        assert!(sniff(&fixture("letter.eml")));
        assert!(sniff(b"Return-Path: <a@b.c>\nReceived: from x\n\tby y\nSubject: s\n\nbody"));
        assert!(!sniff(b"Title: My notes\nThe Subject: is here\n"));
        assert!(!sniff(b"Dock workers at the Port of Karachi went back to work.\n"));
        assert!(!sniff(b"Subject: only one field\n\nbody"));
        assert!(!sniff(b"{\"from\": 1}"));
        assert!(!sniff(b""));
    }

    #[test]
    fn not_mail_is_a_problem() {
        assert_eq!(parse(b"  \n", &Limits::default()), Err(ProblemKind::Empty));
        assert!(matches!(parse(b"just some words\n", &Limits::default()), Err(ProblemKind::Malformed { .. })));
        assert!(matches!(parse_mbox(b"no separator\n", &Limits::default()), Err(ProblemKind::Malformed { .. })));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = parse(&bytes, &Limits::default());
            let _ = parse_mbox(&bytes, &Limits::default());
            let _ = sniff(&bytes);
        }

        #[test]
        fn truncated_and_mutated_mail_never_panics(cut in 0usize..2000, flips in proptest::collection::vec((0usize..2000, any::<u8>()), 0..8)) {
            for name in ["letter.eml", "digest.mbox"] {
                let mut bytes = fixture(name);
                bytes.truncate(cut.min(bytes.len()));
                for &(at, b) in &flips {
                    if !bytes.is_empty() {
                        let i = at % bytes.len();
                        bytes[i] = b;
                    }
                }
                let _ = parse(&bytes, &Limits::default());
                if let Ok(parsed) = parse_mbox(&bytes, &Limits::default()) {
                    prop_assert!(!parsed.documents.is_empty());
                }
            }
        }
    }

    #[test]
    fn deep_multipart_nesting_is_bounded() {
        let mut raw = String::from("From: a@b.c\nSubject: deep\n");
        for i in 0..10_000 {
            raw.push_str(&format!("Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n"));
        }
        raw.push_str("Content-Type: text/plain\n\ndeep text\n");
        let _ = parse(raw.as_bytes(), &Limits::default());
    }
}
