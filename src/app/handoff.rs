//! Hand-offs: what a key asks to be done outside the browser — the article in a pager or an
//! editor, its link in a web browser, a copy to the clipboard (OSC 52), a suspend to the shell.
//! The app says what (pure state); the shell (`tui.rs`) does it and reports back with a
//! message.

use super::keymap::Command;
use super::{App, Pane};

/// What the shell should do for the user, outside the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handoff {
    /// Show the article in `$PAGER`.
    Pager { text: String },
    /// Show an article's original file in `$PAGER` (the shell reads it: `path`, and `item`
    /// inside it, as the collection's list entry names them).
    PagerOriginal { path: String, item: String },
    /// Open a copy of the article in `$EDITOR`; `name` names the temporary file.
    Editor { name: String, text: String },
    /// Open a link in `$BROWSER` (or `xdg-open`).
    Browser { url: String },
    /// Put text on the clipboard of the terminal the user sits at; `what` says what it is.
    Copy { what: String, text: String },
    /// Suspend to the shell (Ctrl-Z).
    Suspend,
}

/// The most a copy sends: terminals and tmux drop longer OSC 52 sequences.
pub const COPY_LIMIT: usize = 64 * 1024;

impl App {
    pub(super) fn handoff_command(&mut self, c: Command) {
        let article = self.current.map(|a| &self.corpus.articles[a]);
        self.handoff = match c {
            Command::Suspend => Some(Handoff::Suspend),
            Command::Pager => self.article_text().map(|text| Handoff::Pager { text }),
            Command::PagerOriginal => {
                article.map(|a| Handoff::PagerOriginal { path: a.path.clone(), item: a.item.clone() })
            }
            Command::Editor => self.article_text().map(|text| Handoff::Editor {
                name: format!("newsroom-{}.txt", article.map_or("article", |a| a.id.as_str())),
                text,
            }),
            Command::Browser => match article.and_then(|a| a.url.clone()) {
                Some(url) => Some(Handoff::Browser { url }),
                None if article.is_some() => {
                    self.message = Some("this article has no link (its source gives none)".into());
                    None
                }
                None => None,
            },
            Command::CopyLink => article.map(|a| match &a.url {
                Some(url) => Handoff::Copy { what: "the link".into(), text: url.clone() },
                None => Handoff::Copy { what: "the article's id".into(), text: a.id.clone() },
            }),
            Command::Copy => self.copy_by_focus(),
            _ => None,
        };
        if self.handoff.is_none() && self.message.is_none() && c != Command::Suspend {
            self.message = Some("no article open".into());
        }
    }

    /// `y`: in the sidebar the selected entity's mentions in this article, as quoted lines; in
    /// the reader the selected passage; otherwise the article's title.
    fn copy_by_focus(&self) -> Option<Handoff> {
        let a = self.current?;
        let view = self.view.as_ref()?;
        if self.focus == Pane::Sidebar {
            if let Some(e) = self.details_entity() {
                let body = &view.text.body;
                let lines: Vec<String> =
                    self.mentions_of(a, e).map(|(s, end)| format!("> {}", context(body, s, end))).collect();
                if !lines.is_empty() {
                    let name = &self.corpus.entity(e).name;
                    let n = lines.len();
                    return Some(Handoff::Copy {
                        what: format!("{n} mention{} of {name}", if n == 1 { "" } else { "s" }),
                        text: lines.join("\n"),
                    });
                }
            }
        }
        if self.focus == Pane::Reader {
            if let Some((s, e)) = self.selection_range() {
                if let Some(passage) = view.text.body.get(s..e) {
                    return Some(Handoff::Copy { what: "the passage".into(), text: passage.trim().to_string() });
                }
            }
        }
        Some(Handoff::Copy { what: "the title".into(), text: self.corpus.articles[a].title.clone() })
    }

