//! The terminal, entered and always restored: on quit, on error (a Drop guard) and on panic
//! (a hook chained onto the previous one, which then reports the panic as usual).

use std::io::{Stdout, Write, stdout};
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

pub type Term = Terminal<CrosstermBackend<FrameWriter>>;

/// Set once the terminal is restored: nothing more of the reader's screen may be written.
static RESTORED: AtomicBool = AtomicBool::new(false);

/// What the backend writes, held until it flushes (ratatui flushes once per frame): a frame
/// reaches the terminal in one write, not in the many pieces of a line-buffered stdout, so
/// the terminal never shows half of one. Once the terminal is restored nothing is written:
/// a frame cut short by a panic (which ratatui's own drop would flush) never lands on the
/// user's shell.
pub struct FrameWriter<W: Write = Stdout> {
    pending: Vec<u8>,
    out: W,
}

impl<W: Write> FrameWriter<W> {
    pub fn new(out: W) -> Self {
        FrameWriter {
            pending: Vec::new(),
            out,
        }
    }
}

impl<W: Write> Write for FrameWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if RESTORED.load(Ordering::SeqCst) {
            self.pending.clear();
            return Ok(());
        }
        let written = self.out.write_all(&self.pending);
        self.pending.clear();
        written?;
        self.out.flush()
    }
}

/// Restores the terminal when dropped.
pub struct Guard {
    pub terminal: Term,
}

/// Puts the terminal in raw mode on the alternate screen (with mouse capture if asked).
pub fn enter(mouse: bool) -> std::io::Result<Guard> {
    install_panic_hook();
    RESTORED.store(false, Ordering::SeqCst);
    enable_raw_mode()?;
    let mut out = stdout();
    if let Err(e) = execute!(out, EnterAlternateScreen) {
        restore();
        return Err(e);
    }
    if mouse {
        let _ = execute!(out, EnableMouseCapture);
    }
    match Terminal::new(CrosstermBackend::new(FrameWriter::new(stdout()))) {
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

/// Undoes everything `enter` did, once: a panic restores from its hook and again when the
/// guard is dropped, and leaving the alternate screen twice would move the cursor back to
/// where the reader started, so whatever the shell prints next would land on old lines.
pub fn restore() {
    if RESTORED.swap(true, Ordering::SeqCst) {
        return;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_is_written_whole_and_nothing_once_the_terminal_is_restored() {
        // (no terminal here: the writer writes into a Vec; lib tests never enter or restore)
        let mut w = FrameWriter::new(Vec::new());
        w.write_all(b"first ").expect("buffered");
        w.write_all(b"frame").expect("buffered");
        assert!(w.out.is_empty(), "held until the frame is flushed");
        w.flush().expect("flush");
        assert_eq!(w.out, b"first frame");
        RESTORED.store(true, Ordering::SeqCst);
        w.write_all(b" half a frame").expect("buffered");
        w.flush().expect("flush");
        RESTORED.store(false, Ordering::SeqCst);
        assert_eq!(w.out, b"first frame", "nothing written after restore");
        assert!(w.pending.is_empty(), "and nothing kept to write later");
    }
}
