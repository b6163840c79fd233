//! The keymap: one table that turns key events into commands and that `?` help, the status
//! bar's hints and the prompt keys are generated from, so help never disagrees with what keys
//! do. The defaults are data (`assets/keys.toml`); the user's config file is laid over them.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

use KeyCode::{BackTab, Char, Down, End, Enter, Esc, Home, PageDown, PageUp, Tab, Up, F};

/// Everything a key can ask for. Each has a name a config file uses and a line of help
/// ([`COMMANDS`]).
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
    /// The article in `$PAGER`.
    Pager,
    /// The article's original file (as `show --raw` prints it) in `$PAGER`.
    PagerOriginal,
    /// A copy of the article in `$EDITOR`.
    Editor,
    /// The article's link in `$BROWSER` (or `xdg-open`).
    Browser,
    /// Copy by focus (OSC 52): the title, the selected passage, an entity's mentions.
    Copy,
    /// Copy the article's link (its id when it has none).
    CopyLink,
    /// Ctrl-Z: suspend to the shell.
    Suspend,
    /// In a prompt.
    Accept,
    Cancel,
    ClearLine,
    DeleteChar,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Everywhere,
    List,
    Reader,
    Sidebar,
    /// A prompt's line (filter, entity jump, search, tags…).
    Prompt,
}

impl Scope {
    pub const ALL: [Scope; 5] = [Scope::Everywhere, Scope::List, Scope::Reader, Scope::Sidebar, Scope::Prompt];

    pub fn title(self) -> &'static str {
        match self {
            Scope::Everywhere => "Everywhere",
            Scope::List => "Article list",
            Scope::Reader => "Reader",
            Scope::Sidebar => "Entity sidebar",
            Scope::Prompt => "In a prompt (f, e, /, t, m…)",
        }
    }

    /// The name in a config file: `[keys.list]`.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Everywhere => "everywhere",
            Scope::List => "list",
            Scope::Reader => "reader",
            Scope::Sidebar => "sidebar",
            Scope::Prompt => "prompt",
        }
    }

    pub fn from_name(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|x| x.name() == s)
    }
}

/// Every command: its name in a config file and its line of help.
pub const COMMANDS: &[(Command, &str, &str)] = &[
    (Command::Quit, "quit", "quit"),
    (Command::Help, "help", "this help"),
    (Command::FocusNext, "focus-next", "next pane: list, reader, entities"),
    (Command::FocusPrev, "focus-prev", "previous pane"),
    (Command::ToggleSidebar, "toggle-sidebar", "show or hide the entity sidebar"),
    (Command::Down, "down", "down a line or an item"),
    (Command::Up, "up", "up a line or an item"),
    (Command::PageDown, "page-down", "down a page"),
    (Command::PageUp, "page-up", "up a page"),
    (Command::Top, "top", "to the top"),
    (Command::Bottom, "bottom", "to the bottom"),
    (Command::Open, "open", "read the selected article"),
    (Command::Back, "back", "close, clear the search, or drop the last filter"),
    (Command::FilterPrompt, "filter", "filter articles by title or author (fuzzy)"),
    (Command::FullTextPrompt, "search-collection", "search the whole collection (query language below)"),
    (Command::EntityPrompt, "entity", "jump to any entity by name or alias"),
    (Command::SearchPrompt, "search", "search in this article"),
    (Command::NextMatch, "next-match", "next search match"),
    (Command::PrevMatch, "prev-match", "previous search match"),
    (Command::NextMention, "next-mention", "next mention of the selected entity, then the next article"),
    (Command::PrevMention, "prev-mention", "previous mention, then the previous article"),
    (Command::ToggleDetails, "details", "show aliases, why they merged, and what co-occurs"),
    (Command::CycleSort, "sort", "sort by date, title or path"),
    (Command::ToggleRead, "toggle-read", "mark the article read or unread (newsboat's N)"),
    (Command::Star, "star", "star the article (or remove its star)"),
    (Command::Tag, "tag", "tag the article (-tag removes one)"),
    (Command::Note, "note", "write the article's note (a memo)"),
    (Command::NotesView, "notes", "your working notes: every note and highlight"),
    (Command::Undo, "undo", "undo your last change: star, tag, note, highlight, correction"),
    (Command::Timeline, "timeline", "timeline: articles and events by month, and the events"),
    (Command::Merge, "merge", "merge this entity into another (your correction)"),
    (Command::Rename, "rename", "rename this entity; the old name stays an alias"),
    (Command::Retype, "retype", "change its kind: person, organization, place, group, other"),
    (Command::Reject, "reject", "not an entity: no longer highlighted or counted"),
    (Command::Split, "split", "split one of its aliases out as an entity of its own"),
    (Command::Select, "select", "start (or drop) a selection at the top line; j/k extend it"),
    (Command::Highlight, "highlight", "highlight the selection, with an optional note"),
    (Command::AddMention, "add-mention", "the text found with / is a mention of an entity, everywhere"),
    (Command::Pager, "pager", "read the article in $PAGER (less)"),
    (Command::PagerOriginal, "pager-original", "its original file in $PAGER, as show --raw prints it"),
    (Command::Editor, "editor", "open a copy of the article in $EDITOR"),
    (Command::Browser, "browser", "open the article's link in $BROWSER (or xdg-open)"),
    (Command::Copy, "copy", "copy the title, the selection (reader) or mentions (sidebar)"),
    (Command::CopyLink, "copy-link", "copy the article's link (its id when it has none)"),
    (Command::Suspend, "suspend", "suspend newsroom; fg brings it back"),
    (Command::Accept, "accept", "accept"),
    (Command::Cancel, "cancel", "cancel"),
    (Command::ClearLine, "clear-line", "clear the line"),
    (Command::DeleteChar, "delete-char", "delete a character"),
];