    /// The open article as `newsroom show` would print it, for a pager or an editor: each line
    /// made safe to show (no control or escape sequences).
    pub fn article_text(&self) -> Option<String> {
        use crate::core::text::display_safe;
        let a = &self.corpus.articles[self.current?];
        let view = self.view.as_ref()?;
        let mut out = format!("{}\n", display_safe(&a.title));
        for (label, value) in [("Date", &a.date), ("Author", &a.author), ("Link", &a.url)] {
            if let Some(v) = value {
                out.push_str(&format!("{label}: {}\n", display_safe(v)));
            }
        }
        out.push_str(&format!("Source: {}\n\n", display_safe(&a.path)));
        let blocks = view.text.deck.iter().map(String::as_str).chain(view.text.paragraphs());
        for p in blocks.chain(view.text.author_note.as_deref()) {
            // Paragraphs may hold rows (tables, lists): their newlines stay.
            out.push_str(&crate::core::text::sanitize(p).0);
            out.push_str("\n\n");
        }
        Some(out)
    }

    /// Takes what the shell should do next outside the browser.
    pub fn take_handoff(&mut self) -> Option<Handoff> {
        self.handoff.take()
    }
}

/// The sentence (or up to 100 bytes each side) around a mention, on one line.
fn context(body: &str, start: usize, end: usize) -> String {
    let floor = |mut i: usize| {
        while !body.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let from = body[..start].rfind(['.', '\n', '!', '?']).map_or(0, |i| i + 1).max(start.saturating_sub(100));
    let to = body[end..].find(['.', '\n', '!', '?']).map_or(body.len(), |i| end + i + 1).min(end + 100).min(body.len());
    let (from, to) = (floor(from), floor(to));
    let mut s = body[from..to].split_whitespace().collect::<Vec<_>>().join(" ");
    if from > 0 && !body[..from].ends_with(['.', '\n', '!', '?']) {
        s.insert(0, '…');
    }
    if to < body.len() && !body[..to].ends_with(['.', '\n', '!', '?']) {
        s.push('…');
    }
    s
}

/// Text made safe for a clipboard: no control characters but newlines and tabs (an escape
/// sequence in an article must not reach the terminal that pastes it).
pub fn sanitize(text: &str) -> String {
    text.chars().filter(|&c| c == '\n' || c == '\t' || !c.is_control()).collect()
}

/// The OSC 52 sequence that puts `text` on the clipboard (`c`) of the terminal at the other end
/// of an SSH connection; tmux with `set-clipboard on` takes it into its buffer and passes it on.
/// Longer text is cut (at a character) to [`COPY_LIMIT`].
pub fn osc52(text: &str) -> Vec<u8> {
    let mut clean = sanitize(text);
    if clean.len() > COPY_LIMIT {
        let mut cut = COPY_LIMIT;
        while !clean.is_char_boundary(cut) {
            cut -= 1;
        }
        clean.truncate(cut);
    }
    let mut out = b"\x1b]52;c;".to_vec();
    out.extend_from_slice(base64(clean.as_bytes()).as_bytes());
    out.push(0x07);
    out
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_of_known_strings() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64("Łódź".as_bytes()), "xYHDs2TFug==");
    }

    #[test]
    fn osc52_carries_sanitised_text() {
        let seq = osc52("Title\x1b[31m red\x07\nline two");
        let s = String::from_utf8(seq).unwrap();
        assert!(s.starts_with("\x1b]52;c;") && s.ends_with('\x07'));
        assert_eq!(&s[7..s.len() - 1], base64(b"Title[31m red\nline two"));
        let long = "é".repeat(COPY_LIMIT);
        assert!(osc52(&long).len() < COPY_LIMIT * 4 / 3 + 16);
    }

    #[test]
    fn context_is_the_sentence_around_a_mention() {
        let body = "First one. The army met Asim Munir in Rawalpindi today. Then more.";
        let s = body.find("Asim").unwrap();
        assert_eq!(context(body, s, s + 10), "The army met Asim Munir in Rawalpindi today.");
    }
}

#[cfg(test)]
mod app_tests {
    use super::*;
    use crate::app::tests::{app, key, press, settle};
    use crate::app::Action;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use std::sync::Arc;

