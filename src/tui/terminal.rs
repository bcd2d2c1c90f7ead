//! The terminal, entered and always restored: on quit, on error (a Drop guard) and on panic
//! (a hook chained onto the previous one, which then reports the panic as usual).

use std::io::{Write, stdout};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

pub type Term = Terminal<CrosstermBackend<FrameWriter>>;

/// What the backend writes, held until it flushes (ratatui flushes once per frame): a frame
/// reaches the terminal in one write, not in the many pieces of a line-buffered stdout, so
/// the terminal never shows half of one. What is left unflushed when it is dropped (a panic
/// in the middle of a frame) is dropped with it, never written after the screen is restored.
#[derive(Default)]
pub struct FrameWriter {
    pending: Vec<u8>,
}

impl Write for FrameWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let mut out = stdout().lock();
        let written = out.write_all(&self.pending);
        self.pending.clear();
        written?;
        out.flush()
    }
}

/// Restores the terminal when dropped.
pub struct Guard {
    pub terminal: Term,
}

/// Puts the terminal in raw mode on the alternate screen (with mouse capture if asked).
pub fn enter(mouse: bool) -> std::io::Result<Guard> {
    install_panic_hook();
    enable_raw_mode()?;
    let mut out = stdout();
    if let Err(e) = execute!(out, EnterAlternateScreen) {
        restore();
        return Err(e);
    }
    if mouse {
        let _ = execute!(out, EnableMouseCapture);
    }
    match Terminal::new(CrosstermBackend::new(FrameWriter::default())) {
        Ok(mut terminal) => {
            let _ = terminal.hide_cursor();
            let _ = terminal.clear();
            Ok(Guard { terminal })
        }
        Err(e) => {
            restore();
            Err(e)
        }
    }
}

/// Undoes everything `enter` did. Safe to call more than once.
pub fn restore() {
    let mut out = stdout();
    let _ = execute!(out, DisableMouseCapture, LeaveAlternateScreen);
    let _ = disable_raw_mode();
    let _ = execute!(out, ratatui::crossterm::cursor::Show);
    let _ = out.flush();
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}
