//! The keymap: one table that turns key events into commands and that `?` help is generated
//! from, so help never disagrees with what keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Everything a key can ask for. Each has one line of help in [`KEYMAP`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Quit,
    Help,
    FocusNext,
    FocusPrev,
    ToggleSidebar,
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    Open,
    Back,
    FilterPrompt,
    FullTextPrompt,
    EntityPrompt,
    SearchPrompt,
    NextMatch,
    PrevMatch,
    NextMention,
    PrevMention,
    ToggleDetails,
    CycleSort,
    ToggleRead,
    Star,
    Tag,
    Note,
    NotesView,
    Undo,
    Merge,
    Rename,
    Retype,
    Reject,
    Split,
    Select,
    Highlight,
    AddMention,
    Timeline,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Everywhere,
    List,
    Reader,
    Sidebar,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Scope::Everywhere => "Everywhere",
            Scope::List => "Article list",
            Scope::Reader => "Reader",
            Scope::Sidebar => "Entity sidebar",
        }
    }
}

pub struct Binding {
    pub scope: Scope,
    pub keys: &'static [(KeyCode, KeyModifiers)],
    /// How help writes the keys.
    pub label: &'static str,
    pub command: Command,
    pub help: &'static str,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

use KeyCode::{BackTab, Char, Down, End, Enter, Esc, Home, PageDown, PageUp, Tab, Up, F};

/// Every key newsroom knows, in the order help lists them. Pane scopes come before
/// `Everywhere`, so a pane may give a key its own meaning.
pub const KEYMAP: &[Binding] = &[
    Binding {
        scope: Scope::List,
        keys: &[(Enter, NONE), (Char('l'), NONE)],
        label: "Enter l",
        command: Command::Open,
        help: "read the selected article",
    },
    Binding {
        scope: Scope::List,
        keys: &[(Char('o'), NONE)],
        label: "o",
        command: Command::CycleSort,
        help: "sort by date, title or path",
    },
    Binding {
        scope: Scope::List,
        keys: &[(Char('N'), NONE)],
        label: "N",
        command: Command::ToggleRead,
        help: "mark the article read or unread (newsboat's N)",
    },
    Binding {
        scope: Scope::List,
        keys: &[(Char('/'), NONE)],
        label: "/",
        command: Command::FullTextPrompt,
        help: "search the whole collection (query language below)",
    },
    Binding {
        scope: Scope::List,
        keys: &[(Char('T'), NONE)],
        label: "T",
        command: Command::Timeline,
        help: "timeline: articles and events by month, and the events",
    },
    Binding {
        scope: Scope::Reader,
        keys: &[(Char('T'), NONE)],
        label: "T",
        command: Command::Timeline,
        help: "timeline, with this article's events",
    },
    Binding {
        scope: Scope::Reader,
        keys: &[(Char(' '), NONE), (PageDown, NONE), (Char('f'), CTRL)],
        label: "Space PgDn",
        command: Command::PageDown,
        help: "page down",
    },
    Binding {
        scope: Scope::Reader,
        keys: &[(Char('b'), NONE), (PageUp, NONE), (Char('b'), CTRL)],
        label: "b PgUp",
        command: Command::PageUp,
        help: "page up",
    },
    Binding {
        scope: Scope::Reader,
        keys: &[(Char('n'), NONE)],
        label: "n",
        command: Command::NextMatch,
        help: "next search match",
    },
    Binding {
        scope: Scope::Reader,
        keys: &[(Char('N'), NONE)],
        label: "N",
        command: Command::PrevMatch,
        help: "previous search match",
    },
    Binding {
        scope: Scope::Sidebar,
        keys: &[(Enter, NONE)],
        label: "Enter",
        command: Command::Open,
        help: "show only the articles that mention this entity",
    },
    Binding {
        scope: Scope::Sidebar,
        keys: &[(Char('a'), NONE)],
        label: "a",
        command: Command::ToggleDetails,
        help: "show aliases, why they merged, and what co-occurs",
    },
    Binding {
        scope: Scope::Reader,
        keys: &[(Char('v'), NONE)],
        label: "v",
        command: Command::Select,
        help: "start (or drop) a selection at the top line; j/k extend it",
    },
    Binding {
        scope: Scope::Reader,
        keys: &[(Char('H'), NONE)],
        label: "H",
        command: Command::Highlight,
        help: "highlight the selection, with an optional note",
    },
    Binding {
        scope: Scope::Reader,
        keys: &[(Char('A'), NONE)],
        label: "A",
        command: Command::AddMention,
        help: "the text found with / is a mention of an entity, everywhere",
    },
    Binding {
        scope: Scope::Sidebar,
        keys: &[(Char('M'), NONE)],
        label: "M",
        command: Command::Merge,
        help: "merge this entity into another (your correction)",
    },
    Binding {
        scope: Scope::Sidebar,
        keys: &[(Char('R'), NONE)],
        label: "R",
        command: Command::Rename,
        help: "rename this entity; the old name stays an alias",
    },
    Binding {
        scope: Scope::Sidebar,
        keys: &[(Char('T'), NONE)],
        label: "T",
        command: Command::Retype,
        help: "change its kind: person, organization, place, group, other",
    },
    Binding {
        scope: Scope::Sidebar,
        keys: &[(Char('X'), NONE)],
        label: "X",
        command: Command::Reject,
        help: "not an entity: no longer highlighted or counted",
    },
    Binding {
        scope: Scope::Sidebar,
        keys: &[(Char('S'), NONE)],
        label: "S",
        command: Command::Split,
        help: "split one of its aliases out as an entity of its own",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(Char('j'), NONE), (Down, NONE)],
        label: "j ↓",
        command: Command::Down,
        help: "down a line or an item",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(Char('k'), NONE), (Up, NONE)],
        label: "k ↑",
        command: Command::Up,
        help: "up a line or an item",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(PageDown, NONE), (Char('d'), CTRL)],
        label: "PgDn",
        command: Command::PageDown,
        help: "down a page",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(PageUp, NONE), (Char('u'), CTRL)],
        label: "PgUp",
        command: Command::PageUp,
        help: "up a page",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(Char('g'), NONE), (Home, NONE)],
        label: "g Home",
        command: Command::Top,
        help: "to the top",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(Char('G'), NONE), (End, NONE)],
        label: "G End",
        command: Command::Bottom,
        help: "to the bottom",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(Tab, NONE)],
        label: "Tab",
        command: Command::FocusNext,
        help: "next pane: list, reader, entities",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(BackTab, NONE)],
        label: "S-Tab",
        command: Command::FocusPrev,
        help: "previous pane",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(Char('s'), NONE), (F(2), NONE)],
        label: "s F2",
        command: Command::ToggleSidebar,
        help: "show or hide the entity sidebar",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(Char('f'), NONE)],
        label: "f",
        command: Command::FilterPrompt,
        help: "filter articles by title or author (fuzzy)",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(Char('e'), NONE), (Char('@'), NONE)],
        label: "e @",
        command: Command::EntityPrompt,
        help: "jump to any entity by name or alias",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(Char('/'), NONE)],
        label: "/",
        command: Command::SearchPrompt,
        help: "search in this article",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(Char(']'), NONE)],
        label: "]",
        command: Command::NextMention,
        help: "next mention of the selected entity, then the next article",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(Char('['), NONE)],
        label: "[",
        command: Command::PrevMention,
        help: "previous mention, then the previous article",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(Esc, NONE), (Char('h'), NONE)],
        label: "Esc",
        command: Command::Back,
        help: "close, clear the search, or drop the last filter",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(Char('?'), NONE), (F(1), NONE)],
        label: "?",
        command: Command::Help,
        help: "this help",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(Char('q'), NONE), (Char('c'), CTRL)],
        label: "q Ctrl-C",
        command: Command::Quit,
        help: "quit",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(Char('*'), NONE)],
        label: "*",
        command: Command::Star,
        help: "star the article (or remove its star)",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(Char('t'), NONE)],
        label: "t",
        command: Command::Tag,
        help: "tag the article (-tag removes one)",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(Char('m'), NONE)],
        label: "m",
        command: Command::Note,
        help: "write the article's note (a memo)",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(Char('w'), NONE)],
        label: "w",
        command: Command::NotesView,
        help: "your working notes: every note and highlight",
    },
    Binding {
        scope: Scope::Everywhere,
        keys: &[(Char('u'), NONE), (Char('U'), NONE)],
        label: "u",
        command: Command::Undo,
        help: "undo your last change: star, tag, note, highlight, correction",
    },
];

