//! Colours and text attributes. Every kind of entity has an attribute as well as a colour, so
//! mentions stand out on a terminal without colour or with `NO_COLOR` set.

use ratatui::style::{Color, Modifier, Style};

use crate::core::extract::Kind;

/// How many colours the terminal is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorMode {
    None,
    Ansi16,
    Ansi256,
    TrueColor,
}

impl ColorMode {
    /// From `--color` and the environment: `NO_COLOR` wins unless a mode is asked for by name;
    /// otherwise `COLORTERM` tells true colour and `TERM` 256 colours.
    pub fn detect(flag: Option<&str>) -> ColorMode {
        match flag {
            Some("never" | "none") => return ColorMode::None,
            Some("16") => return ColorMode::Ansi16,
            Some("256") => return ColorMode::Ansi256,
            Some("truecolor" | "24bit") => return ColorMode::TrueColor,
            _ => {}
        }
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return ColorMode::None;
        }
        let colorterm = std::env::var("COLORTERM").unwrap_or_default();
        let term = std::env::var("TERM").unwrap_or_default();
        if colorterm.contains("truecolor") || colorterm.contains("24bit") {
            ColorMode::TrueColor
        } else if term.contains("256") {
            ColorMode::Ansi256
        } else if term == "dumb" {
            ColorMode::None
        } else {
            ColorMode::Ansi16
        }
    }
}

/// Roles a config file's `[theme]` may colour.
pub const ROLES: [&str; 10] =
    ["person", "organization", "place", "date", "group", "other", "matched", "border", "search", "status"];

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub mode: ColorMode,
    /// Colours the user's `[theme]` set, by [`ROLES`] index.
    pub colors: [Option<Color>; ROLES.len()],
}

impl Theme {
    pub fn new(mode: ColorMode) -> Self {
        Theme { mode, colors: [None; ROLES.len()] }
    }

    /// With the user's `[theme]` colours (`role = "red"`, `"#ff8800"`, `"208"`); a wrong role or
    /// colour changes nothing and is named with its line. Without colour, none applies.
    pub fn with_config(mode: ColorMode, entries: &[crate::core::settings::Entry], file: &str) -> (Theme, Vec<String>) {
        let mut theme = Theme::new(mode);
        let mut problems = Vec::new();
        for e in entries {
            let Some(role) = ROLES.iter().position(|&r| r == e.key) else {
                problems.push(format!(
                    "{file}:{}: unknown colour role “{}”: one of {}",
                    e.line,
                    e.key,
                    ROLES.join(", ")
                ));
                continue;
            };
            match e.value.parse::<Color>() {
                Ok(c) => theme.colors[role] = Some(c),
                Err(_) => problems.push(format!(
                    "{file}:{}: “{}” is not a colour: a name (red, lightblue…), #rrggbb or 0–255",
                    e.line, e.value
                )),
            }
        }
        (theme, problems)
    }

    /// The user's colour for a role, when colour is on.
    fn role(&self, name: &str) -> Option<Color> {
        if self.mode == ColorMode::None {
            return None;
        }
        ROLES.iter().position(|&r| r == name).and_then(|i| self.colors[i])
    }

    /// A colour in the best form the terminal takes: (16-colour, 256-colour index, RGB).
    fn color(&self, ansi: Color, indexed: u8, rgb: (u8, u8, u8)) -> Option<Color> {
        match self.mode {
            ColorMode::None => None,
            ColorMode::Ansi16 => Some(ansi),
            ColorMode::Ansi256 => Some(Color::Indexed(indexed)),
            ColorMode::TrueColor => Some(Color::Rgb(rgb.0, rgb.1, rgb.2)),
        }
    }

    fn fg(&self, style: Style, ansi: Color, indexed: u8, rgb: (u8, u8, u8)) -> Style {
        match self.color(ansi, indexed, rgb) {
            Some(c) => style.fg(c),
            None => style,
        }
    }

    /// The attribute each kind carries with or without colour.
    pub fn kind_modifier(kind: Kind) -> Modifier {
        match kind {
            Kind::Person => Modifier::BOLD,
            Kind::Organization => Modifier::UNDERLINED,
            Kind::Place => Modifier::ITALIC,
            Kind::Date => Modifier::DIM,
            Kind::Group => Modifier::BOLD | Modifier::ITALIC,
            Kind::Other => Modifier::UNDERLINED | Modifier::ITALIC,
        }
    }

    pub fn kind(&self, kind: Kind) -> Style {
        let base = Style::default().add_modifier(Self::kind_modifier(kind));
        if let Some(c) = self.role(kind.as_str()) {
            return base.fg(c);
        }
        match kind {
            Kind::Person => self.fg(base, Color::Cyan, 80, (110, 200, 230)),
            Kind::Organization => self.fg(base, Color::Yellow, 221, (240, 200, 90)),
            Kind::Place => self.fg(base, Color::Green, 114, (130, 210, 130)),
            Kind::Date => self.fg(base, Color::Magenta, 176, (210, 150, 210)),
            Kind::Group => self.fg(base, Color::Blue, 111, (140, 170, 240)),
            Kind::Other => self.fg(base, Color::Red, 174, (220, 150, 140)),
        }
    }

    pub fn title(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        Style::default().add_modifier(Modifier::DIM)
    }

    /// Titles newsroom made from the opening sentence.
    pub fn derived(&self) -> Style {
        Style::default().add_modifier(Modifier::ITALIC | Modifier::DIM)
    }

    pub fn selected(&self, focused: bool) -> Style {
        if focused {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    /// Fuzzy-matched characters in a title.
    pub fn matched(&self) -> Style {
        if let Some(c) = self.role("matched") {
            return Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED).fg(c);
        }
        self.fg(Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED), Color::Red, 203, (250, 110, 100))
    }

    /// Mentions of the selected entity.
    pub fn selected_mention(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    /// The mention `]`/`[` is on, and the current search match.
    pub fn current(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn search_match(&self) -> Style {
        match self.role("search").or_else(|| self.color(Color::Yellow, 178, (220, 180, 40))) {
            Some(c) => Style::default().bg(c).fg(Color::Black),
            None => Style::default().add_modifier(Modifier::REVERSED | Modifier::ITALIC),
        }
    }

    pub fn border(&self, focused: bool) -> Style {
        if let (true, Some(c)) = (focused, self.role("border")) {
            Style::default().add_modifier(Modifier::BOLD).fg(c)
        } else if focused {
            self.fg(Style::default().add_modifier(Modifier::BOLD), Color::Cyan, 80, (110, 200, 230))
        } else {
            self.dim()
        }
    }

    pub fn status(&self) -> Style {
        match self.role("status") {
            Some(c) => Style::default().bg(c).fg(Color::Black),
            None => Style::default().add_modifier(Modifier::REVERSED),
        }
    }
}
