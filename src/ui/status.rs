//! The status bar: counts, the latest message, and the keys that matter in the focused pane.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::theme::Theme;
use crate::app::keymap::Scope;
use crate::app::App;
use crate::core::text::{counted, truncate_to_width, width};

/// What stands between the message and the keys.
const SEPARATOR: &str = " │ ";
const SEPARATOR_WIDTH: usize = 3;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let left = match app.message.as_ref().or(app.fulltext.status.as_ref()) {
        Some(m) => format!(" {m}"),
        None => format!(
            " {} · {} shown · {} unread · {}",
            counted(app.corpus.articles.len(), "article", "articles"),
            app.rows.len(),
            app.unread(),
            counted(app.corpus.index.entities.len(), "entity", "entities")
        ),
    };
    let scope = if app.prompt.is_some() { Scope::Prompt } else { app.scope() };
    let mut keys: Vec<String> = app.keys.hints(scope).iter().map(|(k, what)| format!("{k} {what}")).collect();
    let total = usize::from(area.width);
    let room = |keys: &[String]| keys.iter().map(|k| width(k) + 2).sum::<usize>() + 1;
    // Hints give way to the message from the least needed on; the help key (last) stays while
    // it fits beside a word of the message.
    while keys.len() > 1 && width(&left) + room(&keys) + SEPARATOR_WIDTH > total {
        keys.remove(keys.len() - 2);
    }
    if keys.len() == 1 && width(&left) + room(&keys) + SEPARATOR_WIDTH > total && total < room(&keys) + 12 {
        keys.clear();
    }
    let right = if keys.is_empty() { String::new() } else { format!("{} ", keys.join("  ")) };
    // The message never runs into the keys: it is cut with an ellipsis and a bar stands between.
    let sep = if right.is_empty() { "" } else { SEPARATOR };
    let left = truncate_to_width(&left, total.saturating_sub(width(&right) + width(sep)));
    let pad = total.saturating_sub(width(&left) + width(sep) + width(&right));
    let line = Line::from(vec![
        Span::raw(left),
        Span::raw(" ".repeat(pad)),
        Span::styled(sep, theme.status()),
        Span::raw(right),
    ])
    .style(theme.status());
    frame.render_widget(Paragraph::new(line), area);
}
