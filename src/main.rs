//! The `byline` binary: logging, then the command line. Everything else is in the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    byline::logging::init();
    byline::cli::main()
}