    #[test]
    fn keys_typed_while_the_collection_loads_are_applied_when_it_arrives() {
        let loaded = app();
        let mut a = App::loading(Default::default());
        a.update(Action::Resize(160, 50));
        for c in ['j', 'j', 'f', 'w', 'a', 'z'] {
            a.update(Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
        }
        a.update(Action::Progress(2, 5));
        assert_eq!(a.queued.len(), 6);
        a.update(Action::Loaded(Arc::clone(&loaded.corpus), None));
        settle(&mut a);
        assert!(a.queued.is_empty());
        assert_eq!(a.prompt.as_ref().map(|p| p.input.as_str()), Some("waz"), "the prompt got the typed letters");
        assert!(
            a.rows.iter().all(|&r| a.corpus.articles[r as usize].title.contains("Waziristan")) || a.rows.is_empty()
        );
        // And `q` while loading quits at once rather than waiting.
        let mut b = App::loading(Default::default());
        b.update(Action::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE)));
        assert!(b.quit);
    }

    #[test]
    fn moves_typed_while_loading_move_the_list() {
        let loaded = app();
        let mut a = App::loading(Default::default());
        a.update(Action::Resize(160, 50));
        a.update(Action::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE)));
        a.update(Action::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE)));
        a.update(Action::Loaded(Arc::clone(&loaded.corpus), None));
        settle(&mut a);
        assert_eq!(a.selected, 2);
    }

    #[test]
    fn the_first_tab_into_the_sidebar_selects_its_entity() {
        let mut a = app();
        key(&mut a, KeyCode::Tab);
        key(&mut a, KeyCode::Tab);
        assert_eq!(a.focus, Pane::Sidebar);
        assert!(a.selected_entity.is_some(), "the sidebar's first entity is selected at once");
        assert_eq!(a.selected_entity, a.sidebar.first().map(|&(e, _)| e));
    }

    #[test]
    fn y_copies_by_focus() {
        let mut a = app();
        press(&mut a, "y");
        let title = a.corpus.articles[a.current.unwrap()].title.clone();
        assert_eq!(a.take_handoff(), Some(Handoff::Copy { what: "the title".into(), text: title }));
        // In the sidebar: the entity's mentions, as quoted lines.
        key(&mut a, KeyCode::Tab);
        key(&mut a, KeyCode::Tab);
        press(&mut a, "y");
        match a.take_handoff() {
            Some(Handoff::Copy { what, text }) => {
                assert!(what.contains("mention"), "{what}");
                assert!(text.lines().all(|l| l.starts_with("> ")), "{text}");
            }
            other => panic!("{other:?}"),
        }
        // In the reader with a selection: the passage.
        key(&mut a, KeyCode::BackTab);
        assert_eq!(a.focus, Pane::Reader);
        press(&mut a, "jjjjvjj");
        press(&mut a, "y");
        match a.take_handoff() {
            Some(Handoff::Copy { what, text }) => {
                assert_eq!(what, "the passage");
                assert!(a.view.as_ref().unwrap().text.body.contains(&text) && !text.is_empty());
            }
            other => panic!("{other:?}"),
        }
        press(&mut a, "Y");
        assert!(matches!(a.take_handoff(), Some(Handoff::Copy { .. })));
    }

    #[test]
    fn pager_and_editor_get_the_article_and_browser_says_when_there_is_no_link() {
        let mut a = app();
        press(&mut a, "p");
        let Some(Handoff::Pager { text }) = a.take_handoff() else { panic!("no pager hand-off") };
        let title = &a.corpus.articles[a.current.unwrap()].title;
        assert!(text.starts_with(&format!("{title}\n")));
        assert!(text.matches("\n\n").count() >= 2, "paragraphs apart, not one line: {text}");
        press(&mut a, "E");
        assert!(matches!(a.take_handoff(), Some(Handoff::Editor { .. })));
        press(&mut a, "O");
        if a.corpus.articles[a.current.unwrap()].url.is_none() {
            assert_eq!(a.take_handoff(), None);
            assert!(a.message.as_deref().unwrap_or("").contains("no link"));
        }
    }
}
