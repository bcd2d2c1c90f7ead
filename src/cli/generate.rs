//! Things generated for the shell and the system: completions, the man page, a first config.

use std::path::Path;

use clap::CommandFactory;

use super::output::write_stdout;
use super::{Cli, ConfigCommand, Failure};

/// `byline completions SHELL`
pub fn completions(shell: clap_complete::Shell) -> Result<u8, Failure> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "byline", &mut out);
    write_stdout(&String::from_utf8_lossy(&out))?;
    Ok(0)
}

/// `byline man`: one page, the subcommands' options included.
pub fn man() -> Result<u8, Failure> {
    let command = Cli::command();
    let mut out = Vec::new();
    let man = clap_mangen::Man::new(command.clone());
    let rendered = man.render_title(&mut out).and_then(|()| {
        man.render_name_section(&mut out)?;
        man.render_synopsis_section(&mut out)?;
        man.render_description_section(&mut out)?;
        man.render_options_section(&mut out)?;
        for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
            render_subcommand(&mut out, sub)?;
        }
        man.render_version_section(&mut out)
    });
    rendered.map_err(|e| Failure::new(1, format!("cannot write the man page: {e}")))?;
    write_stdout(&String::from_utf8_lossy(&out))?;
    Ok(0)
}

/// A section per subcommand: its synopsis and options.
fn render_subcommand(out: &mut Vec<u8>, sub: &clap::Command) -> std::io::Result<()> {
    use std::io::Write;
    let name = sub.get_name();
    writeln!(out, ".SH \"BYLINE {}\"", name.to_uppercase())?;
    let sub = sub.clone().bin_name(format!("byline {name}"));
    let man = clap_mangen::Man::new(sub.clone());
    if let Some(about) = sub.get_long_about().or(sub.get_about()) {
        roff::Roff::new()
            .text([roff::roman(about.to_string())])
            .to_writer(out)?;
    }
    let mut section = Vec::new();
    man.render_synopsis_section(&mut section)?;
    man.render_options_section(&mut section)?;
    // the inner sections become paragraphs of this one
    let text = String::from_utf8_lossy(&section).replace(".SH ", ".SS ");
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// `byline config init | path`
pub fn config(action: &ConfigCommand, explicit: Option<&Path>) -> Result<u8, Failure> {
    let path = super::manage::config_path(explicit)?;
    match action {
        ConfigCommand::Init => {
            crate::config::edit::init(&path)?;
            write_stdout(&format!(
                "wrote {}: every setting with its default, and MediaNama to start with; edit it, or add feeds with `byline add URL`\n",
                path.display()
            ))?;
        }
        ConfigCommand::Path => {
            let note = if path.is_file() {
                ""
            } else {
                " (not there: the built-in default, MediaNama, is read)"
            };
            write_stdout(&format!("{}{note}\n", path.display()))?;
        }
    }
    Ok(0)
}