/// The search query language, as `?` shows it (`/` in the list, and `newsroom search`).
pub const QUERY_HELP: &[(&str, &str)] = &[
    ("word word", "articles with every word (title or text; case and accents ignored)"),
    ("\"exact phrase\"", "the words together; \"a b\"~3 allows 3 words between"),
    ("a OR b", "either; OR binds tighter than the space: x a OR b = x and (a or b)"),
    ("-word", "leave out articles with it; (…) groups"),
    ("word*  word~1", "words starting so; words within 1 (or 2) letters"),
    ("title: author: source:", "in the title, the byline, the file's path"),
    ("person: org: place: entity:", "by any name or alias: org:TTP finds Tehreek-e-Taliban Pakistan"),
    ("date:2024-03", "a year, month or day; date:2023-01..2023-06 a range"),
    ("after: before: newer:", "after:2024-01 before:2024-06 newer:\"1 week\""),
    ("is:unread is:starred tag:x", "by your read marks, stars and tags (and the source's tags)"),
];

/// Keys in a prompt (filter, entity jump, search): typed text, and these.
pub const PROMPT_KEYS: &[(&str, &str)] = &[
    ("Enter", "accept"),
    ("Esc", "cancel"),
    ("↑ ↓", "choose among the entities found"),
    ("Ctrl-U", "clear the line"),
    ("Backspace", "delete a character"),
];

