//! The status bar: counts, the latest message, and the keys that matter in the focused pane.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::theme::Theme;
use crate::app::keymap::hints;
use crate::app::App;
use crate::core::text::{counted, width};

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
    let keys: Vec<String> = hints(app.scope()).iter().map(|(k, what)| format!("{k} {what}")).collect();
    let mut right = keys.join("  ");
    right.push(' ');
    let total = usize::from(area.width);
    // Keys give way to the message on a narrow screen.
    while width(&left) + width(&right) + 1 > total && right.contains("  ") {
        let cut = right.rfind("  ").unwrap_or(0);
        right.truncate(cut);
        right.push(' ');
    }
    let pad = total.saturating_sub(width(&left) + width(&right));
    let line = Line::from(vec![Span::raw(left), Span::raw(" ".repeat(pad)), Span::raw(right)]).style(theme.status());
    frame.render_widget(Paragraph::new(line), area);
}
