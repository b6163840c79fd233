//! Settings: the one step that resolves the command line's flags, the environment and the
//! user's config file (`$XDG_CONFIG_HOME/newsroom/config.toml`) once, remembering where each
//! value came from (`newsroom config` prints it). The folders newsroom keeps things in are
//! found here too ([`dirs`]), and nowhere else.
//!
//! Keys (`[keys.SCOPE]`) and colours (`[theme]`) are kept as the file wrote them, each with its
//! line: the keymap and the theme check them and name the line of a bad one.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    /// A line of a file.
    File(PathBuf, usize),
    Env(&'static str),
    Flag(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => write!(f, "default"),
            Origin::File(p, line) => write!(f, "{}:{line}", p.display()),
            Origin::Env(name) => write!(f, "env {name}"),
            Origin::Flag(name) => write!(f, "flag {name}"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Value<T> {
    fn default(value: T) -> Self {
        Value { value, origin: Origin::Default }
    }
}

/// One `key = value` of a TOML document, flattened: `section` is the dotted table path
/// (`keys.list`), `value` the value as text (strings unquoted), `line` counted from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub section: String,
    pub key: String,
    pub value: String,
    pub line: usize,
}

/// The line (from 1) of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Parses a TOML document into its entries, in the order they are written. Bad TOML is an
/// error with its line.
pub fn parse_entries(text: &str) -> Result<Vec<Entry>, (usize, String)> {
    use toml::de::{DeTable, DeValue};
    let table = DeTable::parse(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(text, s.start));
        (line, e.message().trim().to_string())
    })?;
    fn walk(text: &str, section: &str, table: &DeTable<'_>, out: &mut Vec<Entry>) {
        for (k, v) in table.iter() {
            let line = line_of(text, k.span().start);
            let key = k.get_ref().to_string();
            let value = match v.get_ref() {
                DeValue::Table(t) => {
                    let inner = if section.is_empty() { key.clone() } else { format!("{section}.{key}") };
                    walk(text, &inner, t, out);
                    continue;
                }
                DeValue::String(s) => s.to_string(),
                DeValue::Integer(i) => i.as_str().to_string(),
                DeValue::Float(x) => x.as_str().to_string(),
                DeValue::Boolean(b) => b.to_string(),
                DeValue::Datetime(d) => d.to_string(),
                DeValue::Array(_) => "[…]".to_string(),
            };
            out.push(Entry { section: section.to_string(), key, value, line });
        }
    }
    let mut out = Vec::new();
    walk(text, "", table.get_ref(), &mut out);
    out.sort_by_key(|e| e.line);
    Ok(out)
}

/// The folders newsroom reads and writes: the only place they are worked out
/// (`XDG_CONFIG_HOME`, `XDG_CACHE_HOME` and `XDG_DATA_HOME` are honoured).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dirs {
    pub config: Option<PathBuf>,
    pub cache: Option<PathBuf>,
    pub data: Option<PathBuf>,
}

pub fn dirs() -> Dirs {
    match directories::ProjectDirs::from("", "", "newsroom") {
        Some(d) => Dirs {
            config: Some(d.config_dir().to_path_buf()),
            cache: Some(d.cache_dir().to_path_buf()),
            data: Some(d.data_dir().to_path_buf()),
        },
        None => Dirs::default(),
    }
}

/// What the command line said.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub color: Option<String>,
    pub mouse: bool,
    /// `--store URL`: a team's store.
    pub store: Option<String>,
    /// `--user NAME`: who this run acts as on a team's store.
    pub user: Option<String>,
}

pub const COLORS: [&str; 5] = ["auto", "never", "16", "256", "truecolor"];
pub const SORTS: [&str; 3] = ["date", "title", "path"];