/// Help that differs in a pane from the command's own.
const SCOPED_HELP: &[(Scope, Command, &str)] = &[
    (Scope::Reader, Command::PageDown, "page down"),
    (Scope::Reader, Command::PageUp, "page up"),
    (Scope::Reader, Command::Browser, "open the article's link in $BROWSER (o sorts in the list)"),
    (Scope::Reader, Command::Timeline, "timeline, with this article's events"),
    (Scope::Sidebar, Command::Open, "show only the articles that mention this entity"),
    (Scope::Prompt, Command::Up, "choose among the entities found"),
    (Scope::Prompt, Command::Down, "choose among the entities found"),
];

impl Command {
    /// The name a config file uses.
    pub fn name(self) -> &'static str {
        COMMANDS.iter().find(|c| c.0 == self).map_or("?", |c| c.1)
    }

    pub fn from_name(s: &str) -> Option<Command> {
        COMMANDS.iter().find(|c| c.1 == s).map(|c| c.0)
    }

    /// Its line of help in a scope.
    pub fn help(self, scope: Scope) -> &'static str {
        SCOPED_HELP
            .iter()
            .find(|h| h.0 == scope && h.1 == self)
            .map(|h| h.2)
            .or_else(|| COMMANDS.iter().find(|c| c.0 == self).map(|c| c.2))
            .unwrap_or("")
    }
}

/// One key with its modifiers, as a config file writes it (`g`, `G`, `C-u`, `S-Tab`, `F1`,
/// `Space`). Shift is part of a typed character (`G`), so it is kept only for other keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const NAMED: &[(&str, KeyCode)] = &[
    ("Enter", Enter),
    ("Esc", Esc),
    ("Tab", Tab),
    ("S-Tab", BackTab),
    ("Space", Char(' ')),
    ("Backspace", KeyCode::Backspace),
    ("Up", Up),
    ("Down", Down),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("PgUp", PageUp),
    ("PgDn", PageDown),
    ("Home", Home),
    ("End", End),
    ("Insert", KeyCode::Insert),
    ("Delete", KeyCode::Delete),
];

/// Other spellings a file may use.
const ALIASES: &[(&str, &str)] = &[
    ("Return", "Enter"),
    ("Escape", "Esc"),
    ("BackTab", "S-Tab"),
    ("PageUp", "PgUp"),
    ("PageDown", "PgDn"),
    ("Del", "Delete"),
    ("BS", "Backspace"),
];

