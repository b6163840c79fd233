//! The newsroom binary: parses arguments and hands over to the command line or the browser.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use newsroom::cli::{self, Cli, CliError, Format, SortKey};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(cmd) => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            cli::run_command(cmd, &cli.load, &mut out).and_then(|()| out.flush().map_err(CliError::from))
        }
        None => {
            let cmd = cli::Cmd::List { paths: cli.paths.clone(), format: Format::Table, sort: SortKey::Path };
            let mut out = io::stdout().lock();
            cli::run_command(&cmd, &cli.load, &mut out)
        }
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
