//! The newsroom binary: parses arguments and hands over to the command line or the browser.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use newsroom::cli::{self, Cli, CliError, Format, SortKey};
use newsroom::core::corpus::Corpus;
use newsroom::ui::theme::ColorMode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(cmd) => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            cli::run_command(cmd, &cli.load, &mut out).and_then(|()| out.flush().map_err(CliError::from))
        }
        // Without a terminal there is no browser: print the list, as `newsroom list` would.
        None if !io::stdout().is_terminal() || !io::stdin().is_terminal() => {
            let cmd = cli::Cmd::List { paths: cli.paths.clone(), format: Format::Table, sort: SortKey::Path };
            let mut out = io::stdout().lock();
            cli::run_command(&cmd, &cli.load, &mut out)
        }
        None => browse(&cli),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`newsroom list | head`) is the reader's choice, not an error.
        Err(CliError::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("newsroom: {e}");
            ExitCode::FAILURE
        }
    }
}

fn browse(cli: &Cli) -> Result<(), CliError> {
    let loaded = cli::load_reporting(&cli.paths, &cli.load)?;
    let corpus = Corpus::build(loaded.articles);
    let options = newsroom::tui::Options {
        color: ColorMode::detect(cli.color.as_deref()),
        mouse: cli.mouse,
        read_marks: newsroom::core::state::default_read_path(),
    };
    newsroom::tui::run(corpus, options).map_err(|e| CliError::Message(e.to_string()))
}