impl Key {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        let mods = match code {
            Char(_) | BackTab => mods - SHIFT,
            _ => mods,
        };
        Key { code, mods: mods & (CTRL | SHIFT | KeyModifiers::ALT) }
    }

    pub fn of_event(e: &KeyEvent) -> Key {
        Key::new(e.code, e.modifiers)
    }

    /// Parses `C-u`, `A-x`, `S-Tab`, `G`, `F5`, `Space`…; a key a terminal cannot send is an error.
    pub fn parse(s: &str) -> Result<Key, String> {
        let mut rest = s;
        let mut mods = NONE;
        loop {
            let mut chars = rest.chars();
            match (chars.next(), chars.next(), chars.next()) {
                (Some(m @ ('C' | 'A' | 'M' | 'S')), Some('-'), Some(_)) => {
                    mods |= match m {
                        'C' => CTRL,
                        'S' => SHIFT,
                        _ => KeyModifiers::ALT,
                    };
                    rest = &rest[2..];
                }
                _ => break,
            }
        }
        let unknown = || format!("unknown key “{s}”");
        let name = ALIASES.iter().find(|a| a.0.eq_ignore_ascii_case(rest)).map_or(rest, |a| a.1);
        let code = if let Some(&(_, code)) = NAMED.iter().find(|n| n.0.eq_ignore_ascii_case(name)) {
            code
        } else if let Some(n) = name.strip_prefix(['F', 'f']).and_then(|n| n.parse::<u8>().ok()) {
            if !(1..=12).contains(&n) {
                return Err(unknown());
            }
            F(n)
        } else {
            let mut chars = name.chars();
            let c = match (chars.next(), chars.next()) {
                (Some(c), None) if !c.is_control() => c,
                _ => return Err(unknown()),
            };
            // `S-x` is `X`; Ctrl with a letter is the same key in either case.
            if mods.contains(SHIFT) && c.is_alphabetic() {
                mods -= SHIFT;
                Char(c.to_uppercase().next().unwrap_or(c))
            } else if mods.contains(CTRL) && c.is_ascii_uppercase() {
                Char(c.to_ascii_lowercase())
            } else {
                Char(c)
            }
        };
        let code = if code == Tab && mods.contains(SHIFT) { BackTab } else { code };
        Ok(Key::new(code, mods))
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.mods.contains(CTRL) {
            write!(f, "C-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            write!(f, "A-")?;
        }
        if self.mods.contains(SHIFT) {
            write!(f, "S-")?;
        }
        match self.code {
            F(n) => write!(f, "F{n}"),
            Char(c) if c != ' ' => write!(f, "{c}"),
            code => match NAMED.iter().find(|n| n.1 == code) {
                Some((name, _)) => write!(f, "{name}"),
                None => write!(f, "{code:?}"),
            },
        }
    }
}

/// One binding: a key in a scope asks for a command. `line` is where the user's config file
/// set it (none for a default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub scope: Scope,
    pub key: Key,
    pub command: Command,
    pub line: Option<usize>,
}

/// The defaults, as data.
pub const DEFAULT_KEYS: &str = include_str!("../../assets/keys.toml");

/// The keys in force: the defaults with the user's file laid over them.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        let mut map = Keymap { bindings: Vec::new() };
        let entries = crate::core::settings::parse_entries(DEFAULT_KEYS).unwrap_or_default();
        // The defaults are checked by a test; a broken one would only lose that key.
        for e in &entries {
            let scope = e.section.strip_prefix("keys.").and_then(Scope::from_name);
            if let (Some(scope), Ok(key), Some(command)) = (scope, Key::parse(&e.key), Command::from_name(&e.value)) {
                map.bindings.push(Binding { scope, key, command, line: None });
            }
        }
        map
    }
}