/// The command a key asks for in a pane, if any. Shift is part of a typed character ('G'), so
/// it is ignored for characters.
pub fn lookup(scope: Scope, key: &KeyEvent) -> Option<Command> {
    let mods = match key.code {
        Char(_) | BackTab => key.modifiers - SHIFT,
        _ => key.modifiers,
    };
    KEYMAP
        .iter()
        .filter(|b| b.scope == scope || b.scope == Scope::Everywhere)
        .find(|b| b.keys.iter().any(|&(code, m)| code == key.code && m == mods))
        .map(|b| b.command)
}

/// The keys that matter most in a pane, for the status bar.
pub fn hints(scope: Scope) -> &'static [(&'static str, &'static str)] {
    match scope {
        Scope::List => &[
            ("j/k", "move"),
            ("Enter", "read"),
            ("/", "search"),
            ("f", "filter"),
            ("e", "entity"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Scope::Reader => {
            &[("Space/b", "page"), ("/", "search"), ("]/[", "mention"), ("Tab", "pane"), ("?", "help"), ("q", "quit")]
        }
        Scope::Sidebar => &[
            ("j/k", "select"),
            ("Enter", "filter"),
            ("]/[", "mention"),
            ("a", "details"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Scope::Everywhere => &[("?", "help"), ("q", "quit")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn pane_bindings_come_before_global_ones() {
        assert_eq!(lookup(Scope::Reader, &key(Char(' '), NONE)), Some(Command::PageDown));
        assert_eq!(lookup(Scope::List, &key(Enter, NONE)), Some(Command::Open));
        assert_eq!(lookup(Scope::Sidebar, &key(Char('a'), NONE)), Some(Command::ToggleDetails));
        assert_eq!(lookup(Scope::List, &key(Char('a'), NONE)), None);
    }

    #[test]
    fn shifted_letters_and_control_keys() {
        assert_eq!(lookup(Scope::Reader, &key(Char('G'), SHIFT)), Some(Command::Bottom));
        assert_eq!(lookup(Scope::Reader, &key(Char('N'), SHIFT)), Some(Command::PrevMatch));
        assert_eq!(lookup(Scope::List, &key(Char('c'), CTRL)), Some(Command::Quit));
        assert_eq!(lookup(Scope::List, &key(Char('?'), SHIFT)), Some(Command::Help));
    }

    #[test]
    fn every_command_has_a_key_and_help() {
        use std::collections::HashSet;
        let bound: HashSet<Command> = KEYMAP.iter().map(|b| b.command).collect();
        assert_eq!(bound.len(), 38);
        assert!(KEYMAP.iter().all(|b| !b.help.is_empty() && !b.keys.is_empty()));
    }
}