/// Everything resolved.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The config file read, if there was one.
    pub file: Option<PathBuf>,
    pub dirs: Dirs,
    /// `auto` (from the terminal), `never`, `16`, `256` or `truecolor`.
    pub color: Value<String>,
    pub mouse: Value<bool>,
    /// The list's first order: `date`, `title` or `path`.
    pub sort: Value<String>,
    /// Widths of the list and the sidebar, in percent of the screen, when all three panes show.
    pub list_width: Value<u16>,
    pub sidebar_width: Value<u16>,
    /// A team store to use instead of the local one (`store = "postgres://…"`, `--store`).
    pub store: Value<Option<String>>,
    /// Who this run acts as on a team's store (`user = "ana"`, `--user`; else `$USER`).
    pub user: Value<Option<String>>,
    /// `[keys.SCOPE]` entries, for the keymap to check and apply.
    pub keys: Vec<Entry>,
    /// `[theme]` entries: a colour by role.
    pub theme: Vec<Entry>,
    /// What was wrong, one line each, naming the file's line.
    pub problems: Vec<String>,
}

/// The settings of this run, resolved once by the binary ([`install`]).
static CURRENT: std::sync::OnceLock<Settings> = std::sync::OnceLock::new();

/// Keeps the settings the binary resolved, for every command of this run to read.
pub fn install(settings: Settings) -> &'static Settings {
    CURRENT.get_or_init(|| settings)
}

/// The settings of this run: those [`install`]ed, else (a library caller, a test) resolved from
/// the environment and file without flags.
pub fn current() -> &'static Settings {
    CURRENT.get_or_init(|| Settings::resolve(&Flags::default()))
}

impl Settings {
    /// Only the defaults.
    pub fn defaults() -> Settings {
        Settings {
            file: None,
            dirs: Dirs::default(),
            color: Value::default("auto".into()),
            mouse: Value::default(false),
            sort: Value::default("date".into()),
            list_width: Value::default(30),
            sidebar_width: Value::default(22),
            store: Value::default(None),
            user: Value::default(None),
            keys: Vec::new(),
            theme: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Flags, the environment and the user's config file, resolved once.
    pub fn resolve(flags: &Flags) -> Settings {
        let dirs = dirs();
        let path = std::env::var_os("NEWSROOM_CONFIG")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| dirs.config.as_ref().map(|d| d.join("config.toml")));
        let mut unreadable = None;
        // A config file is small: anything past 1 MB is not one.
        let file = path.and_then(|p| {
            match std::fs::metadata(&p).and_then(|m| match m.len() > 1 << 20 {
                true => Err(std::io::Error::other("larger than 1 MB")),
                false => std::fs::read(&p),
            }) {
                Ok(bytes) => Some((p, String::from_utf8_lossy(&bytes).into_owned())),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => {
                    unreadable = Some(format!("{}: {e}; using the defaults", p.display()));
                    None
                }
            }
        });
        let mut s = Settings::from_parts(
            flags,
            &|name| std::env::var(name).ok(),
            file.as_ref().map(|(p, t)| (p.as_path(), t.as_str())),
        );
        s.problems.extend(unreadable);
        s.dirs = dirs;
        s
    }

    /// The same from given parts (tests give their own environment and file).
    pub fn from_parts(flags: &Flags, env: &dyn Fn(&str) -> Option<String>, file: Option<(&Path, &str)>) -> Settings {
        let mut s = Settings::defaults();
        // The environment first; the file and the flags override it (as NO_COLOR asks of
        // configuration files and flags).
        if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            s.color = Value { value: "never".into(), origin: Origin::Env("NO_COLOR") };
        }
        if let Some(url) = env("NEWSROOM_STORE").filter(|v| !v.trim().is_empty()) {
            s.store = Value { value: Some(url), origin: Origin::Env("NEWSROOM_STORE") };
        }
        if let Some((path, text)) = file {
            s.file = Some(path.to_path_buf());
            s.read_file(path, text);
        }
        if let Some(c) = &flags.color {
            s.color = Value { value: c.clone(), origin: Origin::Flag("--color") };
        }
        if flags.mouse {
            s.mouse = Value { value: true, origin: Origin::Flag("--mouse") };
        }
        if let Some(url) = &flags.store {
            s.store = Value { value: Some(url.clone()), origin: Origin::Flag("--store") };
        }
        if let Some(name) = &flags.user {
            s.user = Value { value: Some(name.clone()), origin: Origin::Flag("--user") };
        }
        s
    }