impl Keymap {
    /// Lays `[keys.SCOPE]` entries over the keys: a key bound again replaces its binding in
    /// that scope, `"none"` unbinds it. Returns what was wrong, one line each, naming `file`
    /// and the line; a wrong entry changes nothing.
    pub fn layer(&mut self, entries: &[crate::core::settings::Entry], file: &str) -> Vec<String> {
        let mut problems = Vec::new();
        for e in entries {
            let bad = |what: String| format!("{file}:{}: {what}", e.line);
            let Some(scope) = e.section.strip_prefix("keys.").and_then(Scope::from_name) else {
                problems.push(bad(format!(
                    "unknown key table “[{}]”: keys.everywhere, keys.list, keys.reader, keys.sidebar or keys.prompt",
                    e.section
                )));
                continue;
            };
            let key = match Key::parse(&e.key) {
                Ok(k) => k,
                Err(msg) => {
                    problems.push(bad(msg));
                    continue;
                }
            };
            let command = match e.value.as_str() {
                "none" => None,
                name => match Command::from_name(name) {
                    Some(c) => Some(c),
                    None => {
                        problems.push(bad(format!("unknown command “{name}” (newsroom config lists them)")));
                        continue;
                    }
                },
            };
            let at = self.bindings.iter().position(|b| b.scope == scope && b.key == key);
            if let Some(i) = at {
                self.bindings.remove(i);
            }
            // The user's key comes first among the command's keys (help and hints show it),
            // where the command is in the table; a new command goes where the key was, or last.
            if let Some(c) = command {
                let first = self.bindings.iter().position(|b| b.scope == scope && b.command == c);
                let i = first.or(at).unwrap_or(self.bindings.len()).min(self.bindings.len());
                self.bindings.insert(i, Binding { scope, key, command: c, line: Some(e.line) });
            }
        }
        problems
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The command a key asks for in a scope: the pane's own keys first, then the ones that
    /// work everywhere. A prompt has only its own.
    pub fn lookup(&self, scope: Scope, key: &KeyEvent) -> Option<Command> {
        let key = Key::of_event(key);
        let find = |s: Scope| self.bindings.iter().find(|b| b.scope == s && b.key == key).map(|b| b.command);
        match scope {
            Scope::Prompt | Scope::Everywhere => find(scope),
            _ => find(scope).or_else(|| find(Scope::Everywhere)),
        }
    }

    /// The keys bound to a command in a scope (only that scope's own), in the table's order.
    pub fn keys_for(&self, scope: Scope, command: Command) -> Vec<Key> {
        self.bindings.iter().filter(|b| b.scope == scope && b.command == command).map(|b| b.key).collect()
    }

    /// The first key that does `command` in a pane (its own, else everywhere), as help writes it.
    pub fn key_label(&self, scope: Scope, command: Command) -> Option<String> {
        let find = |s: Scope| self.bindings.iter().find(|b| b.scope == s && b.command == command).map(|b| b.key);
        find(scope).or_else(|| find(Scope::Everywhere)).map(|k| k.to_string())
    }

    /// Help for a scope: each command once, with all its keys, in the table's order.
    pub fn help_rows(&self, scope: Scope) -> Vec<(String, &'static str)> {
        let mut seen = Vec::new();
        for b in self.bindings.iter().filter(|b| b.scope == scope) {
            if !seen.contains(&b.command) {
                seen.push(b.command);
            }
        }
        seen.into_iter()
            .map(|c| {
                let keys: Vec<String> = self.keys_for(scope, c).iter().map(Key::to_string).collect();
                (keys.join(" "), c.help(scope))
            })
            .collect()
    }

    /// The keys that matter most in a pane, for the status bar: `(keys, what)`, with help
    /// always last so that it is the last to give way.
    pub fn hints(&self, scope: Scope) -> Vec<(String, &'static str)> {
        use Command as C;
        let wanted: &[(&[Command], &str)] = match scope {
            Scope::List => &[
                (&[C::Down, C::Up], "move"),
                (&[C::Open], "read"),
                (&[C::FullTextPrompt], "search"),
                (&[C::FilterPrompt], "filter"),
                (&[C::EntityPrompt], "entity"),
                (&[C::Quit], "quit"),
                (&[C::Help], "help"),
            ],
            Scope::Reader => &[
                (&[C::PageDown, C::PageUp], "page"),
                (&[C::SearchPrompt], "search"),
                (&[C::NextMention, C::PrevMention], "mention"),
                (&[C::FocusNext], "pane"),
                (&[C::Quit], "quit"),
                (&[C::Help], "help"),
            ],
            Scope::Sidebar => &[
                (&[C::Down, C::Up], "select"),
                (&[C::Open], "filter"),
                (&[C::NextMention, C::PrevMention], "mention"),
                (&[C::ToggleDetails], "details"),
                (&[C::Quit], "quit"),
                (&[C::Help], "help"),
            ],
            Scope::Prompt => &[(&[C::Accept], "accept"), (&[C::Cancel], "cancel")],
            Scope::Everywhere => &[(&[C::Quit], "quit"), (&[C::Help], "help")],
        };
        wanted
            .iter()
            .filter_map(|(commands, what)| {
                let keys: Option<Vec<String>> = commands.iter().map(|&c| self.key_label(scope, c)).collect();
                keys.map(|k| (k.join("/"), *what))
            })
            .collect()
    }
}
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::settings::parse_entries;

