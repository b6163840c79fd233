//! The newsroom binary: parses arguments and hands over to the command line or the browser.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use newsroom::cli::{self, Cli, CliError, Format, SortKey};
use newsroom::core::cache::{self, CacheMode};

fn main() -> ExitCode {
    // A parser's panic caught in its isolation is reported as that file's problem, once, by the
    // loader: not also as a backtrace on stderr.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !newsroom::core::formats::pdf::in_isolation() {
            previous(info);
        }
    }));
    let cli = Cli::parse_from(newsroom::cli_store::subcommand_first(std::env::args_os().collect()));
    // Flags, environment and config file, resolved once: the store and user of this run
    // (`--store`, NEWSROOM_STORE, `store =`; `--user`, `user =`, $USER) hold for every command.
    let settings = newsroom::core::settings::install(newsroom::core::settings::Settings::resolve(
        &newsroom::core::settings::Flags {
            color: cli.color.clone(),
            mouse: cli.mouse,
            store: cli.team.store.clone(),
            user: cli.team.user.clone(),
        },
    ));
    newsroom::core::team::select(settings.store.value.clone(), settings.user.value.clone());
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
        None => browse(&cli, settings.clone()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`newsroom list | head`) is the reader's choice, not an error.
        Err(CliError::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(CliError::Exit(code, message)) => {
            if !message.is_empty() {
                eprintln!("newsroom: {message}");
            }
            ExitCode::from(code)
        }
        Err(e) => {
            eprintln!("newsroom: {e}");
            ExitCode::FAILURE
        }
    }
}

fn browse(cli: &Cli, settings: newsroom::core::settings::Settings) -> Result<(), CliError> {
    // Nothing to show is said before the screen is taken over.
    if let Some(missing) = cli.paths.iter().find(|p| !p.exists()).filter(|_| cli.paths.iter().all(|p| !p.exists())) {
        return Err(CliError::Message(format!("{}: no such file or folder", missing.display())));
    }
    // The store is opened (and a damaged one kept aside) before the corrections are read from
    // it, so that what happened is said in the browser.
    let store = newsroom::core::store::default_store_path();
    let store_note = newsroom::core::store::UserStore::open_for(store.clone()).1;
    // A bad line of the config file is said in the status bar and the defaults stand.
    let resolved = newsroom::cli_config::from_settings(settings);
    let mut options = resolved.browser_options();
    options.store = store;
    options.store_note = store_note;
    let paths = cli.paths.clone();
    let load_opts = cli.load.options();
    options.max_file_bytes = load_opts.max_file_bytes;
    let mode = if cli.load.no_cache { CacheMode::Off } else { CacheMode::default_dir() };
    // Problems are told in the status bar now and in full on stderr after the browser closes.
    let problems = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let kept = std::sync::Arc::clone(&problems);
    let load = move |ctx: &newsroom::tui::LoadContext<'_>| {
        // What the cache knows shows at once; the files are checked meanwhile.
        let early = if ctx.again { None } else { cache::open_cached(&paths, &load_opts, &mode) };
        let early_articles = early.as_ref().map(|c| c.articles.len());
        if let Some(c) = early {
            (ctx.early)(c);
        }
        // The user's entity corrections as they are now (they change in the browser).
        let mut load_opts = load_opts.clone();
        load_opts.corrections = cli::user_corrections();
        let (corpus, report) = cache::open_collection(&paths, &load_opts, &mode, ctx.progress);
        let changed = early_articles.is_none_or(|n| n != corpus.articles.len() || report.processed > 0);
        let mut lines: Vec<String> = report.problems.iter().map(|p| format!("newsroom: {p}")).collect();
        lines.extend(report.skipped_summary().map(|s| format!("newsroom: {s}")));
        lines.extend(report.cache_note.as_ref().map(|n| format!("newsroom: cache: {n}")));
        let message = report.status_line();
        if let Ok(mut p) = kept.lock() {
            *p = lines;
        }
        (corpus, message, changed)
    };
    let result = newsroom::tui::run(options, load).map_err(|e| CliError::Message(e.to_string()));
    if let Ok(lines) = problems.lock() {
        for l in lines.iter() {
            eprintln!("{l}");
        }
    }
    result
}
