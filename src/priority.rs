//! Thread priorities: CPU work that feeds a single consumer runs behind that consumer.
//!
//! A refresh has one writer (everything is stored through one connection) and as many parse
//! workers as there are cores. With equal shares of the cores the writer gets two thirds of
//! one on a 2-core machine, and it is the refresh's critical path: parsed feeds wait for it.
//! Parse workers therefore lower their own priority (a higher nice value); they still use
//! every cycle the writer and the reader's own threads leave.

/// How far below normal background work runs (nice 0 -> 5: about a third of the weight).
#[cfg(target_os = "linux")]
const BACKGROUND_NICE: i32 = 5;

/// Lowers the calling thread's priority, once (a thread's nice value only ever goes up: an
/// unprivileged thread cannot take it back).
pub fn background() {
    #[cfg(target_os = "linux")]
    {
        use std::cell::Cell;
        thread_local! {
            static DONE: Cell<bool> = const { Cell::new(false) };
        }
        if DONE.with(|d| d.replace(true)) {
            return;
        }
        let tid = rustix::thread::gettid();
        let now = rustix::process::getpriority_process(Some(tid)).unwrap_or(0);
        if now < BACKGROUND_NICE
            && let Err(e) = rustix::process::setpriority_process(Some(tid), BACKGROUND_NICE)
        {
            tracing::debug!("could not lower a parse worker's priority: {e}");
        }
    }
}

#[cfg(test)]
#[cfg(target_os = "linux")]
mod tests {
    use super::*;

    fn nice() -> i32 {
        rustix::process::getpriority_process(Some(rustix::thread::gettid())).expect("nice")
    }

    #[test]
    fn background_work_steps_back_once_on_its_own_thread_only() {
        let mine = nice();
        let (before, after, again) = std::thread::spawn(|| {
            let before = nice();
            background();
            let after = nice();
            background();
            (before, after, nice())
        })
        .join()
        .expect("thread");
        assert_eq!(before, mine, "a new thread starts as its parent");
        assert_eq!(after, BACKGROUND_NICE.max(before));
        assert_eq!(again, after, "the second call changes nothing");
        assert_eq!(nice(), mine, "the calling thread only");
    }
}