    fn read_file(&mut self, path: &Path, text: &str) {
        let name = path.display().to_string();
        let entries = match parse_entries(text) {
            Ok(e) => e,
            Err((line, msg)) => {
                self.problems.push(format!("{name}:{line}: {msg}; using the defaults"));
                return;
            }
        };
        for e in entries {
            let origin = Origin::File(path.to_path_buf(), e.line);
            let bad = |what: &str| format!("{name}:{}: {what}", e.line);
            match (e.section.as_str(), e.key.as_str()) {
                ("", "color") => match COLORS.contains(&e.value.as_str()) {
                    true => self.color = Value { value: e.value.clone(), origin },
                    false => self.problems.push(bad(&format!("color “{}”: one of {}", e.value, COLORS.join(", ")))),
                },
                ("", "mouse") => match e.value.parse::<bool>() {
                    Ok(b) => self.mouse = Value { value: b, origin },
                    Err(_) => self.problems.push(bad("mouse: true or false")),
                },
                ("", "sort") => match SORTS.contains(&e.value.as_str()) {
                    true => self.sort = Value { value: e.value.clone(), origin },
                    false => self.problems.push(bad(&format!("sort “{}”: one of {}", e.value, SORTS.join(", ")))),
                },
                ("", "store") => self.store = Value { value: Some(e.value.clone()).filter(|v| !v.is_empty()), origin },
                ("", "user") => self.user = Value { value: Some(e.value.clone()).filter(|v| !v.is_empty()), origin },
                ("layout", "list" | "sidebar") => match e.value.parse::<u16>() {
                    Ok(n @ 10..=60) if e.key == "list" => self.list_width = Value { value: n, origin },
                    Ok(n @ 10..=60) => self.sidebar_width = Value { value: n, origin },
                    _ => self.problems.push(bad(&format!("layout.{}: a width in percent, 10 to 60", e.key))),
                },
                ("theme", _) => self.theme.push(e.clone()),
                (section, _) if section.starts_with("keys.") => self.keys.push(e.clone()),
                (section, key) => {
                    let full = if section.is_empty() { key.to_string() } else { format!("{section}.{key}") };
                    self.problems.push(bad(&format!("unknown setting “{full}”")));
                }
            }
        }
        if self.list_width.value + self.sidebar_width.value > 80 {
            self.problems.push(format!("{name}: layout widths leave the reader under 20%; using the defaults"));
            self.list_width = Value::default(30);
            self.sidebar_width = Value::default(22);
        }
    }