    fn key(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn pane_bindings_come_before_global_ones() {
        let map = Keymap::default();
        assert_eq!(map.lookup(Scope::Reader, &key(Char(' '), NONE)), Some(Command::PageDown));
        assert_eq!(map.lookup(Scope::List, &key(Enter, NONE)), Some(Command::Open));
        assert_eq!(map.lookup(Scope::Sidebar, &key(Char('a'), NONE)), Some(Command::ToggleDetails));
        assert_eq!(map.lookup(Scope::List, &key(Char('a'), NONE)), None);
        assert_eq!(map.lookup(Scope::Prompt, &key(Char('j'), NONE)), None);
        assert_eq!(map.lookup(Scope::Prompt, &key(Char('u'), CTRL)), Some(Command::ClearLine));
    }

    #[test]
    fn shifted_letters_and_control_keys() {
        let map = Keymap::default();
        assert_eq!(map.lookup(Scope::Reader, &key(Char('G'), SHIFT)), Some(Command::Bottom));
        assert_eq!(map.lookup(Scope::Reader, &key(Char('N'), SHIFT)), Some(Command::PrevMatch));
        assert_eq!(map.lookup(Scope::List, &key(Char('c'), CTRL)), Some(Command::Quit));
        assert_eq!(map.lookup(Scope::List, &key(Char('?'), SHIFT)), Some(Command::Help));
        assert_eq!(map.lookup(Scope::List, &key(BackTab, SHIFT)), Some(Command::FocusPrev));
        assert_eq!(map.lookup(Scope::List, &key(Char('z'), CTRL)), Some(Command::Suspend));
    }

    #[test]
    fn the_defaults_parse_and_every_command_has_a_key_and_help() {
        let entries = parse_entries(DEFAULT_KEYS).unwrap();
        let map = Keymap::default();
        assert_eq!(Keymap::default().layer(&entries, "keys.toml"), Vec::<String>::new(), "every default is valid");
        assert_eq!(map.bindings.len(), entries.len(), "a key bound twice in one scope");
        assert_eq!(map.help_rows(Scope::Everywhere)[0], ("j Down".to_string(), "down a line or an item"));
        for &(c, name, help) in COMMANDS {
            assert!(!help.is_empty() && Command::from_name(name) == Some(c));
            assert!(Scope::ALL.iter().any(|&s| !map.keys_for(s, c).is_empty()), "{name} has no key");
        }
    }

    #[test]
    fn keys_parse_and_display_round_trip() {
        for s in
            ["g", "G", "C-u", "S-Tab", "F1", "F12", "Space", "Enter", "Esc", "PgDn", "?", "@", "A-x", "C-Down", "é"]
        {
            let k = Key::parse(s).unwrap();
            assert_eq!(k.to_string(), s);
            assert_eq!(Key::parse(&k.to_string()), Ok(k));
        }
        assert_eq!(Key::parse("S-g").unwrap(), Key::parse("G").unwrap());
        assert_eq!(Key::parse("C-U").unwrap().to_string(), "C-u");
        assert_eq!(Key::parse("PageDown").unwrap().to_string(), "PgDn");
        assert_eq!(Key::parse("S-Tab").unwrap().code, BackTab);
        for bad in ["", "F13", "F0", "Ctrl", "ab", "C-", "\u{7}"] {
            assert!(Key::parse(bad).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn a_file_remaps_unbinds_and_names_the_lines_of_bad_entries() {
        let file = "[keys.everywhere]\nj = \"up\"\nk = \"down\"\nq = \"none\"\nx = \"explode\"\n\"C-Ü-x\" = \"quit\"\n[keys.lists]\nz = \"quit\"\n";
        let mut map = Keymap::default();
        let problems = map.layer(&parse_entries(file).unwrap(), "config.toml");
        assert_eq!(map.lookup(Scope::List, &key(Char('j'), NONE)), Some(Command::Up));
        assert_eq!(map.lookup(Scope::Reader, &key(Char('k'), NONE)), Some(Command::Down));
        assert_eq!(map.lookup(Scope::List, &key(Char('q'), NONE)), None);
        assert_eq!(map.lookup(Scope::List, &key(Char('x'), NONE)), None);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("config.toml:5: unknown command “explode”"), "{problems:?}");
        assert!(problems[1].starts_with("config.toml:6: unknown key"), "{problems:?}");
        assert!(problems[2].starts_with("config.toml:8: unknown key table “[keys.lists]”"), "{problems:?}");
        // Help follows: `k` is now listed for "down".
        let rows = map.help_rows(Scope::Everywhere);
        assert!(rows.contains(&("k Down".to_string(), "down a line or an item")), "{rows:?}");
        assert_eq!(map.hints(Scope::List)[0], ("k/j".to_string(), "move"));
    }
}
