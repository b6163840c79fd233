//! `newsroom config`, and what the browser takes from the settings: the keymap and the theme
//! laid over their defaults, each bad line of the config file named.

use std::io::Write;
use std::sync::Arc;

use crate::app::keymap::{Keymap, Scope, COMMANDS};
use crate::app::Sort;
use crate::cli::CliError;
use crate::core::settings::{Origin, Settings};
use crate::ui::theme::{ColorMode, Theme, ROLES};

/// The settings made ready for the browser: keys, colours and what was wrong.
pub struct Resolved {
    pub settings: Settings,
    pub keys: Keymap,
    pub theme: Theme,
    pub problems: Vec<String>,
}

/// The colour mode the settings ask for (`auto`: from the terminal).
pub fn color_mode(settings: &Settings) -> ColorMode {
    match settings.color.value.as_str() {
        "auto" => ColorMode::detect(None),
        other => ColorMode::detect(Some(other)),
    }
}

/// Lays the config file's keys and colours over the defaults, for settings resolved once
/// (`settings::install`).
pub fn from_settings(settings: Settings) -> Resolved {
    let file = settings.file.as_ref().map_or_else(|| "config.toml".to_string(), |p| p.display().to_string());
    let mut problems = settings.problems.clone();
    let mut keys = Keymap::default();
    problems.extend(keys.layer(&settings.keys, &file));
    let (theme, bad) = Theme::with_config(color_mode(&settings), &settings.theme, &file);
    problems.extend(bad);
    Resolved { settings, keys, theme, problems }
}

impl Resolved {
    /// The browser's options from these settings.
    pub fn browser_options(&self) -> crate::tui::Options {
        let mut o = crate::tui::Options::new(self.theme.mode);
        o.mouse = self.settings.mouse.value;
        o.keys = Arc::new(self.keys.clone());
        o.theme = Some(self.theme);
        o.sort = Sort::from_name(&self.settings.sort.value).unwrap_or(Sort::Date);
        o.widths = (self.settings.list_width.value, self.settings.sidebar_width.value);
        o.config_note = match self.problems.len() {
            0 => None,
            1 => Some(format!("{} (newsroom config)", self.problems[0])),
            n => Some(format!("{} (and {} more: newsroom config)", self.problems[0], n - 1)),
        };
        o
    }
}

fn origin_of(settings: &Settings, line: Option<usize>) -> String {
    match (line, &settings.file) {
        (Some(l), Some(f)) => Origin::File(f.clone(), l).to_string(),
        _ => Origin::Default.to_string(),
    }
}

/// Prints the effective configuration as a config file would write it, each value with where
/// it came from; the problems last (and on stderr). Exit status 1 when there are problems.
pub fn run_config(out: &mut dyn Write) -> Result<(), CliError> {
    let r = from_settings(crate::core::settings::current().clone());
    let s = &r.settings;
    match (&s.file, s.dirs.config.as_ref()) {
        (Some(f), _) => writeln!(out, "# config file: {}", f.display())?,
        (None, Some(d)) => writeln!(out, "# config file: none ({} does not exist)", d.join("config.toml").display())?,
        (None, None) => writeln!(out, "# config file: none (no home folder)")?,
    }
    let row = |out: &mut dyn Write, k: &str, v: &str, origin: &str| -> std::io::Result<()> {
        let left = format!("{k} = {v}");
        writeln!(out, "{left:<36} # {origin}")
    };
    let mut section = String::new();
    for (name, value, origin) in s.describe() {
        if let Some(dir) = name.strip_prefix("dirs.") {
            writeln!(out, "# {dir} folder: {value} ({origin})")?;
            continue;
        }
        let (sec, key) = name.split_once('.').unwrap_or(("", &name));
        if sec != section {
            writeln!(out, "\n[{sec}]")?;
            section = sec.to_string();
        }
        row(out, key, &value, &origin)?;
    }
    for scope in Scope::ALL {
        writeln!(out, "\n[keys.{}]", scope.name())?;
        for b in r.keys.bindings().iter().filter(|b| b.scope == scope) {
            let key = b.key.to_string();
            let bare = key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            let key = if bare { key } else { format!("\"{}\"", key.replace('\\', "\\\\").replace('"', "\\\"")) };
            row(out, &key, &format!("\"{}\"", b.command.name()), &origin_of(s, b.line))?;
        }
    }
    writeln!(out, "\n[theme]")?;
    for role in ROLES {
        match s.theme.iter().rev().find(|e| e.key == role) {
            Some(e) => row(out, role, &format!("\"{}\"", e.value), &origin_of(s, Some(e.line)))?,
            None => writeln!(out, "# {role} = …{:<22} # default", "")?,
        }
    }
    let names: Vec<&str> = COMMANDS.iter().map(|c| c.1).collect();
    writeln!(out, "\n# commands: {}", names.join(", "))?;
    writeln!(out, "# colour roles: {}", ROLES.join(", "))?;
    if r.problems.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    for p in &r.problems {
        writeln!(out, "# problem: {p}")?;
    }
    Err(CliError::Exit(1, r.problems.join("\nnewsroom: ")))
}