    /// `name = value  # origin` lines of the plain settings, for `newsroom config`.
    pub fn describe(&self) -> Vec<(String, String, String)> {
        let q = |s: &str| format!("\"{s}\"");
        let mut out = vec![
            ("color".to_string(), q(&self.color.value), self.color.origin.to_string()),
            ("mouse".to_string(), self.mouse.value.to_string(), self.mouse.origin.to_string()),
            ("sort".to_string(), q(&self.sort.value), self.sort.origin.to_string()),
            (
                "store".to_string(),
                q(self.store.value.as_deref().unwrap_or("")),
                match &self.store.value {
                    None => match self.dirs.data.as_ref() {
                        Some(d) => {
                            format!("{} (your own SQLite file, {})", self.store.origin, d.join("user.sqlite").display())
                        }
                        None => format!("{} (your own SQLite file)", self.store.origin),
                    },
                    Some(_) => self.store.origin.to_string(),
                },
            ),
            (
                "user".to_string(),
                q(&self.user.value.clone().unwrap_or_else(crate::core::team::user_name)),
                match &self.user.value {
                    None => format!("{} ($USER)", self.user.origin),
                    Some(_) => self.user.origin.to_string(),
                },
            ),
            ("layout.list".to_string(), self.list_width.value.to_string(), self.list_width.origin.to_string()),
            ("layout.sidebar".to_string(), self.sidebar_width.value.to_string(), self.sidebar_width.origin.to_string()),
        ];
        for (name, dir) in
            [("dirs.config", &self.dirs.config), ("dirs.cache", &self.dirs.cache), ("dirs.data", &self.dirs.data)]
        {
            if let Some(d) = dir {
                out.push((name.to_string(), q(&d.display().to_string()), "env XDG_* or default".to_string()));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn entries_keep_their_lines_and_sections() {
        let text = "color = \"256\"\n\n[keys.list]\nj = \"up\"\n\"C-u\" = \"page-up\"\n[theme]\nperson = \"#ff0000\"\n";
        let e = parse_entries(text).unwrap();
        let got: Vec<(&str, &str, &str, usize)> =
            e.iter().map(|e| (e.section.as_str(), e.key.as_str(), e.value.as_str(), e.line)).collect();
        assert_eq!(
            got,
            vec![
                ("", "color", "256", 1),
                ("keys.list", "j", "up", 4),
                ("keys.list", "C-u", "page-up", 5),
                ("theme", "person", "#ff0000", 7)
            ]
        );
    }

    #[test]
    fn bad_toml_names_its_line_and_keeps_the_defaults() {
        let path = Path::new("config.toml");
        let s = Settings::from_parts(&Flags::default(), &env(&[]), Some((path, "sort = \"title\"\n\n[keys\nj = 1\n")));
        assert_eq!(s.sort.value, "date");
        assert_eq!(s.problems.len(), 1, "{:?}", s.problems);
        assert!(s.problems[0].starts_with("config.toml:3: "), "{}", s.problems[0]);
    }

    #[test]
    fn flags_over_file_over_environment_over_defaults() {
        let path = Path::new("c.toml");
        let file = "sort = \"title\"\ncolor = \"16\"\nstore = \"postgres://team\"\n[layout]\nlist = 40\n";
        let s = Settings::from_parts(&Flags::default(), &env(&[("NO_COLOR", "1")]), Some((path, file)));
        assert_eq!(s.sort, Value { value: "title".into(), origin: Origin::File(path.into(), 1) });
        assert_eq!(s.color, Value { value: "16".into(), origin: Origin::File(path.into(), 2) });
        assert_eq!(s.store.value.as_deref(), Some("postgres://team"));
        assert_eq!(s.list_width.value, 40);
        let s = Settings::from_parts(&Flags::default(), &env(&[("NO_COLOR", "1")]), None);
        assert_eq!(s.color, Value { value: "never".into(), origin: Origin::Env("NO_COLOR") });
        assert_eq!(s.sort, Value { value: "date".into(), origin: Origin::Default });
        let flags = Flags { color: Some("256".into()), ..Flags::default() };
        let s = Settings::from_parts(&flags, &env(&[("NO_COLOR", "1")]), Some((path, file)));
        assert_eq!(s.color, Value { value: "256".into(), origin: Origin::Flag("--color") });
        assert_eq!(s.describe()[0], ("color".into(), "\"256\"".into(), "flag --color".into()));
    }

    #[test]
    fn unknown_and_bad_values_name_their_lines() {
        let path = Path::new("c.toml");
        let file = "sort = \"size\"\nfoo = 1\n[layout]\nlist = 90\n";
        let s = Settings::from_parts(&Flags::default(), &env(&[]), Some((path, file)));
        assert_eq!(s.sort.value, "date");
        assert!(s.problems[0].starts_with("c.toml:1: sort “size”"), "{:?}", s.problems);
        assert!(s.problems[1].starts_with("c.toml:2: unknown setting “foo”"), "{:?}", s.problems);
        assert!(s.problems[2].starts_with("c.toml:4: layout.list"), "{:?}", s.problems);
    }
}
